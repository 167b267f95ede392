"""What to say when an id names nothing: the close matches among the ids the case knows.

One rule for every kind of thing a command refers to (a unit, a person, a source, an evidence
item): an unknown id is refused with the nearest known ids, unless the command offers an
explicit option to create it (``sijill import structure --create-sources``). A door that names
the source it brings in (``import records --source``, ``evidence add --source``) creates it.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches
from typing import Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.store.models import Source

SOURCE_HINT = "import or register it first"


def close_matches(ref: str, known: Iterable[str], n: int = 5) -> list[str]:
    """The known ids nearest to ``ref`` (best first; case is ignored)."""
    by_folded: dict[str, str] = {}
    for item in known:
        if item:
            by_folded.setdefault(item.casefold(), item)
    found = get_close_matches(ref.casefold(), list(by_folded), n=n, cutoff=0.4)
    return [by_folded[f] for f in found]


def unknown(kind: str, ref: str, known: Iterable[str], hint: str | None = None) -> NotFound:
    """The error for an id naming no ``kind``: the close matches, then what to do."""
    matches = close_matches(ref, known)
    text = f"no {kind} with id {ref!r}"
    if matches:
        text += "; close matches: " + ", ".join(repr(m) for m in matches)
    if hint:
        text += f" ({hint})"
    return NotFound(text)


Row = TypeVar("Row")


def row_number(ref: str) -> int | None:
    """``ref`` as a row number, if it is written as one (decimal digits: ``²`` is a name)."""
    return int(ref) if ref.isdecimal() and len(ref) < 10 else None


def by_number_or(session: Session, model: type[Row], column: Any, ref: str | int) -> Row | None:
    """The row ``ref`` names: its number (row id), else the value of ``column`` (a name or an
    external id)."""
    ref = str(ref)
    number = row_number(ref)
    found = session.get(model, number) if number is not None else None
    return found or session.scalar(select(model).where(column == ref))


class _Leveled(Protocol):
    access: Any


Leveled = TypeVar("Leveled", bound=_Leveled)


def readable_by_number_or(
    session: Session, model: type[Leveled], column: Any, ref: str, levels: Iterable[str], what: str
) -> Leveled:
    """:func:`by_number_or`, if its access is one of ``levels``; else NotFound ("no
    ``what`` ...", the same whether it is missing or unreadable)."""
    found = by_number_or(session, model, column, ref)
    if found is None or found.access not in set(levels):
        raise NotFound(f"no {what} {ref!r}")
    return found


def find_source(session: Session, ref: str) -> Source | None:
    """The source ``ref`` names: its number or its name."""
    return by_number_or(session, Source, Source.name, ref)


def require_source(session: Session, ref: str, hint: str = SOURCE_HINT) -> Source:
    """The source ``ref`` names; an unknown one is refused with the close matches."""
    found = find_source(session, ref)
    if found is None:
        raise unknown_source(session, ref, hint)
    return found


def unknown_source(session: Session, ref: str, hint: str = SOURCE_HINT) -> NotFound:
    return unknown("source", ref, session.scalars(select(Source.name)), hint)
