"""Recording, finding and describing published figures.

A reader sees a figure only at the access levels its role may read (a figure above them is
answered as one that does not exist), and its citations only of sources it may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command import traverse
from sijill.dates import BadDate
from sijill.errors import NotFound, SijillError
from sijill.incidents.dates import range_span
from sijill.incidents.saving import CitationInput, cite, resolve_place_ref
from sijill.places.models import Place
from sijill.published.models import COUNTS, PublishedFigure, PublishedFigurePlace
from sijill.security.roles import OPERATOR, readable_levels
from sijill.store.base import ACCESS_LEVELS
from sijill.store.changelog import default_actor, log_change
from sijill.store.lookup import readable_by_number_or
from sijill.store.models import Source

CLAIM_TABLE = "published_figures"


class BadFigure(SijillError):
    """A figure refused for one of its fields; nothing of it was stored."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}", field=field_name)
        self.message = message


class DuplicateFigure(BadFigure):
    """A figure with the same id is recorded already (a conflict, not a mistake in a field)."""


@dataclass
class ScopePlace:
    """A place a figure covers (an id, an external id or a name the gazetteer resolves), with
    the organisation's own figure for it when they published one."""

    ref: str
    count: int | None = None


@dataclass
class FigureInput:
    """One published figure as a door (CLI, JSON file, API) states it."""

    organisation: str
    counts: str
    total: int
    sources: list[CitationInput]
    published: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    places: list[ScopePlace] = field(default_factory=list)
    organisation_ar: str | None = None
    note: str | None = None
    access: str = "internal"
    external_id: str | None = None
    synthetic: bool = False


def _check(item: FigureInput) -> None:
    if not (item.organisation or "").strip():
        raise BadFigure("organisation", "who counted is required")
    if item.counts not in COUNTS:
        raise BadFigure("counts", f"must be one of {', '.join(COUNTS)}, not {item.counts!r}")
    if isinstance(item.total, bool) or not isinstance(item.total, int) or item.total < 0:
        raise BadFigure("total", f"must be a whole number, 0 or more, not {item.total!r}")
    if item.access not in ACCESS_LEVELS:
        raise BadFigure("access", f"must be one of {', '.join(ACCESS_LEVELS)}")
    if not item.sources:
        raise BadFigure("sources", "cite the publication: at least one source")
    if not item.places:
        raise BadFigure("places", "name the places the figure covers (villages or an area)")
    for place in item.places:
        if place.count is not None and (isinstance(place.count, bool) or place.count < 0):
            raise BadFigure("places", f"{place.ref}: a place's figure is a whole number")
    for name in ("published", "start_date", "end_date"):
        try:
            range_span(getattr(item, name), None)
        except BadDate as exc:
            raise BadFigure(name, str(exc)) from exc


def add_figure(session: Session, item: FigureInput, actor: str | None = None) -> PublishedFigure:
    """Record one published figure with its places and citations; the change is logged."""
    _check(item)
    try:
        first, last = range_span(item.start_date, item.end_date)
    except SijillError as exc:
        raise BadFigure("end_date", str(exc)) from exc
    if item.external_id and session.scalar(
        select(PublishedFigure.id).where(PublishedFigure.external_id == item.external_id)
    ):
        raise DuplicateFigure("id", f"a published figure {item.external_id!r} is recorded already")
    places: dict[int, int | None] = {}
    for place in item.places:
        try:
            place_id = resolve_place_ref(session, place.ref)
        except NotFound as exc:
            raise BadFigure("places", str(exc)) from exc
        if place_id in places:
            raise BadFigure("places", f"{place.ref}: named twice")
        places[place_id] = place.count
    who = actor or default_actor()
    row = PublishedFigure(
        external_id=item.external_id or None,
        organisation=item.organisation.strip(),
        organisation_ar=item.organisation_ar,
        published=item.published or None,
        counts=item.counts,
        total=item.total,
        start_date=item.start_date or None,
        end_date=item.end_date or None,
        start_day=first,
        end_day=last,
        note=item.note,
        access=item.access,
        synthetic=item.synthetic,
        recorded_by=who,
    )
    session.add(row)
    session.flush()
    session.add_all(
        PublishedFigurePlace(figure_id=row.id, place_id=p, count=n) for p, n in places.items()
    )
    try:
        cite(session, CLAIM_TABLE, row.id, item.sources)
    except SijillError as exc:
        raise BadFigure("sources", str(exc)) from exc
    log_change(
        session,
        action="add",
        entity=CLAIM_TABLE,
        entity_id=row.id,
        detail={"organisation": row.organisation, "counts": row.counts, "total": row.total},
        actor=who,
    )
    session.flush()
    return row


def find_figure(session: Session, ref: str, reader: str = OPERATOR) -> PublishedFigure:
    """The figure ``ref`` names (number or id) if ``reader`` may read it; else NotFound."""
    levels = readable_levels(reader)
    model, column = PublishedFigure, PublishedFigure.external_id
    return readable_by_number_or(session, model, column, ref, levels, "published figure")


def list_figures(
    session: Session, reader: str = OPERATOR, levels: Sequence[str] | None = None
) -> list[PublishedFigure]:
    """The figures ``reader`` may read (only those at ``levels``, if given), oldest
    publication first."""
    allowed = [v for v in readable_levels(reader) if levels is None or v in levels]
    rows = session.scalars(select(PublishedFigure).where(PublishedFigure.access.in_(allowed)))
    return sorted(rows, key=lambda r: (r.published or "", r.id))


def place_doc(place: Place) -> dict[str, Any]:
    """A gazetteer place as figures show it."""
    return {
        "id": place.id,
        "external_id": place.external_id,
        "name_latin": place.name_latin,
        "name_ar": place.name_ar,
        "type": place.type,
    }


def describe(
    session: Session, rows: Sequence[PublishedFigure], reader: str = OPERATOR
) -> list[dict[str, Any]]:
    """Figures as documents: who counted, what, when, where (each place with their own figure
    for it, if published) and the citations of sources ``reader`` may read."""
    ids = [r.id for r in rows]
    cites = traverse.citations(session, CLAIM_TABLE, ids)
    readable = set(
        session.scalars(select(Source.name).where(Source.access.in_(readable_levels(reader))))
    )
    scope: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    for link, place in session.execute(
        select(PublishedFigurePlace, Place)
        .join(Place, Place.id == PublishedFigurePlace.place_id)
        .where(PublishedFigurePlace.figure_id.in_(ids))
        .order_by(PublishedFigurePlace.id)
    ):
        scope[link.figure_id].append({**place_doc(place), "count": link.count})
    return [
        {
            "id": r.id,
            "external_id": r.external_id,
            "organisation": r.organisation,
            "organisation_ar": r.organisation_ar,
            "published": r.published,
            "counts": r.counts,
            "total": r.total,
            "start_date": r.start_date,
            "end_date": r.end_date,
            "places": scope[r.id],
            "note": r.note,
            "access": r.access,
            "synthetic": r.synthetic,
            "recorded_at": r.recorded_at.isoformat(timespec="seconds"),
            "recorded_by": r.recorded_by,
            "citations": [c for c in cites.get(r.id, []) if c["source"] in readable],
        }
        for r in rows
    ]
