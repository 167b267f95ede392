"""``sijill evidence ...`` end to end on both engines: intake, show, links, notes, copies,
near-duplicates awaiting a person's decision, checkpoints."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, make_url, select

from sijill.evidence import custody
from sijill.evidence.models import Checkpoint, CustodyEntry, EvidenceItem
from sijill.evidence.vault import original_path
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry
from tests.evidence.conftest import AddItems, Cli, hold_link_targets


def test_add_json_output_and_item_record(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    added = add_items(
        media["photo"],
        media["text"],
        extra=(
            "--url",
            "https://x.com/FictionalAcct/status/99?utm_source=t",
            "--access",
            "restricted",
            "--persona",
            "persona-fictional",
            "--graphic",
        ),
    )
    assert [a["path"] for a in added] == [str(media["photo"]), str(media["text"])]
    assert all(set(a) >= {"path", "sha256", "id"} for a in added)
    for a in added:
        path = original_path(vault_env, str(a["sha256"]))
        assert path.is_file() and stat.S_IMODE(path.stat().st_mode) == 0o400
    with transaction(case_url) as session:
        item = session.get(EvidenceItem, added[0]["id"])
        assert item is not None
        assert (item.mime, item.platform, item.post_id, item.account) == (
            "image/jpeg",
            "x",
            "99",
            "FictionalAcct",
        )
        assert item.url_normalized == "https://x.com/FictionalAcct/status/99"
        assert item.access == "restricted" and item.graphic
        entries = list(session.scalars(select(CustodyEntry).order_by(CustodyEntry.seq)))
    assert [e.event for e in entries] == ["collected", "collected"]
    for entry in entries:
        assert "Investigator Q" not in entry.entry and "persona-fictional" not in entry.entry
        assert "FictionalAcct" not in entry.entry
        # The commitment opens with the sealed nonce: selective disclosure to a court.
        opening = custody.read_openings(entry)["actor"]
        actor = json.loads(entry.entry)["actor"]
        assert opening["value"] == "Investigator Q (fictional)"
        assert custody.opens(actor, opening["nonce"], opening["value"])
        assert not custody.opens(actor, opening["nonce"], "Someone else")


def test_show_hides_restricted_fields_unless_asked(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
) -> None:
    (item,) = sqlite_add_items(media["photo"], extra=("--persona", "persona-fictional"))
    code, out, _ = sqlite_cli("evidence", "show", str(item["id"]), "--json")
    assert code == 0
    view = json.loads(out)
    assert view["fixity"]["sha256"] == item["sha256"]
    assert "collector" not in view["collection"] and "restricted" not in view["metadata"]
    assert [e["event"] for e in view["custody"]] == ["collected"]
    code, out, _ = sqlite_cli("evidence", "show", str(item["id"])[:8], "--restricted", "--json")
    view = json.loads(out)
    assert view["collection"]["collector"] == "Investigator Q (fictional)"
    assert view["collection"]["persona"] == "persona-fictional"


def test_link_note_copy_and_list(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    case_url: str,
) -> None:
    hold_link_targets(case_url)
    (item,) = add_items(media["photo"])
    item_id = str(item["id"])
    assert cli("evidence", "link", item_id, "incident", "i-fictional-1")[0] == 0
    assert cli("evidence", "link", item_id, "unit", "u-fictional-72")[0] == 0
    code, _, err = cli("evidence", "link", item_id, "planet", "x")
    assert code != 0 and "a link goes to one of incident, person, unit, source" in err
    code, out, _ = cli(
        "evidence",
        "note",
        item_id,
        "--kind",
        "geolocation",
        "--text",
        "Skyline matches the fictional village of Qarya (synthetic)",
        "--status",
        "verified",
        "--json",
    )
    assert code == 0 and json.loads(out)["status"] == "verified"
    code, out, _ = cli("evidence", "copy", item_id, "--json")
    copy = Path(json.loads(out)["copy"])
    assert copy.read_bytes() == media["photo"].read_bytes()
    assert copy.is_relative_to(vault_env / "working")
    code, out, _ = cli("evidence", "show", item_id, "--json")
    view = json.loads(out)
    assert {(link["kind"], link["id"]) for link in view["links"]} == {
        ("incident", "1"),  # stored under its number, as the web stores it
        ("unit", "u-fictional-72"),
    }
    assert view["verification"]["status"] == "verified"
    assert view["verification"]["geolocation"][0]["note"].startswith("Skyline")
    assert [e["event"] for e in view["custody"]] == [
        "collected",
        "linked",
        "linked",
        "analysed",
        "copied",
    ]
    code, out, _ = cli("evidence", "list", "--json")
    assert [row["id"] for row in json.loads(out)] == [item_id]


def test_a_link_to_what_the_case_does_not_hold_is_refused_naming_close_matches(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    sqlite_case_url: str,
) -> None:
    """``sijill evidence link`` checks its target as the web does (``evidence/targets.py``):
    an unknown incident, unit, person or source is refused, exit 1, naming the close matches,
    and nothing is linked; the same link twice is refused; a source is named by its name."""
    hold_link_targets(sqlite_case_url)
    (item,) = sqlite_add_items(media["photo"])
    item_id = str(item["id"])
    for kind, target, said in (
        ("incident", "i-fictional-11", "close matches: 'i-fictional-1'"),
        ("unit", "u-fictional-27", "'u-fictional-72'"),
        ("person", "p-nobody-fictional", "no person with id 'p-nobody-fictional'"),
        (
            "source",
            "Fictional Documentation Grup",
            "close matches: 'Fictional Documentation Group'",
        ),
    ):
        code, out, err = sqlite_cli("evidence", "link", item_id, kind, target)
        assert (code, out) == (1, ""), (kind, err)
        assert said in err and "Traceback" not in err, err
    assert (
        sqlite_cli("evidence", "link", item_id, "source", "Fictional Documentation Group")[0] == 0
    )
    code, _, err = sqlite_cli("evidence", "link", item_id, "unit", "u-fictional-72", "--json")
    assert code == 0, err
    code, _, err = sqlite_cli("evidence", "link", item_id, "unit", "u-fictional-72")
    assert code == 1 and "already linked to this unit" in err
    code, out, _ = sqlite_cli("evidence", "show", item_id, "--json")
    view = json.loads(out)
    assert {(link["kind"], link["id"]) for link in view["links"]} == {
        ("source", "Fictional Documentation Group"),
        ("unit", "u-fictional-72"),
    }
    assert [e["event"] for e in view["custody"]] == ["collected", "linked", "linked"]


def test_derived_item_names_its_parent(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
) -> None:
    (parent,) = sqlite_add_items(media["photo"])
    (child,) = sqlite_add_items(
        media["resized"], extra=("--parent", str(parent["id"]), "--relation", "transcoded")
    )
    code, out, _ = sqlite_cli("evidence", "show", str(parent["id"]), "--json")
    assert json.loads(out)["derived"] == [child["id"]]
    code, _, err = sqlite_cli(
        "evidence",
        "add",
        str(media["text"]),
        "--source",
        "S",
        "--collector",
        "C",
        "--parent",
        str(parent["id"]),
        "--relation",
        "melted",
    )
    assert code != 0 and "relation must be one of" in err


def test_near_duplicates_wait_for_a_person(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    case_url: str,
) -> None:
    photo, other, gif = add_items(media["photo"], media["other"], media["gif"])
    (resized,) = add_items(media["resized"])
    assert [d["id"] for d in resized["near_duplicates"]] == [photo["id"]]
    assert resized["near_duplicates"][0]["distance"] <= 31
    code, out, _ = cli("evidence", "duplicates", "--json")
    assert [(r["a"], r["b"]) for r in json.loads(out)] == [(photo["id"], resized["id"])]
    code, out, _ = cli(
        "evidence",
        "decide",
        str(photo["id"]),
        str(resized["id"]),
        "same",
        "--why",
        "same scene, re-encoded",
        "--json",
    )
    assert code == 0 and json.loads(out)["decision"] == "same"
    assert json.loads(cli("evidence", "duplicates", "--json")[1]) == []
    with transaction(case_url) as session:
        assert session.get(EvidenceItem, photo["id"]) is not None
        assert session.get(EvidenceItem, resized["id"]) is not None
    view = json.loads(cli("evidence", "show", str(resized["id"]), "--json")[1])
    assert view["near_duplicates"][0]["decision"] == "same"
    gif_view = json.loads(cli("evidence", "show", str(gif["id"]), "--json")[1])
    assert gif_view["metadata"]["frames"] == 4


def test_checkpoint_is_a_signed_note(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
) -> None:
    sqlite_add_items(media["text"], media["blob"])
    code, out, _ = sqlite_cli("evidence", "checkpoint", "--json")
    doc = json.loads(out)
    assert doc["tree_size"] == 2
    lines = doc["note"].split("\n")
    assert lines[0].startswith("sijill.custody/") and lines[1] == "2"
    assert (vault_env / "log" / "checkpoint").read_text() == doc["note"]


def test_missing_file_is_refused(sqlite_cli: Cli, tmp_path: Path) -> None:
    code, _, err = sqlite_cli(
        "evidence", "add", str(tmp_path / "nope.jpg"), "--source", "S", "--collector", "C"
    )
    assert code != 0 and "nope.jpg" in err


@pytest.mark.slow
def test_sijill_command_runs_as_a_program(
    sqlite_case_url: str, vault_env: Path, media: dict[str, Path], tmp_path: Path
) -> None:
    """The installed ``sijill`` program (slow: it imports every capability at start)."""
    exe = Path(sys.executable).with_name("sijill")
    env = {**os.environ, "SIJILL_DATABASE_URL": sqlite_case_url}
    done = subprocess.run(
        [
            str(exe),
            "evidence",
            "add",
            str(media["text"]),
            "--source",
            "Fictional NGO",
            "--collector",
            "Investigator Q (fictional)",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert set(row) >= {"path", "sha256", "id"}
    verified = subprocess.run(
        [str(exe), "verify"], env=env, capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert verified.returncode == 0, verified.stderr


def test_inclusion_and_consistency_proofs_verify(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
) -> None:
    """What a partner checks with the standard-library verifier: an item's entries are in the
    signed log, and an older checkpoint they kept is a prefix of today's."""
    import base64

    from sijill.evidence.signing import load_signing_key, log_origin, public_bytes
    from sijill.evidence.verify_bundle import (
        leaf_hash,
        open_note,
        parse_checkpoint,
        verify_consistency,
        verify_inclusion,
    )

    photo, _text, _blob = sqlite_add_items(media["photo"], media["text"], media["blob"])
    old = json.loads(sqlite_cli("evidence", "checkpoint", "--json")[1])
    sqlite_cli("evidence", "note", str(photo["id"]), "--kind", "content", "--text", "synthetic")
    sqlite_add_items(media["other"])
    public = public_bytes(load_signing_key(create=False))
    code, out, _ = sqlite_cli("evidence", "proof", str(photo["id"]), "--json")
    doc = json.loads(out)
    text = open_note(doc["checkpoint"], log_origin(public), public)
    assert code == 0 and text is not None
    _origin, size, root = parse_checkpoint(text)
    assert size == doc["tree_size"] == 5
    assert [e["index"] for e in doc["entries"]] == [0, 3]
    for entry in doc["entries"]:
        leaf = leaf_hash(base64.b64decode(entry["entry_b64"]))
        proof = [bytes.fromhex(h) for h in entry["proof"]]
        assert verify_inclusion(entry["index"], size, leaf, proof, root)
    code, out, _ = sqlite_cli("evidence", "consistency", str(old["tree_size"]), "--json")
    cons = json.loads(out)
    assert cons["old_root"] == old["root_hash"] and cons["new_size"] == 5
    proof = [bytes.fromhex(h) for h in cons["proof"]]
    assert verify_consistency(3, 5, bytes.fromhex(old["root_hash"]), root, proof)
    code, _, err = sqlite_cli("evidence", "consistency", "9")
    assert code != 0 and "not within" in err


