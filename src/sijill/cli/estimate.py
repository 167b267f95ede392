"""``sijill estimate``: the total including the people no list recorded (FORMATS.md §4)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.errors import SijillError
from sijill.estimate.api import EstimateOptions, estimate
from sijill.estimate.histories import read_capture_file
from sijill.estimate.lcmcr import LcmcrSettings
from sijill.estimate.result import EstimateResult

if TYPE_CHECKING:  # the linkage (splink) is imported only with --from-case
    from sijill.estimate.from_case import CaseLists
    from sijill.estimate.linkage import LinkageState


def _names(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [n.strip() for n in text.split(",") if n.strip()]
    return names or None


def estimate_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="Capture histories (CSV, FORMATS.md §2)", show_default=False),
    ] = None,
    from_case: Annotated[
        bool, typer.Option("--from-case", help="Build capture histories from the linked case")
    ] = False,
    method: Annotated[
        str | None,
        typer.Option(
            help="lcmcr | loglinear | dga (default lcmcr; loglinear when --select is given)"
        ),
    ] = None,
    select: Annotated[
        str | None, typer.Option(help="Log-linear model selection: bic (default) | aic | stepwise")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (reproducible runs)")] = None,
    level: Annotated[float, typer.Option(help="Interval level")] = 0.95,
    lists: Annotated[
        str | None,
        typer.Option(help="Comma-separated list columns (file) or source names (--from-case)"),
    ] = None,
    strata: Annotated[
        str | None,
        typer.Option(
            help="Stratum columns of the file (comma-separated), or with --from-case one of "
            "governorate, district, sex, age-group, civilian-status, status"
        ),
    ] = None,
    merge: Annotated[
        list[str] | None,
        typer.Option(help="--from-case: merge sources into one list, e.g. 'A+B' (repeatable)"),
    ] = None,
    merge_dependent: Annotated[
        bool,
        typer.Option(
            "--merge-dependent/--no-merge-dependent",
            help="--from-case: merge versions and derived sources with their originals",
        ),
    ] = True,
    chains: Annotated[int, typer.Option(help="LCMCR: chains")] = LcmcrSettings.chains,
    burnin: Annotated[int, typer.Option(help="LCMCR: burn-in iterations per chain")] = (
        LcmcrSettings.burnin
    ),
    samples: Annotated[int, typer.Option(help="LCMCR: draws kept per chain at first")] = (
        LcmcrSettings.samples
    ),
    max_samples: Annotated[
        int,
        typer.Option(
            help="LCMCR: chains are doubled until R-hat < 1.01 and ESS ≥ 400, up to this many "
            "draws each (at most --samples: a fixed length)"
        ),
    ] = LcmcrSettings.max_samples,
    thin: Annotated[int, typer.Option(help="LCMCR: keep one iteration in THIN")] = (
        LcmcrSettings.thin
    ),
    classes: Annotated[int, typer.Option("--classes", "-K", help="LCMCR: latent classes")] = (
        LcmcrSettings.K
    ),
    a: Annotated[
        float, typer.Option("--a", help="LCMCR: Gamma prior shape of α")
    ] = LcmcrSettings.a,
    b: Annotated[float, typer.Option("--b", help="LCMCR: Gamma prior rate of α")] = LcmcrSettings.b,
    delta: Annotated[
        float | None, typer.Option(help="dga: prior people per cell (default 2^-lists)")
    ] = None,
    linkage_sensitivity: Annotated[
        bool,
        typer.Option(
            "--linkage-sensitivity/--no-linkage-sensitivity",
            help="--from-case: re-run the estimate on the people formed at a stricter and a "
            "looser match threshold and with the review queue taken as same and as different",
        ),
    ] = True,
    prior_check: Annotated[
        bool,
        typer.Option(
            "--prior-check/--no-prior-check",
            help="Rerun with another prior setting and warn if the estimate moves",
        ),
    ] = True,
    plots: Annotated[
        Path | None, typer.Option(help="Write posterior, trace and strata figures (PNG, SVG) here")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Estimate the total number of people, including those no list recorded."""
    if (file is None) == (not from_case):
        raise SijillError("give either a capture-history FILE or --from-case")
    if method is None:
        method = "loglinear" if select is not None else "lcmcr"
    if select is not None and method != "loglinear":
        raise SijillError("--select applies to --method loglinear")
    options = EstimateOptions(
        method=method,
        select=select or "bic",
        level=level,
        seed=seed,
        lcmcr=LcmcrSettings(
            K=classes,
            a=a,
            b=b,
            burnin=burnin,
            samples=samples,
            thin=thin,
            chains=chains,
            max_samples=max_samples,
        ),
        delta=delta,
        prior_check=prior_check,
    )
    options.validate()
    if file is not None:
        data = read_capture_file(file, lists=_names(lists), strata=_names(strata))
        result = _run(len(data.strata), options.method, lambda step: estimate(data, options, step))
    else:
        from sijill.estimate.linkage import estimate_case

        case, state = _from_case(
            db, _names(lists), merge or [], merge_dependent, strata, linkage_sensitivity
        )
        result = _run(
            len({r.stratum for r in case.records}),
            options.method,
            lambda step: estimate_case(
                case, state, options, sensitivity=linkage_sensitivity, on_stratum=step
            ),
        )
    written = []
    if plots is not None:
        from sijill.estimate.plots import write_plots

        written = write_plots(result, plots)
    if json_out:
        doc = result.as_dict()
        if written:
            doc["plots"] = [str(p) for p in written]
        emit_json(doc)
    else:
        _summary(result, written)


