"""The demo's reports as ``make demo`` builds them (``demo build --report``): the team's
report's figures are the commands' (the estimate included), the PDF's pages in English and
Arabic (saved under ``test-artifacts/`` to look at), the public report holds no restricted
value, no unsigned name, no minor's or witness's name, and the web app serves each reader the
report of their level."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Integer, cast, select
from typer.testing import CliRunner

from sijill.accountability.models import Proceeding
from sijill.cli.main import build_app
from sijill.disclosure.models import SharingConsent
from sijill.report.figures import DEFAULT_SEED
from sijill.store.engine import dispose_engines, transaction
from sijill.store.models import Person, Record, Source
from sijill.web import create_app
from sijill.web.cookies import LANG_COOKIE
from sijill.web.testing import logged_in_client
from tests.report.helpers import check_figures, check_links, run

# In the slow suite (run by `make test` too): it builds the whole demo with its four
# reports (over a minute).
pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
MARK = "synthetic demo data"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The demo case with its reports (built once for the module), and its database URL."""
    folder = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_KEY_FILE", str(folder / "sijill.key"))
        patch.delenv("SIJILL_DEMO", raising=False)
        built = CliRunner().invoke(build_app(), ["demo", "build", "--out", str(folder), "--report"])
        assert built.exit_code == 0, built.output
        yield folder, f"sqlite:///{folder / 'sijill.db'}"
    dispose_engines()


def _pages(pdf: Path, name: str) -> list[str]:
    """Each page of the PDF as PNG in test-artifacts/ (first ones), and each page's text."""
    ARTIFACTS.mkdir(exist_ok=True)
    document = pdfium.PdfDocument(pdf)
    texts = []
    for number in range(len(document)):
        page = document[number]
        texts.append(page.get_textpage().get_text_range())
        if number < 8:
            page.render(scale=1.4).to_pil().save(ARTIFACTS / f"report-{name}-p{number + 1}.png")
    return texts


def test_team_report_figures_are_the_commands(demo: tuple[Path, str]) -> None:
    folder, db = demo
    out = folder / "report" / "team-en"
    doc = json.loads((out / "report.json").read_text("utf-8"))
    check_figures(doc, db, "two-independent-sources")
    estimated = run("estimate", "--from-case", "--seed", str(DEFAULT_SEED), "--db", db)
    shown = doc["toll"]["estimate"]
    assert shown["included"] and shown["method"] == estimated["method"] == "lcmcr"
    for key in ("observed", "estimate", "interval", "level", "linkage_sensitivity"):
        assert shown[key] == estimated[key], key
    html = (out / "index.html").read_text("utf-8")
    assert check_links(html) > 1000  # every figure links to the people and rows behind it
    assert f"{shown['estimate']:.0f}" in html and doc["case"]["digest"] in html
    texts = _pages(out / "report.pdf", "team-en")
    assert len(texts) > 5 and all(MARK in text for text in texts)  # the mark on every page


def _held_back(db: str) -> dict[str, set[str]]:
    """Values no public report of the demo may hold: restricted and internal sources and rows,
    witnesses' contacts, restricted and internal proceedings, the names of victims a record
    says were (or may have been) under 18 or known from no public record, and the names of
    the actors no one signed off."""
    with transaction(db) as session:
        hidden_sources = set(session.scalars(select(Source.name).where(Source.access != "public")))
        rows = session.execute(
            select(Record.person_id, Record.full_name, Record.age_min, Record.age_max,
                   Record.access, Source.access, Record.raw)
            .join(Source, Source.id == Record.source_id)
            .where(Record.unidentified.is_(False))  # "unknown", "مجهول": no one's name
        ).all()  # fmt: skip
        proceedings = set(
            session.scalars(select(Proceeding.title).where(Proceeding.access != "public"))
        )
        narrowed = set(
            session.scalars(
                select(Record.full_name).where(
                    Record.id.in_(
                        select(cast(SharingConsent.target_id, Integer)).where(
                            SharingConsent.target_kind == "record"
                        )
                    )
                )
            )
        )
        actors = dict(
            session.execute(
                select(Person.external_id, Person.display_name).where(Person.is_actor.is_(True))
            ).all()
        )
    public_names = {n for _, n, lo, hi, a, sa, _ in rows if a == sa == "public" and n}
    minors = {
        p for p, _, lo, hi, *_ in rows if p and min(x for x in (lo, hi, 99) if x is not None) < 18
    }
    minor_names = {n for p, n, *_ in rows if p in minors and n}
    adults_public = {n for p, n, lo, hi, a, sa, _ in rows
                     if p not in minors and a == sa == "public" and n}  # fmt: skip
    witness = {str(raw.get("witness_contact")) for *_, raw in rows if raw.get("witness_contact")}
    internal_only = {n for p, n, lo, hi, a, sa, _ in rows if n and n not in public_names}
    return {
        "sources": hidden_sources,
        "proceedings": proceedings,
        "minors": minor_names - adults_public,  # a name an adult's public record also bears
        "internal-only names": internal_only,
        "witnesses": witness | {"Fictional Witness B", "+000 0000 0001"},
        "unsigned actors": {n for ext, n in actors.items() if ext != "p-demo-2" and n},
        "held by their own consent": narrowed,
    }


