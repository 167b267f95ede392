"""Records and jobs in Debian's chromium (issue 20), walked by an investigator in English and in
Arabic: enter a record into a source, correct it with a reason and read its history; upload a
list and link it at once through a job, follow its progress, see the people it made; start a
report job and download its PDF; start a bundle job and download the bundle. A viewer sees no
form. Each new page gets an axe-core check and a screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sijill.web import create_app
from sijill.web.testing import bearer_client, serve
from tests.web.seed import browser_case
from tests.web.test_workbench_browser import ARTIFACTS, _serious, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
JOB_TIMEOUT = 300_000  # ms: the machine may be slow; nothing is timed
WIDE = {"width": 1280, "height": 1000}
NAMES = {"en": "Rami Walkthrough Fictional", "ar": "رامي التجريبي الوهمي"}


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, _field_key: None) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("records-jobs")
    with browser_case(folder) as (url, ids):
        app = create_app(url)
        added = bearer_client(app, "investigator").post(
            "/api/evidence",
            files={"files": ("walk-statement-fictional.txt", b"an invented statement\n")},
            data={"source": "Fictional walk source", "access": "internal"},
        )
        assert added.status_code == 201, added.text
        ARTIFACTS.mkdir(exist_ok=True)
        with serve(app) as base:
            yield {"base": base, "url": url, "folder": folder, **ids}


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"records-jobs-{name}.png"), full_page=True)


def checked(page: Any, name: str) -> None:
    """No serious axe-core finding on this page, and a screenshot of it."""
    assert not _serious(page), (page.url, _serious(page))
    shot(page, name)


def follow_job(page: Any) -> None:
    """On a job's page: reload it once (the job goes on), then wait until it ends."""
    page.wait_for_url("**/jobs/*")
    page.reload()
    page.wait_for_selector("[data-testid=job-done], [data-testid=job-failed]", timeout=JOB_TIMEOUT)
    failed = page.locator("[data-testid=job-failed]")
    assert not failed.count(), failed.inner_text()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_investigator_enters_corrects_links_reports_and_bundles(
    browser: Any, bench: dict[str, Any], lang: str, tmp_path: Path
) -> None:
    page = signed_in(browser, bench, "investigator", lang, viewport=WIDE)
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")

    # Enter a record into a source.
    page.goto(f"/sources/{bench['public']}")
    page.click("[data-testid=record-add-link]")
    page.wait_for_selector("[data-testid=record-new]")
    page.fill("[data-testid=field-record_id]", f"walk-{lang}")
    page.fill("[data-testid=field-full_name]", NAMES[lang])
    page.fill("[data-testid=field-sex]", "ذكر")
    page.fill("[data-testid=field-age]", "33")
    page.fill("[data-testid=field-date_of_death]", "2025-03-08")
    checked(page, f"record-new-{lang}")
    page.click("[data-testid=record-save]")
    page.wait_for_selector("[data-testid=record-done]")
    assert NAMES[lang] in page.locator("h1").inner_text()

    # Correct it with a reason and read the history.
    page.click("[data-testid=record-correct-link]")
    page.wait_for_selector("[data-testid=record-correct]")
    assert page.input_value("[data-testid=field-age]") == "33"
    page.fill("[data-testid=field-age]", "34")
    page.click("[data-testid=record-save]")  # no reason: refused, what was typed kept
    assert page.input_value("[data-testid=field-age]") == "34"
    page.fill("[data-testid=field-why]", f"the family gave the age ({lang})")
    checked(page, f"record-correct-{lang}")
    page.click("[data-testid=record-save]")
    page.wait_for_selector("[data-testid=record-done]")
    history = page.locator("[data-testid=record-history]")
    assert page.locator("[data-testid=record-version]").count() == 2
    assert f"the family gave the age ({lang})" in history.inner_text()
    assert "web:investigator" in history.inner_text()
    checked(page, f"record-history-{lang}")

    # Upload a list and link it at once through a job.
    csv_file = tmp_path / f"walk-{lang}.csv"
    csv_file.write_text(
        "record_id,full_name,sex,age\n"
        f"w1,Nadim Walker {lang} Fictional,M,50\nw2,Nadim Walker {lang} Fictional,M,50\n"
        f"w3,Salma Walker {lang} Fictional,F,27\n",
        encoding="utf-8",
    )
    page.goto("/import")
    page.set_input_files("input[name=file]", str(csv_file))
    page.fill("input[name=source]", f"Walk list {lang} (fictional)")
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_selector("[data-testid=link-now]")
    page.click("[data-testid=link-now] button[type=submit]")
    follow_job(page)
    assert int(page.locator("[data-testid=link-people]").inner_text().replace(",", "")) >= 2
    checked(page, f"job-link-{lang}")
    page.click("[data-testid=link-persons]")
    page.wait_for_url("**/persons")
    page.goto(f"/persons?q=Salma+Walker+{lang}")  # the people it made, found by name
    assert page.locator("[data-testid=persons-table] tbody tr").count() == 1

    # A report job, and its PDF downloaded.
    page.goto("/jobs")
    checked(page, f"jobs-{lang}")
    page.locator("[data-testid=job-report] button[type=submit]").click()
    follow_job(page)
    with page.expect_download() as pdf:
        page.click("[data-testid='download-report.pdf']")
    assert pdf.value.suggested_filename == "report.pdf"
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")
    checked(page, f"job-report-{lang}")

    # A bundle job, and the bundle downloaded.
    page.goto("/jobs")
    page.locator("[data-testid=bundle-item]").first.check()
    page.locator("[data-testid=job-bundle] button[type=submit]").click()
    follow_job(page)
    with page.expect_download() as bundle:
        page.click("[data-testid='download-bundle.zip']")
    assert bundle.value.suggested_filename == "bundle.zip"
    page.goto("/jobs")
    assert page.locator("[data-testid=job-row][data-state=done]").count() >= 3
    page.context.close()


def test_a_viewer_sees_no_form(browser: Any, bench: dict[str, Any]) -> None:
    page = signed_in(browser, bench, "viewer", "ar", viewport=WIDE)
    page.goto(f"/sources/{bench['public']}")
    assert page.locator("[data-testid=record-add-link]").count() == 0
    page.goto(f"/records/{bench['public_record']}")
    assert page.locator("[data-testid=record-correct-link]").count() == 0
    for path in ("/jobs", f"/sources/{bench['public']}/records/new"):
        page.goto(path)
        assert page.locator("form[method=post]").count() <= 1  # the sign-out form only
        assert page.locator("[data-testid=record-new], [data-testid=job-report]").count() == 0
    assert page.locator("a[href='/jobs']").count() == 0
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_admin_names_the_case_on_the_settings_page(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "admin", lang, viewport=WIDE)
    page.goto("/admin/settings")
    name = {"en": "Walk inquiry (fictional)", "ar": "تحقيق الساحل الوهمي"}[lang]
    page.fill("[data-testid=settings-case-name]", name)
    page.fill("[data-testid=settings-review-floor]", "0.12")
    page.click("[data-testid=settings-save]")
    page.wait_for_selector("[data-testid=settings-done]")
    assert page.locator("[data-testid=case-name]").inner_text() == name
    assert page.input_value("[data-testid=settings-review-floor]") == "0.12"
    checked(page, f"settings-{lang}")
    page.context.close()
