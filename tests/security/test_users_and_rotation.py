"""Accounts, tokens and key rotation on both engines; the CLI commands."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.errors import ConfigError
from sijill.records.importer import import_list
from sijill.records.mapping import mapping_from_dict
from sijill.security.blind import matching_records
from sijill.security.models import AuthToken
from sijill.security.sealing import load_key, record_aad, unseal
from sijill.security.users import (
    UserError,
    authenticate,
    create_user,
    issue_token,
    resolve_token,
    revoke_token,
)
from sijill.store.base import utcnow
from sijill.store.engine import transaction
from sijill.store.models import Record

WITNESS = "Hind Fictional-Witness"


def test_users_and_tokens(case_url: str) -> None:
    with transaction(case_url) as session:
        create_user(session, "amal", "investigator", "long enough pw")
        with pytest.raises(UserError):
            create_user(session, "amal", "viewer", "long enough pw")
        with pytest.raises(UserError):
            create_user(session, "short", "viewer", "pw")
        with pytest.raises(UserError):
            create_user(session, "odd", "superuser", "long enough pw")
    with transaction(case_url) as session:
        assert authenticate(session, "amal", "wrong password") is None
        assert authenticate(session, "nobody", "long enough pw") is None
        user = authenticate(session, "amal", "long enough pw")
        assert user is not None and user.last_login is not None
        issued = issue_token(session, user, "session")
        api = issue_token(session, user, "api")
    with transaction(case_url) as session:
        assert resolve_token(session, issued.secret, "session") is not None
        assert resolve_token(session, issued.secret, "api") is None  # kinds do not mix
        assert resolve_token(session, api.secret, "api") is not None
        stored = session.scalars(select(AuthToken.token_hash)).all()
        assert issued.secret not in stored and api.secret not in stored  # only hashes
        revoke_token(session, issued.secret)
        for token in session.scalars(select(AuthToken)):
            token.expires_at = utcnow() - timedelta(seconds=1)
    with transaction(case_url) as session:
        assert resolve_token(session, issued.secret, "session") is None
        assert resolve_token(session, api.secret, "api") is None  # expired


def _import_sealed(url: str, folder: Path) -> None:
    path = folder / "witnesses.csv"
    path.write_text(f"record_id,full_name,witness\nw1,Fictional Person,{WITNESS}\n", "utf-8")
    with transaction(url) as session:
        import_list(
            session,
            path,
            source="Sealed list",
            access="restricted",
            mapping=mapping_from_dict({"sensitive": ["witness"]}),
        )


def _sealed(url: str) -> tuple[bytes, str]:
    with transaction(url) as session:
        record = session.scalars(select(Record)).one()
        assert record.sealed is not None
        return record.sealed, record_aad(record.source_id, record.record_id)


def test_cli_users_add_and_keys_rotate(case_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    app = build_app()
    result = runner.invoke(
        app,
        [
            "users",
            "add",
            "first-admin",
            "--role",
            "admin",
            "--password-stdin",
            "--json",
            "--db",
            case_url,
        ],
        input="a long admin password\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"user": "first-admin", "role": "admin"}
    bad = runner.invoke(
        app,
        ["users", "add", "x", "--role", "king", "--password-stdin", "--db", case_url],
        input="a long admin password\n",
    )
    assert bad.exit_code != 0

    _import_sealed(case_url, tmp_path)
    old_key = load_key(create=False)
    blob, aad = _sealed(case_url)
    assert unseal(blob, aad=aad, key=old_key) == {"witness": WITNESS}

    rotated = runner.invoke(app, ["keys", "rotate", "--json", "--db", case_url])
    assert rotated.exit_code == 0, rotated.output
    doc = json.loads(rotated.stdout)
    assert doc["resealed"] == 1 and Path(doc["retired_key_file"]).exists()
    new_key = load_key(create=False)
    assert new_key != old_key
    blob, aad = _sealed(case_url)
    assert unseal(blob, aad=aad, key=new_key) == {"witness": WITNESS}
    with pytest.raises(ConfigError):
        unseal(blob, aad=aad, key=old_key)
    with pytest.raises(Exception):  # noqa: B017 - bound to its record: another aad fails
        unseal(blob, aad=record_aad(999, "w1"), key=new_key)

    with transaction(case_url) as session:  # the blind index was rebuilt under the new key
        assert len(session.scalars(matching_records(WITNESS, new_key)).all()) == 1
        assert session.scalars(matching_records(WITNESS, old_key)).all() == []
    reindexed = runner.invoke(app, ["keys", "reindex", "--json", "--db", case_url])
    assert reindexed.exit_code == 0 and json.loads(reindexed.stdout)["tokens"] >= 2

    again = runner.invoke(app, ["keys", "rotate", "--destroy-old", "--json", "--db", case_url])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["retired_key_file"] is None
