"""The command pages and API: chain with a time slider, career, incident report, checks."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from sijill.command.importer import import_structure
from sijill.security.roles import ROLES
from sijill.store.engine import transaction
from sijill.store.models import Person
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client
from tests.command.sample import sample


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())


def _app(url: str):  # type: ignore[no-untyped-def]
    with transaction(url) as session:
        import_structure(session, sample(), create_sources=True)
        # One actor is restricted: roles that may not read it never see its id.
        session.query(Person).filter_by(external_id="p-3").update({"access": "restricted"})
    for role in ROLES:
        add_user(url, role, role)
    return create_app(url)


@pytest.fixture
def app(case_url: str):  # type: ignore[no-untyped-def]
    return _app(case_url)


def test_api_needs_a_user(app) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    client = TestClient(app)
    for path in (
        "/api/command/units",
        "/api/command/units/u-72/chain?at=2025-03-08",
        "/api/command/report?incident=i-1",
        "/api/command/persons/p-1/career",
    ):
        assert client.get(path).status_code == 401


def test_api_chain_matches_the_command_line(app) -> None:  # type: ignore[no-untyped-def]
    client = bearer_client(app, "viewer")
    doc = client.get("/api/command/units/u-72/chain", params={"at": "2025-03-08"}).json()
    assert [lv["organization_id"] for lv in doc["levels"]] == ["u-72", "d-1", "op-9", "c-1"]
    assert doc["levels"][1]["possible_commanders"] == ["p-2"]
    assert client.get("/api/command/units/nope/chain?at=2025-03-08").status_code == 404
    assert client.get("/api/command/units/u-72/chain?at=2025-03").status_code == 422
    unit = client.get("/api/command/units/u-72").json()
    assert unit["first_day"] <= "2024-12-01" and unit["aliases"] == ["Example Brigade 72"]
    assert client.get("/api/command/units", params={"q": "brigade"}).json()["total"] == 2
    below = client.get("/api/command/units/d-1/subordinates?at=2025-03-08").json()
    assert [lv["organization_id"] for lv in below["levels"]] == ["d-1", "u-72", "u-73"]


def test_restricted_actor_is_left_out_for_viewers(app) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer_client(app, "viewer")
    admin = bearer_client(app, "admin")
    path = "/api/command/units/u-73/chain?at=2025-03-05"
    assert viewer.get(path).json()["levels"][0]["commanders"] == []
    assert admin.get(path).json()["levels"][0]["commanders"] == ["p-3"]
    assert viewer.get("/api/command/persons/p-3/career").status_code == 404
    assert admin.get("/api/command/persons/p-3/career").json()["person"]["access"] == "restricted"
    report = viewer.get("/api/command/report?incident=i-1").json()
    people = {
        m["person_id"]
        for u in report["units"]
        for o in u["organizations"]
        for runs in o["commanders"].values()
        for m in runs
    }
    assert "p-3" not in people and "p-1" in people
    u73 = next(u for u in report["units"] if u["unit"] == "u-73")["organizations"][0]
    assert u73["gaps"][0]["kind"] == "no commander known"  # no hint of the hidden commander


def test_report_and_career_api(app) -> None:  # type: ignore[no-untyped-def]
    client = bearer_client(app, "analyst")
    report = client.get("/api/command/report", params={"incident": "i-1"}).json()
    assert (
        "allegation" in report["note"]
        and report["units"][0]["allegation"]["status"] == "corroborated"
    )
    by_units = client.get(
        "/api/command/report", params={"units": "u-72", "from": "2025-03-07", "to": "2025-03-08"}
    )
    assert by_units.status_code == 200 and by_units.json()["to"] == "2025-03-08"
    assert client.get("/api/command/report").status_code == 422
    career = client.get("/api/command/persons/p-1/career", params={"after_incident": "i-1"}).json()
    assert (
        career["posts"][1]["gained_after"] == "certain" and "not proof of reward" in career["note"]
    )
    checks = client.get("/api/command/checks").json()
    assert checks["count"] == 0


def test_pages_in_english_and_arabic(app) -> None:  # type: ignore[no-untyped-def]
    client = logged_in_client(app, "viewer")
    index = client.get("/command")
    assert index.status_code == 200 and "u-72" in index.text and "alleged perpetrator" in index.text
    page = client.get("/command/units/u-72?at=2025-03-08")
    assert page.status_code == 200
    assert 'id="chain-graph"' in page.text and 'id="chain-slider"' in page.text
    assert "/static/command/vendor/cytoscape.min.js" in page.text and "p-1" in page.text
    person = client.get("/command/persons/p-1?after_incident=i-1")
    assert "not proof of reward" in person.text and 'data-testid="gained-after"' in person.text
    report = client.get("/command/report?incident=i-1")
    assert "alleged perpetrator unit" in report.text and "no commander known" in report.text
    assert client.get("/command/checks").status_code == 200
    assert client.get("/static/command/vendor/cytoscape.min.js").status_code == 200
    client.cookies.set("sijill_lang", "ar")
    arabic = client.get("/lang/ar?next=/command/units/u-72", follow_redirects=True)
    assert "تسلسل القيادة" in arabic.text


@pytest.mark.browser
def test_unit_page_draws_the_chain_and_follows_the_slider(sqlite_case_url: str) -> None:
    from playwright.sync_api import sync_playwright

    from sijill.web.testing import ROLE_PASSWORD, launch_chromium, serve

    with serve(_app(sqlite_case_url)) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(base + "/login")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", ROLE_PASSWORD)
        page.click("button[type=submit]")
        page.goto(base + "/command/units/u-72?at=2025-03-08")
        graph = page.locator("#chain-graph")
        page.wait_for_selector("#chain-graph[data-levels='4']", state="attached")
        assert graph.locator("canvas").count() > 0
        Path("test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path="test-artifacts/command-chain.png", full_page=True)
        page.fill("#chain-day", "2025-01-14")
        page.dispatch_event("#chain-day", "change")
        page.wait_for_selector("#chain-graph[data-levels='2']", state="attached")
        assert page.locator("#chain-table tbody tr").count() == 2
        page.goto(base + "/lang/ar?next=/command/report%3Fincident%3Di-1")
        assert page.locator("html").get_attribute("dir") == "rtl"
        assert "وحدة متهمة" in page.locator("main").inner_text()
        page.screenshot(path="test-artifacts/command-report-ar.png", full_page=True)
        browser.close()
