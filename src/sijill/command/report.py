"""The incident command report: for each unit and each day of a range, every level up, who
commanded it, and the citations of each link — certain and possible apart, gaps named.

Days are compressed into runs (``{"from": ..., "to": ...}``). A unit named as an incident's
perpetrator is an allegation with a status, never a finding; the report says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command import resolve, traverse
from sijill.command.dates import Bounds
from sijill.command.models import Organization
from sijill.command.traverse import Fact, Reached
from sijill.errors import SijillError
from sijill.incidents.models import IncidentPerpetrator
from sijill.incidents.service import find_incident, label

MAX_DAYS = 366
ALLEGATION_NOTE = (
    "The units named are alleged perpetrators: each link is an allegation with the status shown "
    "(alleged, corroborated, established by a court), not a finding. Command over a unit on a day "
    "is what the cited sources say, not a finding of responsibility."
)


def _days(first: date, last: date) -> list[date]:
    if last < first:
        raise SijillError(f"the range ends ({last}) before it starts ({first})")
    count = (last - first).days + 1
    if count > MAX_DAYS:
        raise SijillError(f"the range covers {count} days; at most {MAX_DAYS} are reported")
    return [first + timedelta(days=i) for i in range(count)]


def runs(days: Iterable[date], key: Callable[[date], Any]) -> list[tuple[Any, date, date]]:
    """Compress consecutive days with the same ``key`` (None = left out) into runs."""
    out: list[tuple[Any, date, date]] = []
    for day in sorted(days):
        value = key(day)
        if value is None:
            continue
        if out and out[-1][0] == value and out[-1][2] + timedelta(days=1) == day:
            out[-1] = (value, out[-1][1], day)
        else:
            out.append((value, day, day))
    return out


def _span(first: date, last: date) -> dict[str, str]:
    return {"from": first.isoformat(), "to": last.isoformat()}


def _certainty(bounds: Bounds, day: date) -> str | None:
    if bounds.surely_on(day):
        return "certain"
    if bounds.possibly_on(day):
        return "possible"
    return None


def command_report(
    session: Session,
    units: Sequence[str],
    first: date,
    last: date,
    allegations: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The command report for ``units`` over the days ``first`` to ``last`` (inclusive)."""
    days = _days(first, last)
    reached, facts = traverse.walk(session, list(units), days, upward=True)
    by_ext = {r.external_id: r.start for r in reached if r.depth == 0}
    starts: dict[str, int] = {}
    for unit in units:
        starts[unit] = by_ext[unit] if unit in by_ext else resolve.organization(session, unit).id
    near: dict[int, list[Fact]] = defaultdict(list)
    for fact in facts:
        near[fact.near].append(fact)

    out_units = []
    for unit, start in starts.items():
        on: dict[int, dict[date, Reached]] = defaultdict(dict)
        for r in reached:
            if r.start == start:
                on[r.org][r.day] = r
        organizations = [
            _organization(by_day, near[org_id])
            for org_id, by_day in sorted(
                on.items(),
                key=lambda kv: (
                    min(r.depth for r in kv[1].values()),
                    next(iter(kv[1].values())).external_id,
                ),
            )
        ]
        head = next(iter(on[start].values()))
        entry: dict[str, Any] = {"unit": head.external_id, "organizations": organizations}
        if head.external_id != unit:
            entry["requested"] = unit
        if allegations is not None:
            entry["allegation"] = {
                "status": allegations.get(unit, "alleged"),
                "wording": "alleged perpetrator unit (an allegation, not a finding)",
            }
        out_units.append(entry)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "units": out_units,
        "note": ALLEGATION_NOTE,
    }


