"""The accountability status of one alleged perpetrator, derived by a pure function.

From the proceedings that concern the person or unit (for this incident or for none in
particular) comes how far justice went: under investigation, charged, tried, convicted or
acquitted, and whether a sanction, dismissal or sentence followed. From the career (the command
model's posts, :mod:`sijill.command.career`) comes whether the person is still in the post they
held at the incident, gained a new rank after it or moved to another post. A rank gained after
the incident is a fact about the career, not proof of reward; the wording says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

STAGE_OF_KIND = {
    "national_inquiry": "under_investigation",
    "international_inquiry": "under_investigation",
    "criminal_investigation": "under_investigation",
    "arrest": "under_investigation",
    "charge": "charged",
    "trial": "tried",
    "sentence": "convicted",
}
STAGES = ("under_investigation", "charged", "tried", "acquitted", "convicted")
SANCTIONS = ("sanction", "dismissal", "sentence")

WORDING = {
    "no_known_proceedings": "no proceedings known to the case",
    "under_investigation": "under investigation or inquiry",
    "charged": "charged",
    "tried": "tried",
    "acquitted": "acquitted",
    "convicted": "convicted",
    "sanctioned": "sanctioned (sanction, dismissal or sentence)",
    "still_in_post": "still in the post held at the time of the incident",
    "promoted_after_incident": (
        "gained a new rank after the incident (a fact about the career, not proof of reward)"
    ),
    "moved": "took another post after the incident (a fact about the career, not proof of reward)",
}


@dataclass(frozen=True)
class Event:
    """What the status needs of one proceeding."""

    id: int
    kind: str
    day: date | None  # its last known day (end, else start)
    outcome: str | None
    stance: str | None
    recorded_at: datetime


def _order(event: Event) -> tuple[date, int]:
    return (event.day or date.min, event.id)


def judicial(events: list[Event]) -> tuple[str | None, bool]:
    """The furthest stage the proceedings reached (the latest verdict decides between convicted
    and acquitted) and whether a sanction followed."""
    rank = -1
    for event in events:
        stage = STAGE_OF_KIND.get(event.kind)
        if stage is not None:
            rank = max(rank, STAGES.index(stage))
    verdicts = sorted((e for e in events if e.kind == "verdict" and e.outcome), key=_order)
    if verdicts:
        rank = max(rank, STAGES.index("acquitted"))
        if verdicts[-1].outcome == "convicted" or rank == STAGES.index("convicted"):
            rank = STAGES.index("convicted")
    sanctioned = any(e.kind in SANCTIONS for e in events)
    return (STAGES[rank] if rank >= 0 else None), sanctioned


def _held_at(post: dict[str, Any], day: date) -> bool:
    start, end = post.get("possibly_from"), post.get("possibly_to")
    return (start is None or date.fromisoformat(start) <= day) and (
        end is None or day <= date.fromisoformat(end)
    )


def career_facts(posts: list[dict[str, Any]], cutoff: date | None) -> list[str]:
    """Still in post / promoted after the incident / moved, from the career's posts (as
    :func:`sijill.command.career.career` gives them with the incident's last day as cutoff).
    Still in post: a post possibly held on that day with no known end (neither an end date nor
    a last sighting)."""
    if cutoff is None:
        return []
    facts = []
    if any(
        _held_at(p, cutoff) and p.get("surely_to") is p.get("possibly_to") is None for p in posts
    ):
        facts.append("still_in_post")
    gained = [p for p in posts if p.get("gained_after")]
    if any(p.get("new_rank_after") for p in gained):
        facts.append("promoted_after_incident")
    elif gained:
        facts.append("moved")
    return facts


def derive_status(
    events: list[Event], posts: list[dict[str, Any]], cutoff: date | None
) -> dict[str, Any]:
    """The status of one alleged perpetrator: its labels (worded), the proceedings stage, the
    career facts, the stances of official statements, and the date it was last checked: the
    latest day a status check was made or another event behind it was recorded."""
    stage, sanctioned = judicial(events)
    career = career_facts(posts, cutoff)
    labels = [stage or "no_known_proceedings", *(["sanctioned"] if sanctioned else []), *career]
    checks = [e.day for e in events if e.kind == "status_check" and e.day]
    recorded = [e.recorded_at.date() for e in events if e.kind != "status_check"]
    last = max([*checks, *recorded], default=None)
    return {
        "status": labels,
        "wording": [WORDING[label] for label in labels],
        "stage": stage,
        "sanctioned": sanctioned,
        "career": career,
        "statements": [e.stance for e in sorted(events, key=_order) if e.stance],
        "events": [e.id for e in sorted(events, key=_order)],
        "last_checked": last.isoformat() if last else None,
    }
