"""The access matrix: every API route × every role and the anonymous client.

- anonymous: every ``/api/`` route answers 401 with no data; every page redirects to the login.
- viewer: never a restricted value (record, person, source, incident, evidence item, actor,
  proceeding, citation), never a sealed field, on any route or page, asked by id, by search,
  by filter, by count or through nested references (the whole case of ``seed.py``).
- analyst and above: restricted content readable, sealed fields decrypted, and each such read
  written to the change log.
"""

from __future__ import annotations

import json
import re
from itertools import product
from typing import Any
from urllib.parse import unquote_plus, urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.security.roles import ROLES
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web.testing import RouteInfo, bearer_client, logged_in_client, served_routes
from tests.web.seed import (
    INTERNAL_SECRET,
    PUBLIC_ITEM,
    SECRET_ACTOR,
    SECRET_ACTOR_ID,
    SECRET_INCIDENT,
    SECRET_ITEM,
    SECRET_ITEM_NAME,
    SECRET_LOCATORS,
    SECRET_PROCEEDING,
    WITNESS_NAME,
    WITNESS_PHONE,
)

PUBLIC_PAGES = {"/login", "/healthz", "/lang/{code}", "/digits/{kind}"}
#: Strings only roles allowed restricted content may ever receive.
RESTRICTED_MARKERS = (
    WITNESS_NAME,
    WITNESS_PHONE,
    "Fictional witness list",
    "Ahmad Ibrahim",
    "Layla Mansour",
    "testimony 4",
    SECRET_ACTOR,
    SECRET_ACTOR_ID,
    SECRET_INCIDENT,
    SECRET_ITEM,
    SECRET_ITEM_NAME,
    SECRET_PROCEEDING,
    *SECRET_LOCATORS,
)
SEALED_MARKERS = (INTERNAL_SECRET,)
IDS = range(1, 9)
#: Row numbers asked of every route with a numeric id: each row the seed makes, and beyond.
ROW_IDS = range(1, 12)


def _api_routes(app) -> list[RouteInfo]:  # type: ignore[no-untyped-def]
    return [r for r in served_routes(app) if r.path.startswith("/api/")]


def _paths(route: RouteInfo) -> list[str]:
    names = re.findall(r"{(\w+)}", route.path)
    if not names:
        return [route.path]
    paths = []
    for values in product(IDS, repeat=len(names)):
        path = route.path
        for name, value in zip(names, values, strict=True):
            path = path.replace("{" + name + "}", str(value))
        paths.append(path)
    return paths


def _assert_clean(text: str, where: str, *, exempt: str = "") -> None:
    """No restricted or sealed value in ``text`` (but those the request itself named, in
    ``exempt``: echoing what was asked tells nothing), no restricted row, no sealed field."""
    for marker in RESTRICTED_MARKERS + SEALED_MARKERS:
        assert marker in exempt or marker not in text, f"{where}: leaked {marker!r}"
    assert '"access":"restricted"' not in text.replace(" ", ""), f"{where}: restricted item"
    assert '"sealed"' not in text, f"{where}: sealed field present"


def test_anonymous_gets_nothing(app, seeded) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, follow_redirects=False)
    assert len(_api_routes(app)) >= 12
    for route in _api_routes(app):
        for method, path in product(route.methods, _paths(route)[:2]):
            response = client.request(method, path)
            if path == "/api/token":
                assert response.status_code in (401, 422), path
                assert "access_token" not in response.text
                continue
            assert response.status_code == 401, f"{method} {path}: {response.status_code}"
            assert response.json() == {"detail": "Not authenticated"}
    pages = 0
    for route in served_routes(app):
        path = route.path
        if route.api and not path.startswith("/api/") and path not in PUBLIC_PAGES:
            pages += 1
            for concrete in _paths(route)[:2]:
                for method in route.methods:
                    response = client.request(method, concrete)
                    assert response.status_code in (303, 401), f"{method} {concrete}"
                    if response.status_code == 303:
                        assert response.headers["location"].startswith("/login")
    assert pages >= 8


