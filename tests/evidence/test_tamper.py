"""``sijill verify`` catches every kind of tampering and names what failed (both engines)."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select, update

from sijill.evidence.custody import canonical, checkpoint_copy_path, witness_path
from sijill.evidence.models import (
    Checkpoint,
    CustodyEntry,
    EvidenceItem,
    EvidenceLink,
    NearDuplicate,
    PerceptualHash,
)
from sijill.evidence.vault import original_path
from sijill.store.engine import transaction
from tests.evidence.conftest import AddItems, Cli, hold_link_targets, verify_report


def _problems(cli: Cli) -> str:
    code, report = verify_report(cli)
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
    sqlite_add_items: AddItems,
    media: dict[str, Path],
) -> None:
    assert verify_report(sqlite_cli)[0] == 0  # an empty case is intact too
    sqlite_add_items(media["photo"], media["text"], media["blob"])
    code, report = verify_report(sqlite_cli)
    assert code == 0 and report["intact"] is True
    assert report["items"] == 3 and report["entries"] == 3 and report["checkpoints"] == 1
    code, _, err = sqlite_cli("verify")
    assert code == 0 and "intact" in err


def test_every_tampering_is_detected_and_named(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    hold_link_targets(case_url)
    photo, text, blob = add_items(media["photo"], media["text"], media["blob"])
    cli("evidence", "show", str(photo["id"]))  # a view: read log only, the custody log stays
    cli("evidence", "note", str(text["id"]), "--kind", "content", "--text", "synthetic")
    cli("evidence", "link", str(photo["id"]), "incident", "i-fictional-1")  # entries 3 and 4
    assert verify_report(cli)[0] == 0

    # 1. One byte of a stored file changed.
    stored = original_path(vault_env, str(blob["sha256"]))
    original = stored.read_bytes()
    os.chmod(stored, stat.S_IRUSR | stat.S_IWUSR)
    stored.write_bytes(bytes([original[0] ^ 1]) + original[1:])
    problems = _problems(cli)
    assert f"item {blob['id']}" in problems and "content changed" in problems
    stored.write_bytes(original)
    assert verify_report(cli)[0] == 0

    # 2. A stored file deleted.
    stored.unlink()
    problems = _problems(cli)
    assert f"item {blob['id']}" in problems and "missing" in problems
    stored.write_bytes(original)
    assert verify_report(cli)[0] == 0

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
    assert verify_report(cli)[0] == 0

    # 4. Two entries swapped (their contents exchanged between positions).
    _set_entry(case_url, 0, texts[2])
    _set_entry(case_url, 2, texts[0])
    problems = _problems(cli)
    assert "custody entry 0: records index 2" in problems
    assert "custody entry 2: records index 0" in problems
    _set_entry(case_url, 0, texts[0])
    _set_entry(case_url, 2, texts[2])
    assert verify_report(cli)[0] == 0

    # 5. The log truncated (its last entries deleted).
    with transaction(case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 3))
    problems = _problems(cli)
    assert "truncated" in problems and "entries 3..4 missing" in problems


def test_truncation_with_its_checkpoints_is_caught_by_the_vault_copy(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    sqlite_case_url: str,
) -> None:
    hold_link_targets(sqlite_case_url)
    (photo,) = sqlite_add_items(media["photo"])
    sqlite_cli("evidence", "link", str(photo["id"]), "incident", "i-fictional-1")
    with transaction(sqlite_case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 1))
        session.execute(delete(Checkpoint).where(Checkpoint.tree_size >= 2))
    problems = _problems(sqlite_cli)
    assert "the vault's copy: kept checkpoint of size 2 is newer" in problems


def test_forged_checkpoint_signature_is_caught(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
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


def _delete_item(url: str, item_id: str) -> None:
    """Remove an item's rows (its perceptual hashes, candidate pairs, links and the item)."""
    with transaction(url) as session:
        session.execute(delete(PerceptualHash).where(PerceptualHash.item_id == item_id))
        session.execute(
            delete(NearDuplicate).where(
                (NearDuplicate.item_a == item_id) | (NearDuplicate.item_b == item_id)
            )
        )
        session.execute(delete(EvidenceLink).where(EvidenceLink.item_id == item_id))
        session.execute(delete(EvidenceItem).where(EvidenceItem.id == item_id))


