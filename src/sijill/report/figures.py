"""Every figure, name and citation of the report, as plain data (what ``--json`` gives and the
HTML renders), read through the commands' own functions: ``count``, ``estimate --from-case``,
``chain``, ``command-report``, ``career``, ``proceedings status``.

A public report reads the public level only (records, sources, incidents, proceedings and the
citations they show) and applies the naming rules (:mod:`sijill.accountability.naming`): a
person is named only once signed off, a victim only from a public record and never when a
record says they were, or may have been, under 18. Incidents' victim counts follow the public
GeoJSON's rule (what a viewer may know of a public incident).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill.accountability.naming import NOT_NAMED, Naming, public_name, victim_nameable
from sijill.accountability.service import list_proceedings, status_table
from sijill.command.career import career
from sijill.command.chain import chain
from sijill.command.models import Organization
from sijill.command.report import incident_report
from sijill.disclosure.consent import held_from_public, records_held
from sijill.errors import SijillError
from sijill.estimate.signoff import current as current_signoff
from sijill.estimate.signoff import shown
from sijill.incidents.geojson import PUBLIC_READER, SMALL_COUNT, suppress
from sijill.incidents.models import Incident
from sijill.incidents.service import OPERATOR, citations_of, list_incidents
from sijill.linkage.counts import Policy, count, load_policies, named_policy
from sijill.linkage.models import LinkageRun, LinkDecision
from sijill.places.models import Place
from sijill.published.scope import compare
from sijill.published.service import describe as describe_figures
from sijill.published.service import list_figures
from sijill.report.digest import case_digest, described_moment
from sijill.store.base import ACCESS_LEVELS, utcnow
from sijill.store.models import Person, Record, Source
from sijill.store.settings import DEMO_MARK, DEMO_MARK_AR, is_demo

GROUPINGS = ("place", "date", "sex", "age-group")
DEFAULT_POLICY = "two-independent-sources"
DEFAULT_SEED = 20250307
NOT_HISTORISED = [
    "lists, incidents, proceedings and naming sign-offs are read as recorded by then",
    "people are as linked now (review decisions and merges keep no earlier state)",
    "the command structure (chains, command reports, careers) is as it stands now",
    "an incident recorded by then shows its content as it is now (edits keep no earlier "
    "state); records are read as they stood then (a correction keeps the earlier state)",
]
PUBLIC_ESTIMATE_NOTE = (
    "left out of the public report: an estimate goes into a public output only once an "
    "investigator has signed it off (sijill estimate-signoff add), and none is in force"
)


@dataclass(frozen=True)
class ReportOptions:
    """What a report shows: public or the team's, its language, the verification policy and
    the estimate (its seed fixed, so the same case gives the same numbers)."""

    public: bool = False
    lang: str = "en"
    policy: str = DEFAULT_POLICY
    estimate: bool = True
    seed: int = DEFAULT_SEED
    as_of: datetime | None = None  # what the case knew then (as far as it keeps when)

    def check(self) -> None:
        if self.lang not in ("en", "ar"):
            raise SijillError(f"--lang must be ar or en, not {self.lang!r}")


class _Refs:
    """Appendix anchors of the counted units (a person, or a row), numbered as first met, with
    each unit as ``count --list-people`` describes it."""

    def __init__(self) -> None:
        self.anchors: dict[tuple[Any, ...], str] = {}
        self.units: dict[str, dict[str, Any]] = {}

    def unit(self, unit: dict[str, Any]) -> str:
        first = unit["records"][0]
        key = (
            ("person", unit["person_id"])
            if unit["person_id"] is not None
            else ("record", first["source"], first["record_id"])
        )
        anchor = self.anchors.setdefault(key, f"u{len(self.anchors) + 1}")
        self.units.setdefault(anchor, unit)
        return anchor


def gather(
    session: Session, options: ReportOptions, estimated: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The report as plain data (see the module's note). ``estimated``: the toll's estimate as
    another report of the same case and options already gave it (the language aside), not
    computed again."""
    options.check()
    public = options.public
    levels = ("public",) if public else ACCESS_LEVELS
    reader = PUBLIC_READER if public else OPERATOR
    naming = Naming.of(session, public, options.lang, options.as_of)
    policies = load_policies()
    policy = named_policy(options.policy)
    if session.scalar(select(Record.id).limit(1)) is None and (
        session.scalar(select(Incident.id).limit(1)) is None
    ):
        raise SijillError(
            "the case holds no records and no incidents: nothing to report yet "
            "(sijill import records, sijill incidents add)"
        )
    held = records_held(session, "public") if public else {}
    sources = _sources(session, levels, options.as_of, held)
    readable_sources = {s["name"] for s in sources}
    refs = _Refs()

    counts = {}
    for by in GROUPINGS:
        found = count(
            session,
            by,
            policy,
            list_people=True,
            access=levels if public else None,
            as_of=options.as_of,
            leave_out=held,
        )
        for group in found["groups"]:
            group["units"] = [refs.unit(p) for p in group.pop("people", [])]
        counts[by] = found
    first = counts[GROUPINGS[0]]
    published = _published(session, reader, levels, policy, options, refs, readable_sources, held)
    units = _units(session, refs.units, naming, held)
    orgs = _organizations(session)
    incidents = _incidents(
        session, levels, reader, naming, orgs, readable_sources, options.as_of, held
    )
    doc: dict[str, Any] = {
        "mark": DEMO_MARK if is_demo(session) else None,
        "mark_ar": DEMO_MARK_AR if is_demo(session) else None,
        "public": public,
        "lang": options.lang,
        "case": _case(session, options.as_of),
        "toll": {
            "policy": policy.name,
            "policy_description": policy.description,
            "documented": first["reported_total"],
            "verified": first["total"],
            "estimate": estimated if estimated is not None else _estimate(session, options),
        },
        "counts": counts,
        "published": published,
        "map": _map(session, incidents),
        "incidents": incidents,
        "accountability": _accountability(
            session, reader, levels, naming, readable_sources, options.as_of
        ),
        "methods": {
            "sources": sources,
            "policies": [
                {
                    "name": p.name,
                    "min_independent_sources": p.min_independent_sources,
                    "statuses": list(p.statuses),
                    "description": p.description,
                }
                for p in policies.values()
            ],  # fmt: skip
            "linkage": _linkage(session, public),
            "naming": _naming_rules(public),
            "held_back": _held_back(session, held),
        },
        "units": units,
    }
    if public:
        _suppress_small(doc)
    return doc