def _values(seeded: dict[str, Any]) -> dict[str, list[str]]:
    """What to put in each path parameter: the seed's string ids (evidence items, units,
    actors, users) by name, and small row numbers (every row the seed made) for the rest."""
    return {
        "item_id": [PUBLIC_ITEM, SECRET_ITEM],
        "other_id": [SECRET_ITEM, PUBLIC_ITEM],
        "unit": ["u-fict-72"],
        "person": ["p-fict-open", SECRET_ACTOR_ID],
        "name": list(ROLES),
        "code": ["en"],
        "kind": ["latin"],
        "*": [str(i) for i in ROW_IDS],
    }


def _queries(seeded: dict[str, Any]) -> list[dict[str, Any]]:
    """Queries asked of every route without path parameters: by search, by level, by filter
    naming a restricted row (the secret actor, the restricted incident and source), whole."""
    return [
        {},
        {"q": "Ahmad"},
        {"q": "Sirr"},
        {"q": "Layla"},
        {"access": "restricted", "limit": 500},
        {"public": "false"},
        {"role": "actor"},
        {"incident": seeded["incident"]},
        {"incident": seeded["secret_incident"]},
        {"person": seeded["secret_actor"]},
        {"person_id": seeded["ahmad"]},
        {"source_id": seeded["restricted"]},
        {"unit": "u-fict-72", "units": "u-fict-72", "from": "2025-01-01", "to": "2025-12-31"},
        {"by": "source"},
        {"status": "corroborated"},
    ]