def _from_case(
    db: str | None,
    lists: list[str] | None,
    merge: list[str],
    merge_dependent: bool,
    strata: str | None,
    sensitivity: bool,
) -> tuple[CaseLists, LinkageState | None]:
    from sijill.estimate.linkage import case_to_estimate
    from sijill.store.engine import transaction

    groups = [[n.strip() for n in g.split("+") if n.strip()] for g in merge]
    with transaction(db) as session:
        return case_to_estimate(
            session,
            lists=lists,
            merge=groups,
            merge_dependent=merge_dependent,
            stratum=strata,
            sensitivity=sensitivity,
        )


def _run(
    strata: int, method: str, run: Callable[[Callable[[str], None]], EstimateResult]
) -> EstimateResult:
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task(f"estimating ({method})", total=strata)

        def step(name: str) -> None:
            progress.update(task, description=f"estimating ({method}): {name}")
            progress.advance(task)

        return run(step)


def _summary(result: EstimateResult, written: list[Path]) -> None:
    out = Console()
    warnings = list(result.warnings)
    if result.linkage_spread:  # said first: the interval leaves linkage error out
        out.print(f"[bold yellow]warning:[/] {warnings.pop(0)}", highlight=False)
    lo, hi = result.interval
    title = f"Estimated total ({result.method}"
    title += f", {result.selection})" if result.selection else ")"
    table = Table(title=title, show_header=False)
    table.add_row("lists", ", ".join(result.lists))
    table.add_row("observed", f"{result.observed:,}")
    label = "posterior median" if result.method in {"lcmcr", "dga"} else "estimate"
    table.add_row(label, f"{result.estimate:,.0f}")
    table.add_row(f"{result.level:.0%} interval", f"{lo:,.0f} – {hi:,.0f}")
    if result.mean is not None:
        table.add_row("posterior mean", f"{result.mean:,.0f}")
    if result.model:
        table.add_row("model", result.model)
    diag = result.diagnostics
    if "rhat" in diag:
        table.add_row("R-hat / ESS", f"{diag['rhat']:.3f} / {diag['ess']:.0f}")
    out.print(table)
    if len(result.strata) > 1:
        strata = Table(title="By stratum")
        for col in ("stratum", "observed", "estimate", "interval"):
            strata.add_column(col)
        for s in result.strata:
            strata.add_row(
                s.name,
                f"{s.observed:,}",
                f"{s.estimate:,.0f}",
                f"{s.interval[0]:,.0f} – {s.interval[1]:,.0f}",
            )
        out.print(strata)
        out.print(f"[dim]{result.combination}[/]")
    if result.linkage_sensitivity:
        moves = Table(title="How the total moves with the linkage")
        for col in ("people formed", "observed", "estimate", "interval"):
            moves.add_column(col)
        for row in result.linkage_sensitivity:
            lo, hi = row["interval"]
            moves.add_row(
                row["setting"],
                f"{row['observed']:,}",
                _figure(row["estimate"]),
                f"{_figure(lo)} – {_figure(hi)}",
            )
        out.print(moves)
    for warning in warnings:
        out.print(f"[yellow]warning:[/] {warning}", highlight=False)
    for path in written:
        out.print(f"wrote {path}")


def _figure(value: float | None) -> str:
    return "∞" if value is None else f"{value:,.0f}"


SignerOption = Annotated[
    str | None, typer.Option("--by", help="Your user account (default: your login name)")
]


def signoff_add(
    why: Annotated[str, typer.Option("--why", help="Why it may be published (recorded)")],
    by: SignerOption = None,
    seed: Annotated[
        int | None, typer.Option("--seed", help="The estimate's seed (default: the report's)")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Estimate the toll from the case now and sign it off for public reports (investigator
    or admin; who, when, why and the case's digest are recorded)."""
    import getpass

    from sijill.estimate import signoff
    from sijill.report.figures import DEFAULT_SEED
    from sijill.store.engine import get_engine, transaction
    from sijill.store.migrate import upgrade

    upgrade(get_engine(db))
    with transaction(db) as session:
        chosen = DEFAULT_SEED if seed is None else seed
        row = signoff.sign_off(session, by or getpass.getuser(), why, chosen)
        doc = signoff.describe(row)
    if as_json:
        emit_json(doc)
    else:
        found = doc["estimate"]
        console.print(f"estimate {found['estimate']:.0f} signed off for public reports")


def signoff_revoke(
    why: Annotated[str, typer.Option("--why", help="Why (recorded)")],
    by: SignerOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw the estimate's sign-off: public reports leave the estimate out again."""
    import getpass

    from sijill.estimate import signoff
    from sijill.store.engine import transaction

    with transaction(db) as session:
        doc = signoff.describe(signoff.revoke(session, by or getpass.getuser(), why))
    if as_json:
        emit_json(doc)
    else:
        console.print("the estimate is no longer signed off for public reports")


def signoff_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every estimate sign-off, revoked ones too."""
    from sijill.estimate import signoff
    from sijill.store.engine import transaction

    with transaction(db) as session:
        rows = signoff.list_signoffs(session)
    if as_json:
        emit_json(rows)
        return
    table = Table("id", "estimate", "signed by", "at", "why", "revoked")
    for r in rows:
        table.add_row(
            str(r["id"]), f"{r['estimate']['estimate']:.0f}", r["signed_by"], r["signed_at"],
            r["why"], r["revoked_at"] or "",
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer, groups: Groups) -> None:
    """Add ``sijill estimate`` and ``sijill estimate-signoff add|revoke|list``."""
    app.command("estimate")(estimate_command)
    signoffs = typer.Typer(
        help="The sign-off that lets the estimate into public reports", no_args_is_help=True
    )
    signoffs.command("add")(signoff_add)
    signoffs.command("revoke")(signoff_revoke)
    signoffs.command("list")(signoff_list)
    app.add_typer(signoffs, name="estimate-signoff")
