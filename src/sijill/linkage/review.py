"""The review queue as a library: list questions, show a pair side by side, record answers.

The terminal (`sijill review`) and the web page both call these functions. A decision is stored
with who, when and why, and applied at once: "same" merges the two people (the one left is marked
``merged_into_id``), "different" moves the second record to a person of its own when both were
one person. Every later `sijill link` honours it (must-link, cannot-link).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from sijill.errors import NotFound, SijillError
from sijill.linkage.features import PARTS, comparison_row, split_parts
from sijill.linkage.models import DECISIONS, LinkDecision, ReviewPair
from sijill.linkage.service import case_facts
from sijill.store.changelog import default_actor, log_change
from sijill.store.merges import surviving
from sijill.store.models import Person, Record, Source

SHOWN_FIELDS = (
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "nickname",
    "sex",
    "age",
    "birth_year",
    "date_of_death",
    "place_of_death",
    "district",
    "source",
    "record_id",
    "person_id",
)
# Which comparison keys decide whether a shown field agrees.
_KEYS = {
    "given_name": ("given",),
    "father_name": ("father",),
    "grandfather_name": ("grandfather",),
    "family_name": ("family",),
    "full_name": ("given", "father", "family"),
    "nickname": ("k_nickname",),
    "sex": ("sex",),
    "birth_year": ("birth_year",),
    "age": ("birth_year",),
    "date_of_death": ("death_day",),
    "place_of_death": ("place",),
    "district": ("district",),
}


@dataclass(frozen=True)
class FieldView:
    field: str
    left: str
    right: str
    verdict: str  # agree | differ | unknown | info


@dataclass(frozen=True)
class PairView:
    pair_id: int
    probability: float
    reason: str
    status: str
    fields: list[FieldView]

    def as_dict(self) -> dict[str, Any]:
        return {
            "pair_id": self.pair_id,
            "probability": self.probability,
            "reason": self.reason,
            "status": self.status,
            "fields": [f.__dict__ for f in self.fields],
        }


def _open(access: Collection[str] | None) -> Select[ReviewPair]:
    stmt = select(ReviewPair).where(ReviewPair.status == "open")
    if access is not None:
        left, right = aliased(Record), aliased(Record)
        stmt = (
            stmt.join(left, left.id == ReviewPair.record_a_id)
            .join(right, right.id == ReviewPair.record_b_id)
            .where(left.access.in_(list(access)), right.access.in_(list(access)))
        )
    return stmt


def open_pairs(
    session: Session,
    *,
    limit: int = 50,
    offset: int = 0,
    access: Collection[str] | None = None,
) -> list[ReviewPair]:
    """Open questions, most uncertain first (probability nearest one half); both records at
    the given access levels, if given."""
    stmt = _open(access).order_by(func.abs(ReviewPair.probability - 0.5), ReviewPair.id)
    return list(session.scalars(stmt.limit(limit).offset(offset)))


def count_open(session: Session, access: Collection[str] | None = None) -> int:
    subquery = _open(access).subquery()
    return session.scalar(select(func.count()).select_from(subquery)) or 0


def pair_readable(session: Session, pair_id: int, access: Collection[str]) -> bool:
    """Whether both records of a pair are at one of the given access levels."""
    pair = session.get(ReviewPair, pair_id)
    if pair is None:
        return False
    records = (session.get(Record, pair.record_a_id), session.get(Record, pair.record_b_id))
    return all(r is not None and r.access in access for r in records)


def _shown(record: Record, source: str) -> dict[str, str]:
    age = ""
    if record.age_min is not None or record.age_max is not None:
        low, high = record.age_min, record.age_max
        age = str(low) if low == high else f"{low if low is not None else ''}-{high or ''}"
    values = {f: getattr(record, f, None) for f in SHOWN_FIELDS}
    if not any(values[f"{p}_name"] for p in PARTS):  # only a full name: show how it was read
        values |= {f"{p}_name": v for p, v in split_parts(record.full_name).items()}
    values |= {"age": age, "source": source, "record_id": record.record_id}
    return {k: "" if v is None else str(v) for k, v in values.items()}


def _same_name(part: str, left: dict[str, Any], right: dict[str, Any]) -> bool | None:
    """One name in both records? The names key, else the fine skeleton; None if one lacks it."""
    if left[f"k_{part}"] is None or right[f"k_{part}"] is None:
        return None
    return left[f"k_{part}"] == right[f"k_{part}"] or left[f"f_{part}"] == right[f"f_{part}"]


def _verdict(field: str, left: dict[str, Any], right: dict[str, Any]) -> str:
    keys = _KEYS.get(field)
    if keys is None:
        return "info"
    if field.endswith("name") and field != "nickname":
        same = [_same_name(part, left, right) for part in keys]
        if any(s is False for s in same):
            return "differ"
        return "unknown" if any(s is None for s in same) else "agree"
    pairs = [(left.get(k), right.get(k)) for k in keys]
    if any(a is None or b is None for a, b in pairs):
        return "unknown"
    if field in ("birth_year", "age"):
        return "agree" if abs(pairs[0][0] - pairs[0][1]) <= 3 else "differ"  # type: ignore[operator]
    if field == "date_of_death":
        return "agree" if abs(pairs[0][0] - pairs[0][1]) <= 1 else "differ"  # type: ignore[operator]
    return "agree" if all(a == b for a, b in pairs) else "differ"


def pair_view(session: Session, pair_id: int) -> PairView:
    """Both records side by side, field by field, with what agrees and what differs."""
    pair = session.get(ReviewPair, pair_id)
    if pair is None:
        raise NotFound(f"no review pair {pair_id}")
    a = session.get(Record, pair.record_a_id)
    b = session.get(Record, pair.record_b_id)
    assert a is not None and b is not None
    names = {sid: name for sid, name in session.execute(select(Source.id, Source.name))}
    left, right = _shown(a, names.get(a.source_id, "")), _shown(b, names.get(b.source_id, ""))
    kl, kr = (comparison_row(facts) for facts in case_facts(session, (a, b)))
    fields = [
        FieldView(f, left[f], right[f], _verdict(f, kl, kr))
        for f in SHOWN_FIELDS
        if left[f] or right[f]
    ]
    return PairView(pair.id, pair.probability, pair.reason, pair.status, fields)


def resolve_person(session: Session, person_id: int) -> Person:
    """The person an id stands for now, following merges (old ids stay resolvable)."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(f"no person {person_id}")
    return surviving(session, person)


