"""Importing lists through the API and the import page: all or nothing, row-by-row report."""

from __future__ import annotations

from sqlalchemy import select

from sijill.store.engine import transaction
from sijill.store.models import Source
from tests.web.seed import BAD_CSV

GOOD = "record_id,full_name,sex\ng1,Yasmin Fictional-Import,F\ng2,Tariq Fictional-Import,M\n"


def _sources(url: str) -> set[str]:
    with transaction(url) as session:
        return set(session.scalars(select(Source.name)))


def test_api_import_and_refusal(web_url, bearer) -> None:  # type: ignore[no-untyped-def]
    client = bearer("investigator")
    ok = client.post(
        "/api/imports",
        files={"file": ("api-good.csv", GOOD.encode())},
        data={"source": "API good list", "access": "internal"},
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["imported"] == 2 and ok.json()["rejected"] == []
    bad = client.post(
        "/api/imports",
        files={"file": ("api-bad.csv", BAD_CSV.encode())},
        data={"source": "API bad list"},
    )
    assert bad.status_code == 422
    problems = bad.json()["rejected"]
    assert [(p["row"], p["column"]) for p in problems] == [(4, "record_id")]  # structure only
    assert "repeats" in problems[0]["error"]
    assert "API bad list" not in _sources(web_url)  # nothing of it stored
    assert "API good list" in _sources(web_url)
    assert (
        bearer("analyst")
        .post("/api/imports", files={"file": ("x.csv", GOOD.encode())}, data={"source": "x"})
        .status_code
        == 403
    )


def test_api_and_page_report_quality_flags(web_url, bearer, login) -> None:  # type: ignore[no-untyped-def]
    odd = "record_id,full_name,age,date_of_birth\nq1,Lina Fictional-Odd,0.33,01/01/1000\n"
    done = bearer("investigator").post(
        "/api/imports",
        files={"file": ("api-odd.csv", odd.encode())},
        data={"source": "API odd list"},
    )
    assert done.status_code == 201, done.text
    flags = {(q["column"], q["kind"]): q for q in done.json()["quality"]}
    assert set(flags) == {("age", "age_fraction"), ("date_of_birth", "implausible_date")}
    assert flags[("age", "age_fraction")]["rows"] == [2]
    assert done.json()["encoding"] == "utf-8"
    client = login("investigator")
    page = client.post(
        "/import",
        files={"file": ("page-odd.csv", odd.replace("q1", "pq1").encode())},
        data={"source": "Page odd list", "csrf_token": client.csrf},
    )
    assert page.status_code == 200 and 'data-testid="import-quality"' in page.text
    assert "a fraction of a year; read as years and months" in page.text


def test_import_page_reports_rows_and_needs_csrf(web_url, login) -> None:  # type: ignore[no-untyped-def]
    client = login("investigator")
    assert client.get("/import").status_code == 200
    refused = client.post(
        "/import",
        files={"file": ("page-bad.csv", BAD_CSV.encode())},
        data={"source": "Page bad list", "csrf_token": client.csrf},
    )
    assert refused.status_code == 422
    assert 'data-testid="import-report"' in refused.text
    assert "Page bad list" not in _sources(web_url)
    done = client.post(
        "/import",
        files={"file": ("page-good.csv", GOOD.replace("g1", "pg1").encode())},
        data={"source": "Page good list", "csrf_token": client.csrf, "access": "public"},
    )
    assert done.status_code == 200 and 'data-testid="import-ok"' in done.text
    forged = client.post(
        "/import",
        files={"file": ("forged.csv", GOOD.encode())},
        data={"source": "Forged list", "csrf_token": "not-the-token"},
    )
    assert forged.status_code == 403
    assert "Forged list" not in _sources(web_url)
    assert login("analyst").get("/import").status_code == 403


def test_latest_imports_listed(bearer) -> None:  # type: ignore[no-untyped-def]
    items = bearer("viewer").get("/api/imports").json()["items"]
    names = [i["source"] for i in items]
    assert "Fictional public list" in names
    assert "Fictional witness list" not in names  # restricted: not for viewers


def test_a_300_character_upload_name_is_a_clear_400(web_url, bearer, login) -> None:  # type: ignore[no-untyped-def]
    long_name = "a" * 296 + ".csv"
    api = bearer("investigator").post(
        "/api/imports",
        files={"file": (long_name, GOOD.encode())},
        data={"source": "Long-named list"},
    )
    assert api.status_code == 400, api.text
    assert "file name is too long (300 characters" in api.json()["detail"]
    page = login("investigator")
    form = page.post(
        "/import",
        files={"file": (long_name, GOOD.encode())},
        data={"source": "Long-named list", "csrf_token": page.csrf},
    )
    assert form.status_code == 400 and "file name is too long" in form.text
    assert "Long-named list" not in _sources(web_url)
