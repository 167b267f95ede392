"""``sijill serve`` starts the app on the given database (uvicorn, real HTTP)."""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi import FastAPI

from sijill.web import workers
from sijill.web.app import YOUNG_COLLECTION_THRESHOLD, ready_to_serve
from sijill.web.testing import free_port

SIJILL = Path(sys.executable).with_name("sijill")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _start_serving(tmp_path: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    """``sijill serve`` on a new SQLite case, once it answers on ``port``."""
    env = dict(os.environ, SIJILL_KEY_FILE=str(tmp_path / "case.key"))
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


def _sockets_on(port: int, state: str) -> set[str]:
    """Inodes of the IPv4 TCP sockets in ``state`` (``0A`` listening, ``01`` established)
    whose local port is ``port``."""
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    fields = [line.split() for line in lines]
    return {f[9] for f in fields if int(f[1].split(":")[1], 16) == port and f[3] == state}


def _workers_of(parent: int) -> dict[int, set[str]]:
    """The child processes of ``parent``, each with the socket inodes it holds."""
    found: dict[int, set[str]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != parent:
                continue
            pid = int(stat.parent.name)
            links = [os.readlink(fd) for fd in (stat.parent / "fd").iterdir()]
        except (OSError, ValueError):
            continue  # gone meanwhile
        found[pid] = {link[8:-1] for link in links if link.startswith("socket:[")}
    return found


def _listening_workers(parent: int, port: int) -> dict[int, set[str]]:
    listening = _sockets_on(port, "0A")
    return {pid: held & listening for pid, held in _workers_of(parent).items() if held & listening}


@pytest.mark.skipif(not workers.balanced(), reason="SO_REUSEPORT balancing is Linux's")
def test_serve_workers_each_accept_on_a_socket_of_their_own(tmp_path: Path) -> None:
    """Two workers, each listening on its own socket: 40 connections opened together are spread
    over both (by the kernel's hash: fewer than 8 on one worker has odds of about 1 in 10^5);
    a worker killed is replaced; SIGTERM stops them all."""
    port = free_port()
    server = _start_serving(tmp_path, port, "--workers", "2")
    try:
        deadline = time.monotonic() + 30
        while len(listening := _listening_workers(server.pid, port)) < 2:
            assert time.monotonic() < deadline, listening
            time.sleep(0.2)
        listening_since = time.monotonic()
        assert all(len(held) == 1 for held in listening.values())
        assert len(set.union(*listening.values())) == 2  # two sockets, one each

        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
        try:
            for client in clients:
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            for client in clients:
                assert client.recv(4096).startswith(b"HTTP/1.1 200")
            established = _sockets_on(port, "01")
            per_worker = {
                pid: len(held & established) for pid, held in _workers_of(server.pid).items()
            }
            assert sorted(per_worker[pid] for pid in listening) >= [8, 8], per_worker
            assert sum(per_worker.values()) == 40
        finally:
            for client in clients:
                client.close()

        # A worker that dies younger than MIN_LIFETIME stops the server instead (a failed start).
        time.sleep(max(0.0, listening_since + workers.MIN_LIFETIME + 0.5 - time.monotonic()))
        killed = next(iter(listening))
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:
            now = _listening_workers(server.pid, port)
            if len(now) == 2 and killed not in now:
                break
            assert time.monotonic() < deadline, now
            time.sleep(0.2)
        assert _get(f"http://127.0.0.1:{port}/healthz")[0] == 200

        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0
        assert not _workers_of(server.pid)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_serve_workers_stops_when_a_worker_cannot_start(tmp_path: Path) -> None:
    """A worker that exits at once (here: a TLS certificate that does not exist) is not
    restarted over and over: serving stops with a failure code."""
    options = {"ssl_certfile": str(tmp_path / "missing.pem"), "log_level": "critical"}
    assert workers.serve_workers("127.0.0.1", free_port(), 2, options) != 0


def test_ready_to_serve_keeps_startup_objects_out_of_collections() -> None:
    app = FastAPI()
    thresholds = gc.get_threshold()
    try:
        assert ready_to_serve(app) is app
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG_COLLECTION_THRESHOLD
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)
