"""Incident tables. Perpetrator links are allegations with a status, never findings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow
from sijill.store.models import JSONType

INVOLVEMENT = ("ordered", "carried_out", "present", "failed_to_prevent_or_punish")
ALLEGATION_STATUS = ("alleged", "corroborated", "established_by_court")
LINK_STATUS = ("proposed", "confirmed", "rejected")


class ViolationType(Base):
    """One term of the controlled, bilingual, hierarchical violation vocabulary (editable)."""

    __tablename__ = "violation_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("violation_types.id"))
    label_en: Mapped[str] = mapped_column(Text)
    label_ar: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)


class LegalCharacterization(Base):
    """A legal qualification an analyst may give an incident (e.g. murder, Rome Statute 7(1)(a))."""

    __tablename__ = "legal_characterizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    label_en: Mapped[str] = mapped_column(Text)
    label_ar: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40))  # crime_against_humanity | war_crime | ...
    instrument: Mapped[str] = mapped_column(String(80), default="Rome Statute")
    article: Mapped[str] = mapped_column(String(40))


class Incident(Base):
    """An event at one or more places over a fuzzy date range; may be part of a wider one."""

    __tablename__ = "incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_ar: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    start_date: Mapped[str | None] = mapped_column(String(10))  # ISO, possibly partial
    end_date: Mapped[str | None] = mapped_column(String(10))
    start_day: Mapped[date | None] = mapped_column(Date, index=True)  # first day of the span
    end_day: Mapped[date | None] = mapped_column(Date, index=True)  # last day of the span
    place: Mapped[str | None] = mapped_column(Text)  # the place as a structure file wrote it
    confidence: Mapped[str | None] = mapped_column(String(8))
    access: Mapped[str] = mapped_column(String(12), default="internal")
    # Keys of a structure file's incident this schema does not know, kept for a lossless export.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class IncidentPlace(Base):
    __tablename__ = "incident_places"
    __table_args__ = (UniqueConstraint("incident_id", "place_id", name="uq_incident_places_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"), index=True)


class IncidentViolation(Base):
    __tablename__ = "incident_violations"
    __table_args__ = (
        UniqueConstraint("incident_id", "violation_type_id", name="uq_incident_violations_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    violation_type_id: Mapped[int] = mapped_column(ForeignKey("violation_types.id"))


class IncidentCharacterization(Base):
    """An analyst's legal characterization of an incident (an assessment, not a judgment)."""

    __tablename__ = "incident_characterizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    characterization_id: Mapped[int] = mapped_column(ForeignKey("legal_characterizations.id"))
    analyst: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class IncidentVictim(Base):
    """A victim: a person from linkage, or a number of people whose names are unknown."""

    __tablename__ = "incident_victims"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    count: Mapped[int] = mapped_column(Integer, default=1)
    note: Mapped[str | None] = mapped_column(Text)


class IncidentPerpetrator(Base):
    """An ALLEGED perpetrator: a unit of the command structure or a person, with the degree of
    involvement (None: not stated) and the allegation's status. Never a finding unless its
    status says a court established it. Its access is the incident's."""

    __tablename__ = "incident_perpetrators"
    __table_args__ = (
        Index("ix_incident_perpetrators_organization_id", "organization_id"),
        Index("ix_incident_perpetrators_incident_id", "incident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("command_organizations.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    involvement: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30), default="alleged")
    note: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Who entered the allegation (a user, ``cli:<login>``, or the file a structure came from):
    # naming the person in public needs the sign-off of someone else.
    entered_by: Mapped[str | None] = mapped_column(String(100))


class IncidentRecord(Base):
    """A casualty record linked to an incident: proposed by place and date, reviewed by a person."""

    __tablename__ = "incident_records"
    __table_args__ = (
        UniqueConstraint("incident_id", "record_id", name="uq_incident_records_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id", ondelete="CASCADE"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reason: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    why: Mapped[str | None] = mapped_column(Text)
