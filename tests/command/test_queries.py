"""chain, subordinates, command-report, career, check-structure and merges, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from sijill.command.chain import chain
from sijill.command.importer import import_structure
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade
from tests.command.cli_helpers import run, run_json
from tests.command.sample import sample
from tests.conftest import new_database_url


def _load(url: str) -> str:
    upgrade(get_engine(url))
    with transaction(url) as session:
        import_structure(session, sample(), create_sources=True)
    return url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shared(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The sample structure, once per engine, for tests that only read it."""
    for url in new_database_url(request.param, tmp_path_factory.mktemp("shared")):
        yield _load(url)


@pytest.fixture
def case(case_url: str) -> str:
    """The sample structure in a fresh case, for tests that change it."""
    return _load(case_url)


def _level(doc: dict, org: str) -> dict:
    return next(lv for lv in doc["levels"] if lv["organization_id"] == org)


def test_chain_on_incident_day(shared: str) -> None:
    doc = run_json("chain", "u-72", "--at", "2025-03-08", "--db", shared)
    assert doc["unit"] == "u-72" and doc["at"] == "2025-03-08"
    assert [(lv["depth"], lv["organization_id"]) for lv in doc["levels"]] == [
        (0, "u-72"),
        (1, "d-1"),
        (1, "op-9"),
        (2, "c-1"),
    ]
    u72 = _level(doc, "u-72")
    assert u72["parents"] == ["d-1", "op-9"] and u72["possible_parents"] == []
    assert u72["commanders"] == ["p-1"]  # the deputy p-4 is not a commander
    d1 = _level(doc, "d-1")
    # p-2's end date 2025-03 is partial: surely up to 1 March, possibly to 31 March.
    assert d1["commanders"] == [] and d1["possible_commanders"] == ["p-2"]
    cites = [c for c in u72["citations"] if c["claim"] == "membership"]
    assert {"source": "src-b", "locator": "p. 4"}.items() <= cites[1].items()


def test_chain_edges_and_possible_units(shared: str) -> None:
    before = run_json("chain", "u-72", "--at", "2025-01-14", "--db", shared)
    assert [lv["organization_id"] for lv in before["levels"]] == ["u-72", "op-9"]
    assert _level(before, "op-9")["possible"] is True  # only before its first citation
    first_day = run_json("chain", "u-72", "--at", "2025-01-15", "--db", shared)
    assert _level(first_day, "u-72")["parents"] == ["d-1"]
    assert _level(first_day, "c-1")["possible"] is False
    # u-73 joined d-1 in "2025-03": possibly on 1 March, surely from 31 March.
    march = run_json("chain", "u-73", "--at", "2025-03-01", "--db", shared)
    assert _level(march, "u-73")["possible_parents"] == ["d-1"]
    assert _level(march, "d-1")["possible"] and _level(march, "c-1")["possible"]
    end = run_json("chain", "u-73", "--at", "2025-03-31", "--db", shared)
    assert _level(end, "u-73")["parents"] == ["d-1"] and not _level(end, "c-1")["possible"]
    alone = run_json("chain", "u-73", "--at", "2019-01-01", "--db", shared)
    assert alone["levels"] == [_level(alone, "u-73")] and alone["levels"][0]["depth"] == 0


def test_chain_errors(shared: str) -> None:
    result = run("chain", "nope", "--at", "2025-03-08", "--db", shared, "--json")
    assert result.exit_code != 0 and "no organization" in result.stderr and result.stdout == ""
    result = run("chain", "u-72", "--at", "2025-03", "--db", shared)
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.stderr


