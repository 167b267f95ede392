"""``sijill serve`` starts the app on the given database (uvicorn, real HTTP)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import httpx

from sijill.web.testing import ROLE_PASSWORD, add_user, csrf_of, free_port

SIJILL = Path(sys.executable).with_name("sijill")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _start_serving(
    tmp_path: Path, port: int, *extra: str, database: str | None = None
) -> subprocess.Popen[bytes]:
    """``sijill serve`` on ``database`` (default: a new SQLite case in ``tmp_path``, with a
    key file of its own), once it answers on ``port``."""
    env = dict(os.environ, SIJILL_KEY_FILE=str(tmp_path / "case.key"))
    if database is None:
        env.pop("SIJILL_KEY", None)
        database = f"sqlite:///{tmp_path / 'case.db'}"
    server = subprocess.Popen(
        [str(SIJILL), "serve", "--port", str(port), "--db", database, *extra],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
            return server
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.3)


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    server = _start_serving(tmp_path, port)
    try:
        status, body = _get(f"http://127.0.0.1:{port}/healthz")
        assert (status, json.loads(body)) == (200, {"ok": True})
        status, body = _get(f"http://127.0.0.1:{port}/api/records")
        assert status == 401 and json.loads(body) == {"detail": "Not authenticated"}
        status, body = _get(f"http://127.0.0.1:{port}/login")
        assert status == 200 and 'name="password"' in body
        assert (tmp_path / "case.key").stat().st_mode & 0o077 == 0  # key file is private
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_with_two_workers_answers(tmp_path: Path) -> None:
    """``--workers 2`` is uvicorn's own multi-process mode: every worker builds the app."""
    port = free_port()
    server = _start_serving(tmp_path, port, "--workers", "2")
    try:
        for _ in range(10):
            assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200
            assert _get(f"http://127.0.0.1:{port}/api/records")[0] == 401
    finally:
        server.terminate()
        assert server.wait(timeout=30) == 0


def test_revoking_takes_effect_at_once_in_every_process(web_url: str, tmp_path: Path) -> None:
    """Two servers on one case: a session signed out on one, and a user disabled from the
    command line, are refused by the other from the very next request."""
    add_user(web_url, "revocable", "analyst")
    ports = free_port(), free_port()
    servers = [_start_serving(tmp_path, port, database=web_url) for port in ports]
    one, other = (httpx.Client(base_url=f"http://127.0.0.1:{port}") for port in ports)
    try:
        login = {"username": "revocable", "password": ROLE_PASSWORD}
        form = one.get("/login").text
        assert one.post("/login", data={**login, "csrf_token": csrf_of(form)}).status_code == 303
        other.cookies = one.cookies  # a copy: the same browser session, sent to either process
        token = other.post("/api/token", data=login).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        for client in (one, other):
            for _ in range(3):
                assert client.get("/api/persons?limit=1").status_code == 200
                assert client.get("/api/persons?limit=1", headers=bearer).status_code == 200

        signed_out = one.post("/logout", data={"csrf_token": csrf_of(one.get("/").text)})
        assert signed_out.status_code == 303
        assert other.get("/api/persons?limit=1").status_code == 401
        assert other.get("/persons").status_code == 303  # to the login page
        assert other.get("/api/persons?limit=1", headers=bearer).status_code == 200

        disabled = subprocess.run(
            [str(SIJILL), "users", "disable", "revocable", "--db", web_url],
            capture_output=True,
            text=True,
        )
        assert disabled.returncode == 0, disabled.stderr
        for client in (one, other):
            assert client.get("/api/persons?limit=1", headers=bearer).status_code == 401
    finally:
        one.close()
        other.close()
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
