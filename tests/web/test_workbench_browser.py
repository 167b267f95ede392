"""The workbench in Debian's chromium (issue 20): layout on a phone, the skip link, and an
axe-core check of every page type in English and Arabic.

One SQLite case (the browser does not depend on the engine): the fictional lists of
``seed.py``, the demo gazetteer, command structure and incidents, marked as demo data.
Screenshots of new pages go to ``test-artifacts/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sijill.incidents.demo import build_demo_incidents
from sijill.incidents.models import Incident
from sijill.store.engine import transaction
from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, serve
from tests.web.seed import browser_case
from tests.web.test_estimate_page import write_linked_lists

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
#: axe-core impacts that fail the check.
BLOCKING = frozenset({"serious", "critical"})


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, _field_key: None) -> Iterator[dict[str, Any]]:
    """The served app and the ids of one item of each page type."""
    folder = tmp_path_factory.mktemp("bench")
    with browser_case(folder) as (url, ids):
        write_linked_lists(url, folder / "lists")
        with transaction(url) as session:
            build_demo_incidents(session)
            ids["incident"] = session.scalar(
                select(Incident.id).where(Incident.external_id == "demo-i-01")
            )
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SIJILL_DEMO", "1")
            app = create_app(url)
        ARTIFACTS.mkdir(exist_ok=True)
        with serve(app) as base:
            yield {"base": base, "url": url, **ids}


def signed_in(browser: Any, bench: dict[str, Any], role: str, lang: str, **options: Any) -> Any:
    """A new tab signed in as ``role``, reading ``lang``."""
    context = browser.new_context(base_url=bench["base"], **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", ROLE_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")
    page.goto(f"/lang/{lang}?next=/")
    return page


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"workbench-{name}.png"), full_page=True)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_phone_neither_scrolls_sideways_nor_hides_the_menu(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "admin", lang, viewport=PHONE)
    # The forms too: a long unit's name in a picker once widened the page.
    pages = ("/", f"/incidents/{bench['incident']}", "/persons", "/command", "/incidents/new")
    for path in (*pages, "/command/new", "/accountability"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        nav = page.locator(".mainnav").bounding_box()
        tools = page.locator(".toolbar").bounding_box()
        assert nav and tools
        apart = nav["y"] >= tools["y"] + tools["height"] or tools["y"] >= nav["y"] + nav["height"]
        assert apart, (path, nav, tools)
        if path.startswith("/incidents/"):
            shot(page, f"phone-incident-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cards_of_a_grid_stand_in_line_and_the_skip_link_comes_first(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "viewer", lang, viewport={"width": 1280, "height": 900})
    tops = page.eval_on_selector_all(
        ".grid-4 > .card", "cards => cards.map(c => Math.round(c.getBoundingClientRect().top))"
    )
    assert len(tops) == 4 and len(set(tops)) == 1, tops
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.context.close()


def _page_types(bench: dict[str, Any]) -> list[str]:
    return [
        "/",
        "/sources",
        f"/sources/{bench['public']}",
        "/records",
        f"/records/{bench['public_record']}",
        "/persons",
        f"/persons/{bench['mohammad']}",
        "/import",
        "/incidents",
        f"/incidents/{bench['incident']}",
        "/command",
        "/command/units/u-demo-cedar?at=2025-03-08",
        "/command/persons/p-demo-3",
        f"/command/report?incident={bench['incident']}",
        "/command/checks",
        "/evidence",
        "/linkage/review",
        "/linkage/counts",
        "/accountability",
        "/exports",
        "/admin/users",
        "/admin/audit",
        "/estimate",
        "/jobs",
        f"/sources/{bench['public']}/records/new",
        f"/records/{bench['public_record']}/correct",
        "/no-such-page",
        "/records?offset=-1",
    ]


def _serious(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.slow  # every page type in a real browser with axe-core: about 30 s per language
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_axe_finds_nothing_serious_on_any_page_type(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "admin", lang, viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((bench["base"], "data:")) else None,
    )
    found = {}
    for path in _page_types(bench):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        serious = _serious(page)
        if serious:
            found[path] = serious
    page.context.close()
    login = browser.new_context(base_url=bench["base"]).new_page()
    login.goto(f"/lang/{lang}?next=/login")
    if serious := _serious(login):
        found["/login"] = serious
    login.context.close()
    assert not found, found
    assert not outside, outside  # axe.js comes from the wheel; nothing is fetched


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_admin_creates_a_user_changes_the_role_and_reads_the_audit_log(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "admin", lang, viewport={"width": 1280, "height": 900})
    name = f"browser-{lang}-user"
    page.goto("/admin/users")
    form = page.locator("[data-testid=user-new]")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=role]").select_option("viewer")
    form.locator("input[name=password]").fill("amber kettle drifts past noon")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("[data-testid=users-done]")
    row = page.locator(f"[data-testid=user-row][data-user='{name}']")
    row.locator("select[name=role]").select_option("investigator")
    row.locator("[data-testid=change-role]").click()
    page.wait_for_selector("[data-testid=users-done]")
    selected = page.locator(f"[data-testid=user-row][data-user='{name}'] select[name=role]")
    assert selected.input_value() == "investigator"
    shot(page, f"admin-users-{lang}")

    page.goto("/admin/audit")
    page.fill("[data-testid=audit-user]", "admin")
    page.select_option("[data-testid=audit-action]", "change")  # a filter's select submits
    page.wait_for_url("**/admin/audit?*action=change*")
    rows = page.locator("[data-testid=audit-row]")
    assert rows.count() >= 1
    assert all("web:admin" in rows.nth(i).inner_text() for i in range(rows.count()))
    shot(page, f"admin-audit-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_viewer_sees_no_administration_and_the_exports_page_says_what_public_holds(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "viewer", lang, viewport={"width": 1280, "height": 900})
    assert page.locator("a[href='/admin/users']").count() == 0
    page.goto("/admin/users")
    assert page.locator("form[action^='/admin']").count() == 0
    page.goto("/exports")
    assert page.locator("[data-testid=public-note]").is_visible()
    assert page.locator("[data-testid^=full-]").count() == 0
    with page.expect_download() as download:
        page.click("[data-testid=public-records_csv]")
    assert download.value.suggested_filename == "records-public.csv"
    shot(page, f"exports-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_analyst_estimates_the_toll_and_the_page_follows_the_job(
    browser: Any, bench: dict[str, Any], lang: str
) -> None:
    page = signed_in(browser, bench, "analyst", lang, viewport={"width": 1280, "height": 1000})
    page.goto("/estimate")
    page.select_option("[data-testid=estimate-method]", "loglinear")
    page.click("[data-testid=estimate-run]")
    page.wait_for_url("**/estimate?job=*")
    job_url = page.url
    page.reload()  # the job survives a reload; the page polls it and shows the result
    page.wait_for_selector(
        "[data-testid=estimate-total], [data-testid=estimate-failed]", timeout=300_000
    )
    failed = page.locator("[data-testid=estimate-failed]")
    assert not failed.count(), failed.inner_text()
    assert page.locator("[data-testid=estimate-warnings] li").count() >= 1
    assert page.eval_on_selector("[data-testid=estimate-plot]", "img => img.naturalWidth") > 0
    assert page.get_attribute("html", "dir") == ("rtl" if lang == "ar" else "ltr")
    assert not _serious(page)
    shot(page, f"estimate-{lang}")
    page.goto(job_url)
    assert page.locator("[data-testid=estimate-total]").is_visible()
    page.context.close()


def test_the_chain_names_commanders_and_units_in_arabic_on_every_day_of_the_slider(
    browser: Any, bench: dict[str, Any]
) -> None:
    page = signed_in(browser, bench, "viewer", "ar", viewport={"width": 1280, "height": 1000})
    page.goto("/command/units/u-demo-cedar?at=2025-03-08")
    table = page.locator("[data-testid=chain-table]")
    assert "لواء الصقر الوهمي" in table.inner_text()  # the parent unit, in Arabic
    assert "كريم الخيالي" in table.inner_text()  # its commander, by name
    assert "p-demo-" not in table.inner_text()
    page.fill("#chain-day", "2025-03-09")
    page.dispatch_event("#chain-day", "change")  # the script redraws the table for that day
    # A selector, not wait_for_function: its polling evaluates a string, which the page's CSP
    # (no 'unsafe-eval') refuses whenever the redraw is not done at the first look.
    page.wait_for_selector("#chain-graph[data-day='2025-03-09']")
    assert "كريم الخيالي" in table.inner_text() and "p-demo-" not in table.inner_text()
    shot(page, "chain-ar")
    page.goto("/command")
    incidents = page.locator("ul.plain").inner_text()
    assert "موجة قتل في القرى التجريبية" in incidents and "Wave of killings" not in incidents
    page.context.close()
