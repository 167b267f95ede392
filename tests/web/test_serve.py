"""``sijill serve`` starts the app on the given database (uvicorn, real HTTP)."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from fastapi import FastAPI

from sijill.web.app import YOUNG_COLLECTION_THRESHOLD, ready_to_serve
from sijill.web.testing import free_port

SIJILL = Path(sys.executable).with_name("sijill")


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_serve_answers_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    env = dict(os.environ, SIJILL_KEY_FILE=str(tmp_path / "case.key"))
    env.pop("SIJILL_KEY", None)
    server = subprocess.Popen(
        [str(SIJILL), "serve", "--port", str(port), "--db", f"sqlite:///{tmp_path / 'case.db'}"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = _get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.3)
        assert (status, json.loads(body)) == (200, {"ok": True})
        status, body = _get(f"http://127.0.0.1:{port}/api/records")
        assert status == 401 and json.loads(body) == {"detail": "Not authenticated"}
        status, body = _get(f"http://127.0.0.1:{port}/login")
        assert status == 200 and 'name="password"' in body
        assert (tmp_path / "case.key").stat().st_mode & 0o077 == 0  # key file is private
    finally:
        server.terminate()
        server.wait(timeout=20)


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