def decide(
    session: Session,
    pair_id: int,
    decision: str,
    *,
    why: str | None = None,
    actor: str | None = None,
) -> LinkDecision:
    """Record a reviewer's answer to a question in the queue and apply it."""
    pair = session.get(ReviewPair, pair_id)
    if pair is None:
        raise NotFound(f"no review pair {pair_id}")
    return decide_records(
        session, pair.record_a_id, pair.record_b_id, decision, why=why, actor=actor, pair=pair
    )


def decide_records(
    session: Session,
    record_a: int,
    record_b: int,
    decision: str,
    *,
    why: str | None = None,
    actor: str | None = None,
    pair: ReviewPair | None = None,
) -> LinkDecision:
    """Record and apply a decision about any two records (queued or not)."""
    if decision not in DECISIONS:
        raise SijillError(f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
    a, b = sorted((record_a, record_b))
    ra, rb = session.get(Record, a), session.get(Record, b)
    if ra is None or rb is None:
        raise NotFound(f"no record {a if ra is None else b}")
    actor = actor or default_actor()
    entry = LinkDecision(
        record_a_id=a,
        record_b_id=b,
        decision=decision,
        actor=actor,
        why=why,
        pair_id=pair.id if pair else None,
    )
    session.add(entry)
    if pair is not None:
        pair.status = "decided"
    if decision == "same":
        _merge(session, ra, rb, actor)
    elif decision == "different":
        _split(session, ra, rb, actor)
    session.flush()
    log_change(
        session,
        action=f"decide-{decision}",
        entity="records",
        entity_id=f"{a},{b}",
        detail={"decision_id": entry.id, "pair_id": entry.pair_id},
        why=why,
        actor=actor,
    )
    return entry


def _merge(session: Session, ra: Record, rb: Record, actor: str) -> None:
    if ra.person_id is None and rb.person_id is None:
        person = Person(is_victim=True, display_name=ra.full_name, name_key=ra.name_key)
        session.add(person)
        session.flush()
        ra.person_id = rb.person_id = person.id
        return
    if ra.person_id is None or rb.person_id is None:
        target = ra.person_id or rb.person_id
        ra.person_id = rb.person_id = target
        return
    keep = resolve_person(session, min(ra.person_id, rb.person_id))
    gone = resolve_person(session, max(ra.person_id, rb.person_id))
    if keep.id == gone.id:
        return
    for record in session.scalars(select(Record).where(Record.person_id == gone.id)):
        record.person_id = keep.id
    keep.is_victim = True
    gone.merged_into_id = keep.id
    log_change(
        session,
        action="merge",
        entity="person",
        entity_id=gone.id,
        detail={"merged_into": keep.id, "by": "review"},
        actor=actor,
    )


def _split(session: Session, ra: Record, rb: Record, actor: str) -> None:
    if ra.person_id is None or ra.person_id != rb.person_id:
        return
    person = Person(is_victim=True, display_name=rb.full_name, name_key=rb.name_key)
    session.add(person)
    session.flush()
    old = rb.person_id
    rb.person_id = person.id
    log_change(
        session,
        action="split",
        entity="person",
        entity_id=old,
        detail={"record": rb.id, "new_person": person.id, "by": "review"},
        actor=actor,
    )
