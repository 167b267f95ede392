"""Leaks to a viewer through an incident's nested references (issue 19, "Citations and
references"): a public incident's citations, evidence ids and victim counts hold only what the
reader may read, in the API, the pages and the map (both engines). Fictional case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI

from sijill.command.models import Membership, Organization
from sijill.evidence.models import EvidenceItem, EvidenceLink
from sijill.incidents.models import Incident, IncidentPerpetrator, IncidentRecord, IncidentVictim
from sijill.store.engine import transaction
from sijill.store.models import Citation, Person, Record, Source
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client

HIDDEN_SOURCE = "Sirr Restricted Fictional Ledger"
HIDDEN_PERSON = "Khafi Restricted-Only Fictional"
PUBLIC_ITEM = "a" * 32
HIDDEN_ITEM = "f" * 32


def _item(item_id: str, access: str) -> EvidenceItem:
    return EvidenceItem(id=item_id, sha256=item_id * 2, size=1, mime="text/plain", access=access)


def _record(name: str, source: Source, access: str, person: Person) -> Record:
    return Record(
        source_id=source.id, record_id=name, row_number=1, raw={}, access=access,
        full_name=name, script="latin", person_id=person.id,
    )  # fmt: skip


@pytest.fixture
def case(case_url: str) -> dict[str, Any]:
    """A public incident citing a public and a restricted source, linked to a public and a
    restricted evidence item, with a victim from a public record, one known only from a
    restricted record (named directly and through a confirmed record link), an unnamed group
    of three cited by the restricted source, and an alleged perpetrator unit whose allegation
    and whose commander's post the restricted source cites."""
    for role in ("viewer", "analyst"):
        add_user(case_url, role, role)
    with transaction(case_url) as session:
        public = Source(name="Open Fictional Register", access="public")
        hidden = Source(name=HIDDEN_SOURCE, access="restricted")
        shown, secret = (
            Person(display_name=name, name_latin=name, is_victim=True, access="internal")
            for name in ("Zahir Public Fictional", HIDDEN_PERSON)
        )
        incident = Incident(
            title="Fictional shelling of a market",
            access="public",
            start_date="2013-05-02",
            start_day=date(2013, 5, 2),
        )
        unit = Organization(external_id="UNIT-FICTIONAL-1", name="Fictional Brigade")
        commander = Person(
            display_name="Qaid Fictional", external_id="ACT-FICTIONAL-1", is_actor=True,
            access="public",
        )  # fmt: skip
        session.add_all([public, hidden, shown, secret, incident, unit, commander])
        session.add_all([_item(PUBLIC_ITEM, "public"), _item(HIDDEN_ITEM, "restricted")])
        session.flush()
        secret_record = _record(HIDDEN_PERSON, hidden, "restricted", secret)
        session.add_all([_record("Zahir Public Fictional", public, "public", shown), secret_record])
        session.flush()
        group = IncidentVictim(incident_id=incident.id, count=3, note="fictional group")
        alleged = IncidentPerpetrator(incident_id=incident.id, organization_id=unit.id)
        post = Membership(
            person_id=commander.id, organization_id=unit.id, role="commander",
            sure_start=date(2013, 1, 1), sure_end=date(2013, 12, 31),
        )  # fmt: skip
        session.add_all(
            [
                IncidentVictim(incident_id=incident.id, person_id=shown.id),
                IncidentVictim(incident_id=incident.id, person_id=secret.id),
                IncidentRecord(
                    incident_id=incident.id, record_id=secret_record.id, status="confirmed"
                ),
                group,
                alleged,
                post,
                *[
                    EvidenceLink(item_id=item, target_kind="incident", target_id=str(incident.id))
                    for item in (PUBLIC_ITEM, HIDDEN_ITEM)
                ],
            ]
        )
        session.flush()
        session.add_all(
            [
                Citation(source_id=s.id, claim_table="incidents", claim_id=str(incident.id))
                for s in (public, hidden)
            ]
            + [
                Citation(source_id=hidden.id, claim_table=table, claim_id=str(claim.id))
                for table, claim in (
                    ("incident_victims", group),
                    ("incident_perpetrators", alleged),
                    ("command_memberships", post),
                )
            ]
        )
        return {"url": case_url, "id": incident.id}


