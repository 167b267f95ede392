"""Command-structure commands: import/export structure, chain, subordinates, command-report,
career, check-structure, merge-units, merge-actors."""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.tree import Tree
from sqlalchemy.orm import Session

from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.command import career as career_mod
from sijill.command import checks, merge, report
from sijill.command.chain import chain as chain_query
from sijill.command.chain import subordinates as subordinates_query
from sijill.command.dates import parse_day
from sijill.command.exporter import export_structure
from sijill.command.importer import import_structure
from sijill.command.popolo import to_popolo
from sijill.errors import ImportRejected, SijillError
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade

ALLEGATION_NOTE = (
    "Perpetrator links are allegations with a status (alleged, corroborated, established by a "
    "court), not findings."
)


def _read_structure(file: Path) -> dict[str, Any]:
    from sijill.command import spreadsheet  # openpyxl loads only when a template is used

    if file.is_dir():
        return spreadsheet.read_csv_folder(file)
    if file.suffix.lower() == ".xlsx":
        return spreadsheet.read_xlsx(file)
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ImportRejected(str(file), reason="no such file") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportRejected(str(file), reason=f"not valid JSON ({exc})") from exc


def _read_sfm(file: Path) -> Any:
    from sijill.command import sfm_files, sfm_import  # openpyxl loads only for SFM data

    return sfm_import.to_structure(sfm_files.read_sheets(file), origin=file.name)


def _store_places(session: Session, places: list[Any]) -> int:
    """SFM's locations into the gazetteer ``sfm``; how many were added or updated."""
    from sijill.places.keys import is_arabic
    from sijill.places.loaders import PlaceInput
    from sijill.places.store import store_places

    rows = [
        PlaceInput(p.external_id, "other", name_ar=p.name, name_latin=None)
        if is_arabic(p.name)
        else PlaceInput(p.external_id, "other", name_latin=p.name)
        for p in places
    ]
    stored = store_places(session, rows, "sfm")
    return stored.added + stored.updated


