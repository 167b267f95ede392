"""Sessions and accounts (issue 19): revoking tokens, signing out, resetting passwords, changing
roles (CLI and API), password strength, names unique regardless of case, the login limit kept
in the database, X-Forwarded-For only from trusted proxies, sign-ins while SQLite is busy."""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable, Iterator

import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, delete, select, text
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.security.models import AuthToken, LoginFailure
from sijill.security.proxies import client_address, trusted_proxies
from sijill.security.ratelimit import LoginLimiter
from sijill.security.users import (
    API_TOKEN_LIFETIME,
    UserError,
    authenticate,
    create_user,
)
from sijill.store.base import utcnow
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import alembic_config
from sijill.web import create_app
from sijill.web.testing import ROLE_PASSWORD, add_user, bearer_client

NEW_PASSWORD = "violet umbrella gravel sonnet"


@pytest.fixture(autouse=True)
def _field_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.delenv("SIJILL_TRUSTED_PROXIES", raising=False)


@pytest.fixture
def app(case_url: str) -> FastAPI:
    for role in ("viewer", "analyst", "admin"):
        add_user(case_url, role, role)
    return create_app(case_url)


def _cli(url: str) -> Callable[..., tuple[int, str]]:
    runner, sijill = CliRunner(), build_app()

    def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
        result = runner.invoke(sijill, [*args, "--db", url], input=stdin)
        return result.exit_code, result.stdout + result.stderr

    return run


def _token(app: FastAPI, name: str, password: str = ROLE_PASSWORD) -> TestClient:
    return bearer_client(app, name, password)


def test_revoke_one_token_and_sign_an_api_token_out(app: FastAPI) -> None:
    first, second = _token(app, "viewer"), _token(app, "viewer")
    secret = first.headers["Authorization"].split()[1]
    # Another user's token is not the viewer's to revoke (and is not said to exist).
    analyst = _token(app, "analyst")
    other = analyst.headers["Authorization"].split()[1]
    assert second.post("/api/tokens/revoke", json={"token": other}).status_code == 404
    assert analyst.get("/api/me").status_code == 200
    # Revoking one token by its secret leaves the owner's other tokens working.
    assert second.post("/api/tokens/revoke", json={"token": secret}).json() == {"revoked": 1}
    assert first.get("/api/me").status_code == 401
    assert second.get("/api/me").status_code == 200
    # With no body fields, the calling token signs itself out.
    assert second.post("/api/tokens/revoke", json={}).json() == {"revoked": 1}
    assert second.get("/api/me").status_code == 401
    # An admin revokes every token of a user.
    admin = _token(app, "admin")
    assert admin.post("/api/tokens/revoke", json={"user": "analyst"}).json() == {"revoked": 1}
    assert analyst.get("/api/me").status_code == 401


def test_reset_password_and_change_role_through_the_api(app: FastAPI, case_url: str) -> None:
    admin, viewer = _token(app, "admin"), _token(app, "viewer")
    assert viewer.get("/api/users").status_code == 403
    assert viewer.patch("/api/users/viewer", json={"role": "admin"}).status_code == 403
    listed = admin.get("/api/users").json()
    assert {(u["user"], u["role"]) for u in listed} >= {("viewer", "viewer"), ("admin", "admin")}
    changed = admin.patch("/api/users/VIEWER", json={"role": "analyst"})
    assert changed.status_code == 200 and changed.json()["role"] == "analyst"
    assert viewer.get("/api/me").status_code == 401  # a new role: signed in anew
    assert _token(app, "viewer").get("/api/me").json()["role"] == "analyst"
    weak = admin.patch("/api/users/viewer", json={"password": "password1"})
    assert weak.status_code == 422 and "too easy to guess" in weak.json()["detail"]
    assert admin.patch("/api/users/viewer", json={"password": NEW_PASSWORD}).status_code == 200
    refused = TestClient(app).post(
        "/api/token", data={"username": "viewer", "password": ROLE_PASSWORD}
    )
    assert refused.status_code == 401
    assert _token(app, "viewer", NEW_PASSWORD).get("/api/me").status_code == 200
    assert admin.patch("/api/users/nobody", json={"active": False}).status_code == 404
    created = admin.post(
        "/api/users", json={"name": "Rania", "role": "viewer", "password": NEW_PASSWORD}
    )
    assert created.status_code == 201 and created.json()["user"] == "Rania"
    again = admin.post(
        "/api/users", json={"name": "rania", "role": "viewer", "password": NEW_PASSWORD}
    )
    assert again.status_code == 409


