"""``sijill verify`` catches every kind of tampering and names what failed (both engines)."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete, select, update

from sijill.evidence.models import Checkpoint, CustodyEntry
from sijill.evidence.vault import original_path
from sijill.store.engine import transaction

Cli = Callable[..., tuple[int, str, str]]


def _verify(cli: Cli) -> tuple[int, dict[str, object]]:
    code, out, _ = cli("verify", "--json")
    return code, json.loads(out)


def _problems(cli: Cli) -> str:
    code, report = _verify(cli)
    assert code != 0 and report["intact"] is False
    return "\n".join(report["problems"])  # type: ignore[arg-type]


def _entry_texts(url: str) -> dict[int, str]:
    with transaction(url) as session:
        return {e.seq: e.entry for e in session.scalars(select(CustodyEntry))}


def _set_entry(url: str, seq: int, text: str) -> None:
    with transaction(url) as session:
        session.execute(update(CustodyEntry).where(CustodyEntry.seq == seq).values(entry=text))


def test_untouched_vault_verifies(
    sqlite_cli: Cli,
    sqlite_add_items: Callable[..., list[dict[str, object]]],
    media: dict[str, Path],
) -> None:
    assert _verify(sqlite_cli)[0] == 0  # an empty case is intact too
    sqlite_add_items(media["photo"], media["text"], media["blob"])
    code, report = _verify(sqlite_cli)
    assert code == 0 and report["intact"] is True
    assert report["items"] == 3 and report["entries"] == 3 and report["checkpoints"] == 1
    code, _, err = sqlite_cli("verify")
    assert code == 0 and "intact" in err


def test_every_tampering_is_detected_and_named(
    cli: Cli,
    add_items: Callable[..., list[dict[str, object]]],
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    photo, text, blob = add_items(media["photo"], media["text"], media["blob"])
    cli("evidence", "show", str(photo["id"]))  # entry 3 and a second checkpoint
    cli("evidence", "note", str(text["id"]), "--kind", "content", "--text", "synthetic")
    assert _verify(cli)[0] == 0

    # 1. One byte of a stored file changed.
    stored = original_path(vault_env, str(blob["sha256"]))
    original = stored.read_bytes()
    os.chmod(stored, stat.S_IRUSR | stat.S_IWUSR)
    stored.write_bytes(bytes([original[0] ^ 1]) + original[1:])
    problems = _problems(cli)
    assert f"item {blob['id']}" in problems and "content changed" in problems
    stored.write_bytes(original)
    assert _verify(cli)[0] == 0

    # 2. A stored file deleted.
    stored.unlink()
    problems = _problems(cli)
    assert f"item {blob['id']}" in problems and "missing" in problems
    stored.write_bytes(original)
    assert _verify(cli)[0] == 0

    # 3. A log entry edited in the database (the collector's commitment replaced).
    texts = _entry_texts(case_url)
    body = json.loads(texts[1])
    body["sha256"] = "0" * 64
    _set_entry(case_url, 1, json.dumps(body, separators=(",", ":"), sort_keys=True))
    problems = _problems(cli)
    assert "custody entry 1" in problems or "entries 0..2" in problems
    assert "no longer reproduce the signed root" in problems
    assert f"item {text['id']}: no custody entry records its collection" in problems
    _set_entry(case_url, 1, texts[1])
    assert _verify(cli)[0] == 0

    # 4. Two entries swapped (their contents exchanged between positions).
    _set_entry(case_url, 0, texts[2])
    _set_entry(case_url, 2, texts[0])
    problems = _problems(cli)
    assert "custody entry 0: records index 2" in problems
    assert "custody entry 2: records index 0" in problems
    _set_entry(case_url, 0, texts[0])
    _set_entry(case_url, 2, texts[2])
    assert _verify(cli)[0] == 0

    # 5. The log truncated (its last entries deleted).
    with transaction(case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 3))
    problems = _problems(cli)
    assert "truncated" in problems and "entries 3..4 missing" in problems


def test_truncation_with_its_checkpoints_is_caught_by_the_vault_copy(
    sqlite_cli: Cli,
    sqlite_add_items: Callable[..., list[dict[str, object]]],
    media: dict[str, Path],
    sqlite_case_url: str,
) -> None:
    (photo,) = sqlite_add_items(media["photo"])
    sqlite_cli("evidence", "show", str(photo["id"]))
    with transaction(sqlite_case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 1))
        session.execute(delete(Checkpoint).where(Checkpoint.tree_size >= 2))
    problems = _problems(sqlite_cli)
    assert "the vault's checkpoint (size 2) is not covered" in problems


def test_forged_checkpoint_signature_is_caught(
    sqlite_cli: Cli,
    sqlite_add_items: Callable[..., list[dict[str, object]]],
    media: dict[str, Path],
    sqlite_case_url: str,
) -> None:
    sqlite_add_items(media["text"])
    with transaction(sqlite_case_url) as session:
        checkpoint = session.scalars(select(Checkpoint)).one()
        head, _, signature = checkpoint.note.rpartition(" ")
        checkpoint.note = (
            head + " " + signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
        )
    problems = _problems(sqlite_cli)
    assert f"checkpoint {checkpoint.id} (size 1): signature does not verify" in problems
