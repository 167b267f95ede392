"""What an estimate says: the figure, its interval, the model, the diagnostics and the warnings."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class StratumEstimate:
    """The estimate for one stratum (or for all data when there are no strata)."""

    name: str
    observed: int
    estimate: float
    interval: tuple[float, float]
    mean: float | None = None
    model: str | None = None
    draws: np.ndarray | None = None  # posterior draws of N for Bayesian methods
    chains: np.ndarray | None = None  # (chains, samples) draws of N, for trace plots
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    curve: tuple[np.ndarray, np.ndarray] | None = None  # (N, density or profile likelihood)

    def as_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "stratum": self.name,
            "observed": self.observed,
            "estimate": _num(self.estimate),
            "interval": [_num(self.interval[0]), _num(self.interval[1])],
        }
        if self.mean is not None:
            doc["mean"] = _num(self.mean)
        if self.model is not None:
            doc["model"] = self.model
        if self.diagnostics:
            doc["diagnostics"] = self.diagnostics
        if self.warnings:
            doc["warnings"] = self.warnings
        return doc


@dataclass
class EstimateResult:
    """The total over strata, with every stratum's own estimate."""

    method: str
    lists: tuple[str, ...]
    observed: int
    estimate: float
    interval: tuple[float, float]
    level: float
    strata: list[StratumEstimate]
    mean: float | None = None
    model: str | None = None
    selection: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    diagnostics: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    combination: str | None = None
    draws: np.ndarray | None = None
    # the estimate on people formed by other linkage settings (estimate.linkage)
    linkage_sensitivity: list[dict[str, Any]] | None = None
    linkage_spread: bool = False  # they spread wider than the interval (the first warning)

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` document (FORMATS.md §4, with more keys)."""
        doc: dict[str, Any] = {
            "method": self.method,
            "observed": self.observed,
            "estimate": _num(self.estimate),
            "interval": [_num(self.interval[0]), _num(self.interval[1])],
            "level": self.level,
            "lists": list(self.lists),
        }
        if self.mean is not None:
            doc["mean"] = _num(self.mean)
        if self.selection is not None:
            doc["selection"] = self.selection
        if self.model is not None:
            doc["model"] = self.model
        doc["settings"] = self.settings
        doc["diagnostics"] = self.diagnostics
        doc["warnings"] = self.warnings
        if self.linkage_sensitivity is not None:
            doc["linkage_sensitivity"] = self.linkage_sensitivity
        if len(self.strata) > 1:
            doc["strata"] = [s.as_dict() for s in self.strata]
            doc["combination"] = self.combination
        return doc


def _num(x: float) -> float | None:
    """Round for output; infinite or undefined figures become null."""
    if x is None or not math.isfinite(x):
        return None
    return round(float(x), 2)
