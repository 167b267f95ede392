"""Read proceedings from a JSON file and record them, all or nothing.

``{"proceedings": [{"id", "kind", "title", "title_ar", "body", "start_date", "end_date",
"stance", "outcome", "mandate", "members": [...], "extensions": [{"date", "until", "note"}],
"findings": [{"text", "figures": {"name": number}}], "note", "incidents": [ids],
"persons": [actor ids], "units": [unit ids], "sources": [names], "locator", "confidence",
"access", "synthetic"}]}`` (or the list alone). A problem is reported with the proceeding's
number in the file (its "row") and the key at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sijill.accountability.models import Proceeding
from sijill.accountability.service import ProceedingInput, add_proceeding
from sijill.errors import ImportRejected, RowProblem, SijillError
from sijill.incidents.saving import CitationInput

LISTS = ("members", "extensions", "findings", "incidents", "persons", "units", "sources")
TEXTS = (
    "id",
    "kind",
    "title",
    "title_ar",
    "body",
    "start_date",
    "end_date",
    "stance",
    "outcome",
    "mandate",
    "note",
    "locator",
    "confidence",
    "access",
)


def _item(entry: Any) -> ProceedingInput:
    if not isinstance(entry, dict):
        raise ValueError(None, "each proceeding is a JSON object")
    for key in LISTS:
        if not isinstance(entry.get(key, []), list):
            raise ValueError(key, "must be a list")
    for key in TEXTS:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise ValueError(key, "must be a string")
    for key in ("kind", "title"):
        if not entry.get(key):
            raise ValueError(key, "is required")
    confidence = entry.get("confidence", "medium")
    return ProceedingInput(
        kind=entry["kind"],
        title=entry["title"],
        start_date=entry.get("start_date"),
        end_date=entry.get("end_date"),
        title_ar=entry.get("title_ar"),
        body=entry.get("body"),
        stance=entry.get("stance"),
        outcome=entry.get("outcome"),
        mandate=entry.get("mandate"),
        members=[str(m) for m in entry.get("members", [])],
        extensions=entry.get("extensions", []),
        findings=entry.get("findings", []),
        note=entry.get("note"),
        incidents=[str(i) for i in entry.get("incidents", [])],
        persons=[str(p) for p in entry.get("persons", [])],
        units=[str(u) for u in entry.get("units", [])],
        citations=[
            CitationInput(str(s), entry.get("locator"), confidence)
            for s in entry.get("sources", [])
        ],
        access=entry.get("access", "internal"),
        external_id=entry.get("id"),
        synthetic=bool(entry.get("synthetic", False)),
    )


def read_proceedings_json(path: Path) -> list[ProceedingInput]:
    """The proceedings of a JSON file; every malformed one is reported before any is stored."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportRejected(str(path), reason=f"not readable JSON: {exc}") from exc
    entries = doc.get("proceedings") if isinstance(doc, dict) else doc
    if not isinstance(entries, list):
        raise ImportRejected(str(path), reason='expected {"proceedings": [...]} or a list')
    out: list[ProceedingInput] = []
    problems: list[RowProblem] = []
    for number, entry in enumerate(entries, start=1):
        try:
            out.append(_item(entry))
        except ValueError as exc:
            key, message = exc.args
            problems.append(RowProblem(number, key, f"proceeding {number}: {key or ''} {message}"))
    if problems:
        raise ImportRejected(str(path), problems)
    return out


def import_proceedings(session: Session, path: Path, actor: str | None = None) -> list[Proceeding]:
    """Record every proceeding of ``path``; any refused one refuses the file (the caller's
    transaction is rolled back), each problem named by its number in the file."""
    items = read_proceedings_json(path)
    stored: list[Proceeding] = []
    problems: list[RowProblem] = []
    for number, item in enumerate(items, start=1):
        try:
            stored.append(add_proceeding(session, item, actor))
        except SijillError as exc:
            problems.append(RowProblem(number, None, str(exc)))
    if problems:
        raise ImportRejected(str(path), problems)
    return stored
