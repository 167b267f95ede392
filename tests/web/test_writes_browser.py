"""Writing in Debian's chromium (issue 20), as an investigator, in English and in Arabic: one
walk per language makes an incident with a place chosen by type-ahead, an alleged unit and a
source; edits it; adds a unit, a post and a composition; links an evidence item to the
incident and finds it on both pages. axe-core checks each new page; screenshots go to
``test-artifacts/``. A viewer sees none of the forms.

One SQLite case: the fictional lists of ``seed.py`` with the demo gazetteer, structure and
incidents, marked as demo data.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sijill.incidents.demo import build_demo_incidents
from sijill.store.engine import transaction
from sijill.web import create_app
from sijill.web.testing import serve
from tests.web.seed import PUBLIC_ITEM, browser_case
from tests.web.test_workbench_browser import ARTIFACTS, _serious, shot, signed_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("chromium")]
WIDE = {"width": 1280, "height": 1000}


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory, _field_key: None) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("writes")
    with browser_case(folder) as (url, ids):
        with transaction(url) as session:
            build_demo_incidents(session)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SIJILL_DEMO", "1")
            app = create_app(url)
        ARTIFACTS.mkdir(exist_ok=True)
        with serve(app) as base:
            yield {"base": base, **ids}


def _checked(page: Any, found: dict[str, list[str]]) -> None:
    """Run axe-core on the page; keep its serious findings by path."""
    if serious := _serious(page):
        found[page.url] = serious


@pytest.mark.parametrize(
    ("lang", "typed", "village"),
    [("en", "Ain al-Kh", "Ain al-Khayal"), ("ar", "عين الخ", "عين الخيال")],
)
def test_an_investigator_writes_an_incident_command_facts_and_an_evidence_link(
    browser: Any, bench: dict[str, Any], lang: str, typed: str, village: str
) -> None:
    page = signed_in(browser, bench, "investigator", lang, viewport=WIDE)
    found: dict[str, list[str]] = {}
    title = f"Browser raid {lang} (fictional)"

    # A new incident: the place by type-ahead, an alleged unit, a source.
    page.goto("/incidents")
    page.click("[data-testid=incident-new]")
    page.fill("[data-testid=f-title]", title)
    page.fill("[data-testid=f-start]", "7/3/2025")
    page.locator("[data-testid=f-place]").press_sequentially(typed, delay=30)
    option = page.locator("[data-testid=place-option]").first
    option.wait_for()
    assert village in option.inner_text()
    option.click()
    assert page.input_value("#place-id") == "demo:v01"
    page.locator("input[name=violations]").first.check()
    page.select_option("[data-testid=f-unit]", "u-demo-cedar")
    page.select_option("[data-testid=f-involvement]", "carried_out")
    page.select_option("[data-testid=f-source]", "Fictional public list")
    page.fill("[data-testid=f-locator]", "p. 4")
    _checked(page, found)
    shot(page, f"incident-new-{lang}")
    page.click("[data-testid=incident-save]")
    page.wait_for_selector("[data-testid=incident-saved]")
    incident_url = page.url.split("?")[0]
    assert title in page.inner_text("[data-testid=incident-title]")
    assert village in page.inner_text("main")
    assert page.locator("[data-testid=allegation]").count() == 1

    # Edit it: the end date, with why.
    page.click("[data-testid=incident-edit]")
    page.fill("[data-testid=f-end]", "2025-03-09")
    page.fill("[data-testid=f-why]", "a second source gives the end (fictional)")
    _checked(page, found)
    shot(page, f"incident-edit-{lang}")
    page.click("[data-testid=incident-save]")
    page.wait_for_selector("[data-testid=incident-saved]")

    # A unit, then a post and a composition from its page.
    unit = f"u-browser-{lang}"
    page.goto("/command")
    page.click("[data-testid=command-new]")
    form = page.locator("[data-testid=unit-form]")
    form.locator("[data-testid=unit-id]").fill(unit)
    form.locator("[data-testid=unit-name]").fill(f"Browser Brigade {lang} (fictional)")
    form.locator("[data-testid=unit-source]").select_option("Fictional public list")
    _checked(page, found)
    shot(page, f"command-new-{lang}")
    form.locator("[data-testid=unit-save]").click()
    page.wait_for_selector("[data-testid=command-saved]")
    page.click("[data-testid=unit-add-facts]")
    post = page.locator("[data-testid=post-form]")
    assert post.locator("[data-testid=post-unit]").input_value() == unit
    post.locator("[data-testid=post-person]").select_option("p-demo-3")
    post.locator("[data-testid=post-start]").fill("2025-01")
    post.locator("[data-testid=post-source]").select_option("Fictional public list")
    post.locator("[data-testid=post-save]").click()
    page.wait_for_selector("[data-testid=command-saved]")
    page.click("[data-testid=unit-add-facts]")
    composition = page.locator("[data-testid=composition-form]")
    composition.locator("[data-testid=composition-parent]").select_option("u-demo-falcon")
    composition.locator("[data-testid=composition-start]").fill("2025")
    composition.locator("[data-testid=composition-source]").select_option("Fictional public list")
    composition.locator("[data-testid=composition-save]").click()
    page.wait_for_selector("[data-testid=command-saved]")
    page.goto(f"/command/units/{unit}?at=2025-03-08")
    chain = page.inner_text("main")
    assert "u-demo-falcon" in page.content() and chain

    # Link an evidence item to the incident; it shows on both pages.
    number = incident_url.rsplit("/", 1)[1]
    page.goto(f"/evidence/{PUBLIC_ITEM}")
    page.select_option("[data-testid=link-kind]", "incident")
    page.fill("[data-testid=link-target]", number)
    _checked(page, found)
    page.click("[data-testid=link-save]")
    page.wait_for_selector("[data-testid=link-done]")
    assert page.locator(f"[data-testid=evidence-link] a[href='/incidents/{number}']").count() == 1
    shot(page, f"evidence-link-{lang}")
    page.goto(incident_url)
    assert page.locator(f"a[href='/evidence/{PUBLIC_ITEM}']").count() >= 1
    page.context.close()
    assert not found, found


def test_a_viewer_sees_no_form_to_write_and_close_places_cluster_on_the_map(
    browser: Any, bench: dict[str, Any]
) -> None:
    page = signed_in(browser, bench, "viewer", "en", viewport=WIDE)
    page.goto("/incidents")
    assert page.locator("[data-testid=incident-new]").count() == 0
    page.wait_for_selector("#incident-map.map-ready")
    for _ in range(4):  # zoomed out, the demo villages overlap and gather in clusters
        page.click(".leaflet-control-zoom-out")
        page.wait_for_timeout(350)
    cluster = page.locator(".incident-cluster").first
    cluster.wait_for()
    incidents = int(cluster.get_attribute("data-incidents") or 0)
    assert incidents >= 2
    assert cluster.inner_text() == f"\u29c9{incidents}"  # a count of incidents, marked as such
    assert "Incidents:" in (cluster.get_attribute("aria-label") or "")
    shot(page, "map-clusters-en")
    page.goto("/command")
    assert page.locator("[data-testid=command-new]").count() == 0
    page.goto("/command/new")
    assert page.locator("form[action^='/command/new']").count() == 0
    page.goto("/incidents/new")
    assert page.locator("[data-testid=incident-form]").count() == 0
    page.goto(f"/evidence/{PUBLIC_ITEM}")
    assert page.locator("[data-testid=link-form]").count() == 0
    page.context.close()
