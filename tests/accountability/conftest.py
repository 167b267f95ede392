"""A session key for the web tests (nothing is read from the environment of the machine)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "unused.key"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)
