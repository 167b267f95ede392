#!/usr/bin/env python3
"""Check a Sijill evidence bundle offline, with nothing but the Python standard library.

Usage: ``python3 verify_bundle.py [BUNDLE_DIR]`` (default: the folder this script is in).

It checks, and names everything that fails:

1. the BagIt manifests: every payload file is present, unaltered and listed (RFC 8493);
2. the checkpoint: a C2SP signed note whose Ed25519 signature verifies under the public key in
   ``data/log/public-key.txt`` (pure-Python RFC 8032 verification below);
3. every custody entry: its RFC 6962/9162 leaf hash and its inclusion proof up to the signed
   root;
4. every file: its SHA-256 equals the one in its item's metadata and in the custody entry that
   recorded its collection.

Exit status 0 means the bundle is intact; 1 means something failed (each failure is printed).
Compare the public key's fingerprint with the one the sender gave you through another channel.

This file is also the reference verification code inside Sijill (``sijill.evidence.merkle`` and
``sijill.evidence.verify`` use its functions), so the offline check and Sijill's own agree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

# --- RFC 6962 / RFC 9162 Merkle tree hashing and proof verification ----------------------------

HASH_SIZE = 32


def leaf_hash(entry: bytes) -> bytes:
    """The hash of one log entry: SHA-256(0x00 || entry)."""
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes | None:
    """The root an inclusion proof leads to (RFC 9162 2.1.3.2), or None if it is malformed."""
    if index >= size or len(leaf) != HASH_SIZE:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0 or len(p) != HASH_SIZE:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


def verify_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes], root: bytes) -> bool:
    """True when ``proof`` shows leaf ``index`` in the tree of ``size`` leaves with ``root``."""
    return root_from_inclusion(index, size, leaf, proof) == root


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: list[bytes]
) -> bool:
    """True when ``proof`` shows (size1, root1) is a prefix of (size2, root2) (RFC 9162 2.1.4.2)."""
    if size1 > size2 or any(len(p) != HASH_SIZE for p in proof):
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if size1 == 0:
        return not proof
    if not proof:
        return False
    if size1 & (size1 - 1) == 0:
        proof = [root1, *proof]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == root1 and sr == root2


# --- Ed25519 verification (RFC 8032 section 6, reference arithmetic) ---------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _recover_x(y: int, sign: int) -> int | None:
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 % _P == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0) or 0
_G = (_GX, _GY, 1, _GX * _GY % _P)
_Point = tuple[int, int, int, int]


def _add(p: _Point, q: _Point) -> _Point:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s: int, p: _Point) -> _Point:
    q: _Point = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q


def _equal(p: _Point, q: _Point) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _decompress(s: bytes) -> _Point | None:
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """RFC 8032 Ed25519 signature verification in pure Python."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decompress(public_key)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little")
    return _equal(_mul(s, _G), _add(r, _mul(h % _L, a)))


# --- C2SP signed notes and checkpoints -----------------------------------------------------------

SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space open every signature line
ED25519_ALG = 0x01


def note_key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key id of a signed-note Ed25519 key: SHA-256(name || 0x0A || 0x01 || key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519_ALG]) + public_key).digest()[:4]


def parse_verifier_key(vkey: str) -> tuple[str, bytes]:
    """Read a note verifier key ``<name>+<hex key id>+<base64(0x01 || key)>``: (name, key)."""
    name, key_hex, blob_b64 = vkey.strip().split("+", 2)
    blob = base64.b64decode(blob_b64)
    if blob[0] != ED25519_ALG or len(blob) != 33:
        raise ValueError("not an Ed25519 verifier key")
    if note_key_id(name, blob[1:]).hex() != key_hex:
        raise ValueError("verifier key id does not match its key")
    return name, blob[1:]


def open_note(note: str, name: str, public_key: bytes) -> str | None:
    """The note's text if one of its signatures is by (name, key) and verifies, else None."""
    text, sep, signatures = note.rpartition("\n\n")
    if not sep:
        return None
    text += "\n"
    wanted = note_key_id(name, public_key)
    for line in signatures.splitlines():
        if not line.startswith(SIGNATURE_PREFIX):
            continue
        signer, _, blob_b64 = line[len(SIGNATURE_PREFIX) :].rpartition(" ")
        try:
            blob = base64.b64decode(blob_b64, validate=True)
        except ValueError:
            continue
        if signer == name and blob[:4] == wanted:
            if ed25519_verify(public_key, text.encode(), blob[4:]):
                return text
    return None


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    """(origin, tree size, root hash) from a checkpoint's note text."""
    lines = text.split("\n")
    if len(lines) < 4:
        raise ValueError("a checkpoint has an origin, a size and a root hash")
    return lines[0], int(lines[1]), base64.b64decode(lines[2])


