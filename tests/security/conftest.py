"""Security tests use a key file in a temporary folder, never the working folder's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _key_file(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("SIJILL_KEY", raising=False)
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "keys" / "sijill.key"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)
