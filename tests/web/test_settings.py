"""The case's settings (admins): what the code reads, changed through the API and the page,
each change in the audit log; every other role gets 403 and sees no form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sijill.linkage.service import REVIEW_FLOOR, review_floor
from sijill.store.engine import transaction

Client = Callable[[str], TestClient]


def test_an_admin_changes_the_settings_and_the_case_reads_them(
    bearer: Client, login: Client, web_url: str
) -> None:
    admin = bearer("admin")
    shown = admin.get("/api/settings").json()
    assert shown["review_floor"] == REVIEW_FLOOR and shown["default_language"] == "en"
    assert shown["demo"] is False and shown["case_name"] == ""
    changed = admin.patch(
        "/api/settings",
        json={"case_name": "Coastal inquiry (fictional)", "review_floor": 0.15},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["case_name"] == "Coastal inquiry (fictional)"
    with transaction(web_url) as session:
        assert review_floor(session) == 0.15  # what `sijill link` reads
    page = login("viewer").get("/")
    assert "Coastal inquiry (fictional)" in page.text  # every page's header

    # The page: the default language for readers whose browser names none we speak.
    client = login("admin")
    form = {"csrf_token": client.csrf, "case_name": "Coastal inquiry (fictional)"}  # type: ignore[attr-defined]
    saved = client.post(
        "/admin/settings", data={**form, "default_language": "ar", "review_floor": "0.15"}
    )
    assert saved.status_code == 303
    french = client.get("/admin/settings", headers={"accept-language": "fr"})
    assert 'lang="ar"' in french.text and "Coastal inquiry (fictional)" in french.text
    refused = client.post("/admin/settings", data={**form, "review_floor": "0.9"})
    assert refused.status_code == 422 and 'data-testid="settings-error"' in refused.text
    assert 'value="0.9"' in refused.text  # what was typed is kept

    audit = admin.get("/api/audit", params={"entity": "case_settings"}).json()["items"]
    changes = {(e["entity_id"], e["detail"]["to"]) for e in audit}
    assert {
        ("case.name", "Coastal inquiry (fictional)"),
        ("linkage.review_floor", "0.15"),
    } <= changes
    assert ("case.default_language", "ar") in changes
    admin.patch("/api/settings", json={"default_language": "en"})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"review_floor": 0.3}, "review_floor"),
        ({"default_language": "fr"}, "default_language"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_settings_name_the_field(bearer: Client, body: dict[str, Any], field: str) -> None:
    answer = bearer("admin").patch("/api/settings", json=body)
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == field


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator"])
def test_only_admins_see_or_change_settings(role: str, bearer: Client, login: Client) -> None:
    client = bearer(role)
    assert client.get("/api/settings").status_code == 403
    assert client.patch("/api/settings", json={"case_name": "x"}).status_code == 403
    page = login(role)
    assert page.get("/admin/settings").status_code == 403
    csrf = page.csrf  # type: ignore[attr-defined]
    assert (
        page.post("/admin/settings", data={"csrf_token": csrf, "case_name": "x"}).status_code == 403
    )
    assert "/admin/settings" not in page.get("/").text