def _suppress_small(doc: dict[str, Any]) -> None:
    """A public report shows a count under 5 as "<5" (as the public GeoJSON does), so that no
    figure singles out a family; a group so shown lists no one behind it. Totals stay."""
    for found in doc["counts"].values():
        for group in found["groups"]:
            small = 0 < group["reported"] < SMALL_COUNT
            group["verified"] = suppress(group["verified"], True)
            group["reported"] = suppress(group["reported"], True)
            if small:
                group["units"] = []
    for figure in doc["published"]:
        beside = figure["beside"]
        for row in [*beside["by_place"], *beside["by_date"]]:
            small = 0 < row["reported"] < SMALL_COUNT
            row["verified"] = suppress(row["verified"], True)
            row["reported"] = suppress(row["reported"], True)
            if small:
                row["units"] = []
            for site in row.get("sites", []):
                site["verified"] = suppress(site["verified"], True)
                site["reported"] = suppress(site["reported"], True)
    for incident in doc["incidents"]:
        for key in ("named", "documented", "with_sub_incidents"):
            incident["victims"][key] = suppress(incident["victims"][key], True)
    for point in doc["map"]["points"]:
        point["victims"] = suppress(point["victims"], True)


# ------------------------------------------------------------------ the case and the toll


def _case(session: Session, as_of: datetime | None) -> dict[str, Any]:
    moment = as_of or described_moment(session)
    return {
        "digest": case_digest(session),
        "as_of": moment.isoformat(timespec="seconds") if moment else None,
        "as_of_requested": as_of is not None,
        "not_historised": NOT_HISTORISED if as_of is not None else [],
        "generated_at": utcnow().isoformat(timespec="seconds"),
    }


