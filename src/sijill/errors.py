"""Typed errors that carry what a user needs to fix the input."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


class SijillError(Exception):
    """Base of every error Sijill reports to a user (printed without a traceback).

    ``field`` names the input field at fault, where one is known (a web form or the API names
    it beside the message; see :func:`about`)."""

    field: str | None = None

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


@contextmanager
def about(field: str) -> Iterator[None]:
    """Name ``field`` on any Sijill error raised inside: ``places.0``; a field a nested call
    named is put under it (``perpetrators.0`` + ``status`` → ``perpetrators.0.status``)."""
    try:
        yield
    except SijillError as exc:
        exc.field = field if exc.field is None else f"{field}.{exc.field}"
        raise


@dataclass(frozen=True)
class RowProblem:
    """One problem in one cell of an input file."""

    row: int
    column: str | None
    error: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "error": self.error}


@dataclass
class ImportRejected(SijillError):
    """An input file was refused; nothing of it was stored."""

    path: str
    problems: list[RowProblem] = field(default_factory=list)
    reason: str = ""

    def __str__(self) -> str:
        if self.reason:
            return f"{self.path}: {self.reason}"
        head = f"{self.path}: refused, {len(self.problems)} problem(s); nothing was imported"
        lines = [f"  row {p.row}, column {p.column or '-'}: {p.error}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join([head, *lines])


@dataclass
class SameFileRejected(ImportRejected):
    """The exact file (same SHA-256) was imported before, as source ``twin``."""

    twin: str = ""


class NotFound(SijillError):
    """A named thing does not exist in the case."""


class ConfigError(SijillError):
    """Configuration (database URL, key file, vault) is missing or wrong."""
