"""Who a source (a list, a statement, a report), a record or an evidence item may be shared
with.

One row per consent: the thing (``source`` or ``record`` by number, ``evidence`` by item id),
the recipient, who recorded it, when and why; a withdrawal is recorded on the row, never by
deleting it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from sijill.store.base import Base, utcnow


class SharingConsent(Base):
    __tablename__ = "sharing_consents"
    __table_args__ = (Index("ix_sharing_consents_target", "target_kind", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    target_kind: Mapped[str] = mapped_column(String(20))  # source | evidence | record
    target_id: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(40))
    why: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_why: Mapped[str | None] = mapped_column(Text)
