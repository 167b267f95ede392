"""Accountability tables: a proceeding of any kind and what it is about.

A proceeding is an event (an inquiry, an arrest, a verdict, an official statement...) with fuzzy
dates, an access level, citations (the shared ``citations`` table, claim table
``accountability_proceedings``) and when and by whom it was recorded. It names the incidents,
persons and units it concerns through ``accountability_subjects``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow
from sijill.store.models import JSONType

KINDS = (
    "national_inquiry",
    "international_inquiry",
    "criminal_investigation",
    "arrest",
    "charge",
    "trial",
    "verdict",
    "sentence",
    "sanction",
    "dismissal",
    "official_statement",
    "status_check",
)
STANCES = ("acknowledge", "deny", "blame_others")
VERDICTS = ("convicted", "acquitted")


class Proceeding(Base):
    """One accountability event. Inquiries keep their mandate, members, extensions and findings
    (each finding a text with its figures); a verdict its outcome; a statement its stance."""

    __tablename__ = "accountability_proceedings"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(Text)
    title_ar: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)  # who acts: a court, a ministry, a commission
    start_date: Mapped[str | None] = mapped_column(String(10))  # ISO, possibly partial
    end_date: Mapped[str | None] = mapped_column(String(10))
    start_day: Mapped[date | None] = mapped_column(Date)
    end_day: Mapped[date | None] = mapped_column(Date)
    stance: Mapped[str | None] = mapped_column(String(20))  # official statements
    outcome: Mapped[str | None] = mapped_column(Text)  # verdict: convicted|acquitted; sentence
    mandate: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[str] | None] = mapped_column(JSONType)
    extensions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    findings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    note: Mapped[str | None] = mapped_column(Text)
    access: Mapped[str] = mapped_column(String(12), default="internal")
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(100))


class ProceedingSubject(Base):
    """What a proceeding concerns: an incident, a person or a unit (one per row)."""

    __tablename__ = "accountability_subjects"
    __table_args__ = (
        Index("ix_accountability_subjects_proceeding_id", "proceeding_id"),
        Index("ix_accountability_subjects_person_id", "person_id"),
        Index("ix_accountability_subjects_organization_id", "organization_id"),
        Index("ix_accountability_subjects_incident_id", "incident_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proceeding_id: Mapped[int] = mapped_column(
        ForeignKey("accountability_proceedings.id", ondelete="CASCADE")
    )
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("command_organizations.id"))


class NamingSignoff(Base):
    """The sign-off that lets a public output name a person (an alleged perpetrator, or a
    commander in a chain of command): who gave it, when and why, by a user other than anyone
    who entered an allegation against the person. A revocation is recorded on the row (who,
    when, why), never by deleting it; a later sign-off is a new row."""

    __tablename__ = "naming_signoffs"
    __table_args__ = (Index("ix_naming_signoffs_person_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"))
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    why: Mapped[str] = mapped_column(Text)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_why: Mapped[str | None] = mapped_column(Text)
