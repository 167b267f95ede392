"""Every public count leaves out a record whose own consent does not name the public (both
engines): the incidents' victim counts of the public GeoJSON (command line and API) and of the
public report (its incidents, its map, its sources' counts), while the team's outputs still
count it. Fictional case."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.incidents.models import Incident, IncidentPlace, IncidentRecord, IncidentVictim
from sijill.places.models import Place
from sijill.store.engine import transaction
from sijill.store.models import Person, Record
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client
from tests.accountability.conftest import _key  # noqa: F401 (the web's session key)
from tests.accountability.helpers import cli
from tests.published.test_figures import _case

LIST = "List A (fictional)"
TITLE = "Fictional shelling of Ain al-Khayal"


def _incident(url: str) -> dict[str, int]:
    """A public incident at an invented village: records 1, 3, 4, 5, 6 and 7 of the list
    linked and confirmed, the person of record 2 (known from it alone) named as a victim, and
    an unnamed group of ten. Returns the records' numbers by their id in the list."""
    with transaction(url) as session:
        number = dict(session.execute(select(Record.record_id, Record.id)).all())
        village = session.scalar(select(Place).where(Place.external_id == "demo:v01"))
        assert village is not None and village.latitude is not None
        two = Person(display_name="Fictional Two", name_latin="Fictional Two", is_victim=True)
        incident = Incident(
            title=TITLE, access="public", start_date="2025-03-08", start_day=date(2025, 3, 8)
        )
        session.add_all([two, incident])
        session.flush()
        session.get_one(Record, number["2"]).person_id = two.id
        session.add_all(
            [
                IncidentPlace(incident_id=incident.id, place_id=village.id),
                IncidentVictim(incident_id=incident.id, person_id=two.id),
                IncidentVictim(incident_id=incident.id, count=10, note="fictional group"),
                *[
                    IncidentRecord(incident_id=incident.id, record_id=number[r], status="confirmed")
                    for r in ("1", "3", "4", "5", "6", "7")
                ],
            ]
        )
    return number


def _exported(*args: str) -> Any:
    result = CliRunner().invoke(build_app(), ["export", "incidents", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _victims(collection: dict[str, Any]) -> tuple[Any, Any]:
    [feature] = collection["features"]
    return feature["properties"]["victims_documented"], feature["properties"]["victims_named"]


def test_public_counts_leave_out_records_held_by_their_consent(
    case_url: str, tmp_path: Path
) -> None:
    db = _case(case_url, tmp_path)
    number = _incident(case_url)
    cli("consent", "grant", "record", f"{LIST}:2", "--recipient", "court",
        "--why", "family form 2 (fictional)", *db)  # fmt: skip
    cli("consent", "grant", "record", f"{LIST}:4", "--recipient", "partners",
        "--why", "family form 4 (fictional)", *db)  # fmt: skip
    held = [{"record": number[r], "reason": "the record's own consent does not name public"}
            for r in ("2", "4")]  # fmt: skip

    # Seven named (six linked records, one person) and ten unnamed; two of them held back.
    team = _exported(*db)
    assert _victims(team) == (17, 7) and "held_back" not in team
    public = _exported("--public", *db)
    assert _victims(public) == (15, 5)
    assert public["records_held_by_their_consent"] == 2 and public["held_back"] == held
    assert any("consent" in line for line in public["withheld"])

    add_user(case_url, "viewer", "viewer")
    add_user(case_url, "analyst", "analyst")
    app = create_app(case_url)
    viewer, analyst = bearer_client(app, "viewer"), bearer_client(app, "analyst")
    assert viewer.get("/api/exports/incidents.geojson").json() == public
    full = analyst.get("/api/exports/incidents.geojson", params={"public": "false"}).json()
    assert _victims(full) == (17, 7)
    # A viewer is of the team: its own pages count what its level reads, consent aside.
    [listed] = viewer.get("/api/incidents").json()["items"]
    assert listed["victims"]["documented"] == 17

    cli("report", "--out", str(tmp_path / "r"), "--public", "--no-pdf", *db)
    report = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))
    [incident] = report["incidents"]
    assert incident["victims"] == {"named": 5, "documented": 15, "with_sub_incidents": 15}
    assert [p["victims"] for p in report["map"]["points"]] == [15]
    assert {s["name"]: s["records"] for s in report["methods"]["sources"]}[LIST] == 5
    page = (tmp_path / "r" / "index.html").read_text("utf-8")
    assert TITLE in page and "Fictional Two" not in page

    cli("report", "--out", str(tmp_path / "t"), "--no-pdf", *db)
    ours = json.loads((tmp_path / "t" / "report.json").read_text("utf-8"))
    assert ours["incidents"][0]["victims"]["documented"] == 17
    assert [p["victims"] for p in ours["map"]["points"]] == [17]
    assert {s["name"]: s["records"] for s in ours["methods"]["sources"]}[LIST] == 7
