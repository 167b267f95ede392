"""A disclosure package of the demo (``sijill export disclosure``): only what a consent names
the recipient for, numbered with its metadata, the originals in a bundle that verifies, and what
was held back and why; nothing of a list or item the recipient may not receive."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.store.engine import dispose_engines, transaction
from sijill.store.models import Record

WITNESS_VALUES = (
    "Witness interviews (synthetic, restricted)",
    "Witness-reported victim (fictional)",
    "Fictional Witness B",
    "+000 0000 0001",
)


def _run(*args: str) -> object:
    result = CliRunner().invoke(build_app(list(args)), [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _refused(*args: str) -> str:
    result = CliRunner().invoke(build_app(list(args)), list(args))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    return str(result.output)


def _text(folder: Path) -> str:
    return "\n".join(
        p.read_bytes().decode("utf-8", "replace") for p in folder.rglob("*") if p.is_file()
    )


def test_disclosure_package_of_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "sijill.key"))
    monkeypatch.setenv("SIJILL_SIGNING_KEY_FILE", str(tmp_path / "sijill-signing.key"))
    monkeypatch.setenv("SIJILL_VAULT", str(tmp_path / "demo" / "vault"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)
    try:
        _run("demo", "build", "--out", str(tmp_path / "demo"))
        db = ["--db", f"sqlite:///{tmp_path / 'demo' / 'sijill.db'}"]
        items = _run("evidence", "list", *db)
        assert isinstance(items, list) and len(items) == 4
        public_list = "synthetic-a (synthetic)"
        _run("consent", "grant", "evidence", items[0]["id"], "--recipient", "un_commission",
             "--why", "consent form 12 (fictional)", *db)  # fmt: skip
        _run("consent", "grant", "source", public_list, "--recipient", "un_commission",
             "--why", "published list", *db)  # fmt: skip
        assert "one of" in _refused("consent", "grant", "source", public_list, "--recipient",
                                    "everyone", "--why", "x", *db)  # fmt: skip
        assert "nothing may go to journalists" in _refused(
            "export", "disclosure", "--recipient", "journalists", "--out", "j", *db
        )

        out = tmp_path / "package"
        made = _run("export", "disclosure", "--recipient", "un_commission", "--out", str(out), *db)
        assert isinstance(made, dict)
        assert (made["items"], made["lists"], made["evidence"]) == (2, 1, 1)
        assert made["mark"] == "synthetic demo data"
        rows = list(csv.DictReader((out / "metadata.csv").open(encoding="utf-8")))
        assert [r["identifier"] for r in rows] == ["DISC-0001", "DISC-0002"]
        assert rows[0]["title"] == public_list and rows[1]["sha256"] == items[0]["sha256"]
        listed = list(csv.DictReader((out / "lists" / "DISC-0001.csv").open(encoding="utf-8")))
        sources = _run("sources", *db)
        assert isinstance(sources, list)
        assert len(listed) + 2 == next(s["records"] for s in sources if s["name"] == public_list)
        checked = subprocess.run(
            [sys.executable, str(out / "bundle" / "verify_bundle.py"), str(out / "bundle")],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        held = list(csv.DictReader((out / "held_back.csv").open(encoding="utf-8")))
        # Three items, four lists, and the two records of the shared list whose families
        # agreed to a court only (the demo's consent per record).
        assert len(held) == made["held_back"] == 3 + 4 + 2
        assert {h["reason"] for h in held} == {
            "no consent recorded to share with un_commission",
            "the record's own consent does not name un_commission",
        }
        records = [int(h["internal_id"].split()[1]) for h in held if h["kind"] == "record"]
        with transaction(db[1]) as session:
            narrowed = session.execute(
                select(Record.record_id, Record.full_name).where(Record.id.in_(records))
            ).all()
        assert len(narrowed) == 2 and not {rid for rid, _ in narrowed} & {
            r["record_id"] for r in listed
        }
        # Nothing of what the recipient may not receive, the restricted witness list above all.
        text = _text(out)
        assert [v for v in WITNESS_VALUES if v in text] == []
        assert [name for _, name in narrowed if name in text] == []
        assert "synthetic-b (synthetic)" not in text
        # Held-back items are named by kind, internal id and level only: no title.
        assert {h["internal_id"] for h in held if h["kind"] == "evidence"} == {
            i["id"] for i in items[1:]
        }

        # Consent withdrawn: the list is held back, saying so; the item still goes.
        _run("consent", "withdraw", "source", public_list, "--recipient", "un_commission",
             "--why", "the publisher asked", *db)  # fmt: skip
        again = _run("export", "disclosure", "--recipient", "un_commission", "--out",
                     str(tmp_path / "again"), *db)  # fmt: skip
        assert isinstance(again, dict) and (again["lists"], again["evidence"]) == (0, 1)
        held = list(csv.DictReader((tmp_path / "again" / "held_back.csv").open(encoding="utf-8")))
        assert any(h["reason"].startswith("consent to share with un_commission withdrawn on")
                   for h in held)  # fmt: skip
        history = _run("consent", "list", *db)
        assert isinstance(history, list) and history[-1]["withdrawn_why"] == "the publisher asked"
    finally:
        dispose_engines()
