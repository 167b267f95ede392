"""The synthetic demo's accountability story (both engines)."""

from __future__ import annotations

from sijill.accountability.demo import build_demo_proceedings
from sijill.accountability.service import list_proceedings, status_table
from sijill.store.engine import transaction


def test_demo_proceedings_tell_the_story(case_url: str) -> None:
    with transaction(case_url) as session:
        assert build_demo_proceedings(session) == 5
    with transaction(case_url) as session:
        assert build_demo_proceedings(session) == 5  # idempotent
        assert len(list_proceedings(session)) == 5
        rows = status_table(session)
        viewed = status_table(session, "viewer")
    commander = next(r for r in rows if r["person"])
    assert commander["person"]["external_id"] == "p-demo-2"
    assert commander["status"] == ["no_known_proceedings", "promoted_after_incident"]
    assert commander["last_checked"] == "2026-01-15"
    # The inquiry into the wave covers the Falcon Brigade in each incident of the wave.
    falcon = [r for r in rows if (r["unit"] or {}).get("id") == "u-demo-falcon"]
    assert falcon and all(r["stage"] == "under_investigation" for r in falcon)
    assert all(r["statements"] == ["deny"] for r in falcon)
    river = {r["incident"]["external_id"]: r["stage"] for r in viewed if r["unit"]
             and r["unit"]["id"] == "u-demo-river"}  # fmt: skip
    assert set(river.values()) == {None}  # the investigation is restricted
