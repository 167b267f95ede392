"""The write matrix: every route of FORMATS.md §5's table (and every other API write) × every
role and the anonymous client, from one table.

Each row names a route, a valid body for it (each role's own, so that a refusal is never the
body's fault), the roles that may use it and what they get (201 on create, 200 on change or
download, 202 for a job); the anonymous client gets 401 and a role that may not gets 403 (or
404 where the route hides what the reader may not see: someone else's job or token). Every
write a role may make leaves an entry by that role in the audit log, and a refused one
leaves none. The reads matrix (``test_access_matrix.py``) counts the seed as it was made: the
writes have their own case here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.linkage.models import ReviewPair
from sijill.security.roles import ROLES
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry, Record
from sijill.web.testing import ROLE_PASSWORD, add_user, bearer_client, served_routes
from tests.web.seed import PUBLIC_ITEM, SECRET_ITEM
from tests.web.test_estimate_page import wait_for

EVERYONE = frozenset(ROLES)
ANALYSTS = frozenset({"analyst", "investigator", "admin"})
WRITERS = frozenset({"investigator", "admin"})
ADMIN = frozenset({"admin"})
SOURCE = "Fictional public list"
CITED = {"source": SOURCE, "locator": "p. 7", "confidence": "medium"}
#: Another account, whose tokens only an admin may revoke and whose role only an admin changes.
OTHER = "matrix-other"

Body = Callable[[str, "Case"], dict[str, Any]]


@dataclass(frozen=True)
class Case:
    """What the rows need from the case: its ids and a way to mint a token."""

    app: FastAPI
    url: str
    seeded: dict[str, Any]
    vault_item: str
    job: str

    def token(self, name: str) -> str:
        client = TestClient(self.app)
        answer = client.post("/api/token", data={"username": name, "password": ROLE_PASSWORD})
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def pair(self) -> int:
        """A review pair of two public records (made again once a link run has replaced the
        seed's questions)."""
        with transaction(self.url) as session:
            a, b = session.scalars(
                select(Record.id).where(Record.record_id.in_(["p2", "p3"])).order_by(Record.id)
            )
            found = session.scalar(
                select(ReviewPair.id).where(
                    ReviewPair.record_a_id == a, ReviewPair.record_b_id == b
                )
            )
            if found is None:
                made = ReviewPair(
                    record_a_id=a, record_b_id=b, probability=0.5, weight=0.0, reason="uncertain"
                )
                session.add(made)
                session.flush()
                found = made.id
            return found


@dataclass(frozen=True)
class Row:
    """One route: who may use it and with what answer; who may not gets ``refusal``."""

    method: str
    route: str
    allowed: frozenset[str]
    status: int
    json: Body | None = None
    form: Callable[[str], tuple[dict[str, str], dict[str, Any]]] | None = None
    query: dict[str, str] = field(default_factory=dict)
    refusal: int = 403

    def path(self, case: Case) -> str:
        values = {
            "incident": case.seeded["incident"],
            "record": case.seeded["public_record"],
            "item": PUBLIC_ITEM,
            "other": SECRET_ITEM,
            "vault_item": case.vault_item,
            "job": case.job,
            "name": OTHER,
            "pair": case.pair() if "{pair}" in self.route else 0,
            "link": 1,
        }
        return self.route.format(**values)


def _incident(role: str, case: Case) -> dict[str, Any]:
    return {
        "id": f"matrix-{role}",
        "title": f"Matrix incident by the {role} (fictional)",
        "start_date": "2025-03",
        "violations": ["killing.summary_execution"],
        "victims": {"count": 2, "sources": [SOURCE]},
        "perpetrators": [{"organization_id": "u-fict-72", "sources": [SOURCE]}],
        "sources": [SOURCE],
    }


def _unit(role: str, case: Case) -> dict[str, Any]:
    return {"id": f"u-matrix-{role}", "name": f"Matrix {role} Brigade (fictional)", **CITED}


def _post(role: str, case: Case) -> dict[str, Any]:
    return {
        "person_id": "p-fict-open",
        "organization_id": f"u-matrix-{role}",
        "role": "commander",
        "start_date": "2024-11",
        **CITED,
    }


def _figure(role: str, case: Case) -> dict[str, Any]:
    return {
        "id": f"matrix-{role}",
        "organisation": f"Matrix observatory of the {role} (fictional)",
        "counts": "killed",
        "total": 3,
        "places": [{"place": "demo:gov-tar"}],  # the demo gazetteer's invented governorate
        "sources": [SOURCE],
    }


def _list(role: str) -> tuple[dict[str, str], dict[str, Any]]:
    text = f"record_id,full_name\nm-{role},Matrix {role} Fictional\n"
    file = (f"matrix-{role}.csv", text.encode(), "text/csv")
    return {"source": f"Matrix list of the {role} (fictional)", "access": "public"}, {"file": file}


def _item(role: str) -> tuple[dict[str, str], dict[str, Any]]:
    file = (f"matrix-{role}.txt", f"a fictional note by the {role}\n".encode())
    return {"source": "Matrix statements (fictional)", "access": "public"}, {"files": file}


ROWS: tuple[Row, ...] = (
    Row("POST", "/api/incidents", WRITERS, 201, _incident),
    Row(
        "PATCH",
        "/api/incidents/{incident}",
        WRITERS,
        200,
        lambda role, case: {"description": f"seen again by the {role}", "why": "matrix"},
    ),
    Row(
        "POST",
        "/api/records",
        WRITERS,
        201,
        lambda role, case: {
            "source": SOURCE,
            "record_id": f"matrix-{role}",
            "full_name": f"Matrix {role} Handentered Fictional",
            "date_of_death": "2025-03",
        },
    ),
    Row(
        "PATCH",
        "/api/records/{record}",
        WRITERS,
        200,
        lambda role, case: {"age": str(40 + len(role)), "why": f"the {role}'s correction"},
    ),
    Row(
        "POST",
        "/api/structure",
        WRITERS,
        201,
        lambda role, case: {
            "organizations": [{"id": f"u-matrix-doc-{role}", "name": f"Doc {role} (fictional)"}]
        },
    ),
    Row("POST", "/api/command/organizations", WRITERS, 201, _unit),
    Row("POST", "/api/command/memberships", WRITERS, 201, _post),
    Row(
        "POST",
        "/api/command/compositions",
        WRITERS,
        201,
        lambda role, case: {
            "parent_id": "u-fict-72",
            "child_id": f"u-matrix-{role}",
            "start_date": "2025",
            **CITED,
        },
    ),
    Row(
        "POST",
        "/api/evidence/{item}/links",
        WRITERS,
        201,
        lambda role, case: {"kind": "unit", "target": f"u-matrix-{role}"},
    ),
    # Originals and bundles carry the files' own metadata (EXIF, GPS): analysts and above.
    Row("GET", "/api/evidence/{vault_item}/original", ANALYSTS, 200),
    Row(
        "POST",
        "/api/evidence/bundle",
        ANALYSTS,
        202,
        lambda role, case: {"items": [case.vault_item]},
    ),
    Row("POST", "/api/jobs", ANALYSTS, 202, lambda role, case: {"kind": "match-places"}),
    Row("POST", "/api/jobs", WRITERS, 202, lambda role, case: {"kind": "link"}),
    Row("GET", "/api/jobs/{job}", frozenset({"investigator", "admin"}), 200, refusal=404),
    Row("GET", "/api/users", ADMIN, 200),
    Row(
        "POST",
        "/api/users",
        ADMIN,
        201,
        lambda role, case: {
            "name": f"matrix-new-{role}",
            "role": "viewer",
            "password": ROLE_PASSWORD,
        },
    ),
    Row("PATCH", "/api/users/{name}", ADMIN, 200, lambda role, case: {"role": "analyst"}),
    Row(
        "POST",
        "/api/tokens/revoke",
        EVERYONE,
        200,
        lambda role, case: {"token": case.token(OTHER if role == "anonymous" else role)},
    ),
    Row(
        "POST",
        "/api/tokens/revoke",
        ADMIN,
        200,
        lambda role, case: {"token": case.token(OTHER)},
        refusal=404,
    ),
    Row("GET", "/api/audit", ADMIN, 200, query={"user": "web:admin", "since": "2025-01-01"}),
    *(
        Row("GET", f"/api/exports/{name}", EVERYONE, 200, query={"public": "true"})
        for name in ("records.csv", "records.xlsx", "incidents.geojson")
    ),
    *(
        Row("GET", f"/api/exports/{name}", ANALYSTS, 200, query={"public": "false"})
        for name in ("records.csv", "records.xlsx", "incidents.geojson")
    ),
    # The structure has no redacted form: every actor at every level (analysts and above).
    Row("GET", "/api/exports/structure.json", ANALYSTS, 200),
    Row("GET", "/api/exports/popolo.json", ANALYSTS, 200),
    # The API's other writes, beyond §5's table.
    Row(
        "PATCH",
        "/api/settings",
        ADMIN,
        200,
        lambda role, case: {"case_name": "Matrix case (fictional)"},
    ),
    Row("POST", "/api/imports", WRITERS, 201, form=_list),
    Row("POST", "/api/figures", WRITERS, 201, _figure),
    Row("POST", "/api/evidence", WRITERS, 201, form=_item),
    Row(
        "POST",
        "/api/evidence/{item}/duplicates/{other}",
        WRITERS,
        200,
        lambda role, case: {"decision": "different", "why": f"the {role} looked"},
    ),
    Row(
        "POST",
        "/api/linkage/review/{pair}",
        WRITERS,
        200,
        lambda role, case: {"decision": "unsure", "why": f"the {role} is not sure"},
    ),
    Row(
        "POST",
        "/api/incidents/links/{link}",
        WRITERS,
        200,
        lambda role, case: {"status": "confirmed", "why": f"the {role} checked"},
    ),
)


@pytest.fixture(scope="module")
def case(app: FastAPI, web_url: str, seeded: dict[str, Any]) -> Case:
    """One item with its original in the vault, one job of the investigator's, one account
    more."""
    add_user(web_url, OTHER, "viewer")
    loaded = CliRunner().invoke(build_app(), ["places", "load", "--demo", "--db", web_url])
    assert loaded.exit_code == 0, loaded.output
    investigator = bearer_client(app, "investigator")
    added = investigator.post(
        "/api/evidence",
        files={"files": ("matrix-vault-fictional.txt", b"a fictional statement\n")},
        data={"source": "Matrix vault (fictional)", "access": "public"},
    )
    assert added.status_code == 201, added.text
    job = investigator.post("/api/jobs", json={"kind": "match-places"}).json()["id"]
    assert wait_for(investigator, job)["state"] == "done"
    return Case(app, web_url, seeded, added.json()[0]["id"], job)


def _written(url: str, role: str) -> int:
    """How many entries the audit log holds by ``role`` (reads left out)."""
    with transaction(url) as session:
        query = select(func.count()).where(
            ChangeLogEntry.actor == f"web:{role}", ChangeLogEntry.action != "read"
        )
        return session.scalar(query) or 0


def _ask(client: TestClient, row: Row, role: str, case: Case) -> Any:
    sent: dict[str, Any] = {"params": row.query}
    if row.json is not None:
        sent["json"] = row.json(role, case)
    if row.form is not None:
        sent["data"], sent["files"] = row.form(role)
    return client.request(row.method, row.path(case), **sent)


def _client(app: FastAPI, role: str) -> TestClient:
    if role == "anonymous":
        return TestClient(app, follow_redirects=False)
    return bearer_client(app, role)


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_every_route_answers_each_role_as_formats_says(
    app: FastAPI, web_url: str, case: Case, role: str
) -> None:
    """Each row as ``role``: the status FORMATS §5 promises; a job started runs to its end; a
    write allowed is in the audit log under the role's name, a refused one is not."""
    client = _client(app, role)
    wrong = []
    for row in ROWS:
        before = _written(web_url, role)
        answer = _ask(client, row, role, case)
        if role == "anonymous":
            expected = 401
        else:
            expected = row.status if role in row.allowed else row.refusal
        where = f"{role} {row.method} {row.path(case)}"
        if answer.status_code != expected:
            wrong.append(f"{where}: {answer.status_code}, not {expected}: {answer.text[:300]}")
            continue
        if expected == 202:  # ended before the next starts (one job at a time each)
            wait_for(client, answer.json()["id"])
        logged = _written(web_url, role) - before
        if row.method != "GET" and (logged > 0) != (expected < 300):
            wrong.append(f"{where}: {logged} entries in the audit log")
    assert not wrong, "\n".join(wrong)


def test_the_table_holds_every_write_of_the_api(app: FastAPI) -> None:
    """A write route added later must join the table (the token route is the sign-in)."""

    def shape(path: str) -> str:
        return re.sub(r"{\w+}", "{}", path)

    served = {
        (method, shape(route.path))
        for route in served_routes(app)
        if route.path.startswith("/api/") and route.path != "/api/token"
        for method in route.methods - {"GET"}
    }
    assert served == {(row.method, shape(row.route)) for row in ROWS if row.method != "GET"}
