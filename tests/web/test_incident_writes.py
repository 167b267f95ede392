"""Incidents made and changed through the API and the forms (issue 20): ``POST /api/incidents``
and ``PATCH /api/incidents/{id}`` for every role, refusals naming the field (unknown ids with
their close matches), a conflict, the change log's who, when and why, and an incident made by
the API listed, mapped, exported and in the command report. The place type-ahead's route.

Every place, unit and person here is fictional (the demo gazetteer, the seed's units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.incidents.demo import ensure_demo_gazetteer
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web.testing import csrf_of

SOURCE = "Fictional public list"


@pytest.fixture(scope="module")
def gazetteer(web_url: str) -> None:
    """The demo gazetteer (invented villages) beside the seed's case."""
    with transaction(web_url) as session:
        ensure_demo_gazetteer(session)


def _body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Shelling of Ain al-Khayal (fictional)",
        "title_ar": "قصف عين الخيال (متخيَّل)",
        "start_date": "8/3/2025",
        "end_date": "2025-03-09",
        "places": ["عين الخيال"],
        "violations": ["killing.summary_execution"],
        "victims": {"count": 4, "sources": [SOURCE]},
        "perpetrators": [
            {
                "organization_id": "u-fict-72",
                "involvement": "carried_out",
                "status": "alleged",
                "sources": [SOURCE],
                "locator": "p. 3",
                "confidence": "high",
            }
        ],
        "sources": [SOURCE],
        "locator": "p. 1",
        "confidence": "medium",
        "access": "internal",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_role_below_investigator_may_not_write(
    bearer: Callable[[str], TestClient], login: Callable[[str], TestClient], role: str
) -> None:
    client = bearer(role)
    assert client.post("/api/incidents", json=_body()).status_code == 403
    assert client.patch("/api/incidents/1", json={"title": "x"}).status_code == 403
    page = login(role)
    assert page.get("/incidents/new").status_code == 403
    assert page.get("/incidents/1/edit").status_code == 403
    posted = page.post("/incidents/new", data={"csrf_token": page.csrf, "title": "x"})
    assert posted.status_code == 403
    assert 'href="/incidents/new"' not in page.get("/incidents").text


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_an_incident_made_by_the_api_is_listed_mapped_exported_and_reported(
    bearer: Callable[[str], TestClient], web_url: str, role: str
) -> None:
    client = bearer(role)
    made = client.post("/api/incidents", json=_body(id=f"wr-{role}"))
    assert made.status_code == 201, made.text
    doc = made.json()
    assert doc["start_date"] == "2025-03-08"  # the one grammar's form of what was written
    assert [p["external_id"] for p in doc["places"]] == ["demo:v01"]
    assert [v["code"] for v in doc["violations"]] == ["killing.summary_execution"]
    (alleged,) = doc["perpetrators"]
    assert alleged["organization_id"] == "u-fict-72"
    assert alleged["involvement"] == "carried_out"
    assert alleged["wording"] == "alleged"
    assert alleged["citations"][0]["locator"] == "p. 3"
    assert doc["victims"]["documented"] == 4
    number = doc["id"]

    listed = client.get("/api/incidents", params={"limit": 500}).json()["items"]
    assert number in [i["id"] for i in listed]
    mapped = client.get("/api/incidents/map.geojson").json()["features"]
    assert number in [f["properties"]["incident_id"] for f in mapped]
    exported = client.get("/api/exports/incidents.geojson", params={"public": "false"})
    assert exported.status_code == 200 and f"wr-{role}" in exported.text
    report = client.get("/api/command/report", params={"incident": number})
    assert report.status_code == 200, report.text
    assert [u["unit"] for u in report.json()["units"]] == ["u-fict-72"]
    with transaction(web_url) as session:
        logged = session.scalars(
            select(ChangeLogEntry.actor).where(
                ChangeLogEntry.action == "incidents.add",
                ChangeLogEntry.entity_id == str(number),
            )
        ).all()
    assert logged == [f"web:{role}"]


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize(
    ("change", "loc", "said"),
    [
        ({"places": ["Tell Wahmy Nowhere"]}, ["body", "places", 0], "close matches: Tell Wahmi"),
        (
            {"perpetrators": [{"organization_id": "u-fict-27"}]},
            ["body", "perpetrators", 0, "organization_id"],
            "close matches: 'u-fict-72'",
        ),
        (
            {"perpetrators": [{"person_id": 999_999}]},
            ["body", "perpetrators", 0, "person_id"],
            "no person",
        ),
        ({"sources": ["Fictional publik list"]}, ["body", "sources"], repr(SOURCE)),
        ({"start_date": "2025-13-01"}, ["body", "start_date"], "month 13"),
        ({"end_date": "2025-03-01"}, ["body", "end_date"], "before it starts"),
        ({"violations": ["killing.by_magic"]}, ["body", "violations"], "no violation type"),
        ({"victims": {"persons": [999_999]}}, ["body", "victims", "persons"], "no person"),
        (
            {"perpetrators": [{"organization_id": "u-fict-72", "status": "proven"}]},
            ["body", "perpetrators", 0, "status"],
            "",
        ),
    ],
)
def test_a_refused_value_is_named_with_its_close_matches_and_nothing_is_stored(
    bearer: Callable[[str], TestClient], change: dict[str, Any], loc: list[Any], said: str
) -> None:
    client = bearer("investigator")
    before = client.get("/api/incidents").json()["total"]
    answer = client.post("/api/incidents", json=_body(**change))
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == loc
    assert said in problem["msg"]
    assert client.get("/api/incidents").json()["total"] == before


