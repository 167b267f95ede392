"""``sijill places ...``, ``sijill incidents ...`` and ``sijill export incidents``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from sijill.cli.common import DbOption, JsonOption, console, emit_json, fail
from sijill.cli.groups import Groups
from sijill.cli.progress import progress_bar
from sijill.errors import SijillError
from sijill.incidents.demo import build_demo_incidents
from sijill.incidents.geojson import incidents_geojson
from sijill.incidents.jsonfile import read_incidents_json
from sijill.incidents.linking import link_records, list_links, review_link
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput, save_incident
from sijill.incidents.service import find_incident, list_incidents, show_incident
from sijill.places.loaders import (
    read_demo_gazetteer,
    read_geonames,
    read_opensyria,
    read_places_csv,
)
from sijill.places.store import (
    describe_place,
    load_index,
    remember_mapping,
    resolve_record_places,
    store_places,
    write_unresolved_report,
)
from sijill.store.changelog import default_actor
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade

FORMATS = ("geonames", "csv", "opensyria")


def _ready(db: str | None) -> None:
    upgrade(get_engine(db))


# ---------------------------------------------------------------- places


def places_load(
    file: Annotated[
        Path | None,
        typer.Argument(help="Gazetteer file (OpenSyria: the folder or one of its files)"),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="geonames|csv|opensyria")] = "csv",
    alternate_names: Annotated[
        Path | None, typer.Option("--alternate-names", help="GeoNames alternateNames file")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="GeoNames: keep one country (e.g. SY)")
    ] = None,
    demo: Annotated[
        bool, typer.Option("--demo", help="Load the bundled SYNTHETIC demo gazetteer")
    ] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Load a gazetteer (places with names, variants, admin hierarchy, coordinates)."""
    if demo:
        places, label = read_demo_gazetteer(), "demo"
    elif file is None:
        raise SijillError("give a gazetteer FILE or --demo")
    elif fmt == "geonames":
        places, label = read_geonames(file, alternate_names, country), "geonames"
    elif fmt == "opensyria":
        places, label = read_opensyria(file), "opensyria"
    elif fmt == "csv":
        places, label = read_places_csv(file), "csv"
    else:
        raise SijillError(f"--format must be one of {', '.join(FORMATS)}")
    _ready(db)
    with transaction(db) as session:
        result = store_places(session, places, label, actor=default_actor())
    if as_json:
        emit_json(result.as_dict())
    else:
        console.print(f"{label}: {result.added} places added, {result.updated} updated")


