"""Command structure in the web app: the JSON API and the pages (unit chain with a time slider,
a person's career, the incident command report, the consistency checks).

Every route needs a signed-in user. Actors whose ``access`` the reader's role may not read are
left out of every answer (their ids too), and so are citations of a source it may not read.
Incidents are the one incident model; one the reader may not read
(:mod:`sijill.incidents.access`) is answered as one that does not exist, with its allegations.
Perpetrator links are worded as allegations.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from sijill.command import career as career_mod
from sijill.command import checks, report, resolve
from sijill.command.chain import chain, subordinates
from sijill.command.exporter import export_structure
from sijill.command.models import Composition, Membership, Organization
from sijill.errors import NotFound, SijillError
from sijill.evidence.items import items_linked
from sijill.incidents.access import visible_incident, visible_incidents
from sijill.incidents.service import label
from sijill.security.audit import log_read
from sijill.security.readable import persons_shown, readable_by
from sijill.security.users import Principal
from sijill.store.models import Person, Source
from sijill.web.deps import MAX_ID, CurrentUser, DbSession, Limit, Offset
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/command", "command.nav", min_role="viewer", order=45)]

ExtId = Annotated[str, Path(min_length=1, max_length=200, description="id from the structure")]
Day = Annotated[date | None, Query(description="day, YYYY-MM-DD (default: today)")]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ChainLevel(_Open):
    depth: int
    organization_id: str
    name: str | None = None
    classification: str | None = None
    commanders: list[str]
    possible_commanders: list[str]
    possible: bool


class ChainOut(_Open):
    unit: str
    at: str
    levels: list[ChainLevel]


class UnitOut(BaseModel):
    id: str
    name: str | None = None
    name_ar: str | None = None
    classification: str | None = None
    aliases: list[str] = []
    first_day: str | None = None
    last_day: str | None = None


class UnitPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[UnitOut]


class CareerOut(_Open):
    person: dict[str, Any]
    posts: list[dict[str, Any]]


class ReportOut(_Open):
    units: list[dict[str, Any]]
    note: str


class ChecksOut(BaseModel):
    count: int
    problems: list[dict[str, Any]]
    #: Not problems, for review: units under parents of different kinds at once.
    notes: list[dict[str, Any]] = []


# --------------------------------------------------------------------------- access
def _hidden_actors(session: Session, user: Principal, ids: set[str]) -> set[str]:
    """Actor ids among ``ids`` the user's role may not read."""
    if not ids:
        return set()
    rows = dict(
        session.execute(
            select(Person.id, Person.external_id).where(
                Person.external_id.in_(sorted(ids)), Person.is_actor.is_(True)
            )
        ).all()
    )
    readable = persons_shown(session, user.role, rows)
    return {ext for pid, ext in rows.items() if ext and pid not in readable}


