"""How a refused write answers, naming the field at fault: the API with 422 and FastAPI's own
shape (``{"detail": [{"loc": ["body", ...], "msg": ..., "type": ...}]}``), a form with the
page again, the values kept and each problem beside its field's name."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException
from pydantic import ValidationError

from sijill.errors import ImportRejected, SijillError


@dataclass(frozen=True)
class Problem:
    """One refused value: the field's path (``perpetrators.0.organization_id``) and why."""

    field: str
    message: str

    @property
    def name(self) -> str:
        """The form field the path begins with (``perpetrators``)."""
        return self.field.split(".")[0]


def problems_of(
    exc: SijillError | ValidationError, strip: str = "", rows: bool = False
) -> list[Problem]:
    """The problems an error names; ``strip`` drops a leading path (a structure row's kind);
    ``rows`` puts a structure document's row (from 0) after its kind (``memberships.0.role``)."""
    if isinstance(exc, ValidationError):
        return [Problem(".".join(str(part) for part in e["loc"]), e["msg"]) for e in exc.errors()]
    if isinstance(exc, ImportRejected) and exc.problems:
        return [
            Problem(
                _at_row(p.column or "", p.row) if rows else _strip(p.column or "", strip), p.error
            )
            for p in exc.problems
        ]
    return [Problem(exc.field or "", str(exc))]


def _at_row(path: str, row: int) -> str:
    kind, _, key = path.partition(".")
    return ".".join(str(p) for p in (kind, row - 1 if row > 0 else "", key) if p != "")


def _strip(path: str, prefix: str) -> str:
    return path[len(prefix) + 1 :] if prefix and path.startswith(prefix + ".") else path


def refused(problems: list[Problem]) -> HTTPException:
    """The API's 422 for these problems."""
    return HTTPException(
        422,
        [
            {
                "loc": ["body", *(int(p) if p.isdigit() else p for p in pr.field.split(".") if p)],
                "msg": pr.message,
                "type": "value_error",
            }
            for pr in problems
        ],
    )
