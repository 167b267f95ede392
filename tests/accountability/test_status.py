"""The status derivation as a pure function: proceedings and career posts in, status out."""

from __future__ import annotations

from datetime import date, datetime

from sijill.accountability.status import Event, derive_status

RECORDED = datetime(2026, 1, 2, 10, 0)


def _event(number: int, kind: str, day: str, outcome: str | None = None) -> Event:
    return Event(number, kind, date.fromisoformat(day), outcome, None, RECORDED)


def _post(start: str, end: str | None, gained: str | None, new_rank: bool) -> dict[str, object]:
    return {
        "possibly_from": start,
        "possibly_to": end,
        "surely_to": end,
        "gained_after": gained,
        "new_rank_after": new_rank,
    }


def test_the_latest_verdict_decides_and_a_sentence_means_a_conviction() -> None:
    cutoff = date(2025, 3, 8)
    overturned = [
        _event(1, "trial", "2025-06-01"),
        _event(2, "verdict", "2025-09-01", "convicted"),
        _event(3, "verdict", "2026-01-10", "acquitted"),
    ]
    assert derive_status(overturned, [], cutoff)["status"] == ["acquitted"]
    sentenced = [_event(1, "sentence", "2025-10-01")]
    assert derive_status(sentenced, [], cutoff)["status"] == ["convicted", "sanctioned"]
    dismissed = derive_status([_event(1, "dismissal", "2025-04-01")], [], cutoff)
    assert dismissed["status"] == ["no_known_proceedings", "sanctioned"]
    assert dismissed["last_checked"] == "2026-01-02"  # when the dismissal was recorded


def test_career_facts_are_worded_as_facts_not_rewards() -> None:
    cutoff = date(2025, 3, 8)
    moved = [
        _post("2025-01-01", "2025-04-30", None, False),
        _post("2025-05-01", None, "certain", False),
    ]
    doc = derive_status([], moved, cutoff)
    assert doc["career"] == ["moved"] and "not proof of reward" in doc["wording"][1]
    kept = [_post("2024-01-01", None, None, False)]
    assert derive_status([], kept, cutoff)["career"] == ["still_in_post"]
    assert derive_status([], kept, None)["career"] == []  # no incident date: nothing to compare
    ended = [_post("2024-01-01", "2025-03-31", None, False)]
    assert derive_status([], ended, cutoff)["career"] == []
