"""The review page and API, and the counts page and API."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi import FastAPI

from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client
from tests.linkage.helpers import import_synthetic, sijill_json


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "unused.key"))


@pytest.fixture
def linked_app(sqlite_case_url: str, tmp_path: Path) -> FastAPI:
    """A linked case on SQLite (the pages only read through the library tested on both)."""
    for role in ("viewer", "analyst", "investigator"):
        add_user(sqlite_case_url, role, role)
    import_synthetic(sqlite_case_url, tmp_path, n_people=70, seed=4)
    sijill_json("link", db=sqlite_case_url)
    return create_app(sqlite_case_url)


def test_review_api_shows_pairs_and_records_decisions(linked_app: FastAPI) -> None:
    assert bearer_client(linked_app, "viewer").get("/api/linkage/review").status_code == 403
    analyst = bearer_client(linked_app, "analyst")
    queue = analyst.get("/api/linkage/review").json()
    assert queue["open"] > 0
    pair = queue["items"][0]
    assert {f["verdict"] for f in pair["fields"]} <= {"agree", "differ", "unknown", "info"}
    pair_id = pair["pair_id"]
    assert (
        analyst.post(f"/api/linkage/review/{pair_id}", json={"decision": "same"}).status_code == 403
    )
    investigator = bearer_client(linked_app, "investigator")
    answer = investigator.post(
        f"/api/linkage/review/{pair_id}", json={"decision": "different", "why": "ages differ"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["actor"] == "web:investigator"
    assert investigator.get("/api/linkage/review/999999").status_code == 404
    after = analyst.get("/api/linkage/review").json()
    assert pair_id not in [p["pair_id"] for p in after["items"]]


def test_review_and_counts_pages(linked_app: FastAPI) -> None:
    page = logged_in_client(linked_app, "investigator")
    html = page.get("/linkage/review")
    assert html.status_code == 200 and 'data-testid="review-pair"' in html.text
    assert "linkage.verdict" not in html.text  # no raw key for a field shown for information
    head = html.text[html.text.index('data-testid="review-fields"') :].split("</thead>")[0]
    assert "<th></th>" not in head
    pair_id = (
        bearer_client(linked_app, "analyst")
        .get("/api/linkage/review")
        .json()["items"][0]["pair_id"]
    )
    posted = page.post(
        f"/linkage/review/{pair_id}",
        data={"csrf_token": page.csrf, "decision": "unsure", "why": "not enough"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    counts = page.get("/linkage/counts?by=sex&policy=two-independent-sources")
    assert counts.status_code == 200 and 'data-testid="counts-table"' in counts.text
    api = bearer_client(linked_app, "viewer").get("/api/linkage/counts?by=source").json()
    assert set(api) >= {"policy", "total", "groups"} and api["groups"]