def places_match(
    text: Annotated[
        str | None, typer.Option("--text", help="Match one place string instead of the records")
    ] = None,
    context: Annotated[
        list[str] | None, typer.Option("--context", help="Admin names given beside --text")
    ] = None,
    unresolved_report: Annotated[
        Path | None, typer.Option("--unresolved-report", help="Write unresolved strings (CSV)")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Resolve every record's place of death to the gazetteer (or one string with --text)."""
    _ready(db)
    with transaction(db) as session, progress_bar("matching places") as report:
        doc: dict[str, Any]
        if text is not None:
            match = load_index(session).match(text, context or [])
            doc = {
                "text": text,
                "place": describe_place(session, match.place_id) if match.place_id else None,
                "confidence": match.confidence,
                "method": match.method,
                "candidates": [
                    {"place_id": c.place_id, "score": c.score, "method": c.method}
                    for c in match.candidates
                ],
            }
        else:
            summary = resolve_record_places(session, progress=report)
            doc = summary.as_dict()
            if unresolved_report:
                write_unresolved_report(summary.unresolved, unresolved_report)
    if as_json:
        emit_json(doc)
    elif text is not None:
        place = doc["place"]
        name = f"{place['name_latin']} / {place['name_ar']} ({place['type']})" if place else "-"
        console.print(f"{text} → {name}  confidence {doc['confidence']} ({doc['method']})")
    else:
        console.print(
            f"{doc['resolved']} of {doc['records']} records resolved to a place; "
            f"{len(doc['unresolved'])} distinct strings unresolved"
            + (f" (report: {unresolved_report})" if unresolved_report else "")
        )


def places_map(
    text: Annotated[str, typer.Argument(help="The place string as lists write it")],
    place_id: Annotated[str, typer.Argument(help="Place id or external id it means")],
    why: Annotated[str | None, typer.Option("--why")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Remember that a place string means this place (used first by every later match)."""
    _ready(db)
    with transaction(db) as session:
        mapping = remember_mapping(session, text, place_id, actor=default_actor(), why=why)
        doc: dict[str, Any] = {
            "text": text,
            "place": describe_place(session, mapping.place_id),
        }
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{text} → place {doc['place']['id']} ({doc['place']['name_latin']})")


# ---------------------------------------------------------------- incidents


def _perpetrator(spec: str) -> PerpetratorInput:
    """``UNIT[:INVOLVEMENT[:STATUS]]``, or ``person:ID[:INVOLVEMENT[:STATUS]]``."""
    parts = spec.split(":")
    if parts[0] == "person" and len(parts) > 1:
        item = PerpetratorInput(person_id=int(parts[1]))
        rest = parts[2:]
    else:
        item = PerpetratorInput(organization_ref=parts[0])
        rest = parts[1:]
    if rest:
        item.involvement = rest[0]
    if len(rest) > 1:
        item.status = rest[1]
    return item


def incidents_add(
    title: Annotated[str | None, typer.Option("--title")] = None,
    title_ar: Annotated[str | None, typer.Option("--title-ar")] = None,
    place: Annotated[
        list[str] | None, typer.Option("--place", help="Place id, external id or name (repeat)")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="ISO date, may be partial")] = None,
    end: Annotated[str | None, typer.Option("--end", help="ISO date, may be partial")] = None,
    violation: Annotated[
        list[str] | None, typer.Option("--violation", help="Vocabulary code (repeat)")
    ] = None,
    characterization: Annotated[
        list[str] | None, typer.Option("--characterization", help="e.g. cah.murder (repeat)")
    ] = None,
    victims: Annotated[
        int | None, typer.Option("--victims", help="People killed whose names are unknown")
    ] = None,
    victim_person: Annotated[list[int] | None, typer.Option("--victim-person")] = None,
    perpetrator: Annotated[
        list[str] | None,
        typer.Option(
            "--perpetrator",
            help="UNIT_ID[:ordered|carried_out|present|failed_to_prevent_or_punish"
            "[:alleged|corroborated|established_by_court]] or person:ID[...] (repeat)",
        ),
    ] = None,
    evidence: Annotated[list[str] | None, typer.Option("--evidence", help="Evidence id")] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Source cited for every claim")
    ] = None,
    confidence: Annotated[str, typer.Option("--confidence", help="low|medium|high")] = "medium",
    parent: Annotated[str | None, typer.Option("--parent", help="Parent incident id")] = None,
    external_id: Annotated[str | None, typer.Option("--id", help="Your own incident id")] = None,
    access: Annotated[
        str | None,
        typer.Option("--access", help="public|internal|restricted (new incidents: internal)"),
    ] = None,
    from_json: Annotated[
        Path | None, typer.Option("--from-json", help="Add every incident of a JSON file")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an incident (or every incident of a JSON file, all or nothing). An incident whose
    --id is stored already is updated with what is given; the differences are listed."""
    try:
        if from_json:
            inputs = read_incidents_json(from_json)
        elif title:
            cites = [CitationInput(s, None, confidence) for s in source or []]
            perps = [_perpetrator(p) for p in perpetrator or []]
            for item in perps:
                item.citations = cites
            inputs = [
                IncidentInput(
                    title=title,
                    title_ar=title_ar,
                    places=place or [],
                    start_date=start,
                    end_date=end,
                    violations=violation or [],
                    characterizations=characterization or [],
                    victim_count=victims,
                    victim_persons=victim_person or [],
                    victim_citations=cites,
                    perpetrators=perps,
                    evidence=evidence or [],
                    citations=cites,
                    parent=parent,
                    external_id=external_id,
                    access=access,
                )
            ]
        else:
            raise SijillError("give --title (and the incident's facts) or --from-json FILE")
        _ready(db)
        with transaction(db) as session:
            saved = [save_incident(session, item, actor=default_actor()) for item in inputs]
            doc: dict[str, list[dict[str, Any]]] = {"added": [], "updated": [], "unchanged": []}
            for one in saved:
                doc[one.state].append(one.as_dict())
    except (SijillError, ValueError) as exc:
        raise fail(str(exc)) from exc
    if as_json:
        emit_json(doc)
        return
    for state in ("added", "updated", "unchanged"):
        if doc[state]:
            console.print(
                f"{len(doc[state])} incident(s) {state}: "
                + ", ".join(str(i["id"]) for i in doc[state])
            )
    for changed in doc["updated"]:
        for change in changed["changes"]:
            console.print(f"  #{changed['id']}: {change}", highlight=False)


def incidents_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every incident in date order with places, violations, victims, alleged units."""
    _ready(db)
    with transaction(db) as session:
        docs = list_incidents(session)
    if as_json:
        emit_json(docs)
        return
    table = Table("id", "dates", "place", "violations", "victims", "alleged units")
    for d in docs:
        table.add_row(
            str(d["id"]),
            f"{d['start_date'] or '?'}" + (f"–{d['end_date']}" if d["end_date"] else ""),
            ", ".join(p["name_latin"] or p["name_ar"] or "" for p in d["places"]),
            ", ".join(v["code"] for v in d["violations"]),
            f"{d['victims']['documented']} ({d['victims']['named']} named)",
            ", ".join(
                f"{p['organization_id']} ({p['wording']})"
                for p in d["perpetrators"]
                if p["organization_id"]
            ),
        )
    console.print(table)


def incidents_show(
    incident: Annotated[str, typer.Argument(help="Incident id or external id")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """One incident with every claim and its citations."""
    _ready(db)
    with transaction(db) as session:
        doc = show_incident(session, incident)
    if as_json:
        emit_json(doc)
    else:
        console.print_json(json.dumps(doc, ensure_ascii=False, default=str))


def incidents_link_records(
    resolve: Annotated[
        bool, typer.Option("--resolve/--no-resolve", help="Resolve record places first")
    ] = True,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Propose links from records to incidents by place and date (a person reviews them)."""
    _ready(db)
    with transaction(db) as session:
        places = resolve_record_places(session).as_dict() if resolve else None
        summary = link_records(session, actor=default_actor()).as_dict()
    doc = {
        **summary,
        **({"places": {k: places[k] for k in ("records", "resolved")}} if places else {}),
    }
    if as_json:
        emit_json(doc)
    else:
        console.print(
            f"{summary['proposed']} links proposed, {summary['updated']} refreshed, "
            f"{summary['kept_decisions']} reviewed links kept"
        )


def incidents_links(
    incident: Annotated[
        str | None, typer.Argument(help="Incident id or external id (default: all)")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="proposed|confirmed|rejected")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record → incident links to review (ids for `sijill incidents review`)."""
    _ready(db)
    with transaction(db) as session:
        incident_id = find_incident(session, incident).id if incident else None
        links = list_links(session, incident_id, status)
    if as_json:
        emit_json(links)
        return
    table = Table("link", "incident", "record", "name", "place", "date", "score", "status")
    for link in links:
        table.add_row(
            str(link["id"]),
            str(link["incident_id"]),
            str(link["source_record_id"]),
            str(link["full_name"] or ""),
            str(link["place_of_death"] or ""),
            str(link["date_of_death"] or ""),
            str(link["score"]),
            str(link["status"]),
        )
    console.print(table)


def incidents_review(
    link_id: Annotated[int, typer.Argument(help="Incident-record link id")],
    status: Annotated[str, typer.Argument(help="confirmed|rejected|proposed")],
    why: Annotated[str | None, typer.Option("--why")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Confirm or reject a proposed record → incident link."""
    _ready(db)
    with transaction(db) as session:
        link = review_link(session, link_id, status, actor=default_actor(), why=why)
        doc = {
            "id": link.id,
            "incident_id": link.incident_id,
            "record_id": link.record_id,
            "status": link.status,
        }
    if as_json:
        emit_json(doc)
    else:
        console.print(f"link {link_id}: {status}")


def incidents_demo(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Create the SYNTHETIC demo incidents (invented villages and units) in this case."""
    _ready(db)
    with transaction(db) as session:
        made = build_demo_incidents(session)
        doc = {"incidents": len(made), "synthetic": True}
    if as_json:
        emit_json(doc)
    else:
        console.print(f"{len(made)} synthetic demo incidents in the case")


def export_incidents(
    fmt: Annotated[str, typer.Option("--format", help="geojson")] = "geojson",
    public: Annotated[
        bool, typer.Option("--public", help="Public incidents only, small counts suppressed")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to a file (default stdout)")
    ] = None,
    db: DbOption = None,
) -> None:
    """Incidents with places and counts as a GeoJSON FeatureCollection."""
    if fmt != "geojson":
        raise fail("--format must be geojson")
    _ready(db)
    with transaction(db) as session:
        doc = incidents_geojson(session, public=public)
    if out:
        out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"{len(doc['features'])} incidents written to {out}")
        if public:
            console.print(
                f"{doc['records_held_by_their_consent']} records held back by their own "
                "consent (not counted)"
            )
    else:
        emit_json(doc)


def register(app: typer.Typer, groups: Groups) -> None:
    places = typer.Typer(help="Gazetteer and place matching", no_args_is_help=True)
    places.command("load")(places_load)
    places.command("match")(places_match)
    places.command("map")(places_map)
    incidents = typer.Typer(
        help="Incidents, violations, alleged perpetrators", no_args_is_help=True
    )
    incidents.command("add")(incidents_add)
    incidents.command("list")(incidents_list)
    incidents.command("show")(incidents_show)
    incidents.command("link-records")(incidents_link_records)
    incidents.command("links")(incidents_links)
    incidents.command("review")(incidents_review)
    incidents.command("demo")(incidents_demo)
    app.add_typer(places, name="places")
    app.add_typer(incidents, name="incidents")
    groups.export.command("incidents")(export_incidents)
