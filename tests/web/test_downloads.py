"""Downloads (issue 20): every export, full or public, by role; evidence originals by access,
each download in the audit log; the exports page says what the public forms leave out."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select

from sijill.command.importer import import_structure
from sijill.evidence.intake import Collection, add_files
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry, Record

STATEMENT = b"Synthetic demo statement for the download test (fictional).\n"


@pytest.fixture(scope="module")
def stocked(web_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A small fictional structure, and one internal and one restricted evidence item."""
    root = tmp_path_factory.mktemp("downloads")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_VAULT", str(root / "vault"))
        patch.setenv("SIJILL_SIGNING_KEY_FILE", str(root / "signing.key"))
        ids = {}
        with transaction(web_url) as session:
            import_structure(
                session,
                {"organizations": [{"id": "dl-bde", "name": "Download Brigade (fictional)"}]},
                origin="download test (fictional)",
            )
            for access in ("internal", "restricted"):
                path = root / f"statement-{access}.txt"
                path.write_bytes(STATEMENT + access.encode())
                collection = Collection(
                    source=f"Download NGO {access} (fictional)",
                    collector="Investigator D (fictional)",
                    access=access,
                )
                added, _ = add_files(session, root / "vault", [path], collection)
                ids[access] = added[0].id
        yield {**ids, "vault": str(root / "vault")}


def _audit(web_url: str, action: str, entity: str) -> list[ChangeLogEntry]:
    with transaction(web_url) as session:
        return list(
            session.scalars(
                select(ChangeLogEntry).where(
                    ChangeLogEntry.action == action, ChangeLogEntry.entity == entity
                )
            )
        )


PUBLIC = [
    "/api/exports/records.csv?public=true",
    "/api/exports/records.xlsx?public=true",
    "/api/exports/incidents.geojson?public=true",
]
FULL = [
    "/api/exports/records.csv?public=false",
    "/api/exports/records.xlsx?public=false",
    "/api/exports/incidents.geojson?public=false",
    "/api/exports/structure.json",
    "/api/exports/popolo.json",
]


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator", "admin"])
def test_every_export_by_role(
    stocked: dict[str, str], bearer: Callable[[str], TestClient], role: str
) -> None:
    client = bearer(role)
    for path in PUBLIC:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "attachment" in answer.headers["content-disposition"]
    for path in FULL:
        assert client.get(path).status_code == (403 if role == "viewer" else 200), (role, path)


def test_exports_hold_what_they_say(
    web_url: str, stocked: dict[str, str], bearer: Callable[[str], TestClient]
) -> None:
    analyst = bearer("analyst")
    book = load_workbook(io.BytesIO(analyst.get(FULL[1]).content), read_only=True)
    rows = list(book["records"].iter_rows(values_only=True))
    with transaction(web_url) as session:
        n_records = len(session.scalars(select(Record.id)).all())
    assert rows[0][:3] == ("source", "record_id", "person_id") and len(rows) == 1 + n_records
    public = load_workbook(io.BytesIO(analyst.get(PUBLIC[1]).content), read_only=True)
    public_rows = list(public["records"].iter_rows(values_only=True))
    assert {r[3] for r in public_rows[1:]} == {"public"}
    structure = json.loads(analyst.get("/api/exports/structure.json").content)
    assert "dl-bde" in {o["id"] for o in structure["organizations"]}
    geo = json.loads(analyst.get(PUBLIC[2]).content)
    assert geo["type"] == "FeatureCollection" and geo["public"] is True


def test_an_original_downloads_by_access_and_is_logged(
    web_url: str,
    stocked: dict[str, str],
    bearer: Callable[[str], TestClient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SIJILL_VAULT", stocked["vault"])
    viewer = bearer("viewer")
    # A viewer reads internal items but not the files (they carry EXIF and GPS): 403.
    assert viewer.get(f"/api/evidence/{stocked['internal']}/original").status_code == 403
    before = len(_audit(web_url, "download", "evidence"))
    analyst = bearer("analyst")
    got = analyst.get(f"/api/evidence/{stocked['restricted']}/original")
    assert got.status_code == 200 and got.content == STATEMENT + b"restricted"
    assert "attachment" in got.headers["content-disposition"]
    logged = _audit(web_url, "download", "evidence")
    assert len(logged) == before + 1
    assert logged[-1].actor == "web:analyst" and logged[-1].entity_id == stocked["restricted"]
    missing = "00000000-0000-4000-8000-000000000000"
    assert analyst.get(f"/api/evidence/{missing}/original").status_code == 404


def test_the_item_page_offers_the_original_to_analysts_only(
    stocked: dict[str, str], login: Callable[[str], TestClient]
) -> None:
    viewer = login("viewer").get(f"/evidence/{stocked['internal']}")
    assert viewer.status_code == 200 and 'data-testid="download-original"' not in viewer.text
    analyst = login("analyst").get(f"/evidence/{stocked['internal']}").text
    assert f'href="/api/evidence/{stocked["internal"]}/original"' in analyst


def test_the_exports_page_says_what_public_leaves_out(
    stocked: dict[str, str], login: Callable[[str], TestClient]
) -> None:
    viewer = login("viewer").get("/exports").text
    assert 'data-testid="public-note"' in viewer and "internal records" in viewer
    assert 'data-testid="public-records_csv"' in viewer
    assert 'data-testid="full-records_csv"' not in viewer
    analyst = login("analyst").get("/exports").text
    assert 'data-testid="full-structure_json"' in analyst
    records = login("viewer").get("/records").text
    assert "/api/exports/records.csv?public=true" in records