def test_subordinates(shared: str) -> None:
    doc = run_json("subordinates", "c-1", "--at", "2025-03-08", "--db", shared)
    assert [(lv["depth"], lv["organization_id"]) for lv in doc["levels"]] == [
        (0, "c-1"),
        (1, "d-1"),
        (2, "u-72"),
        (2, "u-73"),
    ]
    assert _level(doc, "d-1")["children"] == ["u-72"]
    assert _level(doc, "d-1")["possible_children"] == ["u-73"]
    assert _level(doc, "u-73")["possible"] is True
    assert run("subordinates", "c-1", "--at", "2025-03-08", "--db", shared).exit_code == 0


def test_incident_command_report(shared: str) -> None:
    doc = run_json("command-report", "--incident", "i-1", "--db", shared)
    assert doc["from"] == "2025-03-07" and doc["to"] == "2025-03-09"
    assert "allegation" in doc["note"] and "not a finding" in doc["note"]
    units = {u["unit"]: u for u in doc["units"]}
    assert units["u-72"]["allegation"]["status"] == "corroborated"
    assert units["u-73"]["allegation"]["status"] == "alleged"
    orgs = {o["organization_id"]: o for o in units["u-72"]["organizations"]}
    assert (
        orgs["u-72"]["commanders"]["certain"][0].items()
        >= {"person_id": "p-1", "from": "2025-03-07", "to": "2025-03-09"}.items()
    )
    assert orgs["d-1"]["commanders"]["possible"][0]["person_id"] == "p-2"
    assert orgs["d-1"]["gaps"] == [
        {"kind": "only a possible commander", "from": "2025-03-07", "to": "2025-03-09"}
    ]
    assert orgs["c-1"]["gaps"][0]["kind"] == "no commander known"
    link = orgs["u-72"]["parents"]["certain"][0]
    assert link["parent_id"] == "d-1" and link["citations"][0]["source"] == "src-a"
    # u-73's commander p-3 was seen from 1 to 10 March: certain on all three days.
    u73 = {o["organization_id"]: o for o in units["u-73"]["organizations"]}
    assert u73["u-73"]["commanders"]["certain"][0]["person_id"] == "p-3"
    assert u73["d-1"]["in_chain"] == {
        "certain": [],
        "possible": [{"depth": 1, "from": "2025-03-07", "to": "2025-03-09"}],
    }
    text = run("command-report", "--incident", "i-1", "--db", shared)
    assert text.exit_code == 0 and "alleged perpetrator unit" in text.stderr


def test_report_agrees_with_chain_day_by_day(shared: str) -> None:
    doc = run_json(
        "command-report",
        "--units",
        "u-72,u-73",
        "--from",
        "2025-02-25",
        "--to",
        "2025-04-02",
        "--db",
        shared,
    )
    with transaction(shared) as session:
        for unit in doc["units"]:
            for org in unit["organizations"]:
                for certainty, runs in org["commanders"].items():
                    for r in runs:
                        day = date.fromisoformat(r["from"])
                        while day <= date.fromisoformat(r["to"]):
                            level = _level(
                                chain(session, unit["unit"], day), org["organization_id"]
                            )
                            key = "commanders" if certainty == "certain" else "possible_commanders"
                            assert r["person_id"] in level[key]
                            day += timedelta(days=1)
    assert run("command-report", "--units", "u-72", "--db", shared).exit_code != 0


def test_career_flags_posts_after_the_incident(shared: str) -> None:
    doc = run_json("career", "p-1", "--after-incident", "i-1", "--db", shared)
    assert [p["organization_id"] for p in doc["posts"]] == ["u-72", "d-1"]
    assert doc["posts"][0]["gained_after"] is None
    assert doc["posts"][1]["gained_after"] == "certain"
    assert (
        doc["posts"][1]["new_rank_after"] is True and doc["posts"][1]["rank"] == "brigadier general"
    )
    assert "not proof of reward" in doc["note"]
    plain = run_json("career", "p-1", "--after", "2025-04-30", "--db", shared)
    assert plain["after"]["date"] == "2025-04-30" and plain["posts"][1]["gained_after"] == "certain"


