"""The evidence pages in Debian's chromium (upload, item page, Arabic); screenshots saved."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from fastapi import FastAPI

from sijill.security.roles import ROLES
from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, add_user, launch_chromium, serve
from tests.evidence.conftest import textured_image

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"


@pytest.fixture
def app(sqlite_case_url: str, vault_env: Path, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    for role in ROLES:
        add_user(sqlite_case_url, role, role)
    return create_app(sqlite_case_url)


def test_upload_and_item_page_in_a_browser(app: FastAPI, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    photo = tmp_path / "scene-synthetic.jpg"
    textured_image(8).save(photo, quality=90)
    ARTIFACTS.mkdir(exist_ok=True)
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page()
        page.goto(base + "/login")
        page.fill("input[name=username]", "investigator")
        page.fill("input[name=password]", ROLE_PASSWORD)
        page.click("button[type=submit]")
        page.goto(base + "/evidence")
        form = page.locator("[data-testid=evidence-upload]")
        form.locator("input[name=files]").set_input_files(str(photo))
        form.locator("input[name=source]").fill("Fictional NGO")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("[data-testid=evidence-custody]")
        assert "scene-synthetic.jpg" in page.content()
        # "collected" only: viewing the page goes to the read log, not the custody log.
        assert page.locator("[data-testid=evidence-custody] tbody tr").count() == 1
        page.screenshot(path=str(ARTIFACTS / "evidence-item.png"), full_page=True)
        page.context.add_cookies([{"name": "sijill_lang", "value": "ar", "url": base}])
        page.goto(base + "/evidence")
        page.screenshot(path=str(ARTIFACTS / "evidence-list-ar.png"), full_page=True)
        browser.close()
