"""Command facts made through the API and the forms (issue 20): a unit, a post and a
composition, each with its dates as written and one citation; a whole §3 document through
``POST /api/structure``. Every role, refusals naming the field, conflicts, the change log.

The units and persons are the seed's and invented ones (``wr-``), visibly fictional.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web.testing import csrf_of

SOURCE = "Fictional public list"
CITED = {"source": SOURCE, "locator": "p. 12", "confidence": "high"}
ROUTES = ("organizations", "memberships", "compositions")


def _unit(uid: str) -> dict[str, Any]:
    return {"id": uid, "name": f"{uid} Brigade (fictional)", "classification": "brigade", **CITED}


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_a_role_below_investigator_may_not_write_command_facts(
    bearer: Callable[[str], TestClient], login: Callable[[str], TestClient], role: str
) -> None:
    client = bearer(role)
    for route in ROUTES:
        assert client.post(f"/api/command/{route}", json={}).status_code == 403, route
    assert client.post("/api/structure", json={"organizations": []}).status_code == 403
    page = login(role)
    assert page.get("/command/new").status_code == 403
    for form in ("unit", "post", "composition"):
        answer = page.post(f"/command/new/{form}", data={"csrf_token": page.csrf})
        assert answer.status_code == 403
    assert 'href="/command/new"' not in page.get("/command").text


@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_a_unit_a_post_and_a_composition_are_stored_with_their_citation(
    bearer: Callable[[str], TestClient], web_url: str, role: str
) -> None:
    client = bearer(role)
    unit = f"u-wr-{role}"
    made = client.post("/api/command/organizations", json=_unit(unit))
    assert made.status_code == 201, made.text
    assert made.json()["citations"] == [
        {"source": SOURCE, "field": None, "locator": "p. 12", "confidence": "high"}
    ]
    post = {
        "person_id": "p-fict-open",
        "organization_id": unit,
        "role": "commander",
        "rank": "Colonel (fictional)",
        "start_date": "12/2024",
        **CITED,
    }
    made_post = client.post("/api/command/memberships", json=post)
    assert made_post.status_code == 201, made_post.text
    assert made_post.json()["start_date"] == "2024-12"
    composition = {"parent_id": "u-fict-72", "child_id": unit, "start_date": "2025-01", **CITED}
    made_composition = client.post("/api/command/compositions", json=composition)
    assert made_composition.status_code == 201, made_composition.text

    chain = client.get(f"/api/command/units/{unit}/chain", params={"at": "2025-03-08"}).json()
    assert chain["levels"][0]["commanders"] == ["p-fict-open"]
    assert "u-fict-72" in [lv["organization_id"] for lv in chain["levels"]]
    with transaction(web_url) as session:
        actors = set(
            session.scalars(
                select(ChangeLogEntry.actor).where(
                    ChangeLogEntry.action == "import", ChangeLogEntry.entity == "command_structure"
                )
            )
        )
    assert f"web:{role}" in actors


def test_the_same_unit_or_fact_twice_is_a_conflict(bearer: Callable[[str], TestClient]) -> None:
    client = bearer("investigator")
    assert client.post("/api/command/organizations", json=_unit("u-wr-twice")).status_code == 201
    assert client.post("/api/command/organizations", json=_unit("u-wr-twice")).status_code == 409
    fact = {"parent_id": "u-fict-72", "child_id": "u-wr-twice", "start_date": "2025", **CITED}
    assert client.post("/api/command/compositions", json=fact).status_code == 201
    again = client.post("/api/command/compositions", json=fact)
    assert again.status_code == 409 and "already stored" in again.json()["detail"]


@pytest.mark.parametrize(
    ("route", "body", "loc", "said"),
    [
        (
            "memberships",
            {"person_id": "p-fict-open", "organization_id": "u-fict-27"},
            ["body", "organization_id"],
            "close matches: 'u-fict-72'",
        ),
        (
            "memberships",
            {"person_id": "p-fict-opem", "organization_id": "u-fict-72"},
            ["body", "person_id"],
            "close matches: 'p-fict-open'",
        ),
        (
            "memberships",
            {
                "person_id": "p-fict-open",
                "organization_id": "u-fict-72",
                "start_date": "2025-02-30",
            },
            ["body", "start_date"],
            "day 30",
        ),
        (
            "compositions",
            {"parent_id": "u-fict-72", "child_id": "u-fict-72"},
            ["body", "parent_id"],
            "its own parent",
        ),
        (
            "organizations",
            {"id": "u-wr-bad-source", "source": "Fictional publik list"},
            ["body", "source"],
            repr(SOURCE),
        ),
        ("organizations", {"name": "no id"}, ["body", "id"], ""),
    ],
)
def test_a_refused_fact_names_the_field(
    bearer: Callable[[str], TestClient],
    route: str,
    body: dict[str, Any],
    loc: list[str],
    said: str,
) -> None:
    answer = bearer("investigator").post(f"/api/command/{route}", json={**CITED, **body})
    assert answer.status_code == 422, answer.text
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == loc
    assert said in problem["msg"]


@pytest.mark.parametrize("role", ["investigator", "admin"])
def test_a_structure_document_is_imported_as_the_command_line_does(
    bearer: Callable[[str], TestClient], role: str
) -> None:
    client = bearer(role)
    unit, person = f"u-wr-doc-{role}", f"p-wr-doc-{role}"
    doc = {
        "organizations": [{"id": unit, "name": "Document Brigade (fictional)"}],
        "persons": [{"id": person, "name": "Colonel Doc Fictional"}],
        "memberships": [
            {
                "person_id": person,
                "organization_id": unit,
                "role": "commander",
                "start_date": "2025-01",
                "sources": [SOURCE],
            }
        ],
    }
    made = client.post("/api/structure", json=doc)
    assert made.status_code == 201, made.text
    assert made.json()["organizations"] == 1 and made.json()["memberships"] == 1
    bad = {"memberships": [{**doc["memberships"][0], "end_date": "soon"}]}
    refused = client.post("/api/structure", json=bad)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "memberships", 0, "end_date"]
    unknown = {"organizations": [{"id": f"{unit}-2", "sources": [f"No Such Source {role}"]}]}
    assert client.post("/api/structure", json=unknown).status_code == 422
    created = client.post("/api/structure", json=unknown, params={"create_sources": True})
    assert created.status_code == 201


def test_the_forms_add_a_unit_a_post_and_a_composition(
    login: Callable[[str], TestClient],
) -> None:
    client = login("investigator")
    page = client.get("/command/new")
    assert page.status_code == 200
    token = csrf_of(page.text)
    unit = {"csrf_token": token, "id": "u-wr-form", "name": "Form Brigade (fictional)", **CITED}
    made = client.post("/command/new/unit", data=unit)
    assert made.status_code == 303
    assert made.headers["location"] == "/command/units/u-wr-form?done=unit"
    taken = client.post("/command/new/unit", data=unit)
    assert taken.status_code == 409 and "Form Brigade (fictional)" in taken.text
    post = {
        "csrf_token": token,
        "person_id": "p-fict-open",
        "organization_id": "u-wr-form",
        "role": "deputy",
        "start_date": "not a date",
        **CITED,
    }
    refused = client.post("/command/new/post", data=post)
    assert refused.status_code == 422
    assert 'data-field="start_date"' in refused.text and "not a date" in refused.text
    assert client.post("/command/new/post", data={**post, "start_date": "2025"}).status_code == 303
    composition = {
        "csrf_token": token,
        "child_id": "u-wr-form",
        "parent_id": "u-fict-72",
        "start_date": "2025-02",
        **CITED,
    }
    done = client.post("/command/new/composition", data=composition)
    assert done.status_code == 303
    shown = client.get(done.headers["location"])
    assert 'data-testid="command-saved"' in shown.text