def _estimate(session: Session, options: ReportOptions) -> dict[str, Any]:
    if options.public:
        return _signed_estimate(session, options.as_of)
    if not options.estimate:
        return {"included": False, "note": "left out (--no-estimate)"}
    from sijill.estimate.api import EstimateOptions  # numba and splink load only here
    from sijill.estimate.linkage import estimate_from_case

    lists = None
    if options.as_of is not None:  # the lists imported by then that have linked records
        lists = sorted(
            session.scalars(
                select(Source.name).where(
                    Source.created_at <= options.as_of,
                    Source.id.in_(select(Record.source_id).where(Record.person_id.is_not(None))),
                )
            )
        )
    try:
        result = estimate_from_case(session, EstimateOptions(seed=options.seed), lists=lists)
    except SijillError as exc:
        return {"included": False, "note": f"no estimate: {exc}"}
    return shown(result.as_dict(), options.seed)


def _signed_estimate(session: Session, as_of: datetime | None) -> dict[str, Any]:
    """The estimate a public report shows: the one signed off (in force at ``as_of``), as it
    was signed off, naming only its public lists (the others counted; their names masked in
    the warnings too)."""
    row = current_signoff(session, as_of)
    if row is None:
        return {"included": False, "note": PUBLIC_ESTIMATE_NOTE}
    doc = dict(row.result)
    public = set(session.scalars(select(Source.name).where(Source.access == "public")))
    hidden = [name for name in doc.get("lists") or [] if name not in public]
    doc["lists"] = [name for name in doc.get("lists") or [] if name in public]
    doc["other_lists"] = len(hidden)
    warnings = []
    for text in doc.get("warnings") or []:
        for name in hidden:
            text = text.replace(name, "(a list not public)")
        warnings.append(text)
    doc["warnings"] = warnings
    doc["signed_off"] = {
        "at": row.signed_at.isoformat(timespec="seconds"),
        "case_digest": row.case_digest,
    }
    return doc


def _units(
    session: Session, everyone: dict[str, dict[str, Any]], naming: Naming, held: dict[int, str]
) -> list[dict[str, Any]]:
    """The appendix of counted people and rows: who (as the naming rules allow, never from a
    record ``held`` back by its own consent), how many, verified or not, and the records behind
    them."""
    described: dict[str, dict[str, Any]] = {}
    source_access = dict(session.execute(select(Source.name, Source.access)).all())
    # Whole tables read once (a case's every person would overflow an IN list on SQLite).
    person_ids = {u["person_id"] for u in everyone.values() if u["person_id"] is not None}
    ages: dict[int, list[tuple[int | None, int | None]]] = defaultdict(list)
    public_names: dict[int, str] = {}
    names = {
        pid: name
        for pid, name in session.execute(select(Person.id, Person.display_name))
        if pid in person_ids
    }
    for number, pid, low, high, access, src_access, full_name in session.execute(
        select(
            Record.id, Record.person_id, Record.age_min, Record.age_max, Record.access,
            Source.access, Record.full_name,
        )
        .join(Source, Source.id == Record.source_id)
        .where(Record.person_id.is_not(None))
        .order_by(Record.id)
    ):  # fmt: skip
        if pid is None or pid not in person_ids:
            continue
        ages[pid].append((low, high))  # a held record's age still keeps a minor unnamed
        if access == "public" and src_access == "public" and full_name and number not in held:
            public_names.setdefault(pid, full_name)
    rows = _record_rows(session, everyone)
    for anchor, unit in everyone.items():
        if unit["person_id"] is not None:
            pid = unit["person_id"]
            shown = _victim_name(
                naming, names.get(pid), public_names.get(pid), ages[pid], pid in public_names
            )
        else:
            rec = rows.get((unit["records"][0]["source"], unit["records"][0]["record_id"]))
            low, high, name, access = rec if rec else (None, None, None, "internal")
            public_row = (
                access == "public" and source_access.get(unit["records"][0]["source"]) == "public"
            )
            shown = _victim_name(naming, name, name, [(low, high)], public_row)
        described[anchor] = {
            "anchor": anchor,
            "kind": unit["kind"],
            "name": shown,
            "count": unit["count"],
            "verified": unit["verified"],
            "records": unit["records"],
        }
    return sorted(described.values(), key=lambda u: int(u["anchor"][1:]))


