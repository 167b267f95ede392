"""`sijill link`, `sijill review` and `sijill count`: thin wrappers over `sijill.linkage`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sijill.cli.common import AsOfOption, DbOption, JsonOption, console, emit_json, moment
from sijill.cli.groups import Groups
from sijill.cli.progress import progress_bar
from sijill.errors import SijillError
from sijill.linkage import counts as counts_lib
from sijill.linkage import review as review_lib
from sijill.linkage.engines import ENGINES
from sijill.linkage.service import link as link_records
from sijill.store.engine import transaction
from sijill.store.settings import DEMO_MARK, is_demo

_COLOURS = {"agree": "green", "differ": "red", "unknown": "yellow", "info": "dim"}


def link(
    db: DbOption = None,
    engine: Annotated[
        str, typer.Option("--engine", help=f"Linkage engine: {' | '.join(ENGINES)}")
    ] = "duckdb",
    as_json: JsonOption = False,
) -> None:
    """Match records across and within lists into people (repeatable)."""
    with transaction(db) as session, progress_bar("linking records") as report:
        result = link_records(session, engine=engine, progress=report)
    if as_json:
        emit_json(result.as_dict())
        return
    console.print(
        f"{result.records:,} records -> {result.people:,} people "
        f"({result.new_people:,} new, {result.records_changed:,} records moved, "
        f"{result.review_open:,} pairs to review)"
    )


def _show(view: review_lib.PairView) -> None:
    table = Table(title=f"pair {view.pair_id}: p={view.probability:.2f} ({view.reason})")
    table.add_column("field")
    table.add_column("record A")
    table.add_column("record B")
    table.add_column("")
    for f in view.fields:
        colour = _COLOURS[f.verdict]
        table.add_row(f.field, f.left, f.right, f"[{colour}]{f.verdict}[/]")
    console.print(table)


def review(
    db: DbOption = None,
    decide: Annotated[
        int | None, typer.Option("--decide", help="Answer this pair without prompting")
    ] = None,
    answer: Annotated[
        str | None, typer.Argument(help="same | different | unsure (with --decide)")
    ] = None,
    why: Annotated[str | None, typer.Option("--why", help="The reason for the answer")] = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option("--limit", help="Pairs to go through")] = 20,
) -> None:
    """Review uncertain pairs: both records side by side; answer s(ame)/d(ifferent)/u(nsure)."""
    if decide is not None:
        if answer is None:
            raise SijillError("give the answer: same, different or unsure")
        with transaction(db) as session:
            entry = review_lib.decide(session, decide, answer, why=why)
            doc = {"pair_id": decide, "decision": entry.decision, "decision_id": entry.id}
        if as_json:
            emit_json(doc)
        else:
            console.print(f"pair {decide}: {answer}")
        return
    if as_json:
        with transaction(db) as session:
            pairs = review_lib.open_pairs(session, limit=limit)
            emit_json(
                {
                    "open": review_lib.count_open(session),
                    "pairs": [review_lib.pair_view(session, p.id).as_dict() for p in pairs],
                }
            )
        return
    _interactive(db, limit)


def _interactive(db: str | None, limit: int) -> None:
    with transaction(db) as session:
        pair_ids = [p.id for p in review_lib.open_pairs(session, limit=limit)]
    if not pair_ids:
        console.print("nothing to review")
        return
    choices = {"s": "same", "d": "different", "u": "unsure"}
    for pair_id in pair_ids:
        with transaction(db) as session:
            _show(review_lib.pair_view(session, pair_id))
        key = typer.prompt("same / different / unsure / skip / quit [s/d/u/k/q]", default="k")
        if key.lower().startswith("q"):
            return
        if key.lower()[:1] not in choices:
            continue
        reason = typer.prompt("why", default="")
        with transaction(db) as session:
            review_lib.decide(session, pair_id, choices[key.lower()[:1]], why=reason or None)


def count(
    by: Annotated[str, typer.Option("--by", help=" | ".join(counts_lib.GROUPINGS))],
    db: DbOption = None,
    policy: Annotated[
        str, typer.Option("--policy", help="any-source | two-independent-sources | a named one")
    ] = "any-source",
    as_json: JsonOption = False,
    list_people: Annotated[
        bool, typer.Option("--list-people", help="List the people and records behind each figure")
    ] = False,
    as_of: AsOfOption = None,
    figure: Annotated[
        str | None,
        typer.Option(
            "--figure",
            help="Only the scope of a published figure (its places, days and what it counts)",
        ),
    ] = None,
) -> None:
    """Documented deaths by place, date, sex, age group or source, verified beside reported
    (``--as-of``: of the records the case held then, each as it stood; ``--figure``: within
    a published figure's scope)."""
    chosen = counts_lib.named_policy(policy)
    when = moment(as_of) if as_of else None
    with transaction(db) as session:
        if figure is None:
            doc = counts_lib.count(session, by, chosen, list_people=list_people, as_of=when)
        else:
            from sijill.published.scope import scoped_count
            from sijill.published.service import find_figure

            found = find_figure(session, figure)
            doc, _ = scoped_count(
                session, found, by, chosen, list_people=list_people, as_of=when
            )
        if is_demo(session):
            doc["mark"] = DEMO_MARK
    if as_json:
        emit_json(doc)
        return
    table = Table(title=f"documented deaths by {by} (policy: {policy})")
    table.add_column(by)
    table.add_column("verified", justify="right")
    table.add_column("reported", justify="right")
    for group in doc["groups"]:
        table.add_row(group["key"], str(group["verified"]), str(group["reported"]))
    table.add_row("total", str(doc["total"]), str(doc["reported_total"]), style="bold")
    console.print(table)


def register(app: typer.Typer, groups: Groups) -> None:
    app.command("link")(link)
    app.command("review")(review)
    app.command("count")(count)
