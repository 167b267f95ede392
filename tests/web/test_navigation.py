"""Navigation as an investigator thinks (issue 20): incident → alleged unit → its chain on the
incident's days → each commander → the career after the incident; a person's incidents as a
victim; a merged person's page leads to the person it was merged into. Fictional seed data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from sijill.store.engine import transaction
from sijill.store.models import Person


def test_from_an_incident_to_the_careers_after_it(
    bearer: Callable[[str], TestClient],
    login: Callable[[str], TestClient],
    seeded: dict[str, Any],
) -> None:
    made = bearer("investigator").post(
        "/api/incidents",
        json={
            "title": "Navigation raid (fictional)",
            "start_date": "2025-03-08",
            "victims": {"persons": [seeded["mohammad"]]},
            "perpetrators": [{"organization_id": "u-fict-72"}],
        },
    )
    assert made.status_code == 201, made.text
    number = made.json()["id"]
    page = login("viewer")
    incident = page.get(f"/incidents/{number}").text
    unit_link = re.search(
        r'href="(/command/units/u-fict-72\?[^"]+)" data-testid="alleged-unit"', incident
    )
    assert unit_link is not None
    assert f'href="/command/report?incident={number}"' in incident
    unit = page.get(unit_link.group(1).replace("&amp;", "&"))
    assert unit.status_code == 200
    assert f'href="/command/persons/p-fict-open?after_incident={number}"' in unit.text
    report = page.get("/command/report", params={"incident": number}).text
    assert f"?after_incident={number}" in report
    career = page.get("/command/persons/p-fict-open", params={"after_incident": number})
    assert career.status_code == 200
    person = page.get(f"/persons/{seeded['mohammad']}").text
    assert f'href="/incidents/{number}"' in person


def test_a_merged_persons_page_leads_to_the_survivor(
    login: Callable[[str], TestClient], web_url: str
) -> None:
    with transaction(web_url) as session:
        survivor = Person(display_name="Survivor Fictional", access="public")
        session.add(survivor)
        session.flush()
        merged = Person(display_name="Merged Fictional", access="public")
        merged.merged_into_id = survivor.id
        hidden = Person(display_name="Hidden Survivor Fictional", access="restricted")
        session.add_all([merged, hidden])
        session.flush()
        into_hidden = Person(
            display_name="Merged Into Hidden Fictional", access="public", merged_into_id=hidden.id
        )
        session.add(into_hidden)
        session.flush()
        ids = (merged.id, survivor.id, into_hidden.id, hidden.id)
    viewer = login("viewer")
    page = viewer.get(f"/persons/{ids[0]}").text
    assert f'href="/persons/{ids[1]}" data-testid="merged-into-link"' in page
    assert 'data-testid="merged-into"' not in viewer.get(f"/persons/{ids[2]}").text
    analyst = login("analyst").get(f"/persons/{ids[2]}").text
    assert f'href="/persons/{ids[3]}" data-testid="merged-into-link"' in analyst
