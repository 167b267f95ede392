"""``sijill init``, ``sijill import records``, ``sijill export records``, ``sijill sources``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from sijill.cli.common import DbOption, JsonOption, console, emit_json, fail
from sijill.cli.groups import Groups
from sijill.records.export import export_records
from sijill.records.importer import import_list
from sijill.records.mapping import load_mapping
from sijill.records.readers import count_lines
from sijill.store.engine import get_engine, session_factory, transaction
from sijill.store.migrate import schema_version, upgrade
from sijill.store.models import Source


def init(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create or upgrade the case database."""
    engine = get_engine(db)
    upgrade(engine)
    version = schema_version(engine)
    url = engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json({"database": url, "schema_version": version})
    else:
        console.print(f"Case database ready: [bold]{url}[/] (schema {version})")


def import_records(
    file: Annotated[Path, typer.Argument(help="A casualty list: CSV, XLSX or JSON lines")],
    source: Annotated[str, typer.Option("--source", help="Name of the source this list is")],
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="Column mapping (YAML or JSON)")
    ] = None,
    map_flags: Annotated[
        list[str] | None, typer.Option("--map", help="SOURCE_COLUMN=STANDARD_COLUMN (repeatable)")
    ] = None,
    access: Annotated[
        str, typer.Option("--access", help="public|internal|restricted")
    ] = "internal",
    version_of: Annotated[
        str | None, typer.Option("--version-of", help="This list is a new version of SOURCE")
    ] = None,
    derived_from: Annotated[
        str | None, typer.Option("--derived-from", help="SOURCE,... this list derives from")
    ] = None,
    allow_same_file: Annotated[
        bool, typer.Option("--allow-same-file", help="Import a file already imported")
    ] = False,
    keep_good_rows: Annotated[
        bool,
        typer.Option(
            "--keep-good-rows", help="Keep good rows; write rejected ones beside the file"
        ),
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option("--encoding", help="Text encoding of a CSV (default: detected)"),
    ] = None,
    publisher: Annotated[str | None, typer.Option("--publisher")] = None,
    published: Annotated[str | None, typer.Option("--published", help="ISO date")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import one casualty list, all or nothing."""
    engine = get_engine(db)
    upgrade(engine)
    rules = load_mapping(mapping, map_flags)
    rules.encoding = encoding or rules.encoding
    total = count_lines(file) if file.is_file() and file.suffix.lower() != ".xlsx" else None
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        TextColumn("{task.completed:,} rows"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("import", total=total)
        with session_factory(engine).begin() as session:
            result = import_list(
                session,
                file,
                source=source,
                mapping=rules,
                access=access,
                version_of=version_of,
                derived_from=[s.strip() for s in (derived_from or "").split(",") if s.strip()],
                allow_same_file=allow_same_file,
                keep_good_rows=keep_good_rows,
                publisher=publisher,
                published=published,
                progress=lambda n: bar.update(task, completed=n),
            )
    if as_json:
        emit_json(result.as_json())
        return
    console.print(f"Imported [bold]{result.imported:,}[/] records as source [bold]{source}[/].")
    if result.encoding and result.encoding != "utf-8":
        console.print(f"Read as {result.encoding}; --encoding chooses another.", markup=False)
    if result.quality:
        console.print("Values read in an unusual way or left empty (each cell is kept as written):")
        for q in result.quality:
            rows = ", ".join(str(r) for r in q["rows"])
            console.print(
                f"  {q['column']}: {q['records']:,} record(s), {q['what']} "
                f"(e.g. {q['example']}; rows {rows})",
                markup=False,
            )
    if result.rejected:
        console.print(
            f"[yellow]{len(result.rejected)} problem(s); rejected rows written to "
            f"{result.rejected_file}[/]"
        )
    if result.diff:
        console.print(f"Against {version_of}: {result.diff}")


def export_records_cmd(
    fmt: Annotated[str, typer.Option("--format", help="csv")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="File (default: stdout)")] = None,
    public: Annotated[
        bool,
        typer.Option(
            "--public",
            help="Redacted: public records only (no internal or restricted), no sealed fields",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Every record with the person it was matched to."""
    if fmt != "csv":
        raise fail(f"unknown format {fmt!r}: records export as csv")
    with transaction(db) as session:
        if out is None:
            manifest = export_records(session, sys.stdout, public=public)
        else:
            with out.open("w", encoding="utf-8", newline="") as handle:
                manifest = export_records(session, handle, public=public)
            if public:
                manifest_path = out.with_name(out.name + ".manifest.json")
                manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    if public:
        console.print(f"withheld: {manifest['withheld']}")


def sources(db: DbOption = None, as_json: JsonOption = False) -> None:
    """The sources of this case."""
    with transaction(db) as session:
        rows = session.scalars(select(Source).order_by(Source.id)).all()
        docs = [
            {
                "id": s.id,
                "name": s.name,
                "kind": s.kind,
                "publisher": s.publisher,
                "published": s.published,
                "records": s.record_count,
                "access": s.access,
                "file_sha256": s.file_sha256,
                "version_of": s.version_of_id,
                "derived_from": s.derived_from,
                "imported_at": s.created_at.isoformat(),
            }
            for s in rows
        ]
    if as_json:
        emit_json(docs)
        return
    table = Table("id", "name", "records", "access", "imported", "sha256")
    for s in rows:
        table.add_row(
            str(s.id),
            s.name,
            f"{s.record_count:,}",
            s.access,
            s.created_at.isoformat()[:16],
            (s.file_sha256 or "")[:12],
        )
    Console().print(table)


def register(app: typer.Typer, groups: Groups) -> None:
    app.command("init")(init)
    app.command("sources")(sources)
    groups.import_.command("records")(import_records)
    groups.export.command("records")(export_records_cmd)