def _cites(
    session: Session, user: Principal, citations: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The citations (``source``: the source's name, unique) whose source the user may read."""
    names = {c["source"] for c in citations}
    if not names:
        return citations
    readable = set(
        session.scalars(
            select(Source.name).where(
                Source.name.in_(sorted(names)), readable_by(user.role, Source)
            )
        )
    )
    return [c for c in citations if c["source"] in readable]


def _filter_chain(session: Session, user: Principal, doc: dict[str, Any]) -> dict[str, Any]:
    for lv in doc["levels"]:
        if "citations" in lv:
            lv["citations"] = _cites(session, user, lv["citations"])
    ids = {p for lv in doc["levels"] for p in lv["commanders"] + lv["possible_commanders"]}
    hidden = _hidden_actors(session, user, ids)
    if hidden:
        for lv in doc["levels"]:
            lv["commanders"] = [p for p in lv["commanders"] if p not in hidden]
            lv["possible_commanders"] = [p for p in lv["possible_commanders"] if p not in hidden]
            lv["citations"] = [
                c for c in lv.get("citations", []) if c.get("person_id") not in hidden
            ]
    return doc


def names_of(session: Session, units: set[str], persons: set[str]) -> dict[str, Any]:
    """The names of units and actors (by their ids), in both scripts, for a page to show the
    reader's: ``{"organizations": {id: {"name", "name_ar"}}, "persons": {...}}``."""
    orgs = (
        session.execute(
            select(Organization.external_id, Organization.name, Organization.name_ar).where(
                Organization.external_id.in_(sorted(units))
            )
        ).all()
        if units
        else []
    )
    people = (
        session.execute(
            select(
                Person.external_id, Person.display_name, Person.name_latin, Person.name_ar
            ).where(Person.external_id.in_(sorted(persons)), Person.is_actor.is_(True))
        ).all()
        if persons
        else []
    )
    return {
        "organizations": {ext: {"name": n, "name_ar": ar} for ext, n, ar in orgs},
        "persons": {ext: {"name": lat or shown, "name_ar": ar} for ext, shown, lat, ar in people},
    }


def _named_chain(session: Session, doc: dict[str, Any]) -> dict[str, Any]:
    """A chain (or the units below) with the names of every unit and commander it lists."""
    units = {
        i
        for lv in doc["levels"]
        for i in [lv["organization_id"], *lv.get("parents", []), *lv.get("possible_parents", [])]
    }
    people = {p for lv in doc["levels"] for p in lv["commanders"] + lv["possible_commanders"]}
    doc["names"] = names_of(session, units, people)
    return doc


def _filter_report(session: Session, user: Principal, doc: dict[str, Any]) -> dict[str, Any]:
    ids = {
        m["person_id"]
        for unit in doc["units"]
        for org in unit["organizations"]
        for runs in org["commanders"].values()
        for m in runs
    }
    hidden = _hidden_actors(session, user, ids)
    for unit in doc["units"]:
        for org in unit["organizations"]:
            for key, runs in org["commanders"].items():
                org["commanders"][key] = [m for m in runs if m["person_id"] not in hidden]
            for kind in ("commanders", "parents"):
                for facts in org[kind].values():
                    for fact in facts:
                        fact["citations"] = _cites(session, user, fact["citations"])
            org["gaps"] = report.gaps(org)  # no hint of a commander the reader may not see
    units = {
        i
        for unit in doc["units"]
        for org in unit["organizations"]
        for i in [
            unit["unit"],
            org["organization_id"],
            *(link["parent_id"] for links in org["parents"].values() for link in links),
        ]
    }
    doc["names"] = names_of(session, units, ids - hidden)
    return doc


def _answer(action: Any) -> Any:
    try:
        return action()
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except SijillError as exc:
        raise HTTPException(422, str(exc)) from exc


# --------------------------------------------------------------------------- queries
def _day_range(session: Session, org_id: int) -> tuple[date | None, date | None]:
    """The first and last day any fact about the unit names (for the time slider)."""
    lows, highs = [], []
    for model, cols in (
        (Membership, (Membership.organization_id,)),
        (Composition, (Composition.child_id, Composition.parent_id)),
    ):
        where = or_(*(c == org_id for c in cols))
        lo, hi_p, hi_s = session.execute(
            select(
                func.min(func.coalesce(model.possible_start, model.sure_start)),
                func.max(model.possible_end),
                func.max(func.coalesce(model.sure_start, model.possible_start)),
            ).where(where)
        ).one()
        lows.append(lo)
        highs.extend([hi_p, hi_s])
    lows_d = [_as_date(x) for x in lows if x]
    highs_d = [_as_date(x) for x in highs if x]
    return (min(lows_d) if lows_d else None, max(highs_d) if highs_d else None)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _unit(session: Session, org: Organization, with_range: bool = False) -> UnitOut:
    first = last = None
    if with_range:
        lo, hi = _day_range(session, org.id)
        first, last = (lo.isoformat() if lo else None), (hi.isoformat() if hi else None)
    return UnitOut(
        id=org.external_id,
        name=org.name,
        name_ar=org.name_ar,
        classification=org.classification,
        aliases=list(org.aliases or []),
        first_day=first,
        last_day=last,
    )


def _find_unit(session: Session, unit: str) -> Organization:
    return _answer(lambda: resolve.organization(session, unit))  # type: ignore[no-any-return]


def _units(session: Session, q: str | None, limit: int, offset: int) -> UnitPage:
    stmt = select(Organization).where(Organization.merged_into_id.is_(None))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Organization.external_id).like(like),
                func.lower(Organization.name).like(like),
                Organization.name_ar.like(f"%{q}%"),
            )
        )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    orgs = session.scalars(stmt.order_by(Organization.id).limit(limit).offset(offset)).all()
    return UnitPage(
        total=total, limit=limit, offset=offset, items=[_unit(session, o) for o in orgs]
    )