def _record_rows(
    session: Session, units: dict[str, dict[str, Any]]
) -> dict[tuple[str, str], tuple[int | None, int | None, str | None, str]]:
    wanted = {
        (u["records"][0]["source"], u["records"][0]["record_id"])
        for u in units.values()
        if u["person_id"] is None
    }
    if not wanted:
        return {}
    out = {}
    for name, record_id, low, high, full, access in session.execute(
        select(
            Source.name, Record.record_id, Record.age_min, Record.age_max, Record.full_name,
            Record.access,
        )
        .join(Source, Source.id == Record.source_id)
        .where(Record.person_id.is_(None))
    ):  # fmt: skip
        if (name, record_id) in wanted:
            out[(name, record_id)] = (low, high, full, access)
    return out


def _victim_name(
    naming: Naming,
    name: str | None,
    public_name_: str | None,
    ages: list[tuple[int | None, int | None]],
    public_record: bool,
) -> str:
    if not naming.public:
        return name or ""
    if victim_nameable(ages, public_record) and public_name_:
        return public_name_
    return NOT_NAMED[naming.lang]


def _published(
    session: Session,
    reader: str,
    levels: tuple[str, ...],
    policy: Policy,
    options: ReportOptions,
    refs: _Refs,
    readable: set[str],
    held: dict[int, str],
) -> list[dict[str, Any]]:
    """Other organisations' published figures (``figures show``), each beside the case's count
    for its scope (``count --figure``), the people behind each of our figures in the appendix."""
    rows = [
        r
        for r in list_figures(session, reader, levels)
        if options.as_of is None or r.recorded_at <= options.as_of
    ]
    docs = describe_figures(session, rows, reader)
    for doc, row in zip(docs, rows, strict=True):
        doc["citations"] = _cited(doc["citations"], readable)
        if options.public:  # who in the team recorded it is the team's own business
            doc.pop("recorded_by")
        beside = compare(
            session,
            row,
            policy,
            list_people=True,
            access=levels if options.public else None,
            as_of=options.as_of,
            leave_out=held,
        )
        for group in [*beside["by_place"], *beside["by_date"]]:
            group["units"] = [refs.unit(p) for p in group.pop("people")]
        doc["beside"] = beside
    return docs


# ------------------------------------------------------------------ incidents and command


def _organizations(session: Session) -> dict[str, dict[str, Any]]:
    return {
        o.external_id: {"name": o.name, "name_ar": o.name_ar}
        for o in session.scalars(select(Organization))
    }


def _actors(session: Session) -> dict[str, tuple[int, str | None]]:
    return {
        ext: (pid, name)
        for ext, pid, name in session.execute(
            select(Person.external_id, Person.id, Person.display_name).where(
                Person.is_actor.is_(True)
            )
        )
        if ext
    }


def _cited(citations: list[dict[str, Any]], readable: set[str]) -> list[dict[str, Any]]:
    return [c for c in citations if c["source"] in readable]


