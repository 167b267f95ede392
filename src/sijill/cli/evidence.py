"""``sijill evidence ...`` (the vault) and ``sijill verify`` (the integrity check)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.cli.progress import progress_bar
from sijill.config import vault_dir
from sijill.errors import SijillError
from sijill.evidence import custody, items, tsa
from sijill.evidence.bundle import build_bundle
from sijill.evidence.intake import Collection, add_files
from sijill.evidence.models import LINK_KINDS
from sijill.evidence.targets import link_target
from sijill.evidence.vault import remove_files
from sijill.evidence.verify import verify as verify_case
from sijill.store.changelog import default_actor
from sijill.store.engine import get_engine, session_factory, transaction

VaultOption = Annotated[
    str | None, typer.Option("--vault", help="Vault folder (default: $SIJILL_VAULT, else ./vault)")
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Who acts (default: the operating-system user)")
]


def _publish(vault: Path, checkpoint: object) -> None:
    if checkpoint is not None:
        custody.publish_checkpoint(vault, checkpoint)  # type: ignore[arg-type]


def add(
    paths: Annotated[list[Path], typer.Argument(help="Files to preserve")],
    source: Annotated[str, typer.Option("--source", help="Source name (created if new)")],
    collector: Annotated[str, typer.Option("--collector", help="Who collected the files")],
    url: Annotated[str | None, typer.Option("--url", help="Where the files were found")] = None,
    access: Annotated[
        str, typer.Option("--access", help="public, internal or restricted")
    ] = "internal",
    platform: Annotated[
        str | None, typer.Option(help="Platform (read from the URL if known)")
    ] = None,
    post_id: Annotated[str | None, typer.Option("--post-id")] = None,
    account: Annotated[str | None, typer.Option("--account", help="Posting account")] = None,
    claimed_upload_time: Annotated[str | None, typer.Option("--claimed-upload-time")] = None,
    persona: Annotated[
        str | None, typer.Option("--persona", help="Persona account used (sealed)")
    ] = None,
    tool: Annotated[str, typer.Option("--tool", help="Capture tool")] = "sijill",
    tool_version: Annotated[str | None, typer.Option("--tool-version")] = None,
    parent: Annotated[
        str | None, typer.Option("--parent", help="Item this one derives from")
    ] = None,
    relation: Annotated[
        str | None,
        typer.Option(help="transcoded, redacted, translated, screenshot-of, extracted-from"),
    ] = None,
    graphic: Annotated[bool, typer.Option("--graphic", help="Graphic content")] = False,
    identifiable_people: Annotated[
        bool | None, typer.Option("--identifiable-people/--no-identifiable-people")
    ] = None,
    consent_scope: Annotated[str | None, typer.Option("--consent-scope")] = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Preserve files in the evidence vault (hash, metadata, near-duplicates, custody log)."""
    folder = vault_dir(vault)
    collection = Collection(
        source=source,
        collector=collector,
        access=access,
        url=url,
        platform=platform,
        post_id=post_id,
        account=account,
        claimed_upload_time=claimed_upload_time,
        persona=persona,
        tool=tool,
        parent_id=parent,
        relation=relation,
        graphic=graphic,
        identifiable_people=identifiable_people,
        consent_scope=consent_scope,
    )
    if tool_version:
        collection.tool_version = tool_version
    total = sum(p.stat().st_size for p in paths if p.is_file())
    with Progress(
        TextColumn("preserving"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bar:
        task = bar.add_task("add", total=total)
        with transaction(db) as session:
            added, checkpoint = add_files(
                session,
                folder,
                paths,
                collection,
                progress=lambda n: bar.advance(task, n),
            )
    _publish(folder, checkpoint)
    if json_out:
        emit_json([a.as_dict() for a in added])
        return
    for a in added:
        console.print(f"{a.id}  {a.sha256}  {a.mime}  {a.path}", highlight=False)
        for other, distance in a.near_duplicates.items():
            console.print(
                f"  near-duplicate of {other} (distance {distance}): review it", highlight=False
            )


def show(
    item_id: Annotated[str, typer.Argument(help="Item id (or a unique prefix of 8+ characters)")],
    restricted: Annotated[
        bool, typer.Option("--restricted", help="Include GPS, collector and persona")
    ] = False,
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Show an item's metadata, hashes, links, near-duplicates and custody (the view is logged
    in the read log)."""
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        items.record_view(session, item, by or default_actor())
        view = items.item_view(session, item, restricted=restricted)
    if json_out:
        emit_json(view)
        return
    console.print_json(data=view, default=str)


def list_cmd(
    limit: Annotated[int, typer.Option("--limit")] = 100,
    offset: Annotated[int, typer.Option("--offset")] = 0,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """List the vault's items."""
    with transaction(db) as session:
        rows = [
            {
                "id": i.id,
                "sha256": i.sha256,
                "size": i.size,
                "mime": i.mime,
                "name": i.original_name,
                "access": i.access,
                "status": i.verification_status,
            }
            for i in items.list_items(session, limit=limit, offset=offset)
        ]
    if json_out:
        emit_json(rows)
        return
    table = Table("id", "sha256", "mime", "size", "name", "access", "status")
    for r in rows:
        table.add_row(
            str(r["id"]),
            str(r["sha256"])[:16],
            str(r["mime"]),
            str(r["size"]),
            str(r["name"] or ""),
            str(r["access"]),
            str(r["status"]),
        )
    console.print(table)


def bundle(
    item_ids: Annotated[list[str], typer.Argument(help="Items to bundle")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write (absent or empty)")],
    include_restricted: Annotated[
        bool, typer.Option("--include-restricted", help="Keep GPS and other restricted metadata")
    ] = False,
    recipient: Annotated[
        str | None,
        typer.Option("--recipient", help="Who receives it (logged as a transfer, committed)"),
    ] = None,
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Write a BagIt bundle with files, metadata, custody entries, proofs and the checkpoint."""
    folder = vault_dir(vault)
    with transaction(db) as session, progress_bar("writing the bundle") as report:
        path, checkpoint = build_bundle(
            session,
            folder,
            item_ids,
            out,
            actor=by or default_actor(),
            include_restricted=include_restricted,
            recipient=recipient,
            progress=report,
        )
    _publish(folder, checkpoint)
    doc = {
        "bundle": str(path),
        "items": len(item_ids),
        "tree_size": checkpoint.tree_size,
        "verify": f"python3 {path / 'verify_bundle.py'} {path}",
    }
    if json_out:
        emit_json(doc)
    else:
        console.print(f"bundle written to {path}; check it with: {doc['verify']}", highlight=False)


def link(
    item_id: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Argument(help=", ".join(LINK_KINDS))],
    target: Annotated[
        str, typer.Argument(help="The incident, person, unit or source: its id, number or name")
    ],
    note: Annotated[str | None, typer.Option("--note")] = None,
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Link an item to an incident, person, unit or source the case holds (an unknown one is
    refused, naming the close matches)."""
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        link = link_target(session, item, kind, target, by or default_actor(), note)
        checkpoint = custody.make_checkpoint(session)
        doc = {"item": item.id, "kind": kind, "target": link.target_id}
    _publish(vault_dir(vault), checkpoint)
    if json_out:
        emit_json(doc)
    else:
        console.print(f"linked {doc['item']} to {kind} {doc['target']}", highlight=False)


def note(
    item_id: Annotated[str, typer.Argument()],
    kind: Annotated[str, typer.Option("--kind", help=", ".join(items.ANALYSIS_KINDS))],
    text: Annotated[str, typer.Option("--text", help="What was found")],
    status: Annotated[
        str | None,
        typer.Option("--status", help="unverified, in-progress, verified, disputed, false"),
    ] = None,
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Record a verification note (source/technical/content analysis, geo-/chronolocation)."""
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        items.add_analysis(session, item, kind, text, by or default_actor(), status)
        checkpoint = custody.make_checkpoint(session)
        doc = {"item": item.id, "kind": kind, "status": item.verification_status}
    _publish(vault_dir(vault), checkpoint)
    if json_out:
        emit_json(doc)
    else:
        console.print(f"noted on {item.id} ({kind}); status {doc['status']}", highlight=False)


def copy(
    item_id: Annotated[str, typer.Argument()],
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Make a working copy of an item (the original stays read-only and untouched)."""
    folder = vault_dir(vault)
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        target = items.copy_item(session, folder, item, by or default_actor())
        checkpoint = custody.make_checkpoint(session)
    _publish(folder, checkpoint)
    if json_out:
        emit_json({"item": item.id, "copy": str(target)})
    else:
        console.print(str(target), highlight=False)


def remove(
    item_id: Annotated[str, typer.Argument()],
    why: Annotated[str, typer.Option("--why", help="Why the item is removed (sealed in the log)")],
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Remove an item and its file: a logged, signed removal that ``sijill verify`` accepts."""
    folder = vault_dir(vault)
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        doc = {"item": item.id, "sha256": item.sha256, "removed": True}
        last_copy = items.remove_item(session, item, by or default_actor(), why)
        checkpoint = custody.make_checkpoint(session)
    _publish(folder, checkpoint)
    remove_files(folder, str(doc["item"]), str(doc["sha256"]) if last_copy else None)
    if json_out:
        emit_json(doc)
    else:
        console.print(f"removed {doc['item']} (logged and signed)", highlight=False)


def duplicates(db: DbOption = None, json_out: JsonOption = False) -> None:
    """Candidate near-duplicates waiting for a person's decision."""
    with transaction(db) as session:
        rows = [
            {"a": r.item_a, "b": r.item_b, "distance": r.distance}
            for r in items.pending_duplicates(session)
        ]
    if json_out:
        emit_json(rows)
        return
    table = Table("item a", "item b", "distance")
    for r in rows:
        table.add_row(str(r["a"]), str(r["b"]), str(r["distance"]))
    console.print(table)


def decide(
    a: Annotated[str, typer.Argument()],
    b: Annotated[str, typer.Argument()],
    decision: Annotated[str, typer.Argument(help="same or different")],
    why: Annotated[str | None, typer.Option("--why")] = None,
    by: ByOption = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Decide a candidate near-duplicate pair (nothing is merged or deleted)."""
    with transaction(db) as session:
        row = items.decide_duplicate(session, a, b, decision, by or default_actor(), why)
        checkpoint = custody.make_checkpoint(session)
        doc = {"a": row.item_a, "b": row.item_b, "decision": row.decision}
    _publish(vault_dir(vault), checkpoint)
    if json_out:
        emit_json(doc)
    else:
        console.print(f"{doc['a']} / {doc['b']}: {decision}", highlight=False)


def checkpoint_cmd(
    tsa_url: Annotated[
        str | None, typer.Option("--tsa", help="RFC 3161 time-stamping authority URL to stamp it")
    ] = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Print the latest signed checkpoint; with --tsa, have it time-stamped (RFC 3161)."""
    with transaction(db) as session:
        checkpoint = custody.make_checkpoint(session)
        if checkpoint is None:
            raise SijillError("the custody log is empty")
        if tsa_url:
            tsa.stamp(checkpoint, tsa_url)
        doc = {
            "tree_size": checkpoint.tree_size,
            "root_hash": checkpoint.root_hash,
            "note": checkpoint.note,
            "tsa_url": checkpoint.tsa_url,
            "timestamped": checkpoint.tsa_token is not None,
        }
    _publish(vault_dir(vault), checkpoint)
    if json_out:
        emit_json(doc)
    else:
        console.print(doc["note"], highlight=False, markup=False)


def proof(
    item_id: Annotated[str, typer.Argument()],
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """An item's custody entries with inclusion proofs up to the latest signed checkpoint."""
    with transaction(db) as session:
        item = items.get_item(session, item_id)
        doc = custody.item_proofs(session, item.id)
    if json_out:
        emit_json(doc)
        return
    console.print(doc["checkpoint"] or "the log is empty", highlight=False, markup=False)
    for entry in doc["entries"]:
        console.print(
            f"entry {entry['index']}: {len(entry['proof'])} proof hashes", highlight=False
        )


def consistency(
    old_size: Annotated[int, typer.Argument(help="Tree size of the checkpoint you hold")],
    new_size: Annotated[
        int | None, typer.Option("--to", help="Size of a later signed checkpoint (default: latest)")
    ] = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """A consistency proof: the log you saw at OLD_SIZE is a prefix of the signed log now."""
    with transaction(db) as session:
        doc = custody.consistency(session, old_size, new_size)
    if json_out:
        emit_json(doc)
        return
    console.print_json(data=doc)


def verify(
    tsa_root: Annotated[
        Path | None,
        typer.Option("--tsa-root", help="TSA root certificate (PEM): also check time-stamps"),
    ] = None,
    kept: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint",
            help="A checkpoint you kept (signed note): prove the log extends it",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    vault: VaultOption = None,
    db: DbOption = None,
    json_out: JsonOption = False,
) -> None:
    """Re-hash every stored item and check the custody log; exit 0 only when all is intact."""
    folder = vault_dir(vault)
    factory = session_factory(get_engine(db))
    with (
        factory() as session,
        Progress(
            TextColumn("verifying"),
            BarColumn(),
            TextColumn("{task.completed} items"),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        ) as bar,
    ):
        task = bar.add_task("verify", total=None)
        report = verify_case(
            session, folder, tick=lambda: bar.advance(task), tsa_root=tsa_root, kept=kept
        )
    if json_out:
        emit_json(report.as_dict())
    else:
        for problem in report.problems:
            console.print(f"[bold red]FAIL[/] {problem}", highlight=False)
        console.print(
            f"{report.items} items, {report.entries} custody entries, "
            f"{report.checkpoints} checkpoints: "
            + ("intact" if report.intact else f"{len(report.problems)} problem(s)"),
            highlight=False,
        )
    if not report.intact:
        raise typer.Exit(1)


def register(app: typer.Typer, groups: Groups) -> None:
    """Add ``sijill evidence ...`` and ``sijill verify``."""
    sub = typer.Typer(
        help="The evidence vault: preserve, describe, link, bundle", no_args_is_help=True
    )
    sub.command("add")(add)
    sub.command("show")(show)
    sub.command("list")(list_cmd)
    sub.command("bundle")(bundle)
    sub.command("link")(link)
    sub.command("note")(note)
    sub.command("copy")(copy)
    sub.command("remove")(remove)
    sub.command("duplicates")(duplicates)
    sub.command("decide")(decide)
    sub.command("checkpoint")(checkpoint_cmd)
    sub.command("proof")(proof)
    sub.command("consistency")(consistency)
    app.add_typer(sub, name="evidence")
    app.command("verify")(verify)