def _career(
    session: Session, user: Principal, person: str, after_incident: str | None, after: date | None
) -> dict[str, Any]:
    if after_incident:
        after_incident = str(visible_incident(session, user, after_incident).id)
    doc = career_mod.career(session, person, after_incident=after_incident, after=after)
    actor = session.scalars(
        select(Person).where(Person.external_id == doc["person"]["id"], Person.is_actor.is_(True))
    ).first()
    shown = persons_shown(session, user.role, [actor.id]).get(actor.id) if actor else None
    if actor is None or shown is None:
        raise NotFound(f"no person with id {person!r}")
    if actor.access == "restricted":
        log_read(session, user, entity="persons", ids=[actor.id])
    doc["person"].update(name=shown["display_name"], name_ar=shown["name_ar"])
    doc["person"]["access"] = shown["access"]
    for post in doc["posts"]:
        post["citations"] = _cites(session, user, post["citations"])
    return doc


def _report(
    session: Session,
    user: Principal,
    incident: str | None,
    units: str | None,
    first: date | None,
    last: date | None,
) -> dict[str, Any]:
    if incident:
        doc = report.incident_report(session, visible_incident(session, user, incident).id)
    elif units and first and last:
        doc = report.command_report(
            session, [u.strip() for u in units.split(",") if u.strip()], first, last
        )
    else:
        raise SijillError("give incident, or units with from and to")
    return _filter_report(session, user, doc)