def test_reset_password_change_role_and_revoke_on_the_command_line(
    app: FastAPI, case_url: str
) -> None:
    cli = _cli(case_url)
    client = _token(app, "viewer")
    code, out = cli("users", "role", "viewer", "investigator", "--json")
    assert code == 0 and '"investigator"' in out
    assert client.get("/api/me").status_code == 401
    code, out = cli("users", "password", "viewer", "--password-stdin", stdin="12345678\n")
    assert code != 0 and "too easy to guess" in out
    assert cli("users", "password", "viewer", "--password-stdin", stdin=NEW_PASSWORD + "\n")[0] == 0
    client = _token(app, "viewer", NEW_PASSWORD)
    secret = client.headers["Authorization"].split()[1]
    code, out = cli("users", "revoke", "--token-stdin", "--json", stdin=secret + "\n")
    assert code == 0 and '"revoked": 1' in out
    assert client.get("/api/me").status_code == 401
    code, out = cli("users", "revoke", "--token-stdin", stdin=secret + "\n")
    assert code != 0 and "no such token" in out
    admin = _token(app, "admin")
    _token(app, "admin")
    code, out = cli("users", "revoke", "ADMIN", "--json")
    assert code == 0 and '"revoked": 2' in out
    assert admin.get("/api/me").status_code == 401
    assert cli("users", "disable", "viewer")[0] == 0
    assert (
        TestClient(app)
        .post("/api/token", data={"username": "viewer", "password": NEW_PASSWORD})
        .status_code
        == 401
    )


def test_api_tokens_live_a_week(app: FastAPI, case_url: str) -> None:
    _token(app, "viewer")
    with transaction(case_url) as session:
        token = session.scalars(select(AuthToken).where(AuthToken.kind == "api")).one()
        life = token.expires_at - utcnow()
    assert API_TOKEN_LIFETIME.days == 7
    assert API_TOKEN_LIFETIME - life < API_TOKEN_LIFETIME / 100


def test_weak_passwords_are_refused(case_url: str) -> None:
    with transaction(case_url) as session:
        for weak in ("short", "password1", "abcdefghij", "qwertyuiop", "amal-amal-amal"):
            with pytest.raises(UserError, match="password"):
                create_user(session, "amal", "viewer", weak)
        create_user(session, "amal", "viewer", NEW_PASSWORD)


def test_user_names_are_unique_regardless_of_case(case_url: str) -> None:
    with transaction(case_url) as session:
        create_user(session, "Amal", "viewer", NEW_PASSWORD)
        with pytest.raises(UserError, match="already exists"):
            create_user(session, "amal", "admin", NEW_PASSWORD)
        assert authenticate(session, "AMAL", NEW_PASSWORD) is not None
    with pytest.raises(Exception, match="(?i)unique"), transaction(case_url) as session:
        session.execute(
            text(
                "INSERT INTO users (name, role, password_hash, active, created_at) "
                "VALUES ('aMaL', 'admin', 'x', true, CURRENT_TIMESTAMP)"
            )
        )


