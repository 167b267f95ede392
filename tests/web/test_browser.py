"""Browser tests: Debian's chromium through Playwright against the app served by uvicorn.

Sign in, import a list through the page, see the row-by-row report of a bad list, switch to
Arabic and find a person by a Latin spelling of an Arabic name. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sijill.web.testing import CHROMIUM, ROLE_PASSWORD, launch_chromium, serve
from tests.web.conftest import web_case as _shared_web_case
from tests.web.seed import BAD_CSV

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
GOOD = (
    "record_id,full_name,sex,age,date_of_death,place_of_death\n"
    + "\n".join(
        [
            "b1,سامر يوسف الحلبي,M,41,2025-03-08,Kafr Wahmi (fictional)",
            "b2,ريم خليل,F,19,2025-03-08,Kafr Wahmi (fictional)",
            "b3,Omar Fictional-Browser,M,63,2025-03,Kafr Wahmi (fictional)",
        ]
    )
    + "\n"
)

# The browser flow does not depend on the engine: run it on SQLite only.
web_case = pytest.fixture(scope="module", params=["sqlite"])(_shared_web_case.__wrapped__)


@pytest.fixture(scope="module")
def page(app) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        yield tab
        context.close()
        browser.close()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_sign_in_import_report_arabic_search(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto("/records")
    assert "/login" in page.url
    _shot(page, "01-login")
    page.fill("input[name=username]", "investigator")
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/records")
    assert page.get_attribute("html", "dir") == "ltr"

    good = tmp_path / "browser-list.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.goto("/import")
    page.set_input_files("input[name=file]", str(good))
    page.fill("input[name=source]", "Browser fictional list")
    page.click("[data-testid=import-form] button[type=submit]")
    ok = page.locator("[data-testid=import-ok]")
    ok.wait_for()
    assert "3" in ok.inner_text() and "Browser fictional list" in ok.inner_text()
    _shot(page, "02-import-done")

    bad = tmp_path / "browser-bad.csv"
    bad.write_text(BAD_CSV, encoding="utf-8")
    page.set_input_files("input[name=file]", str(bad))
    page.fill("input[name=source]", "Browser bad list")
    page.click("[data-testid=import-form] button[type=submit]")
    report = page.locator("[data-testid=import-report]")
    report.wait_for()
    text = report.inner_text()
    assert "record_id" in text and "repeats" in text
    _shot(page, "03-import-refused")

    page.click("[data-testid=lang-ar]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang") == "ar"
    page.goto("/persons")
    page.fill("[data-testid=persons-q]", "Mohammad Ali")
    page.press("[data-testid=persons-q]", "Enter")
    page.wait_for_url("**/persons?q=*")
    rows = page.locator("[data-testid=persons-table] tbody tr")
    assert rows.count() == 1
    assert "محمد علي حسن" in rows.first.inner_text()
    _shot(page, "04-arabic-person-search")
    rows.first.locator("a").first.click()
    page.wait_for_url("**/persons/*")
    sources = page.locator("[data-testid=person-sources]").inner_text()
    assert "Fictional public list" in sources and "Fictional witness list" in sources
    _shot(page, "05-arabic-person-page")

    page.goto("/records")
    page.fill("[data-testid=records-q]", "Samer Yousef")
    page.press("[data-testid=records-q]", "Enter")
    page.wait_for_url("**/records?*")
    assert "سامر يوسف الحلبي" in page.locator("[data-testid=records-table]").inner_text()
    _shot(page, "06-arabic-records-search")


def test_chromium_is_debian_s() -> None:
    assert shutil.which("chromium") == CHROMIUM or Path(CHROMIUM).exists()
