"""Evidence linked to an incident, a person or a unit through the API and the item page's form
(issue 20): every role, the link shown on both pages, conflicts and unknown targets named with
their close matches, the custody and change logs. The seed's fictional items and units."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.evidence.models import CustodyEntry
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web.testing import csrf_of
from tests.web.seed import PUBLIC_ITEM, SECRET_ITEM


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_role_below_investigator_may_not_link(
    bearer: Callable[[str], TestClient], login: Callable[[str], TestClient], role: str
) -> None:
    body = {"kind": "unit", "target": "u-fict-72"}
    assert bearer(role).post(f"/api/evidence/{PUBLIC_ITEM}/links", json=body).status_code == 403
    page = login(role)
    assert 'data-testid="link-form"' not in page.get(f"/evidence/{PUBLIC_ITEM}").text
    posted = page.post(f"/evidence/{PUBLIC_ITEM}/links", data={**body, "csrf_token": page.csrf})
    assert posted.status_code == 403


@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_an_item_linked_to_a_unit_a_person_and_an_incident_shows_on_both_pages(
    bearer: Callable[[str], TestClient],
    login: Callable[[str], TestClient],
    seeded: dict[str, object],
    web_url: str,
    role: str,
) -> None:
    client = bearer(role)
    item = PUBLIC_ITEM if role == "admin" else SECRET_ITEM
    incident = client.get("/api/incidents").json()["items"][0]["id"]
    person = seeded["mohammad"]
    for kind, target in (("unit", "u-fict-72"), ("person", person), ("incident", incident)):
        made = client.post(
            f"/api/evidence/{item}/links", json={"kind": kind, "target": str(target)}
        )
        if made.status_code == 409:  # the seed linked it already
            continue
        assert made.status_code == 201, made.text
        assert made.json()["target"] == str(target)
    links = {(x["kind"], x["id"]) for x in client.get(f"/api/evidence/{item}").json()["links"]}
    assert {("unit", "u-fict-72"), ("person", str(person)), ("incident", str(incident))} <= links
    assert item in client.get(f"/api/incidents/{incident}").json()["evidence"]
    pages = login(role)
    for path in ("/command/units/u-fict-72", f"/persons/{person}", f"/incidents/{incident}"):
        assert f'href="/evidence/{item}"' in pages.get(path).text, path
    with transaction(web_url) as session:
        custody = session.scalars(
            select(CustodyEntry.event).where(CustodyEntry.item_id == item)
        ).all()
        logged = session.scalars(
            select(ChangeLogEntry.actor).where(
                ChangeLogEntry.action == "evidence.link", ChangeLogEntry.entity_id == item
            )
        ).all()
    assert "linked" in custody
    assert f"web:{role}" in logged


def test_a_second_link_is_a_conflict_and_an_unknown_target_names_close_matches(
    bearer: Callable[[str], TestClient],
) -> None:
    client = bearer("investigator")
    url = f"/api/evidence/{PUBLIC_ITEM}/links"
    first = client.post(url, json={"kind": "unit", "target": "u-fict-72"})
    assert first.status_code in (201, 409)
    assert client.post(url, json={"kind": "unit", "target": "u-fict-72"}).status_code == 409
    unknown = client.post(url, json={"kind": "unit", "target": "u-fict-27"})
    assert unknown.status_code == 422
    (problem,) = unknown.json()["detail"]
    assert problem["loc"] == ["body", "target"] and "'u-fict-72'" in problem["msg"]
    bad_kind = client.post(url, json={"kind": "source", "target": "x"})
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"] == ["body", "kind"]
    missing = "00000000-0000-4000-8000-000000000000"
    gone = client.post(f"/api/evidence/{missing}/links", json={"kind": "unit", "target": "x"})
    assert gone.status_code == 404


def test_a_refused_link_form_keeps_what_was_typed_and_names_the_field(
    login: Callable[[str], TestClient],
) -> None:
    page = login("investigator")
    form = page.get(f"/evidence/{PUBLIC_ITEM}")
    refused = page.post(
        f"/evidence/{PUBLIC_ITEM}/links",
        data={"csrf_token": csrf_of(form.text), "kind": "incident", "target": "no-such-incident"},
    )
    assert refused.status_code == 422
    assert 'value="no-such-incident"' in refused.text
    assert 'data-field="target"' in refused.text