def import_structure_cmd(
    file: Annotated[
        Path,
        typer.Argument(
            help="Structure JSON, an XLSX template or a folder of CSV files; with --format sfm, "
            "SFM's workbook, CSV/TSV file or a folder of them"
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="structure (FORMATS.md §3) | sfm (Security Force Monitor's sheets)"
        ),
    ] = "structure",
    create_sources: Annotated[
        bool,
        typer.Option(
            "--create-sources", help="Create the cited sources the case does not know (by name)"
        ),
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a command structure (FORMATS.md §3, or SFM's standard), all or nothing. A cited
    source the case does not know refuses a §3 file (naming the close matches) unless
    --create-sources is given; SFM's sheets carry their own sources, which are created."""
    if fmt not in ("structure", "sfm"):
        raise SijillError(f"unknown format {fmt!r}: structure or sfm")
    converted = _read_sfm(file) if fmt == "sfm" else None
    doc = converted.doc if converted else _read_structure(file)
    upgrade(get_engine(db))
    busy = console.status("importing the structure…") if sys.stderr.isatty() else nullcontext()
    with busy, transaction(db) as session:
        counts = import_structure(
            session, doc, origin=file.name, create_sources=create_sources or fmt == "sfm"
        ).as_dict()
        if converted and converted.places:
            counts["places"] = _store_places(session, converted.places)
    for kind, ids in counts.get("undeclared", {}).items():
        if ids:
            shown = ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
            console.print(
                f"[yellow]warning:[/] {len(ids)} {kind} named by facts but not declared; "
                f"created with their id alone: {shown}",
                highlight=False,
            )
    if as_json:
        emit_json(counts)
    else:
        console.print(
            "Imported: " + ", ".join(f"{v} {k}" for k, v in counts.items()), highlight=False
        )


def _graphml(doc: dict[str, Any], unit: str | None, at: str | None, all_time: bool) -> bytes:
    from sijill.command.graphml import graphml_bytes, unit_graph  # networkx loads only here

    if not unit:
        raise SijillError("--unit ID is needed for the graphml format")
    if at and all_time:
        raise SijillError("give --at DATE or --all-time, not both")
    day = None if all_time else parse_day(at) if at else date.today()
    return graphml_bytes(unit_graph(doc, unit, day))


def export_structure_cmd(
    fmt: Annotated[
        str, typer.Option("--format", help="json | popolo | xlsx | csv | sfm | graphml")
    ] = "json",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="File (json, popolo, xlsx, graphml; sfm: .xlsx) or folder (csv; sfm: CSV files)",
        ),
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="graphml: the unit whose graph is drawn")
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help="graphml: relations of this day (default: today)")
    ] = None,
    all_time: Annotated[
        bool, typer.Option("--all-time", help="graphml: every relation ever had")
    ] = False,
    db: DbOption = None,
) -> None:
    """Export the command structure: JSON (lossless), Popolo JSON, XLSX or CSV template, SFM's
    sheets, or one unit's ancestors and descendants as GraphML."""

    from sijill.command import spreadsheet  # openpyxl loads only when a template is used

    with transaction(db) as session:
        doc = export_structure(session)
    if fmt in ("json", "popolo"):
        body = json.dumps(doc if fmt == "json" else to_popolo(doc), ensure_ascii=False, indent=2)
        if out is None:
            sys.stdout.write(body + "\n")
        else:
            out.write_text(body + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        if out is None:
            raise SijillError("--out FILE.xlsx is needed for the xlsx format")
        spreadsheet.write_xlsx(doc, out)
    elif fmt == "csv":
        if out is None:
            raise SijillError("--out FOLDER is needed for the csv format")
        spreadsheet.write_csv_folder(doc, out)
    elif fmt == "sfm":
        from sijill.command import sfm_export, sfm_files

        if out is None:
            raise SijillError("--out FILE.xlsx or --out FOLDER is needed for the sfm format")
        sfm_files.write_sheets(sfm_export.from_structure(doc), out)
    elif fmt == "graphml":
        graph = _graphml(doc, unit, at, all_time)
        if out is None:
            sys.stdout.buffer.write(graph)
        else:
            out.write_bytes(graph)
    else:
        raise SijillError(f"unknown format {fmt!r}: json, popolo, xlsx, csv, sfm or graphml")


def _ids(items: list[str], possible: list[str]) -> str:
    return ", ".join(items + [f"({p}?)" for p in possible]) or "—"


def _print_levels(doc: dict[str, Any], near: str) -> None:
    table = Table(title=f"{doc['unit']} on {doc['at']}")
    for column in ("depth", "organization", near, "commanders"):
        table.add_column(column)
    for level in doc["levels"]:
        name = level["organization_id"] + (" (possible)" if level["possible"] else "")
        table.add_row(
            str(level["depth"]),
            name,
            _ids(level[near], level[f"possible_{near}"]),
            _ids(level["commanders"], level["possible_commanders"]),
        )
    console.print(table)
    console.print("(x?) = possibly, the dates do not settle it")


def chain_cmd(
    unit: Annotated[str, typer.Argument(help="Organization id")],
    at: Annotated[str, typer.Option("--at", help="Day, YYYY-MM-DD")],
    no_citations: Annotated[
        bool, typer.Option("--no-citations", help="Leave citations out")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The chain of command above a unit on a day (FORMATS.md §4)."""

    day = parse_day(at)
    with transaction(db) as session:
        doc = chain_query(session, unit, day, with_citations=not no_citations)
    if as_json:
        emit_json(doc)
    else:
        _print_levels(doc, "parents")


def subordinates_cmd(
    unit: Annotated[str, typer.Argument(help="Organization id")],
    at: Annotated[str, typer.Option("--at", help="Day, YYYY-MM-DD")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The units below a unit on a day (the tree below), with their commanders."""

    day = parse_day(at)
    with transaction(db) as session:
        doc = subordinates_query(session, unit, day)
    if as_json:
        emit_json(doc)
        return
    by_id = {lv["organization_id"]: lv for lv in doc["levels"]}
    tree = Tree(f"{doc['unit']} on {doc['at']}")

    def grow(node: Tree, org: str, seen: set[str]) -> None:
        level = by_id[org]
        for child in level["children"] + level["possible_children"]:
            if child in by_id and child not in seen:
                mark = "?" if child in level["possible_children"] else ""
                cmd = _ids(by_id[child]["commanders"], by_id[child]["possible_commanders"])
                grow(node.add(f"{child}{mark} — {cmd}"), child, seen | {child})

    grow(tree, doc["unit"], {doc["unit"]})
    console.print(tree)


def command_report_cmd(
    incident: Annotated[str | None, typer.Option("--incident", help="Incident id")] = None,
    units: Annotated[str | None, typer.Option("--units", help="Unit ids, comma-separated")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who commanded an incident's units, and every level above, on each day of its range."""

    with transaction(db) as session:
        if incident:
            doc = report.incident_report(session, incident)
        elif units and date_from and date_to:
            doc = report.command_report(
                session,
                [u.strip() for u in units.split(",") if u.strip()],
                parse_day(date_from),
                parse_day(date_to),
            )
        else:
            raise SijillError("give --incident ID, or --units A,B with --from and --to")
    if as_json:
        emit_json(doc)
    else:
        console.print(report.as_text(doc), highlight=False, markup=False)


def career_cmd(
    person: Annotated[str, typer.Argument(help="Person id")],
    after_incident: Annotated[
        str | None, typer.Option("--after-incident", help="Flag what was gained after it")
    ] = None,
    after: Annotated[str | None, typer.Option("--after", help="Flag what was gained after")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A person's posts, ranks and units in time order."""

    with transaction(db) as session:
        doc = career_mod.career(
            session,
            person,
            after_incident=after_incident,
            after=parse_day(after) if after else None,
        )
    if as_json:
        emit_json(doc)
    else:
        console.print(career_mod.as_text(doc), highlight=False, markup=False)


def check_structure_cmd(
    ranks: Annotated[
        Path | None, typer.Option("--ranks", help="JSON: classification -> allowed commander ranks")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Consistency checks: overlapping commanders, posts outside a unit's existence, composition
    cycles, ranks that do not fit a unit's level. Exit 1 when something is found."""

    table = json.loads(ranks.read_text(encoding="utf-8")) if ranks else None
    with transaction(db) as session:
        found = checks.check_structure(session, rank_table=table)
    if as_json:
        emit_json({"problems": found, "count": len(found)})
    else:
        for item in found:
            console.print(f"[{item['certainty']}] {item['check']}: {item['message']}")
        console.print(f"{len(found)} problem(s)")
    if found:
        raise typer.Exit(1)


def _merge(
    merge_fn: Any, keep: str, drop: str, why: str | None, db: str | None, as_json: bool
) -> None:
    """Run one merge (units or actors) and print what moved."""

    with transaction(db) as session:
        doc = merge_fn(session, keep, drop, why=why)
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{drop} merged into {keep}: {doc['moved']}")


def merge_units_cmd(
    keep: Annotated[str, typer.Argument(help="The unit id that stays")],
    drop: Annotated[str, typer.Argument(help="The duplicate; its id keeps resolving to KEEP")],
    why: Annotated[str | None, typer.Option("--why", help="Reason, for the change log")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Merge a duplicate unit into another; the old id keeps resolving."""

    _merge(merge.merge_units, keep, drop, why, db, as_json)


def merge_actors_cmd(
    keep: Annotated[str, typer.Argument(help="The person id that stays")],
    drop: Annotated[str, typer.Argument(help="The duplicate; its id keeps resolving to KEEP")],
    why: Annotated[str | None, typer.Option("--why", help="Reason, for the change log")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Merge a duplicate actor (person) into another; the old id keeps resolving."""

    _merge(merge.merge_actors, keep, drop, why, db, as_json)


def register(app: typer.Typer, groups: Groups) -> None:
    """Add the command-structure commands to the ``sijill`` app."""
    groups.import_.command("structure")(import_structure_cmd)
    groups.export.command("structure")(export_structure_cmd)
    app.command("chain")(chain_cmd)
    app.command("subordinates")(subordinates_cmd)
    app.command("command-report")(command_report_cmd)
    app.command("career")(career_cmd)
    app.command("check-structure")(check_structure_cmd)
    app.command("merge-units")(merge_units_cmd)
    app.command("merge-actors")(merge_actors_cmd)
