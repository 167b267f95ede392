"""Bundles verify offline with their own script on a clean Python without Sijill, and the
script catches tampering."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import bagit
import pytest

from sijill.evidence.bundle import build_bundle
from sijill.evidence.intake import Collection, add_files
from sijill.store.engine import dispose_engines, get_engine, transaction
from sijill.store.migrate import upgrade
from tests.evidence.conftest import (
    SYSTEM_PYTHON,
    AddItems,
    Cli,
    hold_link_targets,
    offline_check,
    textured_image,
)


@pytest.fixture
def bundle(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    tmp_path: Path,
    case_url: str,
) -> Path:
    hold_link_targets(case_url)
    photo, text, _blob = add_items(media["photo"], media["text"], media["blob"])
    cli("evidence", "link", str(photo["id"]), "incident", "i-fictional-7")
    out = tmp_path / "court-bundle"
    code, stdout, err = cli(
        "evidence",
        "bundle",
        str(photo["id"]),
        str(text["id"]),
        "--out",
        str(out),
        "--recipient",
        "Fictional Commission of Inquiry",
        "--json",
    )
    assert code == 0, err
    assert json.loads(stdout)["items"] == 2
    return out


def test_bundle_is_a_valid_bag_that_verifies_offline(bundle: Path) -> None:
    assert SYSTEM_PYTHON is not None and not SYSTEM_PYTHON.startswith(str(Path.cwd()))
    bagit.Bag(str(bundle)).validate()
    done = offline_check(bundle)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[-1].startswith("OK")
    assert done.stdout.startswith("log key: sijill.custody/")
    items = sorted(p.name for p in (bundle / "data" / "items").iterdir())
    assert len(items) == 2
    entries = (bundle / "data" / "log" / "entries.jsonl").read_text().splitlines()
    events = [
        json.loads(__import__("base64").b64decode(json.loads(e)["entry_b64"]))["event"]
        for e in entries
    ]
    assert events.count("collected") == 2 and events.count("exported") == 2
    assert events.count("transferred") == 2
    assert "linked" in events
    assert "Fictional Commission" not in (bundle / "data" / "log" / "entries.jsonl").read_text()


def test_bundle_leaves_restricted_metadata_out(
    sqlite_cli: Cli, sqlite_add_items: AddItems, tmp_path: Path
) -> None:
    from PIL import Image

    photo = tmp_path / "gps-synthetic.jpg"
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (35.0, 30.0, 0.0), 3: "E", 4: (36.0, 15.0, 36.0)}
    Image.new("RGB", (32, 32), (1, 2, 3)).save(photo, exif=exif)
    (item,) = sqlite_add_items(photo, extra=("--persona", "persona-fictional"))
    out = tmp_path / "b"
    assert sqlite_cli("evidence", "bundle", str(item["id"]), "--out", str(out))[0] == 0
    meta = (out / "data" / "items" / str(item["id"]) / "metadata.json").read_text()
    assert "latitude" not in meta and "persona-fictional" not in meta
    assert "Investigator Q" not in meta
    assert offline_check(out).returncode == 0


@pytest.fixture(scope="module")
def pristine_bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One bundle built once (SQLite) through the library; tamper tests work on copies."""
    root = tmp_path_factory.mktemp("pristine")
    url = f"sqlite:///{root / 'case.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SIJILL_KEY_FILE", str(root / "sijill.key"))
        patch.setenv("SIJILL_SIGNING_KEY_FILE", str(root / "signing.key"))
        upgrade(get_engine(url))
        photo, statement = root / "photo-synthetic.jpg", root / "statement-fictional.txt"
        textured_image(3).save(photo)
        statement.write_text("Synthetic demo statement.\n")
        collection = Collection(source="Fictional NGO", collector="Investigator Q (fictional)")
        with transaction(url) as session:
            added, _ = add_files(session, root / "vault", [photo, statement], collection)
            build_bundle(session, root / "vault", [a.id for a in added], root / "bundle", actor="t")
    dispose_engines()
    yield root / "bundle"