NAMES = ("minors", "internal-only names", "held by their own consent")


class _Texts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()

    def handle_data(self, data: str) -> None:
        self.found.add(data.strip())


def _texts(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def test_public_report_holds_nothing_held_back(demo: tuple[Path, str]) -> None:
    folder, db = demo
    held = _held_back(db)
    assert held["minors"] and held["internal-only names"] and held["unsigned actors"]
    assert len(held["held by their own consent"]) == 2
    with transaction(db) as session:
        consented = {
            int(t)
            for t in session.scalars(
                select(SharingConsent.target_id).where(SharingConsent.target_kind == "record")
            )
        }
    for lang in ("en", "ar"):
        out = folder / "report" / f"public-{lang}"
        doc = json.loads((out / "report.json").read_text("utf-8"))
        html = (out / "index.html").read_text("utf-8")
        check_links(html)
        figures = (out / "report.json").read_text("utf-8")
        text = html + figures
        # A victim's name is a whole text (short names sit inside longer ones): searched as
        # every text of the page and every string of the figures; the rest as substrings.
        texts = _texts(html) | _strings(json.loads(figures))
        found = {
            kind: sorted(v for v in values if (v in texts if kind in NAMES else v in text))
            for kind, values in held.items()
        }
        assert found == {kind: [] for kind in held}
        # The commander signed off by another investigator is named; the estimate waits for
        # an analyst's sign-off.
        assert "Nadim Example" in html and not doc["toll"]["estimate"]["included"]
        assert {h["record"] for h in doc["methods"]["held_back"]} == consented
        assert 'id="held-back"' in html
        assert {f["organisation"] for f in doc["published"]} == {
            "Coastal Monitoring Network (fictional)",
            "Observatory for Imaginary Rights (fictional)",
        }  # the lawyers' union's figure is internal
        texts = _pages(out / "report.pdf", f"public-{lang}")
        assert all(MARK in t for t in texts)
    assert "قائد" in (folder / "report" / "public-ar" / "index.html").read_text("utf-8")
    assert 'dir="rtl"' in (folder / "report" / "public-ar" / "index.html").read_text("utf-8")


def test_web_serves_each_reader_the_report_of_their_level(
    demo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db = demo
    monkeypatch.setenv("SIJILL_KEY_FILE", str(folder / "sijill.key"))
    monkeypatch.setenv("SIJILL_REPORT_DIR", str(folder / "report"))
    app = create_app(db)
    anonymous = TestClient(app, follow_redirects=False)
    assert anonymous.get("/report").status_code in (303, 401)
    assert anonymous.get("/report.pdf").status_code in (303, 401)
    viewer = logged_in_client(app, "viewer", "synthetic-demo")
    assert 'href="/report"' in viewer.get("/").text  # the dashboard links to it
    page = viewer.get("/report")
    assert page.status_code == 200 and "Public report" in page.text
    assert "style-src 'unsafe-inline'" in page.headers["content-security-policy"]
    assert "script" not in page.headers["content-security-policy"]
    viewer.cookies.set(LANG_COOKIE, "ar")
    assert 'dir="rtl"' in viewer.get("/report").text
    assert viewer.get("/report.pdf").headers["content-type"] == "application/pdf"
    analyst = logged_in_client(app, "analyst", "synthetic-demo")
    assert "Team report" in analyst.get("/report").text
    analyst.cookies.set(LANG_COOKIE, "ar")
    page = analyst.get("/report")
    assert 'dir="rtl"' in page.text and "تقرير الفريق" in page.text
    ar = json.loads((folder / "report" / "team-ar" / "report.json").read_text("utf-8"))
    en = json.loads((folder / "report" / "team-en" / "report.json").read_text("utf-8"))
    assert ar["toll"] == en["toll"]  # one estimate for both languages
    monkeypatch.setenv("SIJILL_REPORT_DIR", str(folder / "no-reports"))
    missing = analyst.get("/report")
    assert missing.status_code == 404 and "sijill report --out" in missing.text


@pytest.mark.browser
def test_report_page_in_chromium_arabic(
    demo: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, chromium: str
) -> None:
    from playwright.sync_api import sync_playwright

    from sijill.web.testing import launch_chromium, serve

    folder, db = demo
    monkeypatch.setenv("SIJILL_KEY_FILE", str(folder / "sijill.key"))
    monkeypatch.setenv("SIJILL_REPORT_DIR", str(folder / "report"))
    app = create_app(db)
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        context = browser.new_context(viewport={"width": 1100, "height": 1400})
        context.add_cookies([{"name": LANG_COOKIE, "value": "ar", "url": base}])
        page = context.new_page()
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith((base, "data:")) else None,
        )
        page.goto(base + "/login")
        page.fill("input[name=username]", "viewer")
        page.fill("input[name=password]", "synthetic-demo")
        page.click("button[type=submit]")
        page.goto(base + "/report")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        broken = page.evaluate(
            "[...document.querySelectorAll('a[href^=\"#\"]')]"
            ".map(a => a.getAttribute('href').slice(1))"
            ".filter(id => !document.getElementById(id))"
        )
        assert broken == []
        assert page.locator("svg").count() > 10  # the bars and the map
        # No line runs off the page (a run of links without spaces once blanked the RTL view).
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert MARK in page.inner_text(".demo")
        page.screenshot(path=str(ARTIFACTS / "report-web-ar.png"))
        page.click("a[href='#map']")
        page.screenshot(path=str(ARTIFACTS / "report-web-ar-map.png"))
        browser.close()
    assert outside == []


def test_estimate_in_public_report_only_once_signed_off(
    demo: tuple[Path, str], tmp_path: Path
) -> None:
    _, db = demo
    args = ("--public", "--no-pdf", "--db", db)
    before = run("report", "--out", str(tmp_path / "before"), *args)
    assert before["estimate"]["included"] is False
    result = CliRunner().invoke(
        build_app(), ["estimate-signoff", "add", "--why", "x", "--by", "analyst", "--db", db]
    )
    assert result.exit_code == 1 and "only an investigator or an admin" in result.output
    signed = run("estimate-signoff", "add", "--why", "two statisticians checked it (fictional)",
                 "--by", "reviewer", "--db", db)  # fmt: skip
    shown = run("report", "--out", str(tmp_path / "signed"), *args)["estimate"]
    assert shown["included"] and shown["signed_off"]["case_digest"] == signed["case_digest"]
    for key in ("method", "observed", "estimate", "interval", "level", "seed"):
        assert shown[key] == signed["estimate"][key], key
    lists = signed["estimate"]["lists"]
    assert shown["lists"] == ["synthetic-a (synthetic)"] and shown["other_lists"] == len(lists) - 1
    page = (tmp_path / "signed" / "index.html").read_text("utf-8")
    assert f"{shown['estimate']:.0f}" in page and "synthetic-b" not in page
    assert "two statisticians" not in page  # why is the team's own business
    run("estimate-signoff", "revoke", "--why", "new lists came in (fictional)", "--by",
        "reviewer", "--db", db)  # fmt: skip
    after = run("report", "--out", str(tmp_path / "after"), *args)
    assert after["estimate"]["included"] is False
    listed = run("estimate-signoff", "list", "--db", db)
    assert listed[0]["revoked_by"] == "reviewer"
