"""Published figures on both engines: recorded from the command line (one, or a JSON file all
or nothing), listed and shown beside the case's count for the same scope (``count --figure``),
and through the API by role."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.published.models import PublishedFigure
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client
from tests.accountability.helpers import cli, refused, write

ROW = {"status": "killed", "civilian_status": "civilian"}
RECORDS = [  # invented people at the demo gazetteer's invented villages
    {"record_id": "1", "full_name": "Fictional One", "date_of_death": "2025-03-07",
     "place_of_death": "Ain al-Khayal", **ROW},
    {"record_id": "2", "full_name": "Fictional Two", "date_of_death": "2025-03-08",
     "place_of_death": "Ain al-Khayal", **ROW},
    {"record_id": "3", "full_name": "Fictional Fighter", "date_of_death": "2025-03-08",
     "place_of_death": "Tell Wahmi", "status": "killed", "civilian_status": "combatant"},
    {"record_id": "4", "full_name": "Fictional Four", "date_of_death": "2025-03-08",
     "place_of_death": "Deir Namudhaj", **ROW},
    {"record_id": "5", "full_name": "Fictional Later", "date_of_death": "2025-04-01",
     "place_of_death": "Ain al-Khayal", **ROW},
    {"record_id": "6", "full_name": "Fictional Missing", "date_of_death": "2025-03-08",
     "place_of_death": "Tell Wahmi", "status": "missing", "civilian_status": "civilian"},
    {"record_id": "7", "full_name": "Fictional Undated", "date_of_death": "",
     "place_of_death": "Ain al-Khayal", **ROW},
]  # fmt: skip
NETWORK = ["--organisation", "Example Network (fictional)", "--counts", "killed_civilians",
           "--total", "9", "--source", "Example Network bulletin (fictional)",
           "--place", "demo:v01=5", "--place", "Tell Wahmi=3", "--place", "demo:v05=1",
           "--start", "2025-03-07", "--end", "2025-03-09", "--published", "2025-03-20",
           "--access", "public", "--id", "net-1"]  # fmt: skip


def _case(url: str, tmp_path: Path) -> list[str]:
    db = ["--db", url]
    cli("places", "load", "--demo", *db)
    path = tmp_path / "list.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(RECORDS[0]))
        writer.writeheader()
        writer.writerows(RECORDS)
    cli("import", "records", str(path), "--source", "List A (fictional)", "--access", "public",
        *db)  # fmt: skip
    cli("places", "match", *db)
    for name in ("Example Network bulletin (fictional)", "Example Observatory report (fictional)"):
        with transaction(url) as session:
            from sijill.store.models import Source

            session.add(Source(name=name, kind="report", access="public"))
    return db


def _by_place(doc: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {
        r["place"]["external_id"]: (r["theirs"], r["verified"], r["reported"], r["held"])
        for r in doc["beside"]["by_place"]
    }


def test_figures_add_list_show_beside_count(case_url: str, tmp_path: Path) -> None:
    db = _case(case_url, tmp_path)
    added = cli("figures", "add", *NETWORK, *db)
    assert added["counts"] == "killed_civilians" and len(added["places"]) == 3
    assert added["citations"][0]["source"] == "Example Network bulletin (fictional)"
    doc = {
        "figures": [
            {"id": "obs-1", "organisation": "Example Observatory (fictional)", "counts": "killed",
             "total": 4, "start_date": "2025-03", "places": ["demo:gov-tar"],
             "sources": ["Example Observatory report (fictional)"], "locator": "p. 2"},
            {"id": "obs-2", "organisation": "Example Observatory (fictional)", "counts": "missing",
             "total": 1, "places": [{"place": "demo:v02", "count": 1}],
             "sources": ["Example Observatory report (fictional)"]},
        ]
    }  # fmt: skip
    assert len(cli("import", "figures", write(tmp_path, doc, "f.json"), *db)["added"]) == 2

    shown = cli("figures", "show", "net-1", "--policy", "any-source", *db)
    beside = shown["beside"]
    # Ain al-Khayal: 1 and 2 (5 is after their days, 7 has no date); Tell Wahmi: the
    # combatant is not a civilian, the missing person is not killed; Marj Tajriba: no one.
    assert beside["ours"] == {"verified": 2, "reported": 2} and beside["difference"] == 7
    assert _by_place(shown) == {
        "demo:v01": (5, 2, 2, True),
        "demo:v02": (3, 0, 0, False),
        "demo:v05": (1, 0, 0, False),
    }
    assert [(g["key"], g["verified"]) for g in beside["by_date"]] == [
        ("2025-03-07", 1),
        ("2025-03-08", 1),
    ]
    counted = cli("count", "--by", "date", "--figure", "net-1", "--policy", "any-source", *db)
    assert counted["total"] == beside["ours"]["verified"]
    assert counted["groups"] == beside["by_date"]
    assert counted["scope"]["civilians_only"] is True
    # An area: the governorate holds Deir Namudhaj, where the case has one person.
    area = cli("figures", "show", "obs-1", "--policy", "any-source", *db)
    assert _by_place(area) == {"demo:gov-tar": (None, 1, 1, True)}
    sites = area["beside"]["by_place"][0]["sites"]
    assert [(s["place"]["external_id"], s["reported"]) for s in sites] == [("demo:v06", 1)]
    missing = cli("figures", "show", "obs-2", "--policy", "any-source", *db)
    assert missing["beside"]["ours"]["reported"] == 1  # the missing person of Tell Wahmi
    listed = cli("figures", "list", "--policy", "any-source", *db)
    assert [f["external_id"] for f in listed] == ["obs-1", "obs-2", "net-1"]
    assert [f["beside"]["ours"]["reported"] for f in listed] == [1, 1, 2]
    with transaction(case_url) as session:
        logged = session.scalar(
            select(func.count())
            .select_from(ChangeLogEntry)
            .where(ChangeLogEntry.entity == "published_figures")
        )
    assert logged == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (["--counts", "wounded"], "counts"),
        (["--start", "2025-03-10", "--end", "2025-03-01"], "end_date"),
        (["--published", "yesterday"], "published"),
        (["--place", "Nowhere Village (fictional)"], "places"),
        (["--source", "No such report"], "sources"),
        (["--total", "-3"], "total"),
    ],
)
def test_figures_add_refuses_bad_input(
    sqlite_case_url: str, tmp_path: Path, change: list[str], field: str
) -> None:
    db = _case(sqlite_case_url, tmp_path)
    args = [a for a in NETWORK if a not in ("--id", "net-1")]
    said = refused("figures", "add", *args, *change, *db)
    assert said.lstrip().startswith(f"{field}:") or f"{field}:" in said, said
    with transaction(sqlite_case_url) as session:
        assert session.scalar(select(func.count()).select_from(PublishedFigure)) == 0


def test_import_figures_is_all_or_nothing(case_url: str, tmp_path: Path) -> None:
    db = _case(case_url, tmp_path)
    good = {
        "organisation": "Example Observatory (fictional)",
        "counts": "killed",
        "total": 4,
        "places": ["demo:v01"],
        "sources": ["Example Observatory report (fictional)"],
    }
    bad_file = {"figures": [good, {**good, "places": ["Atlantis (fictional)"]},
                            {**good, "total": "many"}]}  # fmt: skip
    result = CliRunner().invoke(
        build_app(), ["import", "figures", write(tmp_path, bad_file, "bad.json"), *db]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "row 2, column places" in result.output and "row 3, column total" in result.output
    assert "nothing was imported" in result.output
    with transaction(case_url) as session:
        assert session.scalar(select(func.count()).select_from(PublishedFigure)) == 0
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    assert "not readable JSON" in refused("import", "figures", str(broken), *db)
    assert "no published figure 'zz'" in refused("figures", "show", "zz", *db)


def test_figures_api_by_role(case_url: str, tmp_path: Path) -> None:
    db = _case(case_url, tmp_path)
    cli("figures", "add", *NETWORK, *db)
    cli("figures", "add", *[a if a != "public" else "restricted" for a in NETWORK[:-2]],
        "--id", "secret-1", *db)  # fmt: skip
    for role in ("viewer", "analyst", "investigator"):
        add_user(case_url, role, role)
    app = create_app(case_url)
    clients = {role: bearer_client(app, role) for role in ("viewer", "analyst", "investigator")}
    viewer, investigator = clients["viewer"], clients["investigator"]
    seen = viewer.get("/api/figures").json()
    assert [f["external_id"] for f in seen] == ["net-1"]  # the restricted one: not there
    assert seen[0]["beside"]["ours"]["verified"] == 0  # two independent sources: one list
    secret = next(f for f in investigator.get("/api/figures").json() if f["access"] != "public")
    assert viewer.get(f"/api/figures/{secret['id']}").status_code == 404
    assert investigator.get(f"/api/figures/{secret['id']}").status_code == 200

    body = {"organisation": "Example Observatory (fictional)", "counts": "killed", "total": 4,
            "places": [{"place": "demo:gov-tar"}], "sources": ["Example Observatory report "
            "(fictional)"], "start_date": "2025-03", "access": "public", "id": "obs-9"}  # fmt: skip
    for role in ("viewer", "analyst"):
        assert clients[role].post("/api/figures", json=body).status_code == 403
    made = investigator.post("/api/figures", json=body)
    assert made.status_code == 201, made.text
    assert made.json()["beside"]["ours"]["reported"] == 1 and made.json()["recorded_by"] == (
        "web:investigator"
    )
    assert investigator.post("/api/figures", json=body).status_code == 409
    for change, field in (
        ({"counts": "wounded"}, "counts"),
        ({"places": [{"place": "Atlantis (fictional)"}], "id": "x-1"}, "places"),
        ({"sources": ["No such report"], "id": "x-2"}, "sources"),
        ({"start_date": "2025-13", "id": "x-3"}, "start_date"),
        ({"total": -1}, "total"),
    ):
        answer = investigator.post("/api/figures", json={**body, **change})
        assert answer.status_code == 422, (change, answer.text)
        assert answer.json()["detail"][0]["loc"][-1] == field
    assert [f["external_id"] for f in viewer.get("/api/figures").json()] == ["obs-9", "net-1"]
    assert json.dumps(viewer.get("/api/figures").json()).count("secret-1") == 0
