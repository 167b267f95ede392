"""Structure import and export: JSON (lossless), Popolo, the XLSX and CSV template."""

from __future__ import annotations

import json
from pathlib import Path

from sijill.command.exporter import export_structure
from sijill.command.spreadsheet import read_csv_folder, read_xlsx
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade
from sijill.store.models import Citation, Person
from tests.command.cli_helpers import run, run_json
from tests.command.sample import sample


def _write(tmp_path: Path, doc: dict, name: str = "structure.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _import(path: Path, url: str) -> list[str]:
    """The arguments importing a structure file (its sources created) into ``url``."""
    return ["import", "structure", "--create-sources", str(path), "--db", url]


def test_import_counts_and_lossless_round_trip(case_url: str, tmp_path: Path) -> None:
    counts = run_json(*_import(_write(tmp_path, sample()), case_url))
    assert counts["organizations"] == 5 and counts["persons"] == 4
    assert counts["memberships"] == 5 and counts["compositions"] == 4
    assert counts["areas"] == 1 and counts["incidents"] == 1 and counts["successions"] == 1
    first = run("export", "structure", "--format", "json", "--db", case_url)
    assert first.exit_code == 0, first.stderr
    exported = json.loads(first.stdout)
    # Nothing the researcher wrote is lost: unknown keys, locators, Arabic names, statuses.
    assert exported["organizations"][4]["x_note"] == "kept as written"
    assert {"id": "src-b", "locator": "p. 4"} in exported["memberships"][0]["sources"]
    assert exported["organizations"][0]["name_ar"] == "اللواء ٧٢ (مثال)"
    assert exported["incidents"][0]["perpetrator_status"]["u-72"] == "corroborated"
    assert exported["memberships"][3]["first_cited"] == "2025-03-01"

    # Into a second, empty case: the export of the export is identical.
    second_url = f"sqlite:///{tmp_path / 'second.db'}"
    upgrade(get_engine(second_url))
    run_json(*_import(_write(tmp_path, exported, "e.json"), second_url))
    again = run("export", "structure", "--db", second_url)
    assert json.loads(again.stdout) == exported

    # Importing the same file again changes nothing (the incident included).
    counts = run_json(*_import(_write(tmp_path, sample()), case_url))
    assert counts["memberships"] == 0 and counts["incidents"] == 0 and counts["unchanged"] == 12
    assert json.loads(run("export", "structure", "--db", case_url).stdout) == exported


def test_actors_are_shared_persons_with_citations(case_url: str, tmp_path: Path) -> None:
    run_json(*_import(_write(tmp_path, sample()), case_url))
    with transaction(case_url) as session:
        actor = session.query(Person).filter_by(external_id="p-1").one()
        assert actor.is_actor and not actor.is_victim and actor.name_ar == "عقيد وهمي"
        tables = {c.claim_table for c in session.query(Citation)}
        assert {"command_memberships", "command_compositions", "incidents"} <= tables


def test_spreadsheet_templates_round_trip(sqlite_case_url: str, tmp_path: Path) -> None:
    run_json(*_import(_write(tmp_path, sample()), sqlite_case_url))
    with transaction(sqlite_case_url) as session:
        original = export_structure(session)
    xlsx = tmp_path / "structure.xlsx"
    assert (
        run(
            "export", "structure", "--format", "xlsx", "--out", str(xlsx), "--db", sqlite_case_url
        ).exit_code
        == 0
    )
    folder = tmp_path / "csv"
    assert (
        run(
            "export", "structure", "--format", "csv", "--out", str(folder), "--db", sqlite_case_url
        ).exit_code
        == 0
    )
    assert sorted(p.name for p in folder.iterdir())[0] == "areas.csv"
    for source, reader in ((xlsx, read_xlsx), (folder, read_csv_folder)):
        assert reader(source)["memberships"][0]["sources"][1] == {"id": "src-b", "locator": "p. 4"}
        url = f"sqlite:///{tmp_path / (source.name + '.db')}"
        upgrade(get_engine(url))
        run_json(*_import(source, url))
        with transaction(url) as session:
            assert export_structure(session) == original


def test_popolo_export(sqlite_case_url: str, tmp_path: Path) -> None:
    run_json(*_import(_write(tmp_path, sample()), sqlite_case_url))
    result = run("export", "structure", "--format", "popolo", "--db", sqlite_case_url)
    popolo = json.loads(result.stdout)
    assert {p["id"] for p in popolo["persons"]} == {"p-1", "p-2", "p-3", "p-4"}
    persons = [m for m in popolo["memberships"] if "person_id" in m]
    units = [m for m in popolo["memberships"] if "member" in m]
    assert len(persons) == 5 and len(units) == 4
    assert units[0]["member"] == {"@type": "Organization", "id": "u-72"}
    assert {"name": "اللواء ٧٢ (مثال)", "lang": "ar"} in popolo["organizations"][0]["other_names"]


def test_bad_structure_is_refused_whole(case_url: str, tmp_path: Path) -> None:
    doc = sample()
    doc["memberships"][1]["start_date"] = "2025-13"
    doc["compositions"][0]["end_date"] = "2024-12-31"  # before its start
    doc["memberships"][2]["confidence"] = "certain"
    result = run(*_import(_write(tmp_path, doc), case_url), "--json")
    assert result.exit_code != 0 and result.stdout == ""
    assert "row 2, column memberships.start_date" in result.stderr
    assert "memberships.confidence" in result.stderr
    assert "row 1, column compositions.end_date: ends before it starts" in result.stderr
    exported = json.loads(run("export", "structure", "--db", case_url).stdout)
    assert exported["organizations"] == [] and exported["memberships"] == []
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = run(*_import(broken, case_url))
    assert result.exit_code != 0 and "not valid JSON" in result.stderr


def test_undeclared_ids_are_created_with_a_warning(case_url: str, tmp_path: Path) -> None:
    doc = {
        "memberships": [
            {
                "person_id": "p-x",
                "organization_id": "u-x",
                "role": "commander",
                "start_date": "2025",
            }
        ],
        "compositions": [{"parent_id": "d-x", "child_id": "u-x", "start_date": "2025"}],
    }
    result = run(*_import(_write(tmp_path, doc), case_url), "--json")
    assert result.exit_code == 0 and "not declared" in result.stderr
    counts = json.loads(result.stdout)
    assert counts["undeclared"] == {"organizations": ["u-x", "d-x"], "persons": ["p-x"]}
    chain = run_json("chain", "u-x", "--at", "2025-12-31", "--db", case_url)
    assert (
        chain["levels"][0]["commanders"] == ["p-x"]
        and chain["levels"][1]["organization_id"] == "d-x"
    )


def test_lenient_spellings_of_roles_confidences_and_dates(
    sqlite_case_url: str, tmp_path: Path
) -> None:
    doc = {
        "organizations": [{"id": "u-1", "name": "Unit (example)"}],
        "persons": [{"id": "p-1", "name": "Fictional"}],
        "memberships": [
            {
                "person_id": "p-1",
                "organization_id": "u-1",
                "role": "Commander",
                "start_date": "2025-3-1",
                "confidence": "High",
                "sources": "src-x",
            }
        ],
    }
    counts = run_json(*_import(_write(tmp_path, doc), sqlite_case_url))
    assert counts["memberships"] == 1 and counts["citations"] == 1
    exported = json.loads(run("export", "structure", "--db", sqlite_case_url).stdout)
    post = exported["memberships"][0]
    assert (post["role"], post["start_date"], post["confidence"]) == (
        "commander",
        "2025-03-01",
        "high",
    )
    chain = run_json("chain", "u-1", "--at", "2025-03-01", "--db", sqlite_case_url)
    assert chain["levels"][0]["commanders"] == ["p-1"]