def test_x_forwarded_for_is_trusted_only_from_configured_proxies(
    app: FastAPI, case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert trusted_proxies() == ()  # none unless configured
    assert client_address("127.0.0.1", "203.0.113.9", ()) == "127.0.0.1"
    monkeypatch.setenv("SIJILL_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    assert client_address("127.0.0.1", "198.51.100.7, 10.1.2.3") == "198.51.100.7"
    assert client_address("192.0.2.1", "198.51.100.7") == "192.0.2.1"  # not a proxy
    monkeypatch.delenv("SIJILL_TRUSTED_PROXIES")
    # The test client's peer is "testclient": rotating X-Forwarded-For does not reset the limit.
    client = TestClient(app)
    for n in range(5):
        headers = {"X-Forwarded-For": f"198.51.100.{n}"}
        failed = client.post(
            "/api/token", data={"username": "admin", "password": "nope"}, headers=headers
        )
        assert failed.status_code == 401
    refused = client.post(
        "/api/token",
        data={"username": "admin", "password": ROLE_PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.99"},
    )
    assert refused.status_code == 429


def test_login_limit_holds_across_workers(case_url: str) -> None:
    add_user(case_url, "admin", "admin")
    first, second = TestClient(create_app(case_url)), TestClient(create_app(case_url))
    for n in range(5):
        worker = (first, second)[n % 2]
        assert (
            worker.post("/api/token", data={"username": "admin", "password": "nope"}).status_code
            == 401
        )
    for worker in (first, second):
        ok = worker.post("/api/token", data={"username": "admin", "password": ROLE_PASSWORD})
        assert ok.status_code == 429
    limiter = LoginLimiter(attempts=5, window=300)
    with transaction(case_url) as session:
        assert limiter.blocked(session, "ADMIN", "testclient")
        assert not limiter.blocked(session, "admin", "192.0.2.1")
        limiter.succeeded(session, "admin", "testclient")
        assert not limiter.blocked(session, "admin", "testclient")
        session.execute(delete(LoginFailure))


@pytest.fixture
def sqlite_app(sqlite_case_url: str) -> Iterator[FastAPI]:
    add_user(sqlite_case_url, "viewer", "viewer")
    yield create_app(sqlite_case_url)


def test_sign_in_while_sqlite_is_busy_waits_and_commits_before_answering(
    sqlite_app: FastAPI, sqlite_case_url: str
) -> None:
    """A writer holds SQLite's write lock (as an import's final transaction does); a sign-in
    waits for it instead of failing, and its token works at once."""
    blocker = create_engine(sqlite_case_url).connect()
    blocker.exec_driver_sql("BEGIN IMMEDIATE")
    released = threading.Timer(1.0, blocker.rollback)
    released.start()
    try:
        response = TestClient(sqlite_app).post(
            "/api/token", data={"username": "viewer", "password": ROLE_PASSWORD}
        )
    finally:
        released.join()
        blocker.close()
    assert response.status_code == 200, response.text
    with transaction(sqlite_case_url) as session:
        assert session.scalar(select(AuthToken.user_id)) is not None
    client = TestClient(sqlite_app)
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    assert client.get("/api/me").json()["user"] == "viewer"


def test_sign_in_while_sqlite_stays_locked_answers_busy_not_a_server_error(
    sqlite_app: FastAPI, sqlite_case_url: str
) -> None:
    """A writer that keeps the lock past the busy timeout: the sign-in answers 503 with
    Retry-After (the API) or the login page saying so, no token is issued, nothing crashes."""
    blocker = create_engine(sqlite_case_url).connect()
    blocker.exec_driver_sql("BEGIN IMMEDIATE")
    try:
        response = TestClient(sqlite_app).post(
            "/api/token", data={"username": "viewer", "password": ROLE_PASSWORD}
        )
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    with transaction(sqlite_case_url) as session:
        assert session.scalar(select(AuthToken.user_id)) is None
    again = TestClient(sqlite_app).post(
        "/api/token", data={"username": "viewer", "password": ROLE_PASSWORD}
    )
    assert again.status_code == 200


def test_names_differing_only_in_case_stop_the_upgrade_with_a_clear_error(db_url: str) -> None:
    """A case made before user names were unique regardless of case may hold 'Rami' and 'rami':
    `sijill init` names them and says what to do, instead of a raw database error."""
    engine = get_engine(db_url)
    command.upgrade(alembic_config(engine), "0002_security")
    with engine.begin() as conn:
        for name in ("Rami-demo", "rami-DEMO", "Lina-demo"):
            conn.execute(
                text(
                    "insert into users (name, role, password_hash, active, created_at) "
                    "values (:name, 'viewer', 'x', true, '2025-01-01')"
                ),
                {"name": name},
            )
    result = CliRunner().invoke(build_app(["init"]), ["init", "--db", db_url])
    assert result.exit_code == 1, result.output
    assert "differ only in case: Rami-demo, rami-DEMO;" in result.output
    assert "Traceback" not in result.output