def _incidents(
    session: Session,
    levels: tuple[str, ...],
    reader: str,
    naming: Naming,
    orgs: dict[str, dict[str, Any]],
    readable: set[str],
    as_of: datetime | None,
    held: dict[int, str],
) -> list[dict[str, Any]]:
    actors = _actors(session)
    by_row = {pid: (ext, name) for ext, (pid, name) in actors.items()}
    only = None
    if as_of is not None:
        only = list(session.scalars(select(Incident.id).where(Incident.created_at <= as_of)))
    out = []
    for doc in list_incidents(session, levels, reader, only, held):
        persons = []
        for perp in doc["perpetrators"]:
            perp["citations"] = _cited(
                citations_of(session, "incident_perpetrators", perp["id"], reader), readable
            )
            if perp["person_id"] is not None:
                ext, name = by_row.get(perp["person_id"], (None, None))
                perp["name"] = public_name(naming, perp["person_id"], name)
                perp["actor_id"] = ext if not naming.public or perp["name"] == name else None
                if ext:
                    persons.append((ext, perp["person_id"]))
                perp["person_id"] = None if naming.public else perp["person_id"]
        doc["citations"] = _cited(citations_of(session, "incidents", doc["id"], reader), readable)
        doc["command"] = _command(session, doc, naming, orgs, readable, actors)
        commanders: dict[str, int | None] = {}
        for unit in (doc["command"] or {}).get("units", []):
            for org in unit["organizations"]:
                for runs in org["commanders"].values():
                    for m in runs:
                        ext, row = m.pop("actor_ext"), m.pop("person_row")
                        if org["depth"] == 0:  # the alleged unit's own commanders
                            commanders[ext] = row
        doc["careers"] = _careers(session, doc, {**dict(persons), **commanders}, naming, readable)
        out.append(doc)
    return out


def _command(
    session: Session,
    incident: dict[str, Any],
    naming: Naming,
    orgs: dict[str, dict[str, Any]],
    readable: set[str],
    actors: dict[str, tuple[int, str | None]],
) -> dict[str, Any] | None:
    """The incident's command report (``command-report --incident``) and the chain above each
    alleged unit on its first day (``chain UNIT --at DAY``), names and citations as the report
    may show them."""
    if not any(p["organization_id"] for p in incident["perpetrators"]):
        return None
    if incident["start_day"] is None:
        return None
    doc = incident_report(session, incident["id"])
    for unit in doc["units"]:
        for org in unit["organizations"]:
            unit_name = _org_name(orgs, org["organization_id"], naming.lang)
            org["name_shown"] = unit_name
            for parent in (*org["parents"]["certain"], *org["parents"]["possible"]):
                parent["name_shown"] = _org_name(orgs, parent["parent_id"], naming.lang)
            for kind in ("parents", "commanders"):
                for facts in org[kind].values():
                    for fact in facts:
                        fact["citations"] = _cited(fact["citations"], readable)
            for runs in org["commanders"].values():
                for m in runs:
                    _name_commander(m, "person_id", unit_name, naming, actors)
    day = date.fromisoformat(incident["start_day"])
    chains = []
    for unit in doc["units"]:
        found = chain(session, unit["unit"], day)
        for level in found["levels"]:
            level["citations"] = _cited(level["citations"], readable)
            unit_name = _org_name(orgs, level["organization_id"], naming.lang)
            level["commander_names"] = [
                _shown(p, unit_name, naming, actors) for p in level["commanders"]
            ]
            level["possible_commander_names"] = [
                _shown(p, unit_name, naming, actors) for p in level["possible_commanders"]
            ]
            if naming.public:
                _hide_ids(level, naming, actors)
        chains.append(found)
    doc["chains"] = chains
    return doc


def _shown(ext: str, unit_name: str, naming: Naming, actors: dict[str, Any]) -> str:
    pid, name = actors.get(ext, (None, None))
    return public_name(naming, pid, name or ext, unit_name)


def _hide_ids(level: dict[str, Any], naming: Naming, actors: dict[str, Any]) -> None:
    """In public, the ids of persons not signed off are left out (an id leads to the name)."""

    def keep(ext: str) -> bool:
        return actors.get(ext, (None,))[0] in naming.signed

    level["commanders"] = [p if keep(p) else None for p in level["commanders"]]
    level["possible_commanders"] = [p if keep(p) else None for p in level["possible_commanders"]]
    for c in level["citations"]:
        if "person_id" in c and not keep(c["person_id"]):
            c["person_id"] = None


def _name_commander(
    m: dict[str, Any],
    key: str,
    unit_name: str,
    naming: Naming,
    actors: dict[str, tuple[int, str | None]],
) -> None:
    ext = m[key]
    pid, name = actors.get(ext, (None, m.get("name")))
    m["person_row"], m["actor_ext"] = pid, ext
    m["name"] = public_name(naming, pid, m.get("name") or name or ext, unit_name)
    shown = not naming.public or (pid is not None and pid in naming.signed)
    m["actor_id"] = ext if shown else None
    m[key] = ext if shown else None


def _org_name(orgs: dict[str, dict[str, Any]], ext: str, lang: str) -> str:
    org = orgs.get(ext, {})
    return (org.get("name_ar") if lang == "ar" else None) or org.get("name") or ext


def _careers(
    session: Session,
    incident: dict[str, Any],
    people: dict[str, int | None],
    naming: Naming,
    readable: set[str],
) -> list[dict[str, Any]]:
    """What became of those involved after the incident (``career P --after-incident I``):
    the persons alleged and the commanders of the units alleged; in public, only those signed
    off (a career's posts, ranks and dates would name the person)."""
    if incident["end_day"] is None and incident["start_day"] is None:
        return []
    out = []
    for ext in sorted(p for p in people if p):
        pid = people[ext]
        if naming.public and pid not in naming.signed:
            continue  # posts, ranks and dates would name the person
        doc = career(session, ext, after_incident=str(incident["id"]))
        for post in doc["posts"]:
            post["citations"] = _cited(post["citations"], readable)
        out.append(doc)
    return out


def _map(session: Session, incidents: list[dict[str, Any]]) -> dict[str, Any]:
    """The places of the incidents with coordinates and the victims documented there, and the
    gazetteer's other places in the same box (for orientation)."""
    points: dict[int, dict[str, Any]] = {}
    for doc in incidents:
        for place in doc["places"]:
            if place["latitude"] is None or place["longitude"] is None:
                continue
            point = points.setdefault(place["id"], {**place, "incidents": [], "victims": 0})
            point["incidents"].append(doc["id"])
            point["victims"] += doc["victims"]["documented"]
    context: list[dict[str, Any]] = []
    if points:
        lats = [p["latitude"] for p in points.values()]
        lons = [p["longitude"] for p in points.values()]
        margin = 0.1 + 0.2 * max(max(lats) - min(lats), max(lons) - min(lons))
        context = [
            {"name_ar": p.name_ar, "name_latin": p.name_latin,
             "latitude": p.latitude, "longitude": p.longitude}
            for p in session.scalars(
                select(Place)
                .where(
                    Place.latitude.between(min(lats) - margin, max(lats) + margin),
                    Place.longitude.between(min(lons) - margin, max(lons) + margin),
                    Place.id.not_in(list(points)),
                )
                .order_by(Place.id)
            )
        ]  # fmt: skip
    return {"points": sorted(points.values(), key=lambda p: p["id"]), "context": context}


# ------------------------------------------------------------------ accountability, methods


def _accountability(
    session: Session,
    reader: str,
    levels: tuple[str, ...],
    naming: Naming,
    readable: set[str],
    as_of: datetime | None,
) -> dict[str, Any]:
    rows = status_table(session, reader, as_of, levels)
    for row in rows:
        person = row["person"]
        if person is not None:
            shown = not naming.public or person["id"] in naming.signed
            unit = row["unit"]["name"] if row["unit"] else None
            person["name"] = public_name(naming, person["id"], person["name"], unit, "alleged")
            if not shown:
                person["id"] = person["external_id"] = None
    proceedings = list_proceedings(session, reader, as_of=as_of, levels=levels)
    for proc in proceedings:
        proc["citations"] = _cited(proc["citations"], readable)
        if naming.public:  # who in the team recorded it is the team's own business
            proc.pop("recorded_by")
        for person in proc["persons"]:
            shown = not naming.public or person["id"] in naming.signed
            person["name"] = public_name(naming, person["id"], person["name"])
            if not shown:
                person["id"] = person["external_id"] = None
    return {"status": rows, "proceedings": proceedings}


def _sources(
    session: Session, levels: tuple[str, ...], as_of: datetime | None, held: dict[int, str]
) -> list[dict[str, Any]]:
    """The sources read, each with its records: in public, only those the report may read
    (at the levels read, none ``held`` back by its own consent), so no count holds more."""
    stmt = select(Source).where(Source.access.in_(levels))
    if as_of is not None:
        stmt = stmt.where(Source.created_at <= as_of)
    rows = list(session.scalars(stmt.order_by(Source.id)))
    names = {s.id: s.name for s in rows}
    counted = {s.id: s.record_count for s in rows}
    if levels != ACCESS_LEVELS:
        counted = dict.fromkeys(counted, 0)
        for source_id, number in session.execute(
            select(Record.source_id, Record.id).where(
                Record.source_id.in_(list(counted) or [0]), Record.access.in_(levels)
            )
        ):
            if number not in held:
                counted[source_id] += 1
    return [
        {
            "anchor": f"source-{s.id}",
            "name": s.name,
            "kind": s.kind,
            "publisher": s.publisher,
            "published": s.published,
            "locator": s.locator,
            "file_sha256": s.file_sha256,
            "access": s.access,
            "records": counted[s.id],
            "version_of": names.get(s.version_of_id) if s.version_of_id else None,
            "derived_from": [names.get(int(i), str(i)) for i in s.derived_from or []],
        }
        for s in rows
    ]


def _linkage(session: Session, public: bool) -> dict[str, Any] | None:
    """The last linkage run; in public without its counts (records, people, pairs, decisions
    of the whole case: every level, and the records held back by their own consent)."""
    run = session.scalar(select(LinkageRun).order_by(LinkageRun.id.desc()).limit(1))
    if run is None:
        return None
    found: dict[str, Any] = {
        "run": run.id,
        "finished_at": run.finished_at.isoformat(timespec="seconds") if run.finished_at else None,
        "engine": run.engine,
        "threshold": run.threshold,
    }
    if public:
        return found
    summary = run.summary or {}
    decisions = session.scalar(select(func.count()).select_from(LinkDecision)) or 0
    return found | {
        "records": run.records,
        "people": run.people,
        "pairs_scored": summary.get("pairs_scored"),
        "review_open": summary.get("review_open"),
        "decisions": decisions,
    }


def _held_back(session: Session, held: dict[int, str]) -> list[dict[str, Any]]:
    """The public records of public sources a public report leaves out because their own
    consent does not name the public: by number and source, with the reason (no content)."""
    return [
        {
            "record": row["record"],
            "source": row["source"],
            "source_anchor": f"source-{row['source_id']}",
            "reason": row["reason"],
        }
        for row in held_from_public(session, held)
    ]


def _naming_rules(public: bool) -> list[str]:
    if not public:
        return ["team report: every name as the case holds it; not for publication"]
    return [
        "an alleged perpetrator or a commander is named only after a recorded sign-off by an "
        "investigator other than whoever entered the allegation; otherwise 'the commander of "
        "Unit X (not named)'",
        "victims under 18, or possibly under 18, are never named",
        "other victims are named only from a public record of a public source (the case "
        "records no consent of families)",
        "a record whose own consent does not name the public is left out of every figure, "
        "list and name (the methods annex lists them, by number, with the reason)",
        "witnesses are never named: their identities are kept in sealed fields no public "
        "output reads",
        "only public records, sources, incidents, proceedings and citations are read",
        f"a count under {SMALL_COUNT} is shown as '<{SMALL_COUNT}' and lists no one behind it, "
        "so that no figure singles out a family (totals are shown)",
    ]
