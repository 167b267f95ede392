"""``sijill consent grant|withdraw|list`` (who a source, a record or an evidence item may be
shared with) and ``sijill export disclosure --recipient R --out DIR`` (the package for a court or a
mechanism)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.config import vault_dir
from sijill.disclosure import consent
from sijill.store.changelog import default_actor
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade

KindArg = Annotated[str, typer.Argument(help="source | evidence | record")]
RefArg = Annotated[
    str,
    typer.Argument(
        help="A source's name or number, an item's id, or a record's number or SOURCE:RECORD_ID"
    ),
]
RecipientOption = Annotated[str, typer.Option("--recipient", help=", ".join(consent.RECIPIENTS))]
WhyOption = Annotated[str, typer.Option("--why", help="The consent's reason or reference")]


def consent_grant(
    kind: KindArg,
    ref: RefArg,
    recipient: RecipientOption,
    why: WhyOption,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that a source (its records and statements), an evidence item or one record may go
    to a recipient. A record given consent of its own goes only where its own consent says."""
    _record(consent.grant, kind, ref, recipient, why, db, as_json, "may be shared with")


def consent_withdraw(
    kind: KindArg,
    ref: RefArg,
    recipient: RecipientOption,
    why: WhyOption,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record that consent to share with a recipient is withdrawn."""
    _record(
        consent.withdraw, kind, ref, recipient, why, db, as_json, "may no longer be shared with"
    )


def _record(
    act: Callable[..., Any],
    kind: str,
    ref: str,
    recipient: str,
    why: str,
    db: str | None,
    as_json: bool,
    says: str,
) -> None:
    """Grant or withdraw (``act``) one consent and say what was recorded."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        row = act(session, kind, ref, recipient, why, default_actor())
        doc = {"id": row.id, "kind": kind, "target": row.target_id, "recipient": recipient}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{kind} {ref} {says} {recipient}")


def consent_list(
    recipient: Annotated[str | None, typer.Option("--recipient")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every consent recorded, withdrawn ones too."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = consent.consents(session, recipient)
    if as_json:
        emit_json(rows)
        return
    table = Table("kind", "target", "recipient", "why", "recorded", "withdrawn")
    for r in rows:
        table.add_row(
            r["kind"], r["target"], r["recipient"], r["why"],
            f"{r['recorded_by']} {r['recorded_at']}", r["withdrawn_at"] or "",
        )  # fmt: skip
    console.print(table)


def export_disclosure(
    recipient: RecipientOption,
    out: Annotated[Path, typer.Option("--out", help="Folder to write (absent or empty)")],
    vault: Annotated[
        str | None,
        typer.Option("--vault", help="Vault folder (default: $SIJILL_VAULT, else ./vault)"),
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The package for a recipient: what they may receive, numbered, with its metadata, the
    originals in a BagIt bundle with custody proofs, and what was held back and why."""
    from sijill.disclosure.package import write_package
    from sijill.evidence import custody

    folder = vault_dir(vault)
    upgrade(get_engine(db))
    with transaction(db) as session:
        summary, checkpoint = write_package(session, folder, recipient, out, default_actor())
    if checkpoint is not None:
        custody.publish_checkpoint(folder, checkpoint)
    if as_json:
        emit_json(summary)
    else:
        console.print(
            f"{summary['items']} item(s) for {recipient} in {out}; "
            f"{summary['held_back']} held back (held_back.csv)"
        )


def register(app: typer.Typer, groups: Groups) -> None:
    group = typer.Typer(
        help="Who sources, records and evidence may be shared with", no_args_is_help=True
    )
    group.command("grant")(consent_grant)
    group.command("withdraw")(consent_withdraw)
    group.command("list")(consent_list)
    app.add_typer(group, name="consent")
    groups.export.command("disclosure")(export_disclosure)
