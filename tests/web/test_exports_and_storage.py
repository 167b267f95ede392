"""The public export and its manifest; no sensitive field in clear in the database file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import text

from sijill.store.engine import get_engine
from tests.web.seed import INTERNAL_SECRET, WITNESS_NAME, WITNESS_PHONE


def test_public_export_withholds_and_says_so(bearer) -> None:  # type: ignore[no-untyped-def]
    response = bearer("viewer").get("/api/exports/records.csv", params={"public": "true"})
    assert response.status_code == 200
    manifest = json.loads(response.headers["x-sijill-manifest"])
    assert manifest["public"] is True
    assert manifest["withheld"]["restricted_records"] == 3
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert "Fictional witness list" not in {r["source"] for r in rows}
    assert "raw" not in rows[0]
    for secret in (WITNESS_NAME, WITNESS_PHONE, INTERNAL_SECRET):
        assert secret not in response.text
    same = bearer("viewer").get("/api/exports/records/manifest").json()
    assert same["withheld"] == manifest["withheld"]


def test_full_export_for_analysts(bearer) -> None:  # type: ignore[no-untyped-def]
    response = bearer("analyst").get("/api/exports/records.csv", params={"public": "false"})
    assert response.status_code == 200
    assert "Fictional witness list" in response.text
    assert WITNESS_NAME not in response.text  # sealed fields stay sealed in exports


def test_database_holds_no_sensitive_field_in_clear(web_url, seeded) -> None:  # type: ignore[no-untyped-def]
    engine = get_engine(web_url)
    secrets = [s.encode() for s in (WITNESS_NAME, WITNESS_PHONE, INTERNAL_SECRET)]
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        db_file = Path(engine.url.database or "")
        blobs = [p.read_bytes() for p in db_file.parent.glob(db_file.name + "*")]
        assert sum(len(b) for b in blobs) > 10_000
    else:  # every table dumped as text, as a compelled copy would be
        with engine.connect() as conn:
            tables = conn.execute(
                text("select tablename from pg_tables where schemaname = 'public'")
            ).scalars()
            blobs = [
                "\n".join(str(row) for row in conn.execute(text(f'select * from "{t}"'))).encode()
                for t in list(tables)
            ]
    for blob in blobs:
        for secret in secrets:
            assert secret not in blob
    # The search works: a name that is not sensitive is found in clear.
    assert any(b"Ahmad Ibrahim Fictional" in blob for blob in blobs)
    # ...yet the sealed values are there, encrypted.
    with engine.connect() as conn:
        n = conn.execute(text("select count(*) from records where sealed is not null")).scalar()
    assert n == 3
