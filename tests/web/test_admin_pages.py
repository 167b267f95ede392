"""The administration pages (issue 20): users (create, role, password, disable, revoke) built
on the users API's library calls, and the audit log with its filters, page and API; every
role but admin gets 403 and sees no form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.web.testing import bearer_client, logged_in_client

NEW_PASSWORD = "violet tractor sings at dawn"


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator"])
def test_only_an_admin_administers(login: Callable[[str], TestClient], role: str) -> None:
    client = login(role)
    for path in ("/admin/users", "/admin/audit", "/api/audit"):
        answer = client.get(path)
        assert answer.status_code == 403, path
        assert '<form method="post" action="/admin' not in answer.text
    for path, data in (
        ("/admin/users", {"name": "wb-intruder", "role": "admin", "password": NEW_PASSWORD}),
        ("/admin/users/viewer", {"do": "role", "role": "admin"}),
    ):
        answer = client.post(path, data={**data, "csrf_token": client.csrf})
        assert answer.status_code == 403, path
    assert "/admin/users" not in client.get("/").text  # no menu entry either


def test_an_admin_manages_an_account_from_the_page(
    app: FastAPI, login: Callable[[str], TestClient]
) -> None:
    admin = login("admin")
    page = admin.get("/admin/users")
    assert page.status_code == 200 and 'data-testid="user-new"' in page.text
    created = admin.post(
        "/admin/users",
        data={
            "name": "wb-rana",
            "role": "viewer",
            "password": NEW_PASSWORD,
            "csrf_token": admin.csrf,
        },
    )
    assert created.status_code == 303
    assert "wb-rana" in admin.get(created.headers["location"]).text
    taken = admin.post(
        "/admin/users",
        data={
            "name": "WB-RANA",
            "role": "viewer",
            "password": NEW_PASSWORD,
            "csrf_token": admin.csrf,
        },
    )
    assert taken.status_code == 422 and "exists already" in taken.text
    weak = admin.post(
        "/admin/users",
        data={
            "name": "wb-weak",
            "role": "viewer",
            "password": "password",
            "csrf_token": admin.csrf,
        },
    )
    assert weak.status_code == 422 and 'data-testid="users-error"' in weak.text

    rana = bearer_client(app, "wb-rana", NEW_PASSWORD)
    assert rana.get("/api/summary").status_code == 200

    def change(**data: str) -> None:
        answer = admin.post("/admin/users/wb-rana", data={**data, "csrf_token": admin.csrf})
        assert answer.status_code == 303, answer.text

    change(do="role", role="analyst")
    assert rana.get("/api/summary").status_code == 401  # signed out by the new role
    assert {u["user"]: u["role"] for u in bearer_client(app, "admin").get("/api/users").json()}[
        "wb-rana"
    ] == "analyst"
    again = bearer_client(app, "wb-rana", NEW_PASSWORD)
    change(do="revoke")
    assert again.get("/api/summary").status_code == 401
    change(do="password", password="quiet lantern over seven hills")
    with pytest.raises(AssertionError):
        bearer_client(app, "wb-rana", NEW_PASSWORD)
    assert bearer_client(app, "wb-rana", "quiet lantern over seven hills")
    change(do="disable")
    with pytest.raises(AssertionError):
        bearer_client(app, "wb-rana", "quiet lantern over seven hills")
    assert "disabled" in admin.get("/admin/users").text
    change(do="enable")
    assert logged_in_client(app, "wb-rana", "quiet lantern over seven hills")


def test_the_audit_log_filters_who_what_and_when(
    bearer: Callable[[str], TestClient], login: Callable[[str], TestClient], seeded: dict
) -> None:
    analyst = bearer("analyst")
    assert analyst.get(f"/api/records/{seeded['restricted_record']}").status_code == 200
    admin = bearer("admin")
    reads = admin.get("/api/audit", params={"user": "analyst", "action": "read"}).json()
    assert reads["total"] >= 1
    assert {e["actor"] for e in reads["items"]} == {"web:analyst"}
    assert {e["action"] for e in reads["items"]} == {"read"}
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert admin.get("/api/audit", params={"since": tomorrow}).json()["total"] == 0
    assert admin.get("/api/audit", params={"until": "2000-01-01"}).json()["total"] == 0
    everything = admin.get("/api/audit", params={"limit": 1}).json()
    assert len(everything["items"]) == 1 and everything["total"] > 1
    assert admin.get("/api/audit", params={"since": "yesterday"}).status_code == 422
    for edge in ("0001-01-01", "9999-12-31"):  # the ends of the calendar
        assert admin.get("/api/audit", params={"since": edge, "until": edge}).status_code == 200

    page = login("admin").get("/admin/audit", params={"user": "analyst", "action": "read"})
    assert page.status_code == 200 and 'data-testid="audit-row"' in page.text
    assert "web:analyst" in page.text and "web:viewer" not in page.text
    blank = login("admin").get("/admin/audit", params={"user": "", "since": "", "until": ""})
    assert blank.status_code == 200  # the filter form sends its empty fields
    empty = login("admin").get("/admin/audit", params={"user": "nobody-at-all"})
    assert "No entry matches" in empty.text
