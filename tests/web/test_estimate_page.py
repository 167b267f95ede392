"""The estimate in the app (issue 20): a job runs ``estimate --from-case`` with the method and
strata chosen; the API and the page follow it; the job mechanism on its own (done, failed with
its reason, interrupted, read by its owner or an admin)."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.errors import SijillError
from sijill.jobs.models import Job
from sijill.jobs.service import INTERRUPTED, read_job, start_job
from sijill.records.importer import import_list
from sijill.security.roles import ROLES
from sijill.store.engine import get_engine, session_factory, transaction
from sijill.store.migrate import upgrade
from sijill.store.models import Person, Record
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client
from tests.conftest import new_database_url

PEOPLE = 120
COVERAGE = {
    "Estimate list A (fictional)": 0.6,
    "Estimate list B (fictional)": 0.5,
    "Estimate list C (fictional)": 0.4,
}


def write_linked_lists(url: str, folder: Path, seed: int = 7) -> None:
    """Three fictional lists of invented people, each person on each list by chance, and the
    records already grouped into persons (as `sijill link` would)."""
    rng = random.Random(seed)
    on = {
        name: [p for p in range(PEOPLE) if rng.random() < share] for name, share in COVERAGE.items()
    }
    with transaction(url) as session:
        for index, (name, people) in enumerate(on.items()):
            path = folder / f"estimate-{index}.csv"
            rows = [f"e{index}-{p},Synthetic Person {p} (fictional),{'MF'[p % 2]}" for p in people]
            path.write_text("record_id,full_name,sex\n" + "\n".join(rows) + "\n", encoding="utf-8")
            import_list(session, path, source=name, access="internal", actor="test")
        persons = {}
        for p in range(PEOPLE):
            persons[p] = Person(display_name=f"Synthetic Person {p} (fictional)", is_victim=True)
        session.add_all(persons.values())
        session.flush()
        for record in session.scalars(select(Record).where(Record.record_id.startswith("e"))):
            record.person_id = persons[int(record.record_id.split("-")[1])].id


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def estimate_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, _field_key: None
) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("estimate")
    urls = new_database_url(request.param, folder)
    url = next(urls)
    upgrade(get_engine(url))
    for role in ROLES:
        add_user(url, role, role)
    write_linked_lists(url, folder)
    yield create_app(url)
    next(urls, None)


def wait_for(client: TestClient, job_id: str) -> dict[str, Any]:
    """Poll the job until it ends (the machine may be slow: no time is asserted)."""
    for _ in range(1200):
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.25)
    raise AssertionError(f"job {job_id} still {job['state']}")


def test_an_estimate_job_runs_from_the_case(estimate_app: FastAPI) -> None:
    analyst = bearer_client(estimate_app, "analyst")
    started = analyst.post("/api/jobs", json={"kind": "estimate", "method": "loglinear"})
    assert started.status_code == 202
    job = wait_for(analyst, started.json()["id"])
    assert job["state"] == "done", job["message"]
    result = job["result"]
    assert result["method"] == "loglinear" and result["level"] == 0.95
    assert result["observed"] <= PEOPLE and result["interval"][0] <= result["estimate"]
    assert sorted(result["lists"]) == sorted(COVERAGE)
    assert any("linkage" in w for w in result["warnings"])  # no scores stored: said so
    assert result["plot_png"]
    # Only who started it (or an admin) reads it.
    assert (
        bearer_client(estimate_app, "investigator").get(f"/api/jobs/{job['id']}").status_code == 404
    )
    assert bearer_client(estimate_app, "admin").get(f"/api/jobs/{job['id']}").status_code == 200


def test_strata_are_estimated_apart(estimate_app: FastAPI) -> None:
    analyst = bearer_client(estimate_app, "analyst")
    body = {"kind": "estimate", "method": "loglinear", "stratum": "sex"}
    job = wait_for(analyst, analyst.post("/api/jobs", json=body).json()["id"])
    assert job["state"] == "done", job["message"]
    assert {s["stratum"] for s in job["result"]["strata"]} == {"M", "F"}


def test_one_job_at_a_time_per_user(estimate_app: FastAPI) -> None:
    import socket

    with estimate_app.state.sessions.begin() as session:
        session.add(
            Job(
                id="r" * 36,
                kind="estimate",
                state="running",
                progress=0.1,
                params={},
                owner="analyst",
                worker=f"{socket.gethostname()}:{os.getpid()}",
            )
        )
    try:
        analyst = bearer_client(estimate_app, "analyst")
        refused = analyst.post("/api/jobs", json={"kind": "estimate", "method": "loglinear"})
        assert refused.status_code == 409 and "r" * 36 in refused.json()["detail"]
        page = logged_in_client(estimate_app, "analyst")
        again = page.post("/estimate", data={"method": "loglinear", "csrf_token": page.csrf})
        assert again.headers["location"] == "/estimate?job=" + "r" * 36  # follows the one
        other = bearer_client(estimate_app, "admin")  # another user is not held up
        job = wait_for(
            other,
            other.post("/api/jobs", json={"kind": "estimate", "method": "loglinear"}).json()["id"],
        )
        assert job["state"] == "done"
    finally:
        with estimate_app.state.sessions.begin() as session:
            session.get(Job, "r" * 36).state = "done"


@pytest.mark.parametrize("role", ["viewer"])
def test_a_viewer_may_not_estimate(estimate_app: FastAPI, role: str) -> None:
    client = bearer_client(estimate_app, role)
    assert client.post("/api/jobs", json={"kind": "estimate"}).status_code == 403
    page = logged_in_client(estimate_app, role)
    assert page.get("/estimate").status_code == 403
    assert 'data-testid="estimate-form"' not in page.get("/estimate").text
    answer = page.post("/estimate", data={"method": "loglinear", "csrf_token": page.csrf})
    assert answer.status_code == 403


def test_bad_job_bodies_name_the_field(estimate_app: FastAPI) -> None:
    analyst = bearer_client(estimate_app, "analyst")
    for body, field in (
        ({"kind": "launder"}, "kind"),
        ({"kind": "bundle"}, "items"),
        ({"kind": "estimate", "method": "guess"}, "method"),
        ({"kind": "estimate", "stratum": "shoe size"}, "stratum"),
    ):
        answer = analyst.post("/api/jobs", json=body)
        assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == field
    assert analyst.get("/api/jobs/" + "0" * 36).status_code == 404


def test_the_page_starts_a_job_and_shows_it_in_arabic(estimate_app: FastAPI) -> None:
    page = logged_in_client(estimate_app, "analyst")
    page.get("/lang/ar?next=/")
    form = page.get("/estimate")
    assert form.status_code == 200 and 'data-testid="estimate-form"' in form.text
    started = page.post(
        "/estimate",
        data={"method": "loglinear", "stratum": "", "seed": "", "csrf_token": page.csrf},
    )
    assert started.status_code == 303
    job_id = started.headers["location"].split("job=")[1]
    wait_for(page, job_id)
    shown = page.get(started.headers["location"]).text
    assert 'data-testid="estimate-total"' in shown and "المجموع المقدَّر" in shown
    assert 'data-testid="estimate-plot"' in shown and 'dir="rtl"' in shown


# --------------------------------------------------------------------------- the mechanism
def _sessions(url: str) -> Any:
    return session_factory(get_engine(url))


def _wait(url: str, job_id: str) -> Job:
    for _ in range(400):
        with _sessions(url)() as session:
            job = read_job(session, job_id)
            if job.state in ("done", "failed"):
                return job
        time.sleep(0.05)
    raise AssertionError("the job did not end")


def test_a_job_reports_progress_and_keeps_why_it_failed(sqlite_case_url: str) -> None:
    sessions = _sessions(sqlite_case_url)
    seen: list[float] = []

    def work(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
        report(0.5, "half way")
        with sessions() as session:
            seen.append(session.get(Job, job_holder[0]).progress)  # type: ignore[union-attr]
        return {"answer": params["n"] * 2}

    job_holder: list[str] = []
    job_holder.append(start_job(sessions, "test", {"n": 21}, "analyst", work))
    done = _wait(sqlite_case_url, job_holder[0])
    assert (done.state, done.result, done.progress, seen) == ("done", {"answer": 42}, 1.0, [0.5])

    def refuses(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
        raise SijillError("no lists are linked in this case (fictional reason)")

    failed = _wait(sqlite_case_url, start_job(sessions, "test", {}, "analyst", refuses))
    assert failed.state == "failed" and "fictional reason" in (failed.error or "")

    def breaks(params: dict[str, Any], report: Callable[[float, str], None]) -> dict[str, Any]:
        raise ZeroDivisionError("secret detail")

    broken = _wait(sqlite_case_url, start_job(sessions, "test", {}, "analyst", breaks))
    assert broken.error == "internal error (ZeroDivisionError)"


def test_a_job_whose_process_ended_reads_as_interrupted(sqlite_case_url: str) -> None:
    import socket

    sessions = _sessions(sqlite_case_url)
    gone = os.fork()
    if gone == 0:
        os._exit(0)
    os.waitpid(gone, 0)
    with sessions.begin() as session:
        session.add(
            Job(
                id="j" * 36,
                kind="estimate",
                state="running",
                progress=0.3,
                params={},
                owner="analyst",
                worker=f"{socket.gethostname()}:{gone}",
            )
        )
    with sessions.begin() as session:
        job = read_job(session, "j" * 36)
        assert (job.state, job.error) == ("failed", INTERRUPTED)
    with sessions() as session:
        with pytest.raises(SijillError):
            read_job(session, "j" * 36, owner="someone else")
