"""Figures of an estimate for reports and the web app: PNG and SVG (matplotlib, Agg backend).

- ``posterior``: the posterior of N (histogram of draws, or dga's exact curve), with the
  estimate and the interval marked; for log-linear models ``profile``, the relative profile
  likelihood of N (``estimate`` for the stepwise method: the estimate and interval alone);
- ``trace``: the draws of N in each chain (LCMCR), to see whether the chains mixed;
- ``strata``: each stratum's estimate and interval beside its observed count.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from sijill.estimate.result import EstimateResult  # noqa: E402

FORMATS = ("png", "svg")


def _save(fig: plt.Figure, out: Path, stem: str) -> list[Path]:
    paths = []
    for ext in FORMATS:
        path = out / f"{stem}.{ext}"
        fig.savefig(path, dpi=120, bbox_inches="tight")
        paths.append(path)
    plt.close(fig)
    return paths


def write_plots(result: EstimateResult, out_dir: str | Path) -> list[Path]:
    """Write every figure that applies to ``result`` into ``out_dir``; return the paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    stem = "posterior" if result.method in {"lcmcr", "dga"} else "profile"
    if result.method == "loglinear" and result.strata[0].curve is None:
        stem = "estimate"
    written += _save(_posterior(result), out, stem)
    traced = [s for s in result.strata if s.chains is not None]
    if traced:
        written += _save(_trace(result), out, "trace")
    if len(result.strata) > 1:
        written += _save(_strata(result), out, "strata")
    return written


def posterior_png(result: EstimateResult) -> bytes:
    """The posterior (or profile) figure of ``result`` as PNG bytes, for a page."""
    fig = _posterior(result)
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return out.getvalue()


def _posterior(result: EstimateResult) -> plt.Figure:
    fig, ax = plt.subplots(figsize=(7, 4))
    curve = result.strata[0].curve if len(result.strata) == 1 else None
    if curve is not None:
        grid, density = curve
        keep = density > density.max() * 1e-4
        ax.plot(grid[keep], density[keep], color="#2b5c8a")
        ax.fill_between(grid[keep], density[keep], alpha=0.25, color="#2b5c8a")
        bayesian = result.method in {"lcmcr", "dga"}
        ax.set_ylabel("posterior probability" if bayesian else "relative profile likelihood")
    elif result.draws is not None:
        ax.hist(result.draws, bins=80, color="#2b5c8a", alpha=0.7, density=True)
        ax.set_ylabel("posterior density")
    else:
        ax.set_yticks([])
    lo, hi = result.interval
    ax.axvline(result.estimate, color="black", label=f"estimate {result.estimate:,.0f}")
    if np.isfinite(hi):
        ax.axvspan(
            lo,
            hi,
            color="grey",
            alpha=0.15,
            label=f"{result.level:.0%} interval {lo:,.0f}–{hi:,.0f}",
        )
    ax.axvline(result.observed, color="#a33", linestyle="--", label=f"observed {result.observed:,}")
    ax.set_xlabel("total number of people (N)")
    ax.set_title(
        f"Estimated total — {result.method}" + (f" {result.model}" if result.model else "")
    )
    ax.legend(fontsize=8)
    return fig


def _trace(result: EstimateResult) -> plt.Figure:
    traced = [s for s in result.strata if s.chains is not None]
    fig, axes = plt.subplots(len(traced), 1, figsize=(7, 2.2 * len(traced)), squeeze=False)
    for ax, stratum in zip(axes[:, 0], traced, strict=True):
        assert stratum.chains is not None
        for i, chain in enumerate(stratum.chains):
            ax.plot(chain, linewidth=0.5, alpha=0.8, label=f"chain {i + 1}")
        rhat = stratum.diagnostics.get("rhat")
        ax.set_title(f"{stratum.name}: R-hat {rhat}", fontsize=9)
        ax.set_ylabel("N")
    axes[-1, 0].set_xlabel("kept draw")
    axes[0, 0].legend(fontsize=7, ncol=4)
    fig.tight_layout()
    return fig


def _strata(result: EstimateResult) -> plt.Figure:
    strata = result.strata
    fig, ax = plt.subplots(figsize=(7, 0.5 * len(strata) + 1.5))
    y = np.arange(len(strata))
    est = np.array([s.estimate for s in strata])
    lo = np.array([s.interval[0] for s in strata])
    hi = np.array([s.interval[1] if np.isfinite(s.interval[1]) else s.estimate for s in strata])
    ax.errorbar(
        est,
        y,
        xerr=[est - lo, hi - est],
        fmt="o",
        color="#2b5c8a",
        capsize=3,
        label="estimate and interval",
    )
    ax.scatter([s.observed for s in strata], y, marker="|", color="#a33", s=120, label="observed")
    ax.set_yticks(y, [s.name for s in strata])
    ax.invert_yaxis()
    ax.set_xlabel("people")
    ax.set_title("Estimates by stratum")
    ax.legend(fontsize=8)
    return fig
