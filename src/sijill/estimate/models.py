"""The sign-off that lets an estimate of the undocumented toll into a public output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow
from sijill.store.models import JSONType


class EstimateSignoff(Base):
    """An investigator's sign-off of the estimate as it stood: who, when, why, the case's
    digest then and the estimate itself (method, seed, lists, total, interval, warnings). A
    revocation is recorded on the row, never by deleting it; a later sign-off is a new row."""

    __tablename__ = "estimate_signoffs"

    id: Mapped[int] = mapped_column(primary_key=True)
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    why: Mapped[str] = mapped_column(Text)
    case_digest: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSONType)
    revoked_by: Mapped[str | None] = mapped_column(String(100))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_why: Mapped[str | None] = mapped_column(Text)