@pytest.fixture
def copy_of_bundle(pristine_bundle: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bundle"
    shutil.copytree(pristine_bundle, target)
    assert offline_check(target).returncode == 0
    return target


def _fails_naming(bundle: Path, *expected: str) -> None:
    done = offline_check(bundle)
    assert done.returncode == 1, done.stdout
    for text in expected:
        assert text in done.stdout, done.stdout


def test_changed_file_is_caught(copy_of_bundle: Path) -> None:
    bundle = copy_of_bundle
    target = next(p for p in (bundle / "data" / "items").rglob("*") if p.suffix == ".jpg")
    data = bytearray(target.read_bytes())
    data[100] ^= 1
    target.write_bytes(bytes(data))
    _fails_naming(bundle, "checksum differs", "does not match its SHA-256")


def test_changed_file_with_rewritten_manifests_is_still_caught(copy_of_bundle: Path) -> None:
    """Someone who edits a file and regenerates the BagIt manifests is caught by the log."""
    bundle = copy_of_bundle
    target = next(p for p in (bundle / "data" / "items").rglob("*") if p.suffix == ".txt")
    target.write_text("altered statement\n")
    bagit.Bag(str(bundle)).save(manifests=True)
    _fails_naming(bundle, "does not match its SHA-256")


def test_edited_custody_entry_is_caught(copy_of_bundle: Path) -> None:
    bundle = copy_of_bundle
    import base64

    log = bundle / "data" / "log" / "entries.jsonl"
    lines = log.read_text().splitlines()
    first = json.loads(lines[0])
    body = json.loads(base64.b64decode(first["entry_b64"]))
    body["at"] = "2025-01-01T00:00:00.000000Z"
    first["entry_b64"] = base64.b64encode(json.dumps(body).encode()).decode()
    log.write_text("\n".join([json.dumps(first), *lines[1:]]) + "\n")
    bagit.Bag(str(bundle)).save(manifests=True)
    _fails_naming(bundle, f"custody entry {first['index']}: not included")


def test_forged_checkpoint_is_caught(copy_of_bundle: Path) -> None:
    bundle = copy_of_bundle
    checkpoint = bundle / "data" / "log" / "checkpoint.txt"
    lines = checkpoint.read_text().split("\n")
    lines[1] = str(int(lines[1]) + 1)
    checkpoint.write_text("\n".join(lines))
    _fails_naming(bundle, "checksum differs", "signature does not verify")


def test_missing_and_extra_files_are_caught(copy_of_bundle: Path) -> None:
    bundle = copy_of_bundle
    (bundle / "data" / "planted.txt").write_text("planted")
    os.remove(bundle / "data" / "log" / "proofs.json")
    _fails_naming(
        bundle,
        "planted.txt: present in the payload but not in the manifest",
        "proofs.json: listed in manifest-sha256.txt but missing",
    )


def test_bundle_refuses_a_non_empty_folder(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
    tmp_path: Path,
) -> None:
    (item,) = sqlite_add_items(media["text"])
    out = tmp_path / "busy"
    out.mkdir()
    (out / "x").write_text("x")
    code, _, err = sqlite_cli("evidence", "bundle", str(item["id"]), "--out", str(out))
    assert code != 0 and "not empty" in err


def test_bundle_file_names_have_no_path_separators_or_right_to_left_overrides(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    tmp_path: Path,
) -> None:
    incoming = tmp_path / "hostile"
    incoming.mkdir()
    # A Linux file name may hold a backslash; U+202E would show "exe.txt" as "txt.exe".
    named = incoming / "..\\..\\statement-\u202etxt.exe"
    named.write_text("Fictional statement.\n", encoding="utf-8")
    (item,) = sqlite_add_items(named)
    out = tmp_path / "bundle-of-hostile-name"
    code, _, err = sqlite_cli("evidence", "bundle", str(item["id"]), "--out", str(out))
    assert code == 0, err
    names = sorted(p.name for p in (out / "data" / "items" / str(item["id"])).iterdir())
    assert names == ["metadata.json", "statement-txt.exe"]
    assert offline_check(out).returncode == 0
