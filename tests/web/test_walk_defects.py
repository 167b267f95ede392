"""Defects seen on a walk through the app (issue 20), each as a user meets it.

Runs on both engines over the shared fictional case of ``seed.py``; a small fictional command
structure (ids ``wb-…``) and an evidence source are added under names no other test uses.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sijill.command.importer import import_structure
from sijill.store.engine import transaction
from sijill.store.models import Source

STRUCTURE = {
    "organizations": [
        {"id": "wb-div", "name": "Walk Division (fictional)", "name_ar": "فرقة الجولة الوهمية"},
        {"id": "wb-div2", "name": "Second Walk Division (fictional)", "name_ar": "الفرقة الثانية"},
        {
            "id": "wb-bde",
            "name": "Walk Brigade (fictional)",
            "name_ar": "لواء الجولة الوهمي",
            "classification": "brigade",
        },
        {"id": "wb-ops", "name": "Walk Operations Room (fictional)"},
    ],
    "persons": [
        {"id": "wb-p1", "name": "Colonel Walk Fictional", "name_ar": "العقيد الوهمي للجولة"},
    ],
    "memberships": [
        {
            "person_id": "wb-p1",
            "organization_id": "wb-bde",
            "role": "commander",
            "start_date": "2025-01-01",
            "end_date": "",
        },
    ],
    "compositions": [
        {"parent_id": "wb-div", "child_id": "wb-bde", "start_date": "2025-01-01", "end_date": ""},
        {"parent_id": "wb-div2", "child_id": "wb-bde", "start_date": "2025-02-01", "end_date": ""},
        {
            "parent_id": "wb-ops",
            "child_id": "wb-bde",
            "classification": "operational",
            "start_date": "2025-03-01",
            "end_date": "2025-03-31",
        },
    ],
}


@pytest.fixture(scope="module")
def walked(web_url: str) -> str:
    with transaction(web_url) as session:
        import_structure(session, STRUCTURE, origin="walk test (fictional)")
        session.add(
            Source(name="Walk evidence source (fictional)", kind="evidence", access="public")
        )
    return web_url


def _arabic(client: TestClient) -> TestClient:
    client.get("/lang/ar?next=/")
    return client


def test_persons_list_shows_each_script_once(login: Callable[[str], TestClient]) -> None:
    english = login("analyst").get("/persons").text
    row = re.search(r"<tr><td class=\"num\">[^<]*</td>\s*<td>.*?</td>", english, re.S)
    assert row is not None
    cell = row.group(0)
    assert "Mohammad Ali Hassan" in cell and cell.count("محمد علي حسن") == 1
    assert cell.index("Mohammad Ali Hassan") < cell.index("محمد علي حسن")  # the reader's first
    arabic = _arabic(login("analyst")).get("/persons").text
    cell = re.search(r"<tr><td class=\"num\">[^<]*</td>\s*<td>.*?</td>", arabic, re.S).group(0)  # type: ignore[union-attr]
    assert cell.index("محمد علي حسن") < cell.index("Mohammad Ali Hassan")


def test_a_bad_query_value_answers_the_error_page(login: Callable[[str], TestClient]) -> None:
    client = _arabic(login("viewer"))
    page = client.get("/records", params={"offset": "-1"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="ar" dir="rtl">' in page.text and "offset" in page.text
    assert "تعذّرت قراءة قيمة" in page.text
    api = client.get("/api/records", params={"offset": "-1"})
    assert api.status_code == 422 and api.json()["detail"][0]["loc"][-1] == "offset"


def test_importing_the_same_file_again_is_offered_in_the_page(
    login: Callable[[str], TestClient],
) -> None:
    client = login("investigator")
    body = b"record_id,full_name\nsame1,Walk Same-File Fictional\n"

    def send(source: str, **extra: str) -> Any:
        return client.post(
            "/import",
            files={"file": ("walk-same.csv", body)},
            data={"source": source, "csrf_token": client.csrf, "access": "public", **extra},
        )

    assert send("Walk same file A").status_code == 200
    again = send("Walk same file B")
    assert again.status_code == 422
    assert "--allow-same-file" not in again.text
    assert "Walk same file A" in again.text and 'name="allow_same_file"' in again.text
    assert send("Walk same file B", allow_same_file="1").status_code == 200
    api = login("investigator")
    refused = api.post(
        "/api/imports",
        files={"file": ("walk-same.csv", body)},
        data={"source": "Walk same file C"},
        headers={"X-CSRF-Token": api.csrf},
    )
    assert refused.status_code == 422 and "allow_same_file" in refused.json()["detail"]


def test_command_search_without_a_match_says_so(
    walked: str, login: Callable[[str], TestClient]
) -> None:
    page = login("viewer").get("/command", params={"q": "no-such-unit-xyz"}).text
    assert "No unit matches" in page and "no-such-unit-xyz" in page
    assert "No units yet" not in page


def test_checks_find_two_superiors_on_one_day(
    walked: str, bearer: Callable[[str], TestClient], login: Callable[[str], TestClient]
) -> None:
    problems = bearer("viewer").get("/api/command/checks").json()["problems"]
    found = [p for p in problems if p["check"] == "overlapping_superiors"]
    assert [(p["organization_id"], p["certainty"]) for p in found] == [("wb-bde", "certain")]
    assert sorted(found[0]["parents"]) == ["wb-div", "wb-div2"]
    # A parent of another kind at once is allowed: listed for review, not as a problem.
    notes = bearer("viewer").get("/api/command/checks").json()["notes"]
    mine = sorted(tuple(n["parents"]) for n in notes if n["organization_id"] == "wb-bde")
    assert mine == [("wb-div", "wb-ops"), ("wb-div2", "wb-ops")]
    page = _arabic(login("viewer")).get("/command/checks").text
    assert "وحدتان أعلى في آن واحد" in page and 'data-testid="several-superiors"' in page


def test_chain_names_commanders_and_units_in_the_reader_s_script(
    walked: str, bearer: Callable[[str], TestClient], login: Callable[[str], TestClient]
) -> None:
    doc = bearer("viewer").get("/api/command/units/wb-bde/chain", params={"at": "2025-03-08"})
    names = doc.json()["names"]
    assert names["persons"]["wb-p1"]["name"] == "Colonel Walk Fictional"
    assert names["organizations"]["wb-div"]["name_ar"] == "فرقة الجولة الوهمية"
    english = login("viewer").get("/command/units/wb-bde", params={"at": "2025-03-08"}).text
    table = english[english.index('data-testid="chain-table"') :]
    assert "Colonel Walk Fictional" in table and "Walk Division (fictional)" in table
    arabic = _arabic(login("viewer")).get("/command/units/wb-bde", params={"at": "2025-03-08"})
    table = arabic.text[arabic.text.index('data-testid="chain-table"') :]
    assert "العقيد الوهمي للجولة" in table and "فرقة الجولة الوهمية" in table
    assert ">wb-p1<" not in table


def test_a_unit_s_kind_and_a_career_s_units_read_in_arabic_on_the_arabic_pages(
    walked: str, login: Callable[[str], TestClient]
) -> None:
    """The kinds the case uses (a brigade; a command link) and the units of a career are in the
    reader's language; a kind the vocabulary lacks stays as written."""
    english, arabic = login("viewer"), _arabic(login("viewer"))
    assert ">brigade<" in english.get("/command", params={"q": "wb-bde"}).text
    listed = arabic.get("/command", params={"q": "wb-bde"}).text
    assert ">لواء<" in listed and ">brigade<" not in listed
    assert "· لواء" in arabic.get("/command/units/wb-bde").text
    checks = arabic.get("/command/checks").text
    several = checks[checks.index('data-testid="several-superiors"') :]
    assert "(قيادية)" in several and "(command)" not in several
    career = arabic.get("/command/persons/wb-p1").text
    assert 'data-testid="career-unit">لواء الجولة الوهمي<' in career
    assert "Walk Brigade (fictional)" not in career
    assert (
        'data-testid="career-unit">Walk Brigade (fictional)<'
        in english.get("/command/persons/wb-p1").text
    )


def test_dashboard_lists_imported_lists_only(
    walked: str, login: Callable[[str], TestClient]
) -> None:
    page = login("analyst").get("/").text
    assert "Fictional public list" in page
    assert "Walk evidence source (fictional)" not in page


def test_public_export_holds_public_records_only_and_says_so(
    bearer: Callable[[str], TestClient], login: Callable[[str], TestClient]
) -> None:
    response = bearer("viewer").get("/api/exports/records.csv", params={"public": "true"})
    manifest = json.loads(response.headers["x-sijill-manifest"])
    assert manifest["withheld"]["internal_records"] == 2
    sources = {r["source"] for r in csv.DictReader(io.StringIO(response.text))}
    assert "Fictional internal list" not in sources and "Fictional public list" in sources
    assert {r["access"] for r in csv.DictReader(io.StringIO(response.text))} == {"public"}
