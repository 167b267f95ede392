"""Read incidents from a JSON file (the shape of FORMATS.md §3 ``incidents``, extended)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sijill.errors import ImportRejected, RowProblem
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput


def read_incidents_json(path: Path) -> list[IncidentInput]:
    """``{"incidents": [{"id", "title", "place" | "places", "start_date", "end_date",
    "violations" and "characterizations" (codes, or {"code", "sources", "confidence",
    "locator"}), "victims": {"persons", "count", "sources"},
    "perpetrator_organization_ids" (with "perpetrator_status": one status, or one per unit id,
    as a structure file writes it) | "perpetrators": [{"organization_id", "person_id",
    "involvement", "status", "sources", "confidence", "locator"}], "evidence", "sources",
    "confidence", "parent_id", "access", "synthetic"}]}``. A structure file's ``incidents``
    read the same."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportRejected(str(path), reason=f"not readable JSON: {exc}") from exc
    items = doc.get("incidents", []) if isinstance(doc, dict) else doc
    out: list[IncidentInput] = []
    problems: list[RowProblem] = []
    for number, item in enumerate(items, start=1):
        try:
            out.append(incident_from_dict(item))
        except (KeyError, TypeError, ValueError) as exc:
            problems.append(RowProblem(number, None, f"incident {number}: {exc!r}"))
    if problems:
        raise ImportRejected(str(path), problems)
    return out


def _citations(item: dict[str, Any]) -> list[CitationInput]:
    return [
        CitationInput(str(s), item.get("locator"), item.get("confidence", "medium"))
        for s in item.get("sources", [])
    ]


def _code(entry: str | dict[str, Any]) -> str:
    return entry if isinstance(entry, str) else str(entry["code"])


def _coded_citations(entries: list[str | dict[str, Any]]) -> dict[str, list[CitationInput]]:
    """``[{"code": ..., "sources": [...], "confidence": ..., "locator": ...}]`` → citations."""
    return {_code(e): _citations(e) for e in entries if isinstance(e, dict) and e.get("sources")}


def _status(status: str | dict[str, str] | None, unit: str) -> str:
    """A unit's allegation status from ``perpetrator_status`` (one for all, or by unit id)."""
    value = status.get(unit) if isinstance(status, dict) else status
    return value or "alleged"


def incident_from_dict(item: dict[str, Any]) -> IncidentInput:
    """One incident of the JSON shape (a file's, or an API body's) as the saving input."""
    victims = item.get("victims") or {}
    perpetrators = [
        PerpetratorInput(
            organization_ref=p.get("organization_id"),
            person_id=p.get("person_id"),
            involvement=p.get("involvement"),
            status=p.get("status", "alleged"),
            note=p.get("note"),
            citations=_citations(p),
        )
        for p in item.get("perpetrators", [])
    ] + [
        PerpetratorInput(
            organization_ref=str(ref),
            status=_status(item.get("perpetrator_status"), str(ref)),
            citations=_citations(item),
        )
        for ref in item.get("perpetrator_organization_ids", [])
    ]
    places = item.get("places") or []
    return IncidentInput(
        title=item.get("title"),
        title_ar=item.get("title_ar"),
        description=item.get("description"),
        external_id=item.get("id"),
        parent=item.get("parent_id"),
        place=item.get("place"),
        places=[str(p) for p in places],
        start_date=item.get("start_date"),
        end_date=item.get("end_date"),
        violations=[_code(v) for v in item.get("violations", [])],
        characterizations=[_code(c) for c in item.get("characterizations", [])],
        violation_citations=_coded_citations(item.get("violations", [])),
        characterization_citations=_coded_citations(item.get("characterizations", [])),
        victim_persons=[int(p) for p in victims.get("persons", [])],
        victim_count=int(victims["count"]) if victims.get("count") else None,
        victim_citations=_citations(victims),
        perpetrators=perpetrators,
        evidence=[str(e) for e in item.get("evidence", [])],
        citations=_citations(item),
        access=item.get("access"),
        synthetic=bool(item.get("synthetic", False)),
    )