def _crawl(app, seeded, role: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every GET route (API with a token, pages with a signed-in session) asked as ``role``
    with every value of its path parameters and, without them, every query: what each answer
    held (body and headers), keyed by what was asked. No answer may be a server error."""
    api, page = bearer_client(app, role), logged_in_client(app, role)
    values = _values(seeded)
    answers: dict[str, str] = {}
    for route in served_routes(app):
        if "GET" not in route.methods or not route.api or route.path in PUBLIC_PAGES:
            continue
        client = api if route.path.startswith("/api/") else page
        names = re.findall(r"{(\w+)}", route.path)
        choices = [values.get(n, values["*"]) for n in names]
        for chosen in product(*choices):
            path = route.path
            for name, value in zip(names, chosen, strict=True):
                path = path.replace("{" + name + "}", value)
            for query in _queries(seeded) if not names else [{}, {"after_incident": "1"}]:
                response = client.get(path, params=query)
                asked = f"{path}?{urlencode(query)}"
                assert response.status_code < 500, f"{role} {asked}: {response.status_code}"
                answers[asked] = response.text + json.dumps(dict(response.headers))
    return answers


@pytest.mark.slow  # crawls every route and page as two roles: about 30 s per engine
def test_no_route_or_page_tells_a_viewer_a_restricted_value(app, seeded) -> None:  # type: ignore[no-untyped-def]
    """The whole case: every route and page, by id, by search, by filter and through nested
    references. A viewer's answers hold no restricted value (names, titles, sources, locators,
    evidence ids, sealed fields, restricted rows); an analyst's crawl finds each of them, so
    the seed does put them within reach."""
    viewer = _crawl(app, seeded, "viewer")
    assert len(viewer) > 300
    for asked, text in viewer.items():
        _assert_clean(text, f"viewer {asked}", exempt=unquote_plus(asked))
    analyst = "\n".join(_crawl(app, seeded, "analyst").values())
    for marker in RESTRICTED_MARKERS + SEALED_MARKERS:
        assert marker in analyst, f"no route gives an analyst {marker!r}"


def test_viewer_counts_and_nested_references_leave_out_what_is_restricted(  # type: ignore[no-untyped-def]
    seeded, bearer, login
) -> None:
    """By count and through nested references: the public incident's victims, evidence,
    sub-incidents, record links and allegations, and the totals of every list, as a viewer
    and as an analyst."""
    expected = {
        "viewer": {"named": 1, "documented": 6, "with_sub_incidents": 6},
        "analyst": {"named": 2, "documented": 7, "with_sub_incidents": 8},
    }
    for role, victims in expected.items():
        client = bearer(role)
        doc = client.get(f"/api/incidents/{seeded['incident']}").json()
        trusted = role != "viewer"
        assert {key: doc["victims"][key] for key in victims} == victims, role
        assert doc["evidence"] == ([PUBLIC_ITEM, SECRET_ITEM] if trusted else [PUBLIC_ITEM])
        assert doc["sub_incidents"] == ([seeded["secret_incident"]] if trusted else [])
        assert doc["record_links"] == ({"confirmed": 1} if trusted else {})
        alleged = {p["person_id"] for p in doc["perpetrators"]} - {None}
        actors = {seeded["open_actor"], seeded["secret_actor"]}
        assert alleged == (actors if trusted else {seeded["open_actor"]})
        listed = client.get("/api/incidents").json()
        assert [i["id"] for i in listed["items"]] == (
            [seeded["incident"], seeded["secret_incident"]] if trusted else [seeded["incident"]]
        )
        assert listed["total"] == len(listed["items"])
        totals = {
            "/api/sources": 3 if trusted else 2,
            "/api/records": 8 if trusted else 5,
            "/api/evidence": 2 if trusted else 1,
        }
        for path, total in totals.items():
            assert client.get(path, params={"limit": 500}).json()["total"] == total, (role, path)
        summary = client.get("/api/summary").json()
        assert (summary["sources"], summary["records"], summary["persons"]) == (
            (3, 8, 4) if trusted else (2, 5, 2)
        )
        persons_total = client.get("/api/persons", params={"limit": 500}).json()["total"]
        assert persons_total == (4 if trusted else 2)  # Ahmad and the secret actor
        proceedings = client.get("/api/accountability/proceedings").json()
        assert len(proceedings) == (2 if trusted else 1)
        subjects = {p["id"] for d in proceedings for p in d["persons"]}
        assert subjects == (actors if trusted else {seeded["open_actor"]})
        item = client.get(f"/api/evidence/{PUBLIC_ITEM}").json()
        assert [d["id"] for d in item["near_duplicates"]] == ([SECRET_ITEM] if trusted else [])
        assert item["derived"] == ([SECRET_ITEM] if trusted else [])
        links = {(link["kind"], link["id"]) for link in item["links"]}
        hidden = {
            ("person", str(seeded["ahmad"])),
            ("person", SECRET_ACTOR_ID),
            ("source", "Fictional witness list"),
            ("incident", str(seeded["secret_incident"])),
        }
        assert links - hidden == {("incident", str(seeded["incident"]))}
        assert links & hidden == (hidden if trusted else set())
    page = login("viewer")
    for path in (
        f"/records/{seeded['restricted_record']}",
        f"/persons/{seeded['ahmad']}",
        f"/persons/{seeded['secret_actor']}",
        f"/sources/{seeded['restricted']}",
        f"/incidents/{seeded['secret_incident']}",
        f"/evidence/{SECRET_ITEM}",
        f"/command/persons/{SECRET_ACTOR_ID}",
        f"/accountability/persons/{SECRET_ACTOR_ID}",
        f"/accountability/incidents/{seeded['secret_incident']}",
    ):
        assert page.get(path).status_code == 404, path


def test_viewers_may_not_import_nor_take_the_full_export(bearer) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer("viewer")
    assert (
        viewer.post(
            "/api/imports", files={"file": ("x.csv", b"record_id\n1\n")}, data={"source": "x"}
        ).status_code
        == 403
    )
    assert viewer.get("/api/exports/records.csv", params={"public": "false"}).status_code == 403


def test_viewer_sees_what_is_not_restricted(seeded, bearer) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer("viewer")
    records = viewer.get("/api/records", params={"limit": 500}).json()
    assert records["total"] == 5  # 3 public + 2 internal
    assert {r["access"] for r in records["items"]} == {"public", "internal"}
    internal = viewer.get(f"/api/records/{seeded['internal_record']}").json()
    assert "sealed" not in internal  # left out, not blanked
    assert internal["full_name"] == "Mohammad Ali Hassan"
    person = viewer.get(f"/api/persons/{seeded['mohammad']}").json()
    assert {s["name"] for s in person["sources"]} == {
        "Fictional public list",
        "Fictional internal list",
    }
    assert person["citations"] == []
    # A restricted record's name never makes a readable person match (no existence oracle).
    found = viewer.get("/api/persons", params={"q": "Ahmad Ibrahim"}).json()
    assert found["total"] == 0 and found["items"] == []


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator", "admin"])
def test_person_list_counts_what_each_role_may_read(seeded, bearer, role) -> None:  # type: ignore[no-untyped-def]
    """The list's record counts and total follow the role: a viewer's leave out the record in
    the restricted list and the restricted person; roles that read every level count all."""
    listed = bearer(role).get("/api/persons", params={"limit": 500, "role": "victim"}).json()
    counts = {p["id"]: p["n_records"] for p in listed["items"]}
    if role == "viewer":
        assert counts == {seeded["mohammad"]: 2}  # public and internal lists, not the witness list
        assert listed["total"] == 1
    else:
        assert counts == {seeded["mohammad"]: 3, seeded["ahmad"]: 1}
        assert listed["total"] == 2
    person = bearer(role).get(f"/api/persons/{seeded['mohammad']}").json()
    assert person["n_records"] == counts[seeded["mohammad"]]


@pytest.mark.parametrize("role", ["analyst", "investigator", "admin"])
def test_trusted_roles_read_restricted_and_are_logged(web_url, seeded, bearer, role) -> None:  # type: ignore[no-untyped-def]
    client = bearer(role)
    record = client.get(f"/api/records/{seeded['restricted_record']}").json()
    assert record["access"] == "restricted"
    assert record["sealed"] == {"witness_name": WITNESS_NAME, "witness_phone": WITNESS_PHONE}
    person = client.get(f"/api/persons/{seeded['mohammad']}").json()
    assert "Fictional witness list" in {s["name"] for s in person["sources"]}
    assert person["citations"][0]["locator"] == "testimony 4, p. 2"
    with transaction(web_url) as session:
        reads = session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.action == "read", ChangeLogEntry.actor == f"web:{role}"
            )
        ).all()
        assert any(
            e.entity == "records" and str(seeded["restricted_record"]) in e.detail["ids"]
            for e in reads
        )
        for entry in reads:  # the read log holds ids, never content
            assert WITNESS_NAME not in json.dumps(entry.detail, ensure_ascii=False)


def test_every_role_is_covered() -> None:
    assert ROLES == ("viewer", "analyst", "investigator", "admin")


def test_protected_search_through_blind_index(web_url, seeded, bearer) -> None:  # type: ignore[no-untyped-def]
    analyst = bearer("analyst")
    found = analyst.get("/api/records", params={"protected_q": "zubaida qarawiyya"}).json()
    assert {r["record_id"] for r in found["items"]} == {"r1", "r2"}
    assert all(r["sealed"]["witness_name"] == WITNESS_NAME for r in found["items"])
    none = analyst.get("/api/records", params={"protected_q": "Nobody Fictional"}).json()
    assert none["total"] == 0
    assert (
        bearer("viewer").get("/api/records", params={"protected_q": "zubaida"}).status_code == 403
    )
    with transaction(web_url) as session:  # the query itself is never written down
        for entry in session.scalars(select(ChangeLogEntry)):
            assert "zubaida" not in json.dumps(entry.detail or {}, ensure_ascii=False).lower()