def test_vault_files_folders_and_database_are_owner_only(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    vault_env: Path,
    sqlite_case_url: str,
) -> None:
    (item,) = sqlite_add_items(media["photo"])
    code, out, _ = sqlite_cli("evidence", "copy", str(item["id"]), "--json")
    assert code == 0
    original = original_path(vault_env, str(item["sha256"]))
    folders = [p for p in vault_env.rglob("*") if p.is_dir()] + [vault_env]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {"0o700"}
    assert stat.S_IMODE(original.stat().st_mode) == 0o400
    for path in (
        Path(json.loads(out)["copy"]),
        custody.checkpoint_copy_path(vault_env),
        custody.witness_path(),
        Path(make_url(sqlite_case_url).database or ""),
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_views_do_not_grow_the_custody_log(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    case_url: str,
) -> None:
    (item,) = add_items(media["text"])
    for _ in range(3):
        assert cli("evidence", "show", str(item["id"]), "--by", "Reader R (fictional)")[0] == 0
    with transaction(case_url) as session:
        assert session.scalar(select(func.count()).select_from(CustodyEntry)) == 1
        assert session.scalar(select(func.count()).select_from(Checkpoint)) == 1
        reads = session.scalars(select(ChangeLogEntry).where(ChangeLogEntry.action == "read")).all()
    assert [(r.actor, r.entity, r.entity_id) for r in reads] == [
        ("Reader R (fictional)", "evidence_items", item["id"])
    ] * 3