def _organization(by_day: dict[date, Reached], facts: list[Fact]) -> dict[str, Any]:
    any_day = next(iter(by_day.values()))
    days = list(by_day)
    in_chain = runs(days, lambda d: ("certain" if by_day[d].sure else "possible", by_day[d].depth))
    links = [f for f in facts if f.kind == "link"]
    posts = [f for f in facts if f.kind == "post"]
    parents: dict[str, list[dict[str, Any]]] = {"certain": [], "possible": []}
    for link in links:
        for certainty, a, b in runs(days, partial(_certainty, link.bounds)):
            parents[certainty].append(
                {
                    "parent_id": link.other,
                    "classification": link.label,
                    **_span(a, b),
                    "dates_as_written": link.written,
                    "citations": link.citations,
                }
            )
    commanders: dict[str, list[dict[str, Any]]] = {"certain": [], "possible": []}
    for post in posts:
        for certainty, a, b in runs(days, partial(_certainty, post.bounds)):
            commanders[certainty].append(
                {
                    "person_id": post.other,
                    "name": post.person_name,
                    "rank": post.rank,
                    "title": post.title,
                    **_span(a, b),
                    "dates_as_written": post.written,
                    "citations": post.citations,
                }
            )

    entry: dict[str, Any] = {
        "organization_id": any_day.external_id,
        "name": any_day.name,
        "classification": any_day.classification,
        "depth": min(r.depth for r in by_day.values()),
        "in_chain": {
            c: [{"depth": depth, **_span(a, b)} for (cc, depth), a, b in in_chain if cc == c]
            for c in ("certain", "possible")
        },
        "parents": parents,
        "commanders": commanders,
    }
    entry["gaps"] = gaps(entry)
    return entry


def gaps(org: dict[str, Any]) -> list[dict[str, str]]:
    """The runs of days an organization is in the chain without a certain commander, named
    "no commander known" or "only a possible commander" — from the report's own runs, so they
    can be recomputed after commanders a reader may not see are left out."""

    def covered(spans: list[dict[str, Any]], day: str) -> bool:
        return any(r["from"] <= day <= r["to"] for r in spans)

    days: set[date] = set()
    for spans in org["in_chain"].values():
        for r in spans:
            first, last = date.fromisoformat(r["from"]), date.fromisoformat(r["to"])
            days.update(first + timedelta(days=i) for i in range((last - first).days + 1))

    def kind(day: date) -> str | None:
        iso = day.isoformat()
        if covered(org["commanders"]["certain"], iso):
            return None
        if covered(org["commanders"]["possible"], iso):
            return "only a possible commander"
        return "no commander known"

    return [{"kind": k, **_span(a, b)} for k, a, b in runs(days, kind)]


def incident_report(session: Session, incident_ref: str | int) -> dict[str, Any]:
    """The command report for an incident's alleged perpetrator units over its days (the
    incident by its number or its external id)."""
    incident = find_incident(session, incident_ref)
    first, last = incident.start_day, incident.end_day or incident.start_day
    if first is None or last is None:
        raise SijillError(f"incident {incident_ref!r} has no dates; use --units with --from/--to")
    links = session.execute(
        select(Organization.external_id, IncidentPerpetrator.status)
        .join(Organization, Organization.id == IncidentPerpetrator.organization_id)
        .where(IncidentPerpetrator.incident_id == incident.id)
        .order_by(IncidentPerpetrator.position, IncidentPerpetrator.id)
    ).all()
    statuses = {ext: status for ext, status in links}
    doc = command_report(session, list(statuses), first, last, allegations=statuses)
    doc["incident"] = {
        "id": incident.id,
        "external_id": incident.external_id,
        "title": incident.title,
        "label": label({"id": incident.id, "title": incident.title}),
        "access": incident.access,
        "place": incident.place,
        "start_date": incident.start_date or "",
        "end_date": incident.end_date or "",
        "alleged_perpetrator_units": [{"organization_id": e, "status": s} for e, s in links],
    }
    return doc


def as_text(doc: dict[str, Any]) -> str:
    """A plain-text rendering of a command report for the terminal."""
    lines = []
    if "incident" in doc:
        inc = doc["incident"]
        lines.append(f"Incident {inc['label']}, {doc['from']} to {doc['to']}")
    else:
        lines.append(f"Command report, {doc['from']} to {doc['to']}")
    lines.append(doc["note"])
    for unit in doc["units"]:
        head = f"\nUnit {unit['unit']}"
        if "allegation" in unit:
            head += f" — alleged perpetrator unit, status: {unit['allegation']['status']}"
        lines.append(head)
        for org in unit["organizations"]:
            lines.append(
                f"  [{org['depth']}] {org['organization_id']} {org['name'] or ''}".rstrip()
            )
            for c in ("certain", "possible"):
                for p in org["parents"][c]:
                    lines.append(f"      under {p['parent_id']} ({c}) {p['from']}..{p['to']}")
                for m in org["commanders"][c]:
                    who = m["person_id"] + (f" {m['name']}" if m["name"] else "")
                    lines.append(f"      commander {who} ({c}) {m['from']}..{m['to']}")
            for g in org["gaps"]:
                lines.append(f"      gap: {g['kind']} {g['from']}..{g['to']}")
    return "\n".join(lines)
