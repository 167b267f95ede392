"""Jobs of every kind through the API (FORMATS.md §5): who may start each, who may read it
(its owner and admins; anyone else 404), what each leaves (people, matched places, a report to
download, a bundle to download), and a failed job saying why."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from tests.web.test_estimate_page import wait_for

Client = Callable[[str], TestClient]
#: Each kind, with the body that starts it (the report: no PDF and no estimate, to be quick).
KINDS: dict[str, dict[str, Any]] = {
    "link": {"kind": "link"},
    "match-places": {"kind": "match-places"},
    "report": {"kind": "report", "pdf": False},
    "estimate": {"kind": "estimate", "method": "loglinear"},
}
MAY_START = {
    "viewer": set(),
    "analyst": {"match-places", "report", "estimate", "bundle"},
    "investigator": {*KINDS, "bundle"},
    "admin": {*KINDS, "bundle"},
}


@pytest.fixture(scope="module")
def evidence_item(app: Any) -> str:
    """One real item in the vault (the seed's items have no original on disk)."""
    from sijill.web.testing import bearer_client

    client = bearer_client(app, "investigator")
    answer = client.post(
        "/api/evidence",
        files={"files": ("bundle-me-fictional.txt", b"a fictional statement, for a bundle\n")},
        data={"source": "Fictional bundle source", "access": "internal"},
    )
    assert answer.status_code == 201, answer.text
    return str(answer.json()[0]["id"])


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator", "admin"])
def test_who_may_start_each_kind(role: str, bearer: Client, evidence_item: str) -> None:
    client = bearer(role)
    for kind, body in [*KINDS.items(), ("bundle", {"kind": "bundle", "items": [evidence_item]})]:
        started = client.post("/api/jobs", json=body)
        if kind not in MAY_START[role]:
            assert started.status_code == 403, (kind, started.text)
            continue
        assert started.status_code == 202, (kind, started.text)
        job = wait_for(client, started.json()["id"])
        assert job["kind"] == kind and job["owner"] == role
        if kind != "estimate":  # the seed's tiny case may have too few people to estimate
            assert job["state"] == "done", (kind, job["message"])
    bundle = client.post("/api/evidence/bundle", json={"items": [evidence_item]})
    assert bundle.status_code == (202 if "bundle" in MAY_START[role] else 403)
    if bundle.status_code == 202:
        assert wait_for(client, bundle.json()["id"])["state"] == "done"


def test_owner_and_admin_read_a_job_others_do_not(bearer: Client, seeded: dict[str, Any]) -> None:
    investigator = bearer("investigator")
    job_id = investigator.post("/api/jobs", json=KINDS["match-places"]).json()["id"]
    job = wait_for(investigator, job_id)
    assert job["state"] == "done" and job["result"]["records"] >= 1
    for role, status in [("viewer", 404), ("analyst", 404), ("admin", 200)]:
        assert bearer(role).get(f"/api/jobs/{job_id}").status_code == status
    assert job_id in {j["id"] for j in bearer("admin").get("/api/jobs").json()}
    assert job_id not in {j["id"] for j in bearer("analyst").get("/api/jobs").json()}
    assert bearer("viewer").get("/api/jobs/" + "0" * 36).status_code == 404


def test_a_link_job_makes_people(bearer: Client, web_url: str) -> None:
    investigator = bearer("investigator")
    job = wait_for(investigator, investigator.post("/api/jobs", json=KINDS["link"]).json()["id"])
    assert job["state"] == "done", job["message"]
    assert job["result"]["people"] >= 1 and job["result"]["records"] >= job["result"]["people"]
    assert investigator.get("/api/persons").json()["total"] >= job["result"]["people"]
    with transaction(web_url) as session:
        started = session.query(ChangeLogEntry).filter_by(action="start", entity="job").all()
        assert any(e.entity_id == job["id"] and e.actor == "web:investigator" for e in started)


def test_a_report_job_writes_the_page_and_the_pdf(bearer: Client) -> None:
    analyst = bearer("analyst")
    body = {"kind": "report", "lang": "ar", "pdf": True}
    job = wait_for(analyst, analyst.post("/api/jobs", json=body).json()["id"])
    assert job["state"] == "done", job["message"]
    names = {d["name"]: d["url"] for d in job["downloads"]}
    assert set(names) == {"index.html", "report.pdf"}
    page = analyst.get(names["index.html"])
    assert page.status_code == 200 and 'lang="ar"' in page.text
    assert analyst.get(names["report.pdf"]).content.startswith(b"%PDF")
    assert bearer("investigator").get(names["report.pdf"]).status_code == 404  # not theirs
    assert bearer("admin").get(names["report.pdf"]).status_code == 200
    assert analyst.get(f"/api/jobs/{job['id']}/files/report.json").status_code == 404


def test_a_bundle_job_gives_a_bagit_zip(bearer: Client, evidence_item: str) -> None:
    analyst = bearer("analyst")
    started = analyst.post("/api/evidence/bundle", json={"items": [evidence_item]})
    job = wait_for(analyst, started.json()["id"])
    assert job["state"] == "done", job["message"]
    (download,) = job["downloads"]
    archive = zipfile.ZipFile(io.BytesIO(analyst.get(download["url"]).content))
    names = set(archive.namelist())
    assert {"bagit.txt", "verify_bundle.py", "data/log/checkpoint.txt"} <= names
    assert any(n.endswith("bundle-me-fictional.txt") for n in names)


def test_a_failed_job_says_why(bearer: Client, seeded: dict[str, Any]) -> None:
    analyst = bearer("analyst")
    # The seed's items are described but their originals were never put in the vault.
    from tests.web.seed import PUBLIC_ITEM

    job = wait_for(
        analyst, analyst.post("/api/evidence/bundle", json={"items": [PUBLIC_ITEM]}).json()["id"]
    )
    assert job["state"] == "failed" and "missing from the vault" in job["message"]
    assert job["downloads"] == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "launder"}, 422),
        ({"kind": "report", "lang": "fr"}, 422),
        ({"kind": "link", "extra": 1}, 422),
        ({"kind": "bundle", "items": []}, 422),
        ({"kind": "bundle", "items": ["deadbeef-0000-4000-8000-000000000000"]}, 404),
    ],
)
def test_bad_bodies(bearer: Client, body: dict[str, Any], status: int) -> None:
    assert bearer("admin").post("/api/jobs", json=body).status_code == status