# --------------------------------------------------------------------------- API
@router.get("/api/command/units", response_model=UnitPage, tags=["command"])
def api_units(
    session: DbSession,
    user: CurrentUser,
    limit: Limit = 50,
    offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> UnitPage:
    """Organizations (units, divisions, factions...), searchable by id or name."""
    return _units(session, q, limit, offset)


@router.get("/api/command/units/{unit}", response_model=UnitOut, tags=["command"])
def api_unit(unit: ExtId, session: DbSession, user: CurrentUser) -> UnitOut:
    """One organization, with the first and last day its facts name."""
    return _unit(session, _find_unit(session, unit), with_range=True)


@router.get("/api/command/units/{unit}/chain", response_model=ChainOut, tags=["command"])
def api_chain(unit: ExtId, session: DbSession, user: CurrentUser, at: Day = None) -> Any:
    """The chain of command above a unit on a day (as `sijill chain --json`)."""
    day = at or date.today()
    return _answer(
        lambda: _named_chain(session, _filter_chain(session, user, chain(session, unit, day)))
    )


@router.get("/api/command/units/{unit}/subordinates", response_model=ChainOut, tags=["command"])
def api_subordinates(unit: ExtId, session: DbSession, user: CurrentUser, at: Day = None) -> Any:
    """The units below a unit on a day."""
    day = at or date.today()
    return _answer(
        lambda: _named_chain(
            session, _filter_chain(session, user, subordinates(session, unit, day))
        )
    )


@router.get("/api/command/persons/{person}/career", response_model=CareerOut, tags=["command"])
def api_career(
    person: ExtId,
    session: DbSession,
    user: CurrentUser,
    after_incident: Annotated[str | None, Query(max_length=200)] = None,
    after: Day = None,
) -> Any:
    """A person's posts in time order; with a cutoff, what was gained after it (a fact about
    the career, not proof of reward)."""
    return _answer(lambda: _career(session, user, person, after_incident, after))


@router.get("/api/command/report", response_model=ReportOut, tags=["command"])
def api_report(
    session: DbSession,
    user: CurrentUser,
    incident: Annotated[str | None, Query(max_length=200)] = None,
    units: Annotated[str | None, Query(max_length=2000)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> Any:
    """The incident command report: every level up, who commanded it on each day, certain and
    possible apart, gaps named. Units named by an incident are alleged perpetrators."""
    return _answer(lambda: _report(session, user, incident, units, date_from, date_to))


@router.get("/api/command/checks", response_model=ChecksOut, tags=["command"])
def api_checks(session: DbSession, user: CurrentUser) -> ChecksOut:
    """Consistency checks of the structure."""
    found = checks.check_structure(session)
    return ChecksOut(count=len(found), problems=found, notes=checks.several_superiors(session))


# --------------------------------------------------------------------------- pages
def _incidents(session: Session, user: Principal) -> list[dict[str, Any]]:
    """The incidents the reader may read, named as the incident pages name them."""
    return [
        {
            "id": d["id"],
            "label": label(d),
            "label_ar": label(d, "ar"),
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "n_units": sum(1 for p in d["perpetrators"] if p["organization_id"]),
        }
        for d in visible_incidents(session, user)[:200]
    ]


@router.get("/command", response_class=HTMLResponse, include_in_schema=False)
def command_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str | None, Query(max_length=200)] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    page = _units(session, q, 50, offset)
    return render(
        request,
        "command/index.html",
        {"page": page, "q": q or "", "incidents": _incidents(session, user)},
    )


@router.get("/command/units/{unit}", response_class=HTMLResponse, include_in_schema=False)
def unit_page(
    request: Request,
    unit: ExtId,
    session: DbSession,
    user: CurrentUser,
    at: Day = None,
    incident: Annotated[int | None, Query(ge=1, le=MAX_ID, description="came from it")] = None,
) -> HTMLResponse:
    org = _find_unit(session, unit)
    info = _unit(session, org, with_range=True)
    day = at or (date.fromisoformat(info.last_day) if info.last_day else date.today())
    doc = _named_chain(session, _filter_chain(session, user, chain(session, org.external_id, day)))
    below = _named_chain(
        session, _filter_chain(session, user, subordinates(session, org.external_id, day))
    )
    return render(
        request,
        "command/unit.html",
        {
            "unit": info,
            "day": day.isoformat(),
            "chain": doc,
            "below": below,
            "evidence": items_linked(session, "unit", [org.external_id], user.role),
            "incident": _readable_incident(session, user, incident),
        },
    )


@router.get("/command/units/{unit}/graphml", include_in_schema=False)
def unit_graphml(
    unit: ExtId,
    session: DbSession,
    user: CurrentUser,
    at: Day = None,
    all_time: Annotated[bool, Query(description="every relation ever had")] = False,
) -> Response:
    """The unit's ancestors and descendants as GraphML, as ``sijill export structure --format
    graphml`` writes them (on a day, default today; or every relation ever had)."""
    from sijill.command.graphml import graphml_bytes, unit_graph

    org = _find_unit(session, unit)
    day = None if all_time else at or date.today()
    body = graphml_bytes(unit_graph(export_structure(session), org.external_id, day))
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", org.external_id)
    return Response(
        body,
        media_type="application/graphml+xml",
        headers={"Content-Disposition": f'attachment; filename="{name}.graphml"'},
    )


def _readable_incident(session: Session, user: Principal, ref: int | None) -> int | None:
    """The incident a page was reached from, if the user may read it (for careers after it)."""
    if ref is None:
        return None
    try:
        return visible_incident(session, user, ref).id
    except NotFound:
        return None


def _person_evidence(session: Session, user: Principal, external_id: str) -> list[str]:
    """The evidence items linked to an actor (by number or by id)."""
    number = session.scalar(
        select(Person.id).where(Person.external_id == external_id, Person.is_actor.is_(True))
    )
    return items_linked(session, "person", [external_id, str(number)], user.role)


@router.get("/command/persons/{person}", response_class=HTMLResponse, include_in_schema=False)
def person_page(
    request: Request,
    person: ExtId,
    session: DbSession,
    user: CurrentUser,
    after_incident: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    doc = _answer(lambda: _career(session, user, person, after_incident or None, None))
    return render(
        request,
        "command/person.html",
        {
            "career": doc,
            "units": names_of(session, {p["organization_id"] for p in doc["posts"]}, set()),
            "incidents": _incidents(session, user),
            "after_incident": after_incident,
            "evidence": _person_evidence(session, user, doc["person"]["id"]),
        },
    )


@router.get("/command/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(
    request: Request,
    session: DbSession,
    user: CurrentUser,
    incident: Annotated[str | None, Query(max_length=200)] = None,
    units: Annotated[str | None, Query(max_length=2000)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> HTMLResponse:
    doc = _answer(lambda: _report(session, user, incident, units, date_from, date_to))
    return render(request, "command/report.html", {"report": doc})


@router.get("/command/checks", response_class=HTMLResponse, include_in_schema=False)
def checks_page(request: Request, session: DbSession, user: CurrentUser) -> HTMLResponse:
    context = {
        "problems": checks.check_structure(session),
        "notes": checks.several_superiors(session),
    }
    return render(request, "command/checks.html", context)
