"""``sijill proceedings add|list|show|status``, ``sijill import proceedings FILE.json`` and
``sijill naming sign-off|revoke|list`` (who may be named in public outputs)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.accountability import naming
from sijill.accountability.jsonfile import import_proceedings
from sijill.accountability.service import (
    ProceedingInput,
    add_proceeding,
    describe,
    find_proceeding,
    list_proceedings,
    status_table,
)
from sijill.cli.common import DbOption, JsonOption, console, emit_json
from sijill.cli.groups import Groups
from sijill.command import resolve
from sijill.errors import SijillError
from sijill.incidents.saving import CitationInput
from sijill.incidents.service import find_incident
from sijill.store.changelog import default_actor
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade


def _figures(pairs: list[str]) -> dict[str, float | int]:
    out: dict[str, float | int] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            out[name.strip()] = int(value) if value.strip().isdecimal() else float(value)
        except ValueError as exc:
            raise SijillError(f"--figure takes NAME=NUMBER, not {pair!r}") from exc
    return out


def _findings(texts: list[str], figures: list[str]) -> list[dict[str, Any]]:
    if figures and len(texts) != 1:
        raise SijillError("--figure belongs to one --finding; several: sijill import proceedings")
    found = [{"text": t, "figures": {}} for t in texts]
    if figures:
        found[0]["figures"] = _figures(figures)
    return found


def _extension(text: str) -> dict[str, str]:
    on, _, until = text.partition(":")
    return {"date": on, "until": until} if until else {"date": on}


def proceedings_add(
    kind: Annotated[str, typer.Option("--kind", help="national_inquiry, trial, verdict...")],
    title: Annotated[str, typer.Option("--title")],
    title_ar: Annotated[str | None, typer.Option("--title-ar")] = None,
    body: Annotated[
        str | None, typer.Option("--body", help="Who acts (court, ministry...)")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="ISO date, may be partial")] = None,
    end: Annotated[str | None, typer.Option("--end", help="ISO date, may be partial")] = None,
    stance: Annotated[
        str | None,
        typer.Option("--stance", help="official_statement: acknowledge|deny|blame_others"),
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="verdict: convicted|acquitted; sentence: text")
    ] = None,
    mandate: Annotated[str | None, typer.Option("--mandate")] = None,
    member: Annotated[list[str] | None, typer.Option("--member", help="(repeat)")] = None,
    extension: Annotated[
        list[str] | None, typer.Option("--extension", help="DATE[:UNTIL] (repeat)")
    ] = None,
    finding: Annotated[list[str] | None, typer.Option("--finding", help="(repeat)")] = None,
    figure: Annotated[
        list[str] | None, typer.Option("--figure", help="NAME=NUMBER of the finding (repeat)")
    ] = None,
    incident: Annotated[list[str] | None, typer.Option("--incident", help="(repeat)")] = None,
    person: Annotated[list[str] | None, typer.Option("--person", help="Actor id (repeat)")] = None,
    unit: Annotated[list[str] | None, typer.Option("--unit", help="Unit id (repeat)")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="(repeat)")] = None,
    locator: Annotated[str | None, typer.Option("--locator", help="Page, paragraph...")] = None,
    confidence: Annotated[str, typer.Option("--confidence")] = "medium",
    note: Annotated[str | None, typer.Option("--note")] = None,
    access: Annotated[
        str, typer.Option("--access", help="public|internal|restricted")
    ] = "internal",
    external_id: Annotated[str | None, typer.Option("--id", help="Your own id")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record one proceeding (inquiry, investigation, arrest, charge, trial, verdict, sentence,
    sanction, dismissal, official statement, status check) about incidents, persons, units."""
    item = ProceedingInput(
        kind=kind,
        title=title,
        title_ar=title_ar,
        body=body,
        start_date=start,
        end_date=end,
        stance=stance,
        outcome=outcome,
        mandate=mandate,
        members=member or [],
        extensions=[_extension(e) for e in extension or []],
        findings=_findings(finding or [], figure or []),
        note=note,
        incidents=incident or [],
        persons=person or [],
        units=unit or [],
        citations=[CitationInput(s, locator, confidence) for s in source or []],
        access=access,
        external_id=external_id,
    )
    upgrade(get_engine(db))
    with transaction(db) as session:
        row = add_proceeding(session, item, actor=default_actor())
        doc = describe(session, [row])[0]
    if as_json:
        emit_json(doc)
    else:
        console.print(f"proceeding {doc['id']} recorded: {doc['kind']} {doc['title']}")


