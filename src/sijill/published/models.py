"""Published figures: another organisation's total with its scope.

A figure says who counted (``organisation``), when they published it, what they count
(``counts``: one of :data:`COUNTS`), the days covered (fuzzy dates, as elsewhere) and the places
covered (``published_figure_places``: gazetteer places, a village or an admin area, each with
their own per-place figure when they published one). Its citation (the publication) is in the
shared ``citations`` table under the claim table ``published_figures``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow

# What a published figure counts, and the record statuses that are the same thing in the case.
COUNTS: dict[str, tuple[str, ...]] = {
    "killed": ("killed",),
    "killed_civilians": ("killed",),
    "missing": ("missing",),
    "killed_and_missing": ("killed", "missing"),
}
# A record a source calls one of these is not a civilian (``unknown`` counts as a civilian).
NOT_CIVILIAN = ("combatant", "security_forces")


class PublishedFigure(Base):
    """One published total of another organisation, with the scope it covers."""

    __tablename__ = "published_figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    organisation: Mapped[str] = mapped_column(Text)
    organisation_ar: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))  # ISO, possibly partial
    counts: Mapped[str] = mapped_column(String(30))
    total: Mapped[int] = mapped_column(Integer)
    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    start_day: Mapped[date | None] = mapped_column(Date)
    end_day: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(12), default="internal")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))


class PublishedFigurePlace(Base):
    """A place a published figure covers (it and every place under it in the gazetteer), with
    the organisation's own figure for it when they published one."""

    __tablename__ = "published_figure_places"
    __table_args__ = (Index("ix_published_figure_places_figure_id", "figure_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("published_figures.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"))
    count: Mapped[int | None] = mapped_column(Integer)
