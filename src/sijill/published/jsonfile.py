"""Read published figures from a JSON file and record them, all or nothing.

``{"figures": [{"id", "organisation", "organisation_ar", "published", "counts", "total",
"start_date", "end_date", "places": ["demo:v01", {"place": "demo:v02", "count": 12}, ...],
"sources": [names], "locator", "note", "access", "synthetic"}]}`` (or the list alone). A
problem is reported with the figure's number in the file (its "row") and the key at fault.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sijill.errors import ImportRejected, RowProblem
from sijill.incidents.saving import CitationInput
from sijill.published.models import PublishedFigure
from sijill.published.service import BadFigure, FigureInput, ScopePlace, add_figure

TEXTS = (
    "id",
    "organisation",
    "organisation_ar",
    "published",
    "counts",
    "start_date",
    "end_date",
    "locator",
    "note",
    "access",
)


def _place(entry: Any) -> ScopePlace:
    if isinstance(entry, str):
        return ScopePlace(entry)
    if isinstance(entry, dict) and isinstance(entry.get("place"), str):
        number = entry.get("count")
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise BadFigure("places", f"{entry['place']}: count must be a whole number")
        return ScopePlace(entry["place"], number)
    raise BadFigure("places", 'each place is "id" or {"place": "id", "count": n}')


def _item(entry: Any) -> FigureInput:
    if not isinstance(entry, dict):
        raise BadFigure("-", "each figure is a JSON object")
    for key in TEXTS:
        if entry.get(key) is not None and not isinstance(entry[key], str):
            raise BadFigure(key, "must be a string")
    for key in ("places", "sources"):
        if not isinstance(entry.get(key, []), list):
            raise BadFigure(key, "must be a list")
    for key in ("organisation", "counts", "total"):
        if entry.get(key) in (None, ""):
            raise BadFigure(key, "is required")
    return FigureInput(
        organisation=entry["organisation"],
        organisation_ar=entry.get("organisation_ar"),
        counts=entry["counts"],
        total=entry["total"],
        published=entry.get("published"),
        start_date=entry.get("start_date"),
        end_date=entry.get("end_date"),
        places=[_place(p) for p in entry.get("places", [])],
        sources=[CitationInput(str(s), entry.get("locator")) for s in entry.get("sources", [])],
        note=entry.get("note"),
        access=entry.get("access", "internal"),
        external_id=entry.get("id"),
        synthetic=bool(entry.get("synthetic", False)),
    )


def read_figures_json(path: Path) -> list[FigureInput]:
    """The figures of a JSON file; every malformed one is reported before any is stored."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportRejected(str(path), reason=f"not readable JSON: {exc}") from exc
    entries = doc.get("figures") if isinstance(doc, dict) else doc
    if not isinstance(entries, list):
        raise ImportRejected(str(path), reason='expected {"figures": [...]} or a list')
    out: list[FigureInput] = []
    problems: list[RowProblem] = []
    for number, entry in enumerate(entries, start=1):
        try:
            out.append(_item(entry))
        except BadFigure as exc:
            problems.append(RowProblem(number, exc.field, f"figure {number}: {exc}"))
    if problems:
        raise ImportRejected(str(path), problems)
    return out


def import_figures(session: Session, path: Path, actor: str | None = None) -> list[PublishedFigure]:
    """Record every figure of ``path``; any refused one refuses the file (the caller's
    transaction is rolled back), each problem named by its number in the file and its key."""
    items = read_figures_json(path)
    stored: list[PublishedFigure] = []
    problems: list[RowProblem] = []
    for number, item in enumerate(items, start=1):
        try:
            stored.append(add_figure(session, item, actor))
        except BadFigure as exc:
            problems.append(RowProblem(number, exc.field, f"figure {number}: {exc}"))
    if problems:
        raise ImportRejected(str(path), problems)
    return stored