def proceedings_list(
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    incident: Annotated[str | None, typer.Option("--incident", help="Incident id")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Actor id")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every proceeding in date order (optionally of one kind, incident or person)."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        docs = list_proceedings(
            session,
            kind=kind,
            incident=find_incident(session, incident).id if incident else None,
            person=resolve.actor(session, person).id if person else None,
        )
    if as_json:
        emit_json(docs)
        return
    table = Table("id", "kind", "dates", "title", "about")
    for d in docs:
        about = [f"#{i['id']}" for i in d["incidents"]] + [
            p["external_id"] or str(p["id"]) for p in d["persons"]
        ]
        table.add_row(
            str(d["id"]),
            d["kind"],
            f"{d['start_date'] or '?'}–{d['end_date'] or ''}",
            d["title"],
            ", ".join(about + [u["id"] for u in d["units"]]),
        )
    console.print(table)


def proceedings_show(
    ref: Annotated[str, typer.Argument(help="Proceeding number or id")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One proceeding with its subjects, findings and citations."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        doc = describe(session, [find_proceeding(session, ref)])[0]
    if as_json:
        emit_json(doc)
        return
    for key, value in doc.items():
        if value not in (None, [], ""):
            console.print(f"{key}: {value}", highlight=False, markup=False)


def proceedings_status(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Everyone alleged in an incident, with their accountability status and what lies behind."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = status_table(session)
    if as_json:
        emit_json(rows)
        return
    table = Table("incident", "alleged", "status", "events", "last checked")
    for r in rows:
        who = r["person"]["external_id"] if r["person"] else r["unit"]["id"]
        table.add_row(
            f"#{r['incident']['id']}",
            f"{who} ({r['allegation_status']})",
            "; ".join(r["wording"] + [f"official statement: {s}" for s in r["statements"]]),
            ", ".join(str(e) for e in r["events"]),
            r["last_checked"] or "",
        )
    console.print(table)


def import_proceedings_file(
    file: Annotated[Path, typer.Argument(help="JSON file of proceedings")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record every proceeding of a JSON file (all or nothing)."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = import_proceedings(session, file, actor=default_actor())
        doc = {"added": [r.id for r in rows]}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{len(rows)} proceedings recorded")


ByOption = Annotated[
    str | None,
    typer.Option("--by", help="Your user account (default: your login name)"),
]
WhyOption = Annotated[str, typer.Option("--why", help="Why (recorded)")]


def _signer(by: str | None) -> str:
    return by or getpass.getuser()


def naming_sign_off(
    person: Annotated[str, typer.Argument(help="Person: an actor id (p-1) or a person number")],
    why: WhyOption,
    by: ByOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Let public outputs name a person. Only an investigator or admin who entered no
    allegation against the person may sign off; who, when and why are recorded."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        row = naming.sign_off(session, person, _signer(by), why)
        doc = {"id": row.id, "person": person, "signed_by": row.signed_by, "why": row.why}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{person} may now be named in public outputs (sign-off {doc['id']})")


def naming_revoke(
    person: Annotated[str, typer.Argument(help="Person: an actor id (p-1) or a person number")],
    why: WhyOption,
    by: ByOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Withdraw a person's sign-off: public outputs stop naming them (the sign-off is kept,
    marked revoked)."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        row = naming.revoke(session, person, _signer(by), why)
        doc = {"id": row.id, "person": person, "revoked_by": row.revoked_by}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{person} is no longer named in public outputs")


def naming_list(
    include_revoked: Annotated[bool, typer.Option("--all", help="Revoked sign-offs too")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """The persons public outputs may name, with who signed off, when and why."""
    upgrade(get_engine(db))
    with transaction(db) as session:
        rows = naming.list_signoffs(session, include_revoked)
    if as_json:
        emit_json(rows)
        return
    table = Table("person", "name", "signed by", "at", "why", "revoked")
    for r in rows:
        revoked = (
            f"{r['revoked_by']} {r['revoked_at']}: {r['revoked_why']}" if r["revoked_at"] else ""
        )
        table.add_row(
            r["person"]["external_id"] or str(r["person"]["id"]),
            r["person"]["name"] or "",
            r["signed_by"],
            r["signed_at"],
            r["why"],
            revoked,
        )
    console.print(table)


def register(app: typer.Typer, groups: Groups) -> None:
    proceedings = typer.Typer(help="Accountability: proceedings and status", no_args_is_help=True)
    proceedings.command("add")(proceedings_add)
    proceedings.command("list")(proceedings_list)
    proceedings.command("show")(proceedings_show)
    proceedings.command("status")(proceedings_status)
    app.add_typer(proceedings, name="proceedings")
    groups.import_.command("proceedings")(import_proceedings_file)
    names = typer.Typer(help="Who may be named in public outputs", no_args_is_help=True)
    names.command("sign-off")(naming_sign_off)
    names.command("revoke")(naming_revoke)
    names.command("list")(naming_list)
    app.add_typer(names, name="naming")
