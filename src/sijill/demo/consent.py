"""SYNTHETIC per-record consent for the demo: two victims of the public list whose (invented)
families agreed to their records going to a court only, so every public output and any other
recipient's package leaves them out and says so."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.disclosure.consent import grant
from sijill.store.models import Record, Source

DEMO_RECORD_CONSENT = ("court", "synthetic demo: the family agreed to a court only (fictional)")


def build_demo_record_consent(session: Session, how_many: int = 2) -> list[int]:
    """Restrict ``how_many`` adults of the public list, each the only public record of their
    person and of their name, to a court; returns their record numbers."""
    rows = list(
        session.execute(
            select(Record.id, Record.person_id, Record.full_name, Record.age_min)
            .join(Source, Source.id == Record.source_id)
            .where(Source.access == "public", Record.access == "public")
            .where(Record.unidentified.is_(False))
            .order_by(Record.id)
        ).all()
    )
    people = Counter(p for _, p, _, _ in rows if p is not None)
    names = Counter(n for _, _, n, _ in rows if n)
    chosen = [
        number
        for number, person, name, age in rows
        if person is not None
        and people[person] == 1
        and name
        and names[name] == 1
        and age is not None
        and age >= 18
    ][:how_many]
    for number in chosen:
        grant(session, "record", str(number), *DEMO_RECORD_CONSENT, "demo")
    return chosen