@pytest.fixture
def app(case: dict[str, Any]) -> FastAPI:
    return create_app(case["url"])


def _answers(app: FastAPI, role: str, incident_id: int) -> dict[str, Any]:
    api, page = bearer_client(app, role), logged_in_client(app, role)
    answers = {
        "list": api.get("/api/incidents"),
        "detail": api.get(f"/api/incidents/{incident_id}"),
        "map": api.get("/api/incidents/map.geojson"),
        "page": page.get(f"/incidents/{incident_id}"),
        "map page": page.get("/incidents"),
        "command report": api.get("/api/command/report", params={"incident": incident_id}),
        "report page": page.get("/command/report", params={"incident": incident_id}),
    }
    for name, response in answers.items():
        assert response.status_code == 200, (role, name, response.status_code)
    return answers


def test_viewer_learns_no_restricted_value_through_a_public_incident(case, app) -> None:  # type: ignore[no-untyped-def]
    answers = _answers(app, "viewer", case["id"])
    for name, response in answers.items():
        for secret in (HIDDEN_SOURCE, HIDDEN_ITEM, HIDDEN_PERSON):
            assert secret not in response.text, (name, secret)
    detail = answers["detail"].json()
    assert [c["source"] for c in detail["citations"]] == ["Open Fictional Register"]
    assert detail["evidence"] == [PUBLIC_ITEM]
    assert detail["victims"]["named"] == 1 and detail["victims"]["documented"] == 4
    assert detail["record_links"] == {}
    (listed,) = answers["list"].json()["items"]
    assert listed["victims"] == {"named": 1, "documented": 4, "with_sub_incidents": 4}
    (feature,) = answers["map"].json()["features"]
    assert feature["properties"]["victims_named"] == 1


def test_analyst_sees_every_nested_reference(case, app) -> None:  # type: ignore[no-untyped-def]
    answers = _answers(app, "analyst", case["id"])
    assert HIDDEN_SOURCE in answers["page"].text and HIDDEN_ITEM in answers["page"].text
    assert HIDDEN_SOURCE in answers["command report"].text
    assert HIDDEN_SOURCE in answers["report page"].text
    detail = answers["detail"].json()
    assert {c["source"] for c in detail["citations"]} == {"Open Fictional Register", HIDDEN_SOURCE}
    assert detail["evidence"] == [PUBLIC_ITEM, HIDDEN_ITEM]
    assert detail["victims"]["named"] == 2 and detail["victims"]["documented"] == 5
    assert detail["record_links"] == {"confirmed": 1}
    (listed,) = answers["list"].json()["items"]
    assert listed["victims"]["named"] == 2
    (feature,) = answers["map"].json()["features"]
    assert feature["properties"]["victims_named"] == 2


def test_a_restricted_sub_incident_adds_nothing_to_what_a_viewer_reads(case, app) -> None:  # type: ignore[no-untyped-def]
    with transaction(case["url"]) as session:
        child = Incident(title="Fictional restricted sub-incident", access="restricted",
                         parent_id=case["id"], start_date="2013-05-02",
                         start_day=date(2013, 5, 2))  # fmt: skip
        session.add(child)
        session.flush()
        session.add(IncidentVictim(incident_id=child.id, count=2, note="fictional group"))
    for role, with_sub in (("viewer", 4), ("analyst", 7)):
        api = bearer_client(app, role)
        detail = api.get(f"/api/incidents/{case['id']}").json()
        listed = next(i for i in api.get("/api/incidents").json()["items"] if i["id"] == case["id"])
        assert detail["victims"]["with_sub_incidents"] == with_sub, role
        assert listed["victims"]["with_sub_incidents"] == with_sub, role
