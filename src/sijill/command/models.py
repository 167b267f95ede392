"""Tables of the command structure: organizations, memberships, compositions, areas, successions.

Persons are the shared ``persons`` table (``Person`` with ``is_actor=True``, ``external_id`` = the
id in the structure JSON); ``command_person_details`` keeps what the structure JSON says about
them beyond the shared columns. Every dated fact keeps its dates as written and four derived day
bounds (see :mod:`sijill.command.dates`) so that "in force on day D" is plain SQL. Citations of
a fact live in the shared ``citations`` table (``claim_table`` = the fact's table name).
Incidents, and the units alleged to have taken part in them, are the one incident model of
:mod:`sijill.incidents.models`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base
from sijill.store.models import JSONType


class DatedFact:
    """Columns every dated claim carries: dates as written, derived bounds, confidence."""

    start_date: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[str | None] = mapped_column(String(10))
    first_cited: Mapped[str | None] = mapped_column(String(10))
    last_cited: Mapped[str | None] = mapped_column(String(10))
    sure_start: Mapped[date | None] = mapped_column(Date)
    sure_end: Mapped[date | None] = mapped_column(Date)
    possible_start: Mapped[date | None] = mapped_column(Date)
    possible_end: Mapped[date | None] = mapped_column(Date)
    confidence: Mapped[str | None] = mapped_column(String(8))
    # Keys of the input row this schema does not know, kept for a lossless export.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class Organization(Base):
    """A ministry, division, brigade, faction... ``external_id`` is its id in the structure JSON."""

    __tablename__ = "command_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str | None] = mapped_column(Text)
    name_ar: Mapped[str | None] = mapped_column(Text)
    classification: Mapped[str | None] = mapped_column(String(60))
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    founding_date: Mapped[str | None] = mapped_column(String(10))
    dissolution_date: Mapped[str | None] = mapped_column(String(10))
    confidence: Mapped[str | None] = mapped_column(String(8))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("command_organizations.id"))
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class PersonDetails(Base):
    """What the structure JSON says about an actor beyond the shared ``persons`` columns."""

    __tablename__ = "command_person_details"

    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    aliases: Mapped[list[str]] = mapped_column(JSONType, default=list)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class Membership(DatedFact, Base):
    """A person's post in an organization: commander, deputy, member, or another role."""

    __tablename__ = "command_memberships"
    __table_args__ = (
        Index("ix_command_memberships_org_role", "organization_id", "role"),
        Index("ix_command_memberships_person", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    role: Mapped[str] = mapped_column(String(60), default="member")
    title: Mapped[str | None] = mapped_column(Text)
    rank: Mapped[str | None] = mapped_column(Text)


class Composition(DatedFact, Base):
    """A parent unit commanding (or administering...) a child unit over a span of days."""

    __tablename__ = "command_compositions"
    __table_args__ = (
        Index("ix_command_compositions_child", "child_id", "parent_id"),
        Index("ix_command_compositions_parent", "parent_id", "child_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    classification: Mapped[str] = mapped_column(String(60), default="command")


class Area(DatedFact, Base):
    """An organization's area of operation (a place as written) over a span of days."""

    __tablename__ = "command_areas"
    __table_args__ = (Index("ix_command_areas_org", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    place: Mapped[str] = mapped_column(Text)


class Succession(DatedFact, Base):
    """A unit followed by another: absorbed into it, renamed as it, ..."""

    __tablename__ = "command_successions"

    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    successor_id: Mapped[int] = mapped_column(ForeignKey("command_organizations.id"))
    kind: Mapped[str] = mapped_column(String(40), default="absorbed")


FACT_TABLES: dict[str, type[DatedFact]] = {
    "memberships": Membership,
    "compositions": Composition,
    "areas": Area,
    "successions": Succession,
}
