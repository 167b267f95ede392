"""The evidence API and pages: upload, list, item page, access rules, custody of views."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from sijill.security.roles import ROLES
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client
from tests.evidence.conftest import textured_image


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())


def _app(url: str) -> FastAPI:
    for role in ROLES:
        add_user(url, role, role)
    return create_app(url)


@pytest.fixture
def app(case_url: str, vault_env: Path) -> FastAPI:
    """The web app on each engine."""
    return _app(case_url)


@pytest.fixture
def sqlite_app(sqlite_case_url: str, vault_env: Path) -> FastAPI:
    """The web app on SQLite, for pages whose behaviour does not depend on the engine."""
    return _app(sqlite_case_url)


def _jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    textured_image(seed).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _upload(client, access: str = "internal", seed: int = 1) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    response = client.post(
        "/api/evidence",
        data={
            "source": "Fictional NGO",
            "access": access,
            "url": "https://t.me/fictional_channel/42",
        },
        files=[
            ("files", ("scene-synthetic.jpg", _jpeg(seed), "image/jpeg")),
            ("files", ("note-fictional.txt", b"Synthetic note.\n", "text/plain")),
        ],
    )
    assert response.status_code == 201, response.text
    return list(response.json())


def test_api_upload_list_and_detail(app: FastAPI, vault_env: Path) -> None:
    investigator = bearer_client(app, "investigator")
    added = _upload(investigator)
    assert [a["path"] for a in added] == ["scene-synthetic.jpg", "note-fictional.txt"]
    assert {a["mime"] for a in added} == {"image/jpeg", "text/plain"}
    assert not list((vault_env / "tmp").iterdir())
    page = investigator.get("/api/evidence").json()
    assert page["total"] == 2 and all("access" in i for i in page["items"])
    detail = investigator.get(f"/api/evidence/{added[0]['id']}").json()
    assert detail["fixity"]["sha256"] == added[0]["sha256"]
    assert detail["source"]["platform"] == "telegram"
    assert detail["collection"]["collector"] == "investigator"
    assert [e["event"] for e in detail["custody"]] == ["collected"]
    assert (vault_env / "log" / "checkpoint").is_file()


def test_viewers_see_no_restricted_items_and_no_collector(app: FastAPI) -> None:
    investigator = bearer_client(app, "investigator")
    (public, _) = _upload(investigator, access="internal", seed=1)
    (restricted, _) = _upload(investigator, access="restricted", seed=2)
    viewer = bearer_client(app, "viewer")
    ids = {i["id"] for i in viewer.get("/api/evidence").json()["items"]}
    assert public["id"] in ids and restricted["id"] not in ids
    assert viewer.get(f"/api/evidence/{restricted['id']}").status_code == 404
    detail = viewer.get(f"/api/evidence/{public['id']}").json()
    assert "collector" not in detail["collection"]
    assert (
        viewer.post(
            "/api/evidence", data={"source": "x"}, files=[("files", ("a.txt", b"a", "text/plain"))]
        ).status_code
        == 403
    )


def test_anonymous_and_bad_ids(sqlite_app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    anonymous = TestClient(sqlite_app)
    assert anonymous.get("/api/evidence").status_code == 401
    client = bearer_client(sqlite_app, "viewer")
    assert client.get("/api/evidence/not-a-uuid").status_code == 422
    assert client.get("/api/evidence/00000000-0000-0000-0000-000000000000").status_code == 404


def test_upload_page_and_item_page(sqlite_app: FastAPI) -> None:
    page = logged_in_client(sqlite_app, "investigator")
    listing = page.get("/evidence")
    assert listing.status_code == 200 and 'data-testid="evidence-upload"' in listing.text
    response = page.post(
        "/evidence",
        data={"csrf_token": page.csrf, "source": "Fictional NGO", "access": "internal"},
        files=[("files", ("scene-synthetic.jpg", _jpeg(3), "image/jpeg"))],
        follow_redirects=False,
    )
    assert response.status_code == 303
    item_page = page.get(response.headers["location"])
    assert item_page.status_code == 200
    for testid in ("evidence-fixity", "evidence-metadata", "evidence-custody", "evidence-links"):
        assert f'data-testid="{testid}"' in item_page.text
    assert "scene-synthetic.jpg" in item_page.text
    assert page.get("/evidence").text.count("scene-synthetic.jpg") == 1
    no_csrf = page.post(
        "/evidence",
        data={"source": "Fictional NGO", "access": "internal"},
        files=[("files", ("x.txt", b"x", "text/plain"))],
    )
    assert no_csrf.status_code == 403
    viewer = logged_in_client(sqlite_app, "viewer")
    assert 'data-testid="evidence-upload"' not in viewer.get("/evidence").text


def test_web_views_keep_the_vault_verifiable(sqlite_app: FastAPI, sqlite_case_url: str) -> None:
    from typer.testing import CliRunner

    from sijill.cli.main import build_app

    investigator = bearer_client(sqlite_app, "investigator")
    added = _upload(investigator)
    for _ in range(3):
        investigator.get(f"/api/evidence/{added[1]['id']}")
    result = CliRunner().invoke(build_app(), ["verify", "--json", "--db", sqlite_case_url])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["entries"] == 2 and report["checkpoints"] == 1  # views did not grow the log
    with transaction(sqlite_case_url) as session:
        reads = session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.action == "read", ChangeLogEntry.entity == "evidence_items"
            )
        ).all()
    assert [(r.actor, r.entity_id) for r in reads] == [("web:investigator", added[1]["id"])] * 3


def test_near_duplicate_decided_on_the_item_page(sqlite_app: FastAPI) -> None:
    """A re-encoded photo is shown as a candidate; a reviewer decides; both items remain."""
    page = logged_in_client(sqlite_app, "investigator")
    api = bearer_client(sqlite_app, "investigator")
    (original,) = [a for a in _upload(api, seed=5) if a["mime"] == "image/jpeg"]
    buffer = io.BytesIO()
    textured_image(5).resize((160, 120)).save(buffer, format="PNG")
    response = api.post(
        "/api/evidence",
        data={"source": "Fictional NGO"},
        files=[("files", ("scene-small-synthetic.png", buffer.getvalue(), "image/png"))],
    )
    (copy,) = response.json()
    assert [d["id"] for d in copy["near_duplicates"]] == [original["id"]]
    html = page.get(f"/evidence/{copy['id']}").text
    assert 'data-testid="evidence-decide"' in html
    decided = page.post(
        f"/evidence/{copy['id']}/duplicates/{original['id']}",
        data={"csrf_token": page.csrf, "decision": "same", "why": "re-encoded copy"},
        follow_redirects=False,
    )
    assert decided.status_code == 303
    detail = api.get(f"/api/evidence/{original['id']}").json()
    assert detail["near_duplicates"][0]["decision"] == "same"
    assert {"analysed"} <= {e["event"] for e in detail["custody"]}
    assert api.get(f"/api/evidence/{copy['id']}").status_code == 200
    again = api.post(
        f"/api/evidence/{copy['id']}/duplicates/{copy['id']}", json={"decision": "same"}
    )
    assert again.status_code == 404
    viewer = bearer_client(sqlite_app, "viewer")
    forbidden = viewer.post(
        f"/api/evidence/{copy['id']}/duplicates/{original['id']}", json={"decision": "different"}
    )
    assert forbidden.status_code == 403


def test_near_duplicate_list_names_no_item_the_reader_may_not_read(sqlite_app: FastAPI) -> None:
    investigator = bearer_client(sqlite_app, "investigator")
    (restricted,) = [
        a for a in _upload(investigator, access="restricted", seed=5) if a["mime"] == "image/jpeg"
    ]
    buffer = io.BytesIO()
    textured_image(5).resize((160, 120)).save(buffer, format="PNG")
    response = investigator.post(
        "/api/evidence",
        data={"source": "Fictional NGO", "access": "internal"},
        files=[("files", ("copy-synthetic.png", buffer.getvalue(), "image/png"))],
    )
    (internal,) = response.json()
    assert [d["id"] for d in internal["near_duplicates"]] == [restricted["id"]]
    analyst = bearer_client(sqlite_app, "analyst").get(f"/api/evidence/{internal['id']}").json()
    assert [d["id"] for d in analyst["near_duplicates"]] == [restricted["id"]]
    viewer = bearer_client(sqlite_app, "viewer")
    detail = viewer.get(f"/api/evidence/{internal['id']}")
    assert detail.status_code == 200 and detail.json()["near_duplicates"] == []
    page = logged_in_client(sqlite_app, "viewer").get(f"/evidence/{internal['id']}")
    assert page.status_code == 200 and str(restricted["id"]) not in page.text


def test_a_300_character_upload_name_is_a_clear_400(sqlite_app: FastAPI, vault_env: Path) -> None:
    """Through the API and the upload page alike; nothing is preserved, and no file is left in
    the vault's temporary folder."""
    long_name = "شهادة-" * 49 + "xy.txt"  # 300 characters, 545 bytes in UTF-8
    assert len(long_name) == 300
    files = [
        ("files", ("fine-fictional.txt", b"Synthetic note.\n", "text/plain")),
        ("files", (long_name, b"Synthetic testimony, fictional.\n", "text/plain")),
    ]
    api = bearer_client(sqlite_app, "investigator").post(
        "/api/evidence", data={"source": "Fictional NGO"}, files=files
    )
    assert api.status_code == 400, api.text
    assert "file name is too long (300 characters" in api.json()["detail"]
    page = logged_in_client(sqlite_app, "investigator")
    form = page.post(
        "/evidence", data={"csrf_token": page.csrf, "source": "Fictional NGO"}, files=files
    )
    assert form.status_code == 400 and "file name is too long" in form.text
    assert bearer_client(sqlite_app, "investigator").get("/api/evidence").json()["total"] == 0
    tmp = vault_env / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []
