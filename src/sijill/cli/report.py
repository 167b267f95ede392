"""``sijill report``: the investigation report (FORMATS.md §4)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sijill.cli.common import AsOfOption, DbOption, JsonOption, console, emit_json, moment
from sijill.cli.groups import Groups
from sijill.cli.progress import progress_bar
from sijill.report.figures import DEFAULT_POLICY, DEFAULT_SEED, ReportOptions
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade


def report_command(
    out: Annotated[Path, typer.Option("--out", help="Folder for index.html, report.pdf, .json")],
    public: Annotated[
        bool,
        typer.Option(
            "--public", help="Public level only, naming rules applied (sijill naming list)"
        ),
    ] = False,
    lang: Annotated[str, typer.Option("--lang", help="ar | en")] = "en",
    policy: Annotated[
        str, typer.Option("--policy", help="Verification policy of the verified counts")
    ] = DEFAULT_POLICY,
    estimate: Annotated[
        bool,
        typer.Option(
            "--estimate/--no-estimate", help="The estimated total (team report; LCMCR, seeded)"
        ),
    ] = True,
    seed: Annotated[int, typer.Option("--seed", help="The estimate's seed")] = DEFAULT_SEED,
    as_of: AsOfOption = None,
    pdf: Annotated[bool, typer.Option("--pdf/--no-pdf", help="Write the PDF too")] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write the investigation report: a self-contained HTML page, its PDF and its figures."""
    from sijill.report.build import write_report  # WeasyPrint loads only here

    options = ReportOptions(
        public=public,
        lang=lang,
        policy=policy,
        estimate=estimate,
        seed=seed,
        as_of=moment(as_of) if as_of else None,
    )
    options.check()
    upgrade(get_engine(db))
    with transaction(db) as session, progress_bar("writing the report") as report:
        result = write_report(session, out, options, pdf=pdf, progress=report)
    if as_json:
        emit_json(result)
    else:
        console.print(f"wrote {result['html']}" + (f" and {result['pdf']}" if pdf else ""))


def register(app: typer.Typer, groups: Groups) -> None:
    app.command("report")(report_command)