# --- The bundle ----------------------------------------------------------------------------------


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def check_bag(root: Path) -> list[str]:
    """Problems with the BagIt manifests (missing, altered or unlisted files)."""
    problems: list[str] = []
    manifests = sorted(root.glob("manifest-*.txt"))
    if not (root / "bagit.txt").is_file() or not manifests:
        return [f"{root}: not a BagIt bag (bagit.txt or manifest missing)"]
    listed: set[str] = set()
    for manifest in manifests + sorted(root.glob("tagmanifest-*.txt")):
        algorithm = manifest.stem.split("-", 1)[1]
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            digest, _, rel = line.partition(" ")
            rel = rel.strip()
            listed.add(rel)
            path = root / rel
            if not path.is_file():
                problems.append(f"{rel}: listed in {manifest.name} but missing")
                continue
            h = hashlib.new(algorithm)
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    h.update(chunk)
            if h.hexdigest() != digest.lower():
                problems.append(f"{rel}: checksum differs from {manifest.name}")
    for path in sorted((root / "data").rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and rel not in listed:
            problems.append(f"{rel}: present in the payload but not in the manifest")
    return problems


def check_log(root: Path) -> list[str]:
    """Problems with the checkpoint, the custody entries, their proofs and the files."""
    log = root / "data" / "log"
    try:
        name, key = parse_verifier_key((log / "public-key.txt").read_text(encoding="utf-8"))
        note = (log / "checkpoint.txt").read_text(encoding="utf-8")
        proofs = json.loads((log / "proofs.json").read_text(encoding="utf-8"))
        lines = (log / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        return [f"data/log: cannot read the key, checkpoint, proofs or entries ({exc})"]
    text = open_note(note, name, key)
    if text is None:
        return ["data/log/checkpoint.txt: signature does not verify under public-key.txt"]
    _origin, size, root_hash = parse_checkpoint(text)
    problems: list[str] = []
    collected: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        try:
            record = json.loads(line)
            index, raw = int(record["index"]), base64.b64decode(record["entry_b64"])
            proof = [bytes.fromhex(h) for h in proofs.get(str(index), [])]
            body = json.loads(raw)
        except (ValueError, KeyError, TypeError):
            problems.append(f"data/log/entries.jsonl line {number}: not a readable entry")
            continue
        if not verify_inclusion(index, size, leaf_hash(raw), proof, root_hash):
            problems.append(f"custody entry {index}: not included in the signed checkpoint")
        elif body.get("event") == "collected":
            collected[body["item"]] = body["sha256"]
    return problems + _check_items(root, collected)


def _check_items(root: Path, collected: dict[str, str]) -> list[str]:
    problems: list[str] = []
    for meta_path in sorted((root / "data" / "items").glob("*/metadata.json")):
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            item_id, sha = meta["id"], meta["fixity"]["sha256"]
        except (ValueError, KeyError, TypeError):
            problems.append(f"{meta_path.relative_to(root)}: not readable item metadata")
            continue
        files = [p for p in meta_path.parent.iterdir() if p.name != "metadata.json"]
        if len(files) != 1:
            problems.append(f"item {item_id}: expected one file beside its metadata")
            continue
        if _file_sha256(files[0]) != sha:
            problems.append(f"item {item_id}: file {files[0].name} does not match its SHA-256")
        if collected.get(item_id) != sha:
            problems.append(f"item {item_id}: no signed custody entry records its collection")
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    problems = check_bag(root) + check_log(root)
    key_file = root / "data" / "log" / "public-key.txt"
    if key_file.is_file():
        print(f"log key: {key_file.read_text(encoding='utf-8').strip()}")
    for problem in problems:
        print(f"FAIL {problem}")
    if problems:
        print(f"{len(problems)} problem(s): the bundle is NOT intact")
        return 1
    print("OK: manifests, checkpoint signature, custody proofs and file hashes all verify")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
