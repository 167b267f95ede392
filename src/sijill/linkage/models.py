"""Tables of the linkage: runs, the review queue and reviewers' decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow
from sijill.store.models import JSONType

DECISIONS = ("same", "different", "unsure")


class LinkageRun(Base):
    """One run of `sijill link`: what it read, what it changed, the model it trained."""

    __tablename__ = "linkage_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    engine: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(100))
    records: Mapped[int] = mapped_column(Integer, default=0)
    people: Mapped[int] = mapped_column(Integer, default=0)
    threshold: Mapped[float] = mapped_column(Float)
    fingerprint: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    model: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class ReviewPair(Base):
    """Two records the model is unsure about (or held apart by a conflict): a question."""

    __tablename__ = "linkage_review_pairs"
    __table_args__ = (
        UniqueConstraint("record_a_id", "record_b_id", name="uq_linkage_review_pairs_records"),
        Index("ix_linkage_review_pairs_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_a_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    probability: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(20))  # uncertain | conflict
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | decided
    run_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_runs.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LinkDecision(Base):
    """A reviewer's answer about two records, with who, when and why. The latest one counts."""

    __tablename__ = "linkage_decisions"
    __table_args__ = (Index("ix_linkage_decisions_records", "record_a_id", "record_b_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_a_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    record_b_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(12))  # same | different | unsure
    actor: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    why: Mapped[str | None] = mapped_column(Text)
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("linkage_review_pairs.id"))


class StoredScore(Base):
    """A pair the last run scored (probability at least `scoring.KEEP_ABOVE`), kept so that
    people can be re-formed at other thresholds without scoring again (``estimate``'s linkage
    sensitivity). Replaced by every run."""

    __tablename__ = "linkage_scores"

    record_a_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    record_b_id: Mapped[int] = mapped_column(
        ForeignKey("records.id", ondelete="CASCADE"), primary_key=True
    )
    probability: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
