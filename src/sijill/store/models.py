"""Core tables every capability stands on: sources, records, persons, citations, change log.

Capability-specific tables live beside their capability (``sijill/<capability>/models.py``) on the
same :class:`~sijill.store.base.Base`; ``sijill.schema`` imports them all.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Source(Base):
    """Where information came from: a list, a report, a testimony, a video."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40), default="list")
    publisher: Mapped[str | None] = mapped_column(String(300))
    published: Mapped[str | None] = mapped_column(String(10))  # ISO, possibly partial
    locator: Mapped[str | None] = mapped_column(Text)  # URL, archive reference, file name
    file_name: Mapped[str | None] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    reliability: Mapped[str | None] = mapped_column(String(40))
    access: Mapped[str] = mapped_column(String(12), default="internal")
    version_of_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    derived_from: Mapped[list[int]] = mapped_column(JSONType, default=list)
    mapping: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    record_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    notes: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """An individual: a victim some records refer to, an actor holding posts, or both."""

    __tablename__ = "persons"
    __table_args__ = (
        # The persons a list shows (not merged into another), by level and most open record
        # level: the list's total is counted from this index alone, for every role
        # (migrations 0008_persons_listed_index, 0010_persons_open_access).
        Index(
            "ix_persons_listed",
            "access",
            "open_access",
            postgresql_where=text("merged_into_id IS NULL"),
            sqlite_where=text("merged_into_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    display_name: Mapped[str | None] = mapped_column(Text)
    name_ar: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)
    is_victim: Mapped[bool] = mapped_column(Boolean, default=False)
    is_actor: Mapped[bool] = mapped_column(Boolean, default=False)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    access: Mapped[str] = mapped_column(String(12), default="internal")
    # The most open level among the person's records (each at the stricter of its own level
    # and its source's); NULL: no record. Derived, kept by sijill.store.open_access.
    open_access: Mapped[str | None] = mapped_column(String(12))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Record(Base):
    """One row of a casualty list exactly as its source wrote it, with derived columns."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("source_id", "record_id", name="uq_records_source_record"),
        Index("ix_records_person", "person_id"),
        Index("ix_records_name_key", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    record_id: Mapped[str] = mapped_column(String(200))
    row_number: Mapped[int] = mapped_column(Integer)
    raw: Mapped[dict[str, Any]] = mapped_column(JSONType)  # as written, minus sensitive columns
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted sensitive columns
    access: Mapped[str] = mapped_column(String(12), default="internal")
    # Derived (recomputable) columns.
    full_name: Mapped[str | None] = mapped_column(Text)
    given_name: Mapped[str | None] = mapped_column(Text)
    father_name: Mapped[str | None] = mapped_column(Text)
    grandfather_name: Mapped[str | None] = mapped_column(Text)
    family_name: Mapped[str | None] = mapped_column(Text)
    mother_name: Mapped[str | None] = mapped_column(Text)
    nickname: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(300))
    script: Mapped[str | None] = mapped_column(String(8))  # arabic | latin | mixed
    unidentified: Mapped[bool] = mapped_column(Boolean, default=False)
    sex: Mapped[str | None] = mapped_column(String(1))
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    age_months: Mapped[int | None] = mapped_column(Integer)  # when written finer than a year
    birth_year: Mapped[int | None] = mapped_column(Integer)
    date_of_birth: Mapped[str | None] = mapped_column(String(10))
    date_of_death: Mapped[str | None] = mapped_column(String(10))
    death_start: Mapped[date | None] = mapped_column(Date)
    death_end: Mapped[date | None] = mapped_column(Date)
    place_of_death: Mapped[str | None] = mapped_column(Text)
    governorate: Mapped[str | None] = mapped_column(Text)
    district: Mapped[str | None] = mapped_column(Text)
    subdistrict: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="killed")
    civilian_status: Mapped[str] = mapped_column(String(20), default="unknown")
    cause_of_death: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=1)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id"))
    # Values the import read in an unusual way or left empty: [{column, kind, message}].
    quality: Mapped[list[dict[str, str]] | None] = mapped_column(JSONType)
    # A record entered by hand into its source: when and by whom (NULL: came with the list).
    entered_at: Mapped[datetime | None] = mapped_column(DateTime)
    entered_by: Mapped[str | None] = mapped_column(String(100))


class RecordVersion(Base):
    """An earlier state of a corrected record (its row as written and every derived column,
    as JSON), and the correction that replaced it: who, when and why. The current state is
    the record itself; ``number`` 1 is the record as first stored."""

    __tablename__ = "record_versions"
    __table_args__ = (UniqueConstraint("record_id", "number", name="uq_record_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSONType)
    replaced_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    replaced_by: Mapped[str] = mapped_column(String(100))
    why: Mapped[str] = mapped_column(Text)


NAME_PART_FIELDS = ("given_name", "father_name", "grandfather_name", "family_name", "mother_name")

# The derived (recomputable) columns of a record that exports and API answers show.
RECORD_DERIVED_FIELDS = (
    "full_name",
    *NAME_PART_FIELDS,
    "nickname",
    "sex",
    "age_min",
    "age_max",
    "age_months",
    "birth_year",
    "date_of_birth",
    "date_of_death",
    "place_of_death",
    "governorate",
    "district",
    "subdistrict",
    "status",
    "civilian_status",
    "cause_of_death",
    "count",
    "unidentified",
)


class Citation(Base):
    """The link from a claim (a row of some table, or one field of it) to a source."""

    __tablename__ = "citations"
    __table_args__ = (Index("ix_citations_claim", "claim_table", "claim_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    claim_table: Mapped[str] = mapped_column(String(60))
    claim_id: Mapped[str] = mapped_column(String(100))
    field: Mapped[str | None] = mapped_column(String(60))
    locator: Mapped[str | None] = mapped_column(Text)  # page, timestamp, paragraph
    confidence: Mapped[str] = mapped_column(String(8), default="medium")
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ChangeLogEntry(Base):
    """Append-only log: who did what to which thing, when and why."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    why: Mapped[str | None] = mapped_column(Text)
