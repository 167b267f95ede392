"""Ed25519 (pure-Python verification against RFC 8032 and ``cryptography``) and signed notes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sijill.evidence.signing import (
    checkpoint_text,
    load_signing_key,
    log_origin,
    public_bytes,
    sign_note,
    verifier_key,
)
from sijill.evidence.verify_bundle import (
    ed25519_verify,
    open_note,
    parse_checkpoint,
    parse_verifier_key,
)

# RFC 8032 section 7.1, TEST 1 and TEST 2.
RFC8032 = [
    (
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555"
        "fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
]


@pytest.mark.parametrize(("secret", "public", "message", "signature"), RFC8032)
def test_rfc8032_vectors(secret: str, public: str, message: str, signature: str) -> None:
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret))
    assert public_bytes(key).hex() == public
    assert key.sign(bytes.fromhex(message)).hex() == signature
    assert ed25519_verify(bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature))
    bad = bytearray(bytes.fromhex(signature))
    bad[5] ^= 1
    assert not ed25519_verify(bytes.fromhex(public), bytes.fromhex(message), bytes(bad))
    assert not ed25519_verify(bytes.fromhex(public), b"other message", bytes.fromhex(signature))


def test_pure_python_agrees_with_cryptography() -> None:
    for _ in range(5):
        key = Ed25519PrivateKey.generate()
        message = os.urandom(50)
        assert ed25519_verify(public_bytes(key), message, key.sign(message))
        other = Ed25519PrivateKey.generate()
        assert not ed25519_verify(public_bytes(other), message, key.sign(message))


def test_signing_key_file_created_private(vault_env: Path) -> None:
    key = load_signing_key()
    path = Path(os.environ["SIJILL_SIGNING_KEY_FILE"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert public_bytes(load_signing_key(create=False)) == public_bytes(key)


def test_checkpoint_note_round_trip() -> None:
    key = Ed25519PrivateKey.generate()
    public = public_bytes(key)
    origin = log_origin(public)
    note = sign_note(checkpoint_text(origin, 8, bytes(32)), key)
    lines = note.split("\n")
    assert lines[:3] == [origin, "8", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="]
    assert lines[3] == "" and lines[4].startswith("\u2014 " + origin + " ")
    name, parsed = parse_verifier_key(verifier_key(public))
    assert (name, parsed) == (origin, public)
    text = open_note(note, name, parsed)
    assert text is not None and parse_checkpoint(text) == (origin, 8, bytes(32))
    assert open_note(note.replace("\n8\n", "\n9\n"), name, parsed) is None
    other = Ed25519PrivateKey.generate()
    assert open_note(note, name, public_bytes(other)) is None
