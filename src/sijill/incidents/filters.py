"""Filters over incident summaries (as :func:`~sijill.incidents.service.list_incidents` gives them)
and the layout of a simple timeline. Pure functions: the CLI, the API and the map share them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sijill.incidents.dates import date_span, overlaps


@dataclass(frozen=True)
class IncidentFilter:
    """Keep incidents that can overlap ``date_from``–``date_to`` (partial ISO dates), whose
    violations include ``violation`` or a narrower term, and that allege ``unit``."""

    date_from: str | None = None
    date_to: str | None = None
    violation: str | None = None
    unit: str | None = None

    def keeps(self, doc: dict[str, Any]) -> bool:
        first = date_span(self.date_from)
        last = date_span(self.date_to)
        start = date.fromisoformat(doc["start_day"]) if doc["start_day"] else None
        end = date.fromisoformat(doc["end_day"]) if doc["end_day"] else None
        if (first or last) and not overlaps(
            first[0] if first else None, last[1] if last else None, start, end
        ):
            return False
        if self.violation and not any(
            v["code"] == self.violation or v["code"].startswith(self.violation + ".")
            for v in doc["violations"]
        ):
            return False
        if self.unit and self.unit not in {p["organization_id"] for p in doc["perpetrators"]}:
            return False
        return True

    def apply(self, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in docs if self.keeps(d)]


@dataclass(frozen=True)
class TimelineBar:
    incident_id: int
    title: str
    x: float
    width: float
    row: int
    victims: int
    start: str
    end: str


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    bars: list[TimelineBar]
    ticks: list[tuple[float, str]]  # (x, ISO day)


def timeline_layout(
    docs: list[dict[str, Any]], width: float = 900.0, row_height: float = 18.0, rtl: bool = False
) -> Timeline:
    """Bars from each incident's first to last day, packed into rows so none overlap; in a
    right-to-left page time runs from right to left."""
    dated = [d for d in docs if d["start_day"]]
    if not dated:
        return Timeline(width, 0.0, [], [])
    first = min(date.fromisoformat(d["start_day"]) for d in dated)
    last = max(date.fromisoformat(d["end_day"] or d["start_day"]) for d in dated)
    days = (last - first).days + 1
    per_day = width / days
    row_ends: list[date] = []
    bars = []
    for doc in sorted(dated, key=lambda d: (d["start_day"], d["end_day"] or "")):
        start = date.fromisoformat(doc["start_day"])
        end = date.fromisoformat(doc["end_day"] or doc["start_day"])
        row = next((i for i, e in enumerate(row_ends) if e < start), len(row_ends))
        if row == len(row_ends):
            row_ends.append(end)
        else:
            row_ends[row] = end
        x = (start - first).days * per_day
        w = max(((end - start).days + 1) * per_day - 2, 2)
        bars.append(
            TimelineBar(
                doc["id"],
                doc["title"],
                round(width - x - w if rtl else x, 1),
                round(w, 1),
                row,
                doc["victims"]["documented"],
                doc["start_day"],
                doc["end_day"] or doc["start_day"],
            )
        )
    step = max(1, days // 12)
    ticks = []
    for offset in range(0, days, step):
        x = offset * per_day + per_day / 2
        ticks.append(
            (round(width - x if rtl else x, 1), (first + timedelta(days=offset)).isoformat())
        )
    return Timeline(width, (len(row_ends) + 1) * row_height + 20, bars, ticks)
