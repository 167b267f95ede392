"""The accountability record from the command line: proceedings add/list/show/status and
``import proceedings`` (both engines)."""

from __future__ import annotations

from pathlib import Path

from tests.accountability.helpers import build_case, cli, refused, write

INQUIRY = {
    "id": "nic-1",
    "kind": "national_inquiry",
    "title": "National inquiry committee into the Example Village events (fictional)",
    "body": "Ministry of Justice (fictional)",
    "start_date": "2025-04",
    "end_date": "2025-12-31",
    "mandate": "establish the facts of 8 March 2025 and name those responsible",
    "members": ["Judge Fictional A", "Lawyer Fictional B"],
    "extensions": [{"date": "2025-07-01", "until": "2025-12-31"}],
    "findings": [{"text": "suspects named in an annex", "figures": {"suspects": 298}}],
    "incidents": ["acc-1"],
    "sources": ["src-a"],
    "locator": "p. 12",
    "access": "public",
}


def _status(rows: list[dict], who: str) -> dict:  # type: ignore[type-arg]
    return next(
        r
        for r in rows
        if r["incident"]["external_id"] == "acc-1"
        and ((r["person"] or {}).get("external_id") == who or (r["unit"] or {}).get("id") == who)
    )


def test_proceedings_and_derived_status(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    build_case(case_url, tmp_path)
    # Statement only: the unit is not investigated, its commander denies.
    cli("proceedings", "add", "--kind", "official_statement", "--stance", "deny",
        "--title", "Ministry denies shelling (fictional)", "--start", "2025-03-10",
        "--incident", "acc-1", "--unit", "u-72", "--source", "src-b", *db)  # fmt: skip
    # Charged, then convicted.
    cli("proceedings", "add", "--kind", "charge", "--title", "p-4 charged (fictional)",
        "--start", "2025-09", "--incident", "acc-1", "--person", "p-4", *db)  # fmt: skip
    verdict = cli("proceedings", "add", "--kind", "verdict", "--outcome", "convicted",
                  "--title", "p-4 convicted (fictional)", "--start", "2026-02-03",
                  "--incident", "acc-1", "--person", "p-4", "--access", "restricted",
                  "--id", "v-1", *db)  # fmt: skip
    assert verdict["persons"][0]["external_id"] == "p-4" and verdict["access"] == "restricted"
    assert verdict["recorded_by"].startswith("cli:") and verdict["recorded_at"]
    # A charge about another incident leaves p-2's status for this one untouched.
    cli("proceedings", "add", "--kind", "charge", "--title", "p-2 charged (fictional)",
        "--start", "2025-05", "--incident", "acc-2", "--person", "p-2", *db)  # fmt: skip
    cli("proceedings", "add", "--kind", "status_check", "--title", "press search (fictional)",
        "--start", "2026-06-30", "--person", "p-1", *db)  # fmt: skip
    imported = cli("import", "proceedings", write(tmp_path, {"proceedings": [INQUIRY]}, "p.json"),
                   *db)  # fmt: skip
    assert len(imported["added"]) == 1

    rows = cli("proceedings", "status", *db)
    assert len([r for r in rows if r["incident"]["external_id"] == "acc-1"]) == 4
    promoted = _status(rows, "p-1")
    assert promoted["status"] == ["no_known_proceedings", "promoted_after_incident"]
    assert "not proof of reward" in promoted["wording"][1]
    assert promoted["last_checked"] == "2026-06-30"
    convicted = _status(rows, "p-4")
    assert convicted["stage"] == "convicted" and convicted["allegation_status"] == "corroborated"
    assert convicted["status"] == ["convicted", "still_in_post"]
    assert len(convicted["events"]) == 2
    statement = _status(rows, "u-72")
    assert statement["status"] == ["no_known_proceedings"] and statement["statements"] == ["deny"]
    assert _status(rows, "p-2")["status"] == ["no_known_proceedings"]

    shown = cli("proceedings", "show", "nic-1", *db)
    assert shown["findings"][0]["figures"] == {"suspects": 298}
    assert shown["members"] == INQUIRY["members"] and shown["extensions"] == INQUIRY["extensions"]
    assert shown["citations"] == [{"source": "src-a", "locator": "p. 12", "confidence": "medium"}]
    assert shown["incidents"][0]["external_id"] == "acc-1" and shown["start_date"] == "2025-04"
    listed = cli("proceedings", "list", "--person", "p-4", *db)
    assert [p["kind"] for p in listed] == ["charge", "verdict"]
    assert len(cli("proceedings", "list", "--incident", "acc-1", *db)) == 4


def test_bad_proceedings_are_refused_with_what_to_fix(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    build_case(case_url, tmp_path)
    said = refused("proceedings", "add", "--kind", "trial", "--title", "x", "--person", "p-9", *db)
    assert "no person with id 'p-9'" in said
    said = refused("proceedings", "add", "--kind", "verdict", "--title", "x", "--unit", "u-72", *db)
    assert "outcome" in said
    said = refused("proceedings", "add", "--kind", "sermon", "--title", "x", "--unit", "u-72", *db)
    assert "kind 'sermon' is not one of" in said
    said = refused("proceedings", "add", "--kind", "trial", "--title", "x", "--unit", "u-72",
                   "--start", "2025-13", *db)  # fmt: skip
    assert "2025-13" in said
    bad = [INQUIRY, {**INQUIRY, "id": "nic-2", "members": "one"}, {**INQUIRY, "id": "nic-3",
           "sources": ["src-zz"]}]  # fmt: skip
    said = refused("import", "proceedings", write(tmp_path, bad, "bad.json"), *db)
    assert "row 2, column members" in said
    good_but_unknown = [INQUIRY, {**INQUIRY, "id": "nic-3", "sources": ["src-zz"]}]
    said = refused("import", "proceedings", write(tmp_path, good_but_unknown, "b2.json"), *db)
    assert "row 2" in said and "no source with id 'src-zz'" in said
    assert cli("proceedings", "list", *db) == []  # nothing half-stored


def test_merges_move_proceedings_with_the_allegations(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    build_case(case_url, tmp_path)
    cli("proceedings", "add", "--kind", "charge", "--title", "p-4 charged (fictional)",
        "--start", "2025-09", "--incident", "acc-1", "--person", "p-4", *db)  # fmt: skip
    cli("proceedings", "add", "--kind", "sanction", "--title", "u-73 sanctioned (fictional)",
        "--start", "2025-10", "--unit", "u-73", *db)  # fmt: skip
    assert cli("merge-actors", "p-3", "p-4", *db)["moved"]["proceedings"] == 1
    assert cli("merge-units", "u-72", "u-73", *db)["moved"]["proceedings"] == 1
    rows = cli("proceedings", "status", *db)
    assert _status(rows, "p-3")["stage"] == "charged"  # p-4 is now p-3
    assert _status(rows, "u-72")["sanctioned"] is True
    assert [p["kind"] for p in cli("proceedings", "list", "--person", "p-4", *db)] == ["charge"]
