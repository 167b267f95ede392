"""The access matrix: every API route × every role and the anonymous client.

- anonymous: every ``/api/`` route answers 401 with no data; every page redirects to the login.
- viewer: never a restricted record, person or source, never a sealed field, on any route.
- analyst and above: restricted content readable, sealed fields decrypted, and each such read
  written to the change log.
"""

from __future__ import annotations

import json
import re
from itertools import product

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.security.roles import ROLES
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web.testing import RouteInfo, served_routes
from tests.web.seed import INTERNAL_SECRET, WITNESS_NAME, WITNESS_PHONE

PUBLIC_PAGES = {"/login", "/healthz", "/lang/{code}", "/digits/{kind}"}
#: Strings only roles allowed restricted content may ever receive.
RESTRICTED_MARKERS = (
    WITNESS_NAME,
    WITNESS_PHONE,
    "Fictional witness list",
    "Ahmad Ibrahim",
    "Layla Mansour",
    "testimony 4",
)
SEALED_MARKERS = (INTERNAL_SECRET,)
IDS = range(1, 9)
QUERIES = ({}, {"access": "restricted"}, {"q": "Ahmad"}, {"limit": 500}, {"public": "false"})


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


def _assert_clean(text: str, where: str, *, sealed_too: bool = True) -> None:
    markers = RESTRICTED_MARKERS + (SEALED_MARKERS if sealed_too else ())
    for marker in markers:
        assert marker not in text, f"{where}: leaked {marker!r}"
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


def test_viewer_never_receives_restricted_content(app, seeded, bearer, login) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer("viewer")
    checked = 0
    for route in _api_routes(app):
        if "GET" not in route.methods:
            continue
        for path, query in product(_paths(route), QUERIES):
            response = viewer.get(path, params=query)
            assert response.status_code < 500, f"{path} {query}"
            _assert_clean(response.text + json.dumps(dict(response.headers)), f"{path} {query}")
            checked += 1
    assert checked > 50
    # Pages too (a viewer's browser session).
    page = login("viewer")
    for path in (
        "/",
        "/sources",
        "/records",
        "/persons",
        f"/persons/{seeded['mohammad']}",
        f"/records/{seeded['internal_record']}",
        "/records?q=Ahmad",
    ):
        response = page.get(path)
        assert response.status_code == 200, path
        _assert_clean(response.text, path)
    for path in (
        f"/records/{seeded['restricted_record']}",
        f"/persons/{seeded['ahmad']}",
        f"/sources/{seeded['restricted']}",
    ):
        assert page.get(path).status_code == 404, path
    # Viewers may not import, nor take the full export.
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
    listed = bearer(role).get("/api/persons", params={"limit": 500}).json()
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
