"""The command line: places load/match/map, incidents add/list/show/link-records, export."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sijill.cli.main import build_app
from tests.shared_data import SHARED_DATA

GEO = SHARED_DATA / "geo"


def _run(*args: str) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(build_app(), list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args or args[0] == "export" else {}


def _units(tmp_path: Path, db: list[str], *ids: str) -> None:
    """Declare fictional units (alleged perpetrators must be units of the structure)."""
    path = tmp_path / "units.json"
    path.write_text(json.dumps({"organizations": [{"id": i} for i in ids]}), encoding="utf-8")
    _run("import", "structure", "--create-sources", str(path), "--json", *db)


def test_places_and_incidents_from_the_command_line(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _units(tmp_path, db, "u-fict-1")
    assert _run("places", "load", "--demo", "--json", *db)["added"] >= 52
    assert _run("places", "load", str(GEO), "--format", "opensyria", "--json", *db)["added"] == 348
    found = _run("places", "match", "--text", "Kfar Mukhtalak", "--json", *db)
    assert found["place"]["external_id"] == "demo:v03"
    unresolved = _run("places", "match", "--text", "Qaryat Majhula", "--json", *db)
    assert unresolved["place"] is None
    _run("places", "map", "Qaryat Majhula", "demo:v05", "--json", *db)
    mapped = _run("places", "match", "--text", "Qaryat Majhula", "--json", *db)
    assert mapped["method"] == "manual" and mapped["place"]["external_id"] == "demo:v05"

    added = _run(
        "incidents",
        "add",
        "--title",
        "Killings at Marj Tajriba (fictional)",
        "--place",
        "Marj Tajribah",
        "--start",
        "2025-03-08",
        "--violation",
        "killing",
        "--victims",
        "3",
        "--perpetrator",
        "u-fict-1:present:alleged",
        "--id",
        "f-1",
        "--json",
        *db,
    )
    assert added["added"][0]["external_id"] == "f-1"
    listed = _run("incidents", "list", "--json", *db)
    assert listed[0]["perpetrators"][0]["wording"] == "alleged"
    shown = _run("incidents", "show", "f-1", "--json", *db)
    assert shown["victims"]["documented"] == 3
    assert _run("incidents", "link-records", "--json", *db)["proposed"] == 0

    geo = _run("export", "incidents", "--format", "geojson", *db)
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 1
    assert _run("export", "incidents", "--format", "geojson", "--public", *db)["features"] == []


def test_incidents_from_json_and_errors_without_traceback(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _run("places", "load", "--demo", "--json", *db)
    _units(tmp_path, db, "u-72")
    report = tmp_path / "report.csv"
    report.write_text("record_id,full_name\n1,Fictional Name\n", encoding="utf-8")
    _run("import", "records", str(report), "--source", "Report R (fictional)", "--json", *db)
    path = tmp_path / "incidents.json"
    path.write_text(
        json.dumps(
            {
                "incidents": [
                    {"id": "i-1", "title": "Wave (fictional)", "start_date": "2025-03"},
                    {
                        "id": "i-2",
                        "parent_id": "i-1",
                        "place": "Beit Hulm",
                        "start_date": "2025-03-09",
                        "perpetrator_organization_ids": ["u-72"],
                        "violations": [
                            {
                                "code": "killing",
                                "sources": ["Report R (fictional)"],
                                "confidence": "high",
                                "locator": "p. 2",
                            }
                        ],
                        "characterizations": [
                            {"code": "wc.murder", "sources": ["Report R (fictional)"]}
                        ],
                        "victims": {"count": 12},
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    assert len(_run("incidents", "add", "--from-json", str(path), "--json", *db)["added"]) == 2
    shown = _run("incidents", "show", "i-2", "--json", *db)
    assert shown["violations"][0]["citations"][0]["locator"] == "p. 2"
    assert shown["violations"][0]["citations"][0]["confidence"] == "high"
    assert shown["characterizations"][0]["citations"][0]["source"] == "Report R (fictional)"
    assert shown["perpetrators"][0]["organization_id"] == "u-72"
    result = CliRunner().invoke(build_app(), ["incidents", "show", "nope", *db])
    assert result.exit_code != 0 and "no incident" in result.output
    assert "Traceback" not in result.output
    for command in (["incidents", "show", "i-22"], ["command-report", "--incident", "i-22"]):
        result = CliRunner().invoke(build_app(), [*command, *db])  # the close matches named
        assert result.exit_code == 1 and "close matches: 'i-2'" in result.output, result.output
    result = CliRunner().invoke(
        build_app(), ["incidents", "add", "--title", "x", "--violation", "bogus", *db]
    )
    assert result.exit_code != 0 and "bogus" in result.output


def test_links_listed_and_reviewed_from_the_command_line(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    records = tmp_path / "list.csv"
    records.write_text(
        "record_id,full_name,date_of_death,place_of_death\n"
        "1,Fictional Person One,2025-03-07,Ain al-Khayal\n"
        "2,Fictional Person Two,2025-03-09,Beit Hulm\n",
        encoding="utf-8",
    )
    _run("import", "records", str(records), "--source", "list-x (fictional)", "--json", *db)
    _run("incidents", "demo", "--json", *db)  # proposes links for records already there
    links = _run("incidents", "links", "--status", "proposed", "--json", *db)
    assert {link["source_record_id"] for link in links} == {"1", "2"}
    first = links[0]
    reviewed = _run("incidents", "review", str(first["id"]), "confirmed", "--json", *db)
    assert reviewed["status"] == "confirmed"
    shown = _run("incidents", "show", str(first["incident_id"]), "--json", *db)
    assert shown["victims"]["named"] == 1
    assert _run("incidents", "link-records", "--json", *db)["kept_decisions"] == 1
