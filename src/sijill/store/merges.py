"""Following merges to the surviving row: one function for persons and organizations.

A merged row keeps its id and points at the row it was merged into (``merged_into_id``), so an
old id still resolves. A chain of merges is followed to its end; a cycle is an error, never an
endless loop.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from sijill.errors import SijillError


class MergeCycle(SijillError):
    """Merges point round in a circle; the data needs a person to untangle it."""


def survivor(start: int, merged_into: Callable[[int], int | None]) -> int:
    """The id that ``start`` was (through any chain of merges) merged into; ``start`` itself
    when it was never merged. ``merged_into`` gives the next id of a chain, or None."""
    seen = [start]
    current = start
    while (target := merged_into(current)) is not None:
        if target in seen:
            chain = " -> ".join(str(i) for i in [*seen, target])
            raise MergeCycle(f"merges loop: {chain}")
        seen.append(target)
        current = target
    return current


class _Mergeable(Protocol):
    id: int
    merged_into_id: int | None


Row = TypeVar("Row", bound=_Mergeable)


def surviving(session: Session, row: Row) -> Row:
    """The row that ``row`` was merged into (itself when never merged)."""
    model = type(row)

    def next_id(row_id: int) -> int | None:
        return session.get_one(model, row_id).merged_into_id

    final = survivor(row.id, next_id)
    return row if final == row.id else session.get_one(model, final)
