"""The map's tooltips show a place name as text: a name holding HTML is not run (issue 19)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from sijill.incidents.demo import build_demo_incidents
from sijill.places.models import Place
from sijill.store.engine import transaction
from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, add_user, launch_chromium, serve

HOSTILE = '<img src=x onerror="window.__pwned=1">Qarya (fictional)'


@pytest.mark.browser
def test_map_tooltips_escape_place_names(
    sqlite_case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("SIJILL_DEMO", "1")
    add_user(sqlite_case_url, "viewer", "viewer")
    with transaction(sqlite_case_url) as session:
        build_demo_incidents(session)
        session.execute(update(Place).values(name_latin=HOSTILE, name_ar=None))
    with serve(create_app(sqlite_case_url)) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(base + "/login")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", ROLE_PASSWORD)
        page.click("button[type=submit]")
        page.goto(base + "/incidents")
        page.wait_for_selector("#incident-map.map-ready")
        assert page.locator(".incident-marker").count() > 0
        page.locator(".incident-marker").first.hover()
        page.wait_for_selector(".place-label")
        assert page.inner_text(".place-label") == HOSTILE
        assert page.locator(".place-label img").count() == 0
        assert page.evaluate("window.__pwned") is None
        browser.close()
