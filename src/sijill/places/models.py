"""Gazetteer tables: places, their names, remembered manual mappings, record → place links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
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

PLACE_TYPES = (
    "country",
    "governorate",
    "district",
    "subdistrict",
    "town",
    "village",
    "neighbourhood",
    "other",
)


class Place(Base):
    """One place of the gazetteer: an admin area, a town, a village or a neighbourhood."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), unique=True)  # e.g. "opensyria:sy-tartus"
    name_ar: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(20), default="other")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    pcode: Mapped[str | None] = mapped_column(String(40), index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    gazetteer: Mapped[str] = mapped_column(String(40), default="csv")  # which loader brought it
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PlaceName(Base):
    """A name or variant spelling of a place, with the key it is compared through."""

    __tablename__ = "place_names"
    __table_args__ = (Index("ix_place_names_key", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))  # ar, en, ... (as the gazetteer says)
    kind: Mapped[str] = mapped_column(String(20), default="alias")  # primary | alias | formal ...
    key: Mapped[str | None] = mapped_column(String(300))


class PlaceMapping(Base):
    """A person's decision that a place string means this place; used first on every later run."""

    __tablename__ = "place_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_key: Mapped[str] = mapped_column(String(300), unique=True)
    text: Mapped[str] = mapped_column(Text)
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(100), default="cli")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    why: Mapped[str | None] = mapped_column(Text)


class RecordPlace(Base):
    """Which gazetteer place a record's place of death was resolved to (derived, recomputable)."""

    __tablename__ = "record_places"
    __table_args__ = (UniqueConstraint("record_id", name="uq_record_places_record"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    place_id: Mapped[int | None] = mapped_column(ForeignKey("places.id"), index=True)
    text: Mapped[str | None] = mapped_column(Text)  # the string that was matched
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    method: Mapped[str] = mapped_column(String(20))  # manual | exact | alias | fuzzy | admin | none
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    resolved_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
