"""The published figures pages: a viewer reads them and sees no form; an investigator records
a figure through the form (a refused one comes back as entered, the field named); walked in
chromium in English and Arabic, with screenshots in ``test-artifacts/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, add_user, csrf_of, logged_in_client
from tests.accountability.helpers import cli
from tests.published.test_figures import NETWORK, _case

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FORM = {
    "organisation": "Example Monitors (fictional)",
    "counts": "killed",
    "total": "12",
    "places": "demo:v01=8\nAtlantis (fictional)",
    "source": "Example Observatory report (fictional)",
    "start_date": "2025-03-07",
    "end_date": "2025-03-09",
    "access": "restricted",
}


def _app(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    cli("figures", "add", *NETWORK, *_case(url, tmp_path))
    for role in ("viewer", "investigator"):
        add_user(url, role, role)
    return create_app(url)


def _investigator(browser: Any, base: str) -> Any:
    """A page of ``browser`` signed in as the investigator."""
    context = browser.new_context(base_url=base, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=username]", "investigator")
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    return page


def test_pages_for_viewer_and_investigator(sqlite_case_url: str, tmp_path: Path) -> None:
    app = _app(sqlite_case_url, tmp_path)
    viewer = logged_in_client(app, "viewer")
    page = viewer.get("/figures").text
    assert page.count('data-testid="figure-row"') == 1 and "Example Network" in page
    assert 'data-testid="figure-new"' not in page  # no form for a viewer
    token = csrf_of(page)
    assert viewer.post("/figures", data={**FORM, "csrf_token": token}).status_code == 403
    assert viewer.get("/figures/1").status_code == 200
    assert viewer.get("/figures/999").status_code == 404

    investigator = logged_in_client(app, "investigator")
    page = investigator.get("/figures").text
    token = csrf_of(page)
    assert investigator.post("/figures", data=FORM).status_code == 403  # no CSRF token
    refused = investigator.post("/figures", data={**FORM, "csrf_token": token})
    assert refused.status_code == 422 and 'data-testid="figure-error"' in refused.text
    assert "Places covered" in refused.text and "Atlantis (fictional)" in refused.text
    assert 'value="Example Monitors (fictional)"' in refused.text  # nothing entered is lost
    fixed = {**FORM, "places": "demo:v01=8", "csrf_token": token}
    made = investigator.post("/figures", data=fixed, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"] == "/figures/2"
    shown = investigator.get("/figures/2").text
    assert "Example Monitors (fictional)" in shown and 'data-testid="place-row"' in shown
    assert "Example Monitors" not in viewer.get("/figures").text  # restricted
    assert viewer.get("/figures/2").status_code == 404


@pytest.mark.browser
def test_figures_in_chromium_english_and_arabic(
    sqlite_case_url: str, tmp_path: Path, chromium: str
) -> None:
    from playwright.sync_api import sync_playwright

    from sijill.web.testing import launch_chromium, serve

    app = _app(sqlite_case_url, tmp_path)
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = _investigator(browser, base)
        page.goto("/figures")
        assert page.locator("[data-testid=figure-row]").count() == 1
        assert page.inner_text("[data-testid=figure-row] [data-testid=theirs]") == "9"
        for name, value in FORM.items():
            if name in ("counts", "source", "access"):
                page.select_option(f"select[name={name}]", value)
            elif name == "places":
                page.fill("textarea[name=places]", value)
            else:
                page.fill(f"input[name={name}]", value)
        page.click("[data-testid=figure-submit]")
        error = page.locator("[data-testid=figure-error]")
        assert "Places covered" in error.inner_text()
        assert page.input_value("input[name=organisation]") == FORM["organisation"]
        page.screenshot(path=str(ARTIFACTS / "figures-en-refused.png"), full_page=True)
        page.fill("textarea[name=places]", "demo:v01=8")
        page.click("[data-testid=figure-submit]")
        page.wait_for_url("**/figures/2")
        assert page.inner_text("[data-testid=theirs]") == "12"
        assert page.locator("[data-testid=place-row]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "figures-en-show.png"), full_page=True)
        page.goto("/lang/ar?next=/figures")
        assert page.get_attribute("html", "dir") == "rtl"
        assert "الأرقام المنشورة بجانب أرقامنا" in page.inner_text("h1")
        assert "القتلى المدنيون" in page.inner_text("[data-testid=figures-table]")
        page.screenshot(path=str(ARTIFACTS / "figures-ar-list.png"), full_page=True)
        page.goto("/figures/1")
        assert "حسب أماكنهم" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "figures-ar-show.png"), full_page=True)
        browser.close()


@pytest.mark.browser
@pytest.mark.slow  # axe-core, as the other pages' checks run: in the slow suite
def test_axe_finds_nothing_serious_on_the_figures_pages(
    sqlite_case_url: str, tmp_path: Path, chromium: str
) -> None:
    from playwright.sync_api import sync_playwright

    from sijill.web.testing import launch_chromium, serve
    from tests.web.test_workbench_browser import _serious

    app = _app(sqlite_case_url, tmp_path)
    found = {}
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = _investigator(browser, base)
        for lang in ("en", "ar"):
            for path in ("/figures", "/figures/1"):
                page.goto(f"/lang/{lang}?next={path}")
                page.wait_for_load_state("networkidle")
                if serious := _serious(page):
                    found[(lang, path)] = serious
        browser.close()
    assert not found, found
