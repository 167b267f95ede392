"""Restricted originals sealed at rest with age: nothing in clear in the vault, and verify,
working copies and bundles still work from the plaintext's hash (both engines)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sijill.evidence.vault import original_path, sealed_path
from tests.evidence.conftest import AddItems, Cli, offline_check, verify_report


@pytest.fixture
def sealing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    key = tmp_path / "keys" / "vault.key"
    monkeypatch.setenv("SIJILL_SEAL_RESTRICTED", "1")
    monkeypatch.setenv("SIJILL_VAULT_KEY_FILE", str(key))
    return key


def test_restricted_originals_are_sealed_at_rest_and_still_verified(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    sealing: Path,
    tmp_path: Path,
) -> None:
    (photo,) = add_items(media["photo"], extra=("--access", "restricted"))
    (text,) = add_items(media["text"])  # internal: kept in clear
    sha = str(photo["sha256"])
    sealed = sealed_path(vault_env, sha)
    assert not original_path(vault_env, sha).exists() and sealed.is_file()
    assert stat.S_IMODE(sealed.stat().st_mode) == 0o400
    assert stat.S_IMODE(sealing.stat().st_mode) == 0o600
    plaintext = media["photo"].read_bytes()
    assert sealed.read_bytes().startswith(b"age-encryption.org/v1")
    assert plaintext[64:128] not in sealed.read_bytes()
    assert original_path(vault_env, str(text["sha256"])).is_file()
    # Metadata and the perceptual hash were taken before sealing.
    code, out, _ = cli("evidence", "show", str(photo["id"]), "--restricted", "--json")
    assert json.loads(out)["fixity"]["mime"] == "image/jpeg"
    assert verify_report(cli)[1]["intact"] is True
    # A working copy and a bundle hold the plaintext; the bundle verifies offline.
    code, out, _ = cli("evidence", "copy", str(photo["id"]), "--json")
    assert Path(json.loads(out)["copy"]).read_bytes() == plaintext
    out_dir = tmp_path / "sealed-bundle"
    code, _, err = cli("evidence", "bundle", str(photo["id"]), "--out", str(out_dir))
    assert code == 0, err
    bundled = out_dir / "data" / "items" / str(photo["id"]) / media["photo"].name
    assert bundled.read_bytes() == plaintext
    checked = offline_check(out_dir)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # One byte of the sealed file changed: verify fails, naming the item.
    original = sealed.read_bytes()
    os.chmod(sealed, 0o600)
    sealed.write_bytes(original[:-20] + bytes([original[-20] ^ 1]) + original[-19:])
    problems = "\n".join(verify_report(cli)[1]["problems"])  # type: ignore[arg-type]
    assert f"item {photo['id']}" in problems and "cannot" in problems
    sealed.write_bytes(original)
    assert verify_report(cli)[1]["intact"] is True
    # Without the vault key the sealed original cannot be proven: verify says so.
    sealing.rename(sealing.with_name("elsewhere.key"))
    problems = "\n".join(verify_report(cli)[1]["problems"])  # type: ignore[arg-type]
    assert f"item {photo['id']}" in problems and "no vault key" in problems