@pytest.mark.usefixtures("gazetteer")
def test_a_second_incident_under_a_taken_id_is_a_conflict(
    bearer: Callable[[str], TestClient],
) -> None:
    client = bearer("investigator")
    assert client.post("/api/incidents", json=_body(id="wr-twice")).status_code == 201
    again = client.post("/api/incidents", json=_body(id="wr-twice", title="Another"))
    assert again.status_code == 409
    assert "PATCH" in again.json()["detail"]


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_a_change_keeps_who_when_and_why_and_removes_nothing(
    bearer: Callable[[str], TestClient], web_url: str, role: str
) -> None:
    client = bearer(role)
    number = client.post("/api/incidents", json=_body(id=f"wr-patch-{role}")).json()["id"]
    why = "the second list gives the village's own name (fictional)"
    changed = client.patch(
        f"/api/incidents/{number}",
        json={
            "title": "Raid on Ain al-Khayal (fictional)",
            "violations": ["ill_treatment.torture"],
            "why": why,
        },
    )
    assert changed.status_code == 200, changed.text
    doc = changed.json()
    assert doc["title"] == "Raid on Ain al-Khayal (fictional)"
    assert {v["code"] for v in doc["violations"]} == {
        "killing.summary_execution",
        "ill_treatment.torture",
    }
    assert len(doc["perpetrators"]) == 1  # what the change did not state stays
    with transaction(web_url) as session:
        entry = session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.action == "incidents.update",
                ChangeLogEntry.entity_id == str(number),
            )
        ).one()
        assert (entry.actor, entry.why) == (f"web:{role}", why)
        assert entry.at is not None
        assert any("title" in c for c in entry.detail["changes"])
    assert client.patch("/api/incidents/999999", json={"title": "x"}).status_code == 404
    bad = client.patch(f"/api/incidents/{number}", json={"start_date": "yesterday"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "start_date"]


@pytest.mark.usefixtures("gazetteer")
def test_the_forms_make_and_change_an_incident_and_keep_what_was_typed_when_refused(
    login: Callable[[str], TestClient],
) -> None:
    client = login("investigator")
    page = client.get("/incidents/new")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_of(page.text),
        "title": "Night raid on Tell Wahmi (fictional)",
        "start_date": "2025-03",
        "place": "Tell Wahmi",
        "violations": ["killing", "ill_treatment"],
        "unit": "u-fict-72",
        "involvement": "ordered",
        "status": "corroborated",
        "source": SOURCE,
        "locator": "entry 9",
        "confidence": "low",
        "access": "internal",
    }
    refused = client.post("/incidents/new", data={**form, "unit": "u-nowhere"})
    assert refused.status_code == 422
    assert 'data-field="perpetrators.0.organization_id"' in refused.text
    assert "Night raid on Tell Wahmi (fictional)" in refused.text  # what was typed is kept
    made = client.post("/incidents/new", data=form)
    assert made.status_code == 303, made.text
    target = made.headers["location"].split("?")[0]
    shown = client.get(target).text
    assert "Night raid on Tell Wahmi (fictional)" in shown and "Tell Wahmi" in shown
    edit = client.get(f"{target}/edit")
    assert edit.status_code == 200 and 'value="2025-03"' in edit.text
    changed = client.post(
        f"{target}/edit",
        data={
            "csrf_token": csrf_of(edit.text),
            "title": "Night raid on Tell Wahmi (fictional)",
            "start_date": "2025-03-08",
            "access": "internal",
            "why": "the day is known now (fictional)",
        },
    )
    assert changed.status_code == 303
    assert client.get(f"/api{target}").json()["start_date"] == "2025-03-08"


@pytest.mark.usefixtures("gazetteer")
@pytest.mark.parametrize("typed", ["عين الخ", "ain al-kh", "Ayn al"])
def test_the_place_type_ahead_finds_a_village_in_either_script(
    bearer: Callable[[str], TestClient], typed: str
) -> None:
    found = bearer("viewer").get("/api/places", params={"q": typed})
    assert found.status_code == 200
    assert "demo:v01" in [p["external_id"] for p in found.json()]
