"""Consent per record (both engines): a record given consent of its own goes only where that
consent says, narrowing its source's; the disclosure package, the public records export and
the public report leave it out and name it in their held-back lists; withdrawal is kept."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.store.engine import transaction
from sijill.store.models import Record
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client
from tests.accountability.conftest import _key  # noqa: F401 (the web's session key)
from tests.accountability.helpers import cli, refused
from tests.published.test_figures import _case

LIST = "List A (fictional)"


def _text(folder: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in folder.rglob("*") if p.is_file())


def test_record_consent_narrows_its_source(case_url: str, tmp_path: Path) -> None:
    db = _case(case_url, tmp_path)
    with transaction(case_url) as session:
        number = dict(session.execute(select(Record.record_id, Record.id)).all())
    cli("consent", "grant", "source", LIST, "--recipient", "court", "--why", "list shared", *db)
    two = cli("consent", "grant", "record", f"{LIST}:2", "--recipient", "court",
              "--why", "family form 2 (fictional)", *db)  # fmt: skip
    assert (two["kind"], two["target"]) == ("record", str(number["2"]))
    cli("consent", "grant", "record", str(number["4"]), "--recipient", "partners",
        "--why", "family form 4 (fictional)", *db)  # fmt: skip
    assert "no record" in refused("consent", "grant", "record", f"{LIST}:99", "--recipient",
                                  "court", "--why", "x", *db)  # fmt: skip

    court = tmp_path / "court"
    made = cli("export", "disclosure", "--recipient", "court", "--out", str(court), *db)
    rows = list(csv.DictReader((court / "lists" / "DISC-0001.csv").open(encoding="utf-8")))
    assert [r["record_id"] for r in rows] == ["1", "2", "3", "5", "6", "7"]  # not 4
    held = list(csv.DictReader((court / "held_back.csv").open(encoding="utf-8")))
    assert made["held_back"] == len(held)
    [four] = [h for h in held if h["kind"] == "record"]
    assert four["internal_id"].startswith(f"record {number['4']} ")
    assert four["reason"] == "the record's own consent does not name court"
    assert "Fictional Four" not in _text(court)

    public = tmp_path / "public.csv"
    exported = CliRunner().invoke(
        build_app(), ["export", "records", "--public", "--out", str(public), *db]
    )
    assert exported.exit_code == 0, exported.output
    names = {r["full_name"] for r in csv.DictReader(public.open(encoding="utf-8"))}
    assert "Fictional One" in names and not {"Fictional Two", "Fictional Four"} & names
    manifest = json.loads((tmp_path / "public.csv.manifest.json").read_text("utf-8"))
    assert [h["record"] for h in manifest["held_back"]] == [number["2"], number["4"]]
    assert manifest["withheld"]["records_held_by_their_consent"] == 2
    add_user(case_url, "viewer", "viewer")
    viewer = bearer_client(create_app(case_url), "viewer")
    answer = viewer.get("/api/exports/records/manifest")
    assert answer.json()["held_back"] == manifest["held_back"]
    download = viewer.get("/api/exports/records.csv")
    assert "Fictional Two" not in download.text and "Fictional One" in download.text
    assert json.loads(download.headers["x-sijill-manifest"])["withheld"] == manifest["withheld"]

    cli("report", "--out", str(tmp_path / "r"), "--public", "--no-pdf", *db)
    page = (tmp_path / "r" / "index.html").read_text("utf-8")
    figures = json.loads((tmp_path / "r" / "report.json").read_text("utf-8"))
    assert "Fictional One" in page and "Fictional Two" not in page and "Fictional Four" not in page
    assert figures["toll"]["documented"] == 4  # six killed, two of them held back
    assert [h["record"] for h in figures["methods"]["held_back"]] == [number["2"], number["4"]]
    assert 'id="held-back"' in page
    team = cli("report", "--out", str(tmp_path / "t"), "--no-pdf", *db)
    assert "Fictional Four" in Path(team["html"]).read_text("utf-8")

    cli("consent", "withdraw", "record", f"{LIST}:2", "--recipient", "court",
        "--why", "the family changed its mind (fictional)", *db)  # fmt: skip
    again = tmp_path / "again"
    cli("export", "disclosure", "--recipient", "court", "--out", str(again), *db)
    held = list(csv.DictReader((again / "held_back.csv").open(encoding="utf-8")))
    reasons = sorted(h["reason"] for h in held if h["kind"] == "record")
    assert reasons[0].startswith("the record's consent to share with court withdrawn on")
    assert "Fictional Two" not in _text(again) and "Fictional Four" not in _text(again)
    kinds = [c["kind"] for c in cli("consent", "list", *db)]
    assert kinds == ["source", "record", "record"]
