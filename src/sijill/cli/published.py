"""``sijill figures add|list|show`` and ``sijill import figures FILE.json``: other
organisations' published figures, each beside the case's count for the same scope."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.errors import SijillError
from sijill.incidents.saving import CitationInput
from sijill.linkage.counts import named_policy
from sijill.published.jsonfile import import_figures
from sijill.published.scope import compare
from sijill.published.service import (
    FigureInput,
    ScopePlace,
    add_figure,
    describe,
    find_figure,
    list_figures,
)
from sijill.report.figures import DEFAULT_POLICY  # the report's verified counts
from sijill.store.changelog import default_actor
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade
from sijill.store.settings import DEMO_MARK, is_demo

PolicyOption = Annotated[
    str, typer.Option("--policy", help="Verification policy of the case's count")
]


def _place(text: str) -> ScopePlace:
    ref, sep, number = text.rpartition("=")
    if not sep:
        return ScopePlace(text)
    if not number.strip().isdigit():
        raise SijillError(f"--place takes PLACE or PLACE=NUMBER, not {text!r}")
    return ScopePlace(ref, int(number))


def _days(doc: dict[str, Any]) -> str:
    """The days a figure covers as written: one date, or a range."""
    start, end = doc["start_date"] or "?", doc["end_date"]
    return start if not end or end == start else f"{start}–{end}"


def figures_add(
    organisation: Annotated[str, typer.Option("--organisation", help="Who counted")],
    counts: Annotated[
        str, typer.Option("--counts", help="killed | killed_civilians | missing | ...")
    ],
    total: Annotated[int, typer.Option("--total", help="Their published total")],
    source: Annotated[
        list[str], typer.Option("--source", help="The publication: a source (repeat)")
    ],
    place: Annotated[
        list[str],
        typer.Option("--place", help="A place covered, PLACE or PLACE=THEIR_COUNT (repeat)"),
    ],
    published: Annotated[str | None, typer.Option("--published", help="Publication date")] = None,
    start: Annotated[str | None, typer.Option("--start", help="First day covered")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Last day covered")] = None,
    organisation_ar: Annotated[str | None, typer.Option("--organisation-ar")] = None,
    locator: Annotated[str | None, typer.Option("--locator", help="Page, table...")] = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    access: Annotated[
        str, typer.Option("--access", help="public|internal|restricted")
    ] = "internal",
    external_id: Annotated[str | None, typer.Option("--id", help="Your own id")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record another organisation's published figure with its scope (places, days, what it
    counts) and its citation."""
    item = FigureInput(
        organisation=organisation,
        organisation_ar=organisation_ar,
        counts=counts,
        total=total,
        published=published,
        start_date=start,
        end_date=end,
        places=[_place(p) for p in place],
        sources=[CitationInput(s, locator) for s in source],
        note=note,
        access=access,
        external_id=external_id,
    )
    upgrade(get_engine(db))
    with transaction(db) as session:
        doc = describe(session, [add_figure(session, item, default_actor())])[0]
    if as_json:
        emit_json(doc)
    else:
        console.print(f"published figure {doc['id']} recorded: {doc['organisation']}")


def figures_list(
    policy: PolicyOption = DEFAULT_POLICY, db: DbOption = None, as_json: JsonOption = False
) -> None:
    """Every published figure, each beside the case's verified count for its scope."""
    chosen = named_policy(policy)
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = list_figures(session)
        docs = describe(session, rows)
        for doc, row in zip(docs, rows, strict=True):
            doc["beside"] = compare(session, row, chosen)
        mark = DEMO_MARK if is_demo(session) else None
    if as_json:
        emit_json(docs)
        return
    table = Table("id", "organisation", "published", "counts", "days", "theirs", "ours")
    for d in docs:
        table.add_row(
            str(d["id"]),
            d["organisation"],
            d["published"] or "",
            d["counts"],
            _days(d),
            str(d["total"]),
            f"{d['beside']['ours']['verified']} ({d['beside']['ours']['reported']} reported)",
        )
    console.print(table)
    if mark:
        console.print(mark)


def figures_show(
    ref: Annotated[str, typer.Argument(help="Figure number or id")],
    policy: PolicyOption = DEFAULT_POLICY,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One published figure and the case's count beside it, by their places and by date."""
    chosen = named_policy(policy)
    upgrade(get_engine(db))
    with transaction(db) as session:
        row = find_figure(session, ref)
        doc = describe(session, [row])[0]
        doc["beside"] = compare(session, row, chosen)
    if as_json:
        emit_json(doc)
        return
    beside = doc["beside"]
    console.print(
        f"{doc['organisation']} ({doc['published'] or 'undated'}): {doc['total']} "
        f"{doc['counts']}, {_days(doc)}; "
        f"the case: {beside['ours']['verified']} verified ({beside['policy']}), "
        f"{beside['ours']['reported']} reported",
        highlight=False,
        markup=False,
    )
    table = Table("their place", "theirs", "ours verified", "ours reported", "held")
    for r in beside["by_place"]:
        name = r["place"]["name_latin"] or r["place"]["name_ar"] or r["place"]["external_id"]
        theirs = "" if r["theirs"] is None else str(r["theirs"])
        held = "yes" if r["held"] else "no"
        table.add_row(name, theirs, str(r["verified"]), str(r["reported"]), held)
    console.print(table)


def import_figures_file(
    file: Annotated[Path, typer.Argument(help="JSON file of published figures")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record every published figure of a JSON file (all or nothing)."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = import_figures(session, file, actor=default_actor())
        doc = {"added": [r.id for r in rows]}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{len(rows)} published figures recorded")


def register(app: typer.Typer, groups: Groups) -> None:
    figures = typer.Typer(
        help="Other organisations' published figures, beside the case's count",
        no_args_is_help=True,
    )
    figures.command("add")(figures_add)
    figures.command("list")(figures_list)
    figures.command("show")(figures_show)
    app.add_typer(figures, name="figures")
    groups.import_.command("figures")(import_figures_file)
