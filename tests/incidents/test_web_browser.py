"""The map page in Debian's chromium: markers, the date filter, the Arabic right-to-left page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sijill.command.importer import import_structure
from sijill.incidents.demo import build_demo_incidents
from sijill.store.engine import transaction
from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, add_user, launch_chromium, serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def places_shown(page: Any) -> int:
    """The places the map shows: a marker each, or gathered in a cluster where they overlap."""
    clustered = page.eval_on_selector_all(
        ".incident-cluster", "cs => cs.reduce((n, c) => n + Number(c.dataset.places), 0)"
    )
    return int(page.locator(".incident-marker").count()) + int(clustered)


@pytest.mark.browser
def test_map_markers_date_filter_and_arabic_rtl(
    sqlite_case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("SIJILL_DEMO", "1")
    add_user(sqlite_case_url, "viewer", "viewer")
    with transaction(sqlite_case_url) as session:
        build_demo_incidents(session)
        import_structure(
            session,
            {
                "organizations": [
                    {
                        "id": "u-demo-falcon",
                        "name": "Falcon Brigade (fictional)",
                        "name_ar": "لواء الصقر الوهمي",
                    },
                ]
            },
            origin="browser test (fictional)",
        )
    app = create_app(sqlite_case_url)
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1400})
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None,
        )
        page.goto(base + "/login")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", ROLE_PASSWORD)
        page.click("button[type=submit]")

        page.goto(base + "/incidents")
        page.wait_for_selector("#incident-map.map-ready")
        assert page.get_attribute("#incident-map", "data-markers") == "9", page.get_attribute(
            "#incident-map", "data-error"
        )
        assert places_shown(page) == 9  # nine demo villages, close ones gathered in clusters
        assert page.locator("[data-testid=demo-mark]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "incidents-map.png"), full_page=True)

        page.fill("[data-testid=filter-from]", "2025-03-09")
        page.fill("[data-testid=filter-to]", "2025-03-09")
        page.click("[data-testid=filter-apply]")
        page.wait_for_selector("#incident-map.map-ready")
        assert places_shown(page) == 3  # the third day only
        assert page.locator("[data-testid=timeline-bar]").count() == 4  # with the wave itself
        page.screenshot(path=str(ARTIFACTS / "incidents-map-filtered.png"), full_page=True)

        page.locator(".incident-marker").first.click()
        page.wait_for_selector(".incident-popup")
        assert "alleged" in page.inner_text(".incident-popup")

        page.goto(base + "/incidents")
        page.select_option("[data-testid=filter-unit]", "u-demo-falcon")
        page.click("[data-testid=filter-apply]")
        page.wait_for_selector("#incident-map.map-ready")
        assert places_shown(page) == 3  # the unit alleged at 3 villages
        assert "Falcon Brigade (fictional)" in page.inner_text("[data-testid=incident-table]")

        page.goto(base + "/lang/ar?next=/incidents")
        page.wait_for_selector("#incident-map.map-ready")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        title = page.locator("[data-testid=incidents-title]")
        assert title.evaluate("e => getComputedStyle(e).direction") == "rtl"
        box = title.bounding_box()
        assert box is not None and box["x"] + box["width"] > 1280 * 0.6  # set against the right
        assert places_shown(page) == 9
        page.screenshot(path=str(ARTIFACTS / "incidents-map-ar.png"), full_page=True)
        page.locator("[data-testid=incident-row] a").nth(1).click()
        page.wait_for_selector("[data-testid=allegation-notice]")
        assert "مزعوم" in page.inner_text("[data-testid=allegation]")
        page.screenshot(path=str(ARTIFACTS / "incidents-detail-ar.png"), full_page=True)
        browser.close()
    assert outside == []  # no tile, script or font from outside the machine