def test_deleting_an_item_and_its_file_failsverify_report(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    photo, text = add_items(media["photo"], media["text"])
    _delete_item(case_url, str(text["id"]))
    problems = _problems(cli)
    assert f"item {text['id']}: taken in by custody entry 1 but missing from the database" in (
        problems
    )
    assert "its file is gone" not in problems
    original_path(vault_env, str(text["sha256"])).unlink()
    problems = _problems(cli)
    assert "missing from the database and its file is gone from the vault" in problems
    assert str(photo["id"]) not in problems


def test_stray_file_in_the_vault_is_reported(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
) -> None:
    sqlite_add_items(media["text"])
    stray = original_path(vault_env, "ab" * 32)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"planted, fictional\n")
    problems = _problems(sqlite_cli)
    assert f"{stray}: stray file in the vault" in problems
    stray.unlink()
    assert verify_report(sqlite_cli)[0] == 0


def test_editing_committed_metadata_failsverify_report(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    case_url: str,
) -> None:
    (item,) = add_items(
        media["text"], extra=("--url", "https://t.me/fictional_channel/7", "--access", "restricted")
    )
    item_id = str(item["id"])
    cli(
        "evidence",
        "note",
        item_id,
        "--kind",
        "content",
        "--text",
        "synthetic",
        "--status",
        "disputed",
    )
    assert verify_report(cli)[0] == 0
    edits = {
        "access": "public",
        "url": "https://t.me/fictional_channel/8",
        "collected_at": datetime(2020, 1, 1),
        "original_name": "other-name.txt",
        "consent_scope": "published",
        "verification_status": "verified",
        "verification": {},
    }
    for column, value in edits.items():
        with transaction(case_url) as session:
            before = getattr(session.get(EvidenceItem, item_id), column)
            session.execute(
                update(EvidenceItem).where(EvidenceItem.id == item_id).values({column: value})
            )
        problems = _problems(cli)
        assert f"item {item_id}: its " in problems and "(edited)" in problems, column
        with transaction(case_url) as session:
            session.execute(
                update(EvidenceItem).where(EvidenceItem.id == item_id).values({column: before})
            )
        assert verify_report(cli)[0] == 0, column


def _checkpoint_note(cli: Cli) -> str:
    code, out, _ = cli("evidence", "checkpoint", "--json")
    assert code == 0
    return str(json.loads(out)["note"])


def test_rollback_with_an_older_signed_checkpoint_is_caught_by_the_witness(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    sqlite_case_url: str,
) -> None:
    hold_link_targets(sqlite_case_url)
    (photo,) = sqlite_add_items(media["photo"])
    older = _checkpoint_note(sqlite_cli)  # size 1
    sqlite_cli("evidence", "link", str(photo["id"]), "incident", "i-fictional-1")
    sqlite_cli("evidence", "link", str(photo["id"]), "unit", "u-fictional-2")
    assert verify_report(sqlite_cli)[0] == 0
    witness = witness_path()
    assert witness.read_text("utf-8") == _checkpoint_note(sqlite_cli)  # size 3
    # Roll the database back to size 1 and put the older signed note in the vault's copy.
    with transaction(sqlite_case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 1))
        session.execute(delete(Checkpoint).where(Checkpoint.tree_size >= 2))
        session.execute(delete(EvidenceLink))
    checkpoint_copy_path(vault_env).write_text(older, encoding="utf-8")
    problems = _problems(sqlite_cli)
    assert f"{witness}: the witness: kept checkpoint of size 3 is newer" in problems
    assert "rolled back" in problems
    assert "the vault's copy" not in problems  # the copy alone would not have caught it