def test_check_structure(case: str, tmp_path: Path) -> None:
    clean = run("check-structure", "--db", case, "--json")
    problems = json.loads(clean.stdout)["problems"]
    # p-1 commands u-72 from "2024-12" but u-72 was founded in "2024-06": fine; no overlaps.
    assert problems == [] and clean.exit_code == 0
    extra = {
        "organizations": [
            {
                "id": "u-80",
                "name": "80th Battalion (example)",
                "classification": "battalion",
                "founding_date": "2025-06-01",
            }
        ],
        "persons": [{"id": "p-9", "name": "Fictional Nine"}],
        "memberships": [
            {
                "person_id": "p-9",
                "organization_id": "u-72",
                "role": "commander",
                "rank": "colonel",
                "start_date": "2025-03-15",
                "end_date": "2025-04",
            },
            {
                "person_id": "p-9",
                "organization_id": "u-80",
                "role": "commander",
                "rank": "major general",
                "start_date": "2025-05-01",
            },
        ],
        "compositions": [
            {
                "parent_id": "u-72",
                "child_id": "c-1",
                "start_date": "2025-03-25",
                "end_date": "2025-03-26",
            },
        ],
    }
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(extra), encoding="utf-8")
    run_json("import", "structure", "--create-sources", str(path), "--db", case)
    result = run("check-structure", "--db", case, "--json")
    assert result.exit_code == 1
    found = {
        (p["check"], p["certainty"], p["organization_id"])
        for p in json.loads(result.stdout)["problems"]
    }
    assert ("overlapping_commanders", "certain", "u-72") in found  # p-1 to 20 March, p-9 from 15
    assert ("post_outside_unit_existence", "certain", "u-80") in found
    assert ("rank_misfit", "certain", "u-80") in found
    assert any(check == "composition_cycle" for check, _, _ in found)
    # u-73 was absorbed into u-72 in "2025-09": a post surely held after that is flagged.
    late = {
        "memberships": [
            {
                "person_id": "p-4",
                "organization_id": "u-73",
                "role": "commander",
                "start_date": "2025-10-01",
                "end_date": "2025-10-02",
            }
        ]
    }
    path.write_text(json.dumps(late), encoding="utf-8")
    run_json("import", "structure", "--create-sources", str(path), "--db", case)
    result = run("check-structure", "--db", case, "--json")
    found = {
        (p["check"], p["certainty"], p["organization_id"])
        for p in json.loads(result.stdout)["problems"]
    }
    assert ("post_outside_unit_existence", "certain", "u-73") in found
    table = tmp_path / "ranks.json"
    table.write_text(json.dumps({"battalion": ["major general"]}), encoding="utf-8")
    found = json.loads(run("check-structure", "--ranks", str(table), "--db", case, "--json").stdout)
    assert not any(p["check"] == "rank_misfit" for p in found["problems"])


def test_merges_keep_old_ids_resolvable(case: str) -> None:
    merged = run_json("merge-units", "u-72", "u-73", "--why", "same unit", "--db", case)
    assert merged["moved"]["memberships"] == 1
    doc = run_json("chain", "u-73", "--at", "2025-03-08", "--db", case)
    assert doc["unit"] == "u-72" and doc["requested"] == "u-73"
    assert _level(doc, "u-72")["commanders"] == ["p-1", "p-3"]
    run_json("merge-actors", "p-1", "p-3", "--db", case)
    career = run_json("career", "p-3", "--db", case)
    assert career["person"]["id"] == "p-1" and len(career["posts"]) == 3
    assert _level(run_json("chain", "u-72", "--at", "2025-03-08", "--db", case), "u-72")[
        "commanders"
    ] == ["p-1"]
    exported = json.loads(run("export", "structure", "--db", case).stdout)
    assert {"id": "u-73", "merged_into": "u-72"}.items() <= exported["organizations"][1].items()
    assert run("merge-units", "u-72", "u-73", "--db", case).exit_code != 0
