"""Fixtures for the evidence vault: keys and vault in a temporary folder, fictional media."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.command.importer import import_structure
from sijill.store.engine import transaction

#: ``cli(*args)``: run ``sijill ARGS --db URL``; (exit code, stdout, stderr).
Cli = Callable[..., tuple[int, str, str]]
#: ``add(*paths, extra=())``: ``sijill evidence add`` through the CLI; its --json output.
AddItems = Callable[..., list[dict[str, object]]]

SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin")


def verify_report(cli: Cli) -> tuple[int, dict[str, object]]:
    """``sijill verify --json``: its exit code and report (the code says what the report does)."""
    code, out, _ = cli("verify", "--json")
    report = json.loads(out)
    assert (code == 0) == report["intact"]
    return code, dict(report)


def hold_link_targets(url: str) -> None:
    """The fictional units and incidents the tests link items to: a link names what the case
    holds (the incidents are numbered 1 and 2)."""
    units = [("u-fictional-72", "72nd Fictional Brigade"), ("u-fictional-2", "2nd Fictional Div")]
    doc = {
        "organizations": [{"id": uid, "name": name} for uid, name in units],
        "incidents": [
            {"id": "i-fictional-1", "start_date": "2025-03-08"},
            {"id": "i-fictional-7", "start_date": "2025-03-09"},
        ],
    }
    with transaction(url) as session:
        import_structure(session, doc)


def offline_check(bundle: Path) -> subprocess.CompletedProcess[str]:
    """Run the bundle's script with an isolated system Python, no venv, no sijill on the path."""
    assert SYSTEM_PYTHON is not None
    return subprocess.run(
        [SYSTEM_PYTHON, "-I", str(bundle / "verify_bundle.py"), str(bundle)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
        cwd="/",
        check=False,
    )


@pytest.fixture
def vault_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keys and the vault live under tmp_path; returns the vault folder."""
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "keys" / "sijill.key"))
    monkeypatch.setenv("SIJILL_SIGNING_KEY_FILE", str(tmp_path / "keys" / "signing.key"))
    vault = tmp_path / "vault"
    monkeypatch.setenv("SIJILL_VAULT", str(vault))
    return vault


def textured_image(seed: int, size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A fictional, visibly synthetic picture with enough texture for a stable PDQ hash."""
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, size=(12, 16, 3), dtype=np.uint8)
    return Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC)


@pytest.fixture
def media(tmp_path: Path) -> dict[str, Path]:
    """A photo, a resized re-encoding of it, an unrelated photo, a GIF, text and a blob."""
    folder = tmp_path / "incoming"
    folder.mkdir()
    photo = textured_image(1)
    paths = {
        "photo": folder / "photo-synthetic.jpg",
        "resized": folder / "photo-synthetic-small.png",
        "other": folder / "other-synthetic.jpg",
        "gif": folder / "clip-synthetic.gif",
        "text": folder / "testimony-fictional.txt",
        "blob": folder / "capture.bin",
    }
    photo.save(paths["photo"], quality=90)
    photo.resize((160, 120)).save(paths["resized"])
    textured_image(2).save(paths["other"], quality=90)
    frames = [textured_image(10 + i) for i in range(4)]
    frames[0].save(paths["gif"], save_all=True, append_images=frames[1:], duration=100)
    paths["text"].write_text("Synthetic demo testimony, fictional.\n", encoding="utf-8")
    paths["blob"].write_bytes(bytes(range(256)) * 64)
    return paths


def _runner(url: str) -> Cli:
    app = build_app()
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str, str]:
        result = runner.invoke(app, [*args, "--db", url])
        return result.exit_code, result.stdout, result.stderr

    return run


@pytest.fixture
def cli(case_url: str, vault_env: Path) -> Cli:
    """Run ``sijill ARGS --db case_url`` (both engines); returns (exit code, stdout, stderr)."""
    return _runner(case_url)


@pytest.fixture
def sqlite_cli(sqlite_case_url: str, vault_env: Path) -> Cli:
    """The same on SQLite only, for behaviour that does not depend on the engine."""
    return _runner(sqlite_case_url)


def _adder(cli: Cli) -> AddItems:
    def add(*paths: Path, extra: tuple[str, ...] = ()) -> list[dict[str, object]]:
        code, out, err = cli(
            "evidence",
            "add",
            *map(str, paths),
            "--source",
            "Fictional Documentation Group",
            "--collector",
            "Investigator Q (fictional)",
            *extra,
            "--json",
        )
        assert code == 0, err
        return list(json.loads(out))

    return add


@pytest.fixture
def add_items(cli: Cli) -> AddItems:
    """Add files through the CLI (both engines) and return the --json output."""
    return _adder(cli)


@pytest.fixture
def sqlite_add_items(
    sqlite_cli: Cli,
) -> AddItems:
    """Add files through the CLI on SQLite and return the --json output."""
    return _adder(sqlite_cli)