def test_verify_proves_the_log_extends_a_kept_checkpoint(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    tmp_path: Path,
    case_url: str,
) -> None:
    hold_link_targets(case_url)
    (photo, _text) = add_items(media["photo"], media["text"])
    kept = tmp_path / "kept-checkpoint.txt"
    kept.write_text(_checkpoint_note(cli), encoding="utf-8")  # size 2, sent to a partner
    cli("evidence", "link", str(photo["id"]), "incident", "i-fictional-1")
    assert cli("verify", "--checkpoint", str(kept))[0] == 0
    # An entry the kept checkpoint covers is rewritten and every checkpoint re-signed is not
    # possible without the key; rewriting it alone breaks the proof from the kept checkpoint.
    texts = _entry_texts(case_url)
    body = json.loads(texts[0])
    body["tool"] = "sijill 0 (rewritten)"
    _set_entry(case_url, 0, canonical(body))
    code, out, _ = cli("verify", "--checkpoint", str(kept), "--json")
    assert code != 0
    problems = "\n".join(json.loads(out)["problems"])
    assert "no longer reproduce the signed root" in problems
    _set_entry(case_url, 0, texts[0])
    # A kept checkpoint beyond what the database holds: the log was rolled back.
    with transaction(case_url) as session:
        session.execute(delete(CustodyEntry).where(CustodyEntry.seq >= 1))
        session.execute(delete(Checkpoint).where(Checkpoint.tree_size >= 2))
    code, out, _ = cli("verify", "--checkpoint", str(kept), "--json")
    problems = "\n".join(json.loads(out)["problems"])
    assert code != 0 and f"{kept}: kept checkpoint of size 2 is newer" in problems
    # A kept file whose signature does not verify.
    kept.write_text(kept.read_text("utf-8").replace("\n2\n", "\n1\n", 1), encoding="utf-8")
    code, out, _ = cli("verify", "--checkpoint", str(kept), "--json")
    assert f"{kept}: signature does not verify" in "\n".join(json.loads(out)["problems"])


def test_logged_signed_removal_verifies_and_unlogged_deletion_still_fails(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    hold_link_targets(case_url)
    photo, resized, text = add_items(media["photo"], media["resized"], media["text"])
    cli("evidence", "link", str(resized["id"]), "incident", "i-fictional-1")
    cli("evidence", "copy", str(resized["id"]))
    why = "consent withdrawn by the family (fictional)"
    code, _, err = cli("evidence", "remove", str(resized["id"]), "--why", " ")
    assert code != 0 and "say why" in err
    code, out, err = cli("evidence", "remove", str(resized["id"]), "--why", why, "--json")
    assert code == 0, err
    assert json.loads(out) == {"item": resized["id"], "sha256": resized["sha256"], "removed": True}
    # Its rows, its near-duplicate pair with the photo, its file and working copy are gone.
    assert original_path(vault_env, str(resized["sha256"])).exists() is False
    assert not (vault_env / "working" / str(resized["id"])).exists()
    with transaction(case_url) as session:
        assert session.get(EvidenceItem, resized["id"]) is None
        assert session.scalars(select(NearDuplicate)).all() == []
        last = session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq.desc())).first()
        assert last is not None and (last.event, last.item_id) == ("removed", resized["id"])
        assert why not in last.entry  # committed, its opening sealed
        newest = session.scalars(select(Checkpoint).order_by(Checkpoint.tree_size.desc())).first()
        assert newest is not None and newest.tree_size == last.seq + 1  # signed
    assert witness_path().read_text("utf-8") == newest.note
    code, report = verify_report(cli)
    assert code == 0, report["problems"]
    assert report["items"] == 2
    # An unlogged deletion beside the logged one still fails, naming only that item.
    _delete_item(case_url, str(text["id"]))
    original_path(vault_env, str(text["sha256"])).unlink()
    problems = _problems(cli)
    assert f"item {text['id']}: taken in by custody entry" in problems
    assert str(resized["id"]) not in problems and str(photo["id"]) not in problems


def test_a_removed_item_put_back_in_the_database_fails_verify(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    sqlite_case_url: str,
) -> None:
    (text,) = sqlite_add_items(media["text"])
    with transaction(sqlite_case_url) as session:
        row = session.get(EvidenceItem, text["id"])
        assert row is not None
        saved = {c.key: getattr(row, c.key) for c in EvidenceItem.__table__.columns}
    code, _, err = sqlite_cli("evidence", "remove", str(text["id"]), "--why", "duplicate upload")
    assert code == 0 and "removed" in err
    with transaction(sqlite_case_url) as session:
        session.add(EvidenceItem(**saved))
    problems = _problems(sqlite_cli)
    assert f"item {text['id']}: custody entry 1 records its removal" in problems
