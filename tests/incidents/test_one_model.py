"""One incident model, whichever door an incident came in by: a structure file, `incidents add`,
a JSON file. Listed, mapped, exported, with a command report and careers after it; hidden from a
viewer through every route when restricted; imported again without a crash; its alleged units
are units of the structure, and merges move them."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.errors import SijillError
from sijill.store.engine import get_engine, transaction
from sijill.store.merges import MergeCycle, survivor
from sijill.store.migrate import alembic_config
from sijill.web import create_app
from sijill.web.testing import add_user, bearer_client, logged_in_client
from tests.command.sample import sample


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    monkeypatch.setenv("SIJILL_KEY_FILE", str(tmp_path / "unused.key"))
    monkeypatch.setenv("SIJILL_VAULT", str(tmp_path / "vault"))
    monkeypatch.delenv("SIJILL_DEMO", raising=False)


def _cli(*args: str) -> Any:
    return CliRunner().invoke(build_app(), list(args))


def _ok(*args: str) -> Any:
    result = _cli(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _refused(*args: str) -> str:
    result = _cli(*args)
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    return str(result.output)


def _write(tmp_path: Path, doc: dict[str, Any], name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _structure(tmp_path: Path, db: list[str]) -> dict[str, Any]:
    """The sample structure with its incident at a village of the demo gazetteer."""
    _ok("places", "load", "--demo", *db)
    doc = sample()
    doc["incidents"][0]["place"] = "Ain al-Khayal"
    doc["organizations"].append({"id": "u-74", "name": "Unit 74 (fictional)"})
    _ok("import", "structure", "--create-sources", _write(tmp_path, doc, "structure.json"), *db)
    return doc


def test_every_door_leads_to_the_one_model(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _structure(tmp_path, db)
    # Imported with the structure: listed, mapped, exported, with a command report.
    listed = _ok("incidents", "list", *db)
    assert [i["external_id"] for i in listed] == ["i-1"]
    number = listed[0]["id"]
    assert listed[0]["places"][0]["external_id"] == "demo:v01"
    assert {p["organization_id"]: p["allegation_status"] for p in listed[0]["perpetrators"]} == {
        "u-72": "corroborated",
        "u-73": "alleged",
    }
    geo = json.loads(_cli("export", "incidents", "--format", "geojson", *db).stdout)
    assert [f["id"] for f in geo["features"]] == [number] and geo["features"][0]["geometry"]
    exported = json.loads(_cli("export", "structure", *db).stdout)
    assert exported["incidents"][0]["id"] == "i-1"
    assert exported["incidents"][0]["perpetrator_status"]["u-72"] == "corroborated"
    for ref in ("i-1", str(number)):
        report = _ok("command-report", "--incident", ref, *db)
        assert [u["unit"] for u in report["units"]] == ["u-72", "u-73"]
        assert report["incident"]["label"] == f"#{number} Incident i-1 at Ain al-Khayal"

    # Added with `incidents add`: a command report and careers after it.
    added = _ok(
        "incidents", "add", "--title", "Shelling (fictional)", "--start", "2025-03-08",
        "--perpetrator", "u-72:ordered:alleged", *db,
    )  # fmt: skip
    new = added["added"][0]["id"]
    report = _ok("command-report", "--incident", str(new), *db)
    assert report["units"][0]["unit"] == "u-72"
    assert report["units"][0]["allegation"]["status"] == "alleged"
    career = _ok("career", "p-1", "--after-incident", str(new), *db)
    assert career["after"]["date"] == "2025-03-08" and career["after"]["incident"] == new


def test_unknown_units_are_refused_with_close_matches(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _structure(tmp_path, db)
    said = _refused("incidents", "add", "--title", "x (fictional)", "--perpetrator", "u-999", *db)
    assert "no organization with id 'u-999'" in said and "'u-72'" in said
    said = _refused("incidents", "add", "--title", "x (fictional)", "--source", "src-z", *db)
    assert "no source with id 'src-z'" in said and "'src-a'" in said
    assert _ok("incidents", "list", *db)[0]["external_id"] == "i-1"  # nothing half-stored
    # The same rule for a structure file: an unknown source is refused, or created on request.
    doc = {"incidents": [{"id": "i-9", "start_date": "2025-03-08", "sources": ["src-aa"]}]}
    path = _write(tmp_path, doc, "unknown-source.json")
    said = _refused("import", "structure", path, *db)
    assert "incidents.sources" in said and "no source with id 'src-aa'" in said
    assert "'src-a'" in said and "--create-sources" in said
    assert _ok("import", "structure", "--create-sources", path, *db)["incidents"] == 1


def test_an_end_left_empty_stays_empty_and_spans_the_start(sqlite_case_url: str) -> None:
    db = ["--db", sqlite_case_url]
    _ok("incidents", "add", "--title", "One month (fictional)", "--id", "i-e", "--start",
        "2025-03", *db)  # fmt: skip
    shown = _ok("incidents", "show", "i-e", *db)
    assert shown["end_date"] is None
    assert shown["start_day"] == "2025-03-01" and shown["end_day"] == "2025-03-31"
    _ok("incidents", "add", "--title", "One month (fictional)", "--id", "i-e", "--start",
        "2025-03", "--end", "2025-04", *db)  # fmt: skip
    again = _ok("incidents", "add", "--title", "One month (fictional)", "--id", "i-e",
                "--start", "2025-05", *db)  # fmt: skip
    assert again["updated"][0]["changes"] == [
        "end_date: '2025-04' -> None",
        "start_date: '2025-03' -> '2025-05'",
    ]
    shown = _ok("incidents", "show", "i-e", *db)
    assert shown["end_date"] is None and shown["end_day"] == "2025-05-31"


def test_importing_again_updates_or_names_the_differences(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    doc = _structure(tmp_path, db)
    again = _ok("import", "structure", "--create-sources", _write(tmp_path, doc, "same.json"), *db)
    assert again["incidents"] == 0 and "incidents_changed" not in again
    doc["incidents"][0]["perpetrator_status"] = {"u-72": "established_by_court"}
    changed = _ok(
        "import", "structure", "--create-sources", _write(tmp_path, doc, "changed.json"), *db
    )
    assert changed["incidents_changed"] == [
        {"id": "i-1", "changes": ["perpetrator u-72 status: corroborated -> established_by_court"]}
    ]
    # The structure file through `incidents add --from-json`: perpetrator_status is honoured,
    # and running it twice neither crashes nor duplicates.
    doc["incidents"][0]["id"] = "i-2"
    path = _write(tmp_path, doc, "as-incidents.json")
    first = _ok("incidents", "add", "--from-json", path, *db)
    assert [i["external_id"] for i in first["added"]] == ["i-2"]
    shown = _ok("incidents", "show", "i-2", *db)
    assert {p["organization_id"]: p["allegation_status"] for p in shown["perpetrators"]} == {
        "u-72": "established_by_court",
        "u-73": "alleged",
    }
    second = _ok("incidents", "add", "--from-json", path, *db)
    assert second["added"] == [] and [i["external_id"] for i in second["unchanged"]] == ["i-2"]
    doc["incidents"][0]["end_date"] = "2025-03-10"
    third = _ok("incidents", "add", "--from-json", _write(tmp_path, doc, "later.json"), *db)
    assert third["updated"][0]["changes"] == ["end_date: '2025-03-09' -> '2025-03-10'"]
    assert len(_ok("incidents", "list", *db)) == 2


def test_merges_move_alleged_units_and_actors(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _structure(tmp_path, db)
    merged = _ok("merge-units", "u-72", "u-73", *db)
    assert merged["moved"]["incident_links"] == 1 and merged["moved"]["incident_links_joined"] == 1
    shown = _ok("incidents", "show", "i-1", *db)
    assert [(p["organization_id"], p["allegation_status"]) for p in shown["perpetrators"]] == [
        ("u-72", "corroborated")
    ]
    report = _ok("command-report", "--incident", "i-1", *db)
    assert [u["unit"] for u in report["units"]] == ["u-72"]
    # A unit merged away still resolves: an allegation naming it lands on the survivor.
    added = _ok("incidents", "add", "--title", "y (fictional)", "--perpetrator", "u-73", *db)
    shown = _ok("incidents", "show", str(added["added"][0]["id"]), *db)
    assert shown["perpetrators"][0]["organization_id"] == "u-72"
    # An alleged person follows merge-actors the same way.
    with transaction(case_url) as session:
        ids = dict(session.execute(sa.text("select external_id, id from persons")).all())
    person = _ok(
        "incidents", "add", "--title", "w (fictional)", "--perpetrator", f"person:{ids['p-4']}",
        *db,
    )["added"][0]["id"]  # fmt: skip
    assert _ok("merge-actors", "p-3", "p-4", *db)["moved"]["incident_links"] == 1
    shown = _ok("incidents", "show", str(person), *db)
    assert shown["perpetrators"][0]["person_id"] == ids["p-3"]


def test_following_merges_stops_on_a_cycle(case_url: str, tmp_path: Path) -> None:
    assert survivor(1, {1: 2, 2: 3}.get) == 3
    with pytest.raises(MergeCycle, match="1 -> 2 -> 1"):
        survivor(1, {1: 2, 2: 1}.get)
    db = ["--db", case_url]
    _structure(tmp_path, db)
    with transaction(case_url) as session:
        ids = dict(
            session.execute(
                sa.text(
                    "select external_id, id from command_organizations"
                    " where external_id in ('u-72', 'u-73')"
                )
            ).all()
        )
        for a, b in (("u-72", "u-73"), ("u-73", "u-72")):
            session.execute(
                sa.text("update command_organizations set merged_into_id = :b where id = :a"),
                {"a": ids[a], "b": ids[b]},
            )
    add_user(case_url, "viewer", "viewer")
    client = bearer_client(create_app(case_url), "viewer")
    answer = client.get("/api/command/units/u-72")  # looped forever before
    assert answer.status_code == 422 and "merges loop" in answer.json()["detail"]
    assert "merges loop" in _refused("merge-units", "c-1", "u-72", *db)


def test_a_restricted_incident_is_hidden_from_a_viewer_everywhere(
    case_url: str, tmp_path: Path
) -> None:
    db = ["--db", case_url]
    _structure(tmp_path, db)
    hidden = _ok(
        "incidents", "add", "--title", "Secret killings (fictional)", "--id", "i-secret",
        "--start", "2025-03-08", "--perpetrator", "u-74:ordered:corroborated",
        "--access", "restricted", *db,
    )["added"][0]["id"]  # fmt: skip
    for role in ("viewer", "admin"):
        add_user(case_url, role, role)
    app = create_app(case_url)
    admin, viewer = bearer_client(app, "admin"), bearer_client(app, "viewer")
    pages = logged_in_client(app, "viewer")
    assert admin.get(f"/api/command/report?incident={hidden}").status_code == 200
    assert hidden in {i["id"] for i in admin.get("/api/incidents").json()["items"]}

    assert hidden not in {i["id"] for i in viewer.get("/api/incidents").json()["items"]}
    assert viewer.get("/api/incidents", params={"unit": "u-74"}).json()["items"] == []
    geo = viewer.get("/api/incidents/map.geojson").json()
    assert hidden not in {f["id"] for f in geo["features"]}
    for ref in (str(hidden), "i-secret"):
        for path in (
            f"/api/incidents/{hidden}",
            f"/api/command/report?incident={ref}",
            f"/api/command/persons/p-1/career?after_incident={ref}",
        ):
            answer = viewer.get(path)
            assert answer.status_code == 404, path
            assert "u-74" not in answer.text and "Secret" not in answer.text
        for path in (
            f"/incidents/{hidden}",
            f"/command/report?incident={ref}",
            f"/command/persons/p-1?after_incident={ref}",
        ):
            answer = pages.get(path)
            assert answer.status_code == 404, path
            assert "u-74" not in answer.text and "Secret" not in answer.text
    for path in ("/command", "/incidents", "/command/persons/p-1", "/command/units/u-74"):
        answer = pages.get(path)
        assert answer.status_code == 200, path
        assert "Secret" not in answer.text and "i-secret" not in answer.text, path
    assert 'value="u-74"' not in pages.get("/incidents").text  # the unit filter leaves it out
    # The same incident's name on both pages, as the admin reads them.
    admin_pages = logged_in_client(app, "admin")
    name = f"#{hidden} Secret killings (fictional)"
    assert name in admin_pages.get("/command").text
    assert name in admin_pages.get(f"/command/report?incident={hidden}").text


def test_evidence_is_linked_once_and_shown_on_both_pages(case_url: str, tmp_path: Path) -> None:
    db = ["--db", case_url]
    _structure(tmp_path, db)
    photo = tmp_path / "photo.txt"
    photo.write_text("SYNTHETIC DEMO EVIDENCE (fictional)", encoding="utf-8")
    item = _ok("evidence", "add", str(photo), "--source", "src-a", "--collector", "C", *db)[0]["id"]
    said = _refused("incidents", "add", "--title", "z (fictional)", "--evidence", "nope", *db)
    assert "nope" in said
    added = _ok("incidents", "add", "--title", "z (fictional)", "--evidence", item, *db)
    number = added["added"][0]["id"]
    assert _ok("incidents", "show", str(number), *db)["evidence"] == [item]
    view = _ok("evidence", "show", item, *db)
    assert {"kind": "incident", "id": str(number), "note": None} in view["links"]
    add_user(case_url, "admin", "admin")
    pages = logged_in_client(create_app(case_url), "admin")
    assert f"/evidence/{item}" in pages.get(f"/incidents/{number}").text
    assert f'/incidents/{number}"' in pages.get(f"/evidence/{item}").text


# The heads before this change: the command and places_incidents branches, the rest as they were.
OLD_HEADS = ("0002_security", "0003_linkage", "0004_command", "0005_places_incidents",
             "0006_evidence", "0007_change_counters")  # fmt: skip


def test_the_migration_moves_rows_from_the_previous_heads(db_url: str) -> None:
    engine = get_engine(db_url)
    cfg = alembic_config(engine)
    for head in OLD_HEADS:
        command.upgrade(cfg, head)
    with engine.begin() as conn:

        def insert(table: str, **values: Any) -> int:
            names = ", ".join(values)
            marks = ", ".join(f":{k}" for k in values)
            sql = f"insert into {table} ({names}) values ({marks}) returning id"
            return int(conn.execute(sa.text(sql), values).scalar_one())

        src = insert("sources", name="src-m (fictional)", kind="report", access="internal",
                     created_at="2025-01-01", derived_from="[]", record_count=0)  # fmt: skip
        u1 = insert("command_organizations", external_id="u-m1", aliases="[]")
        u2 = insert("command_organizations", external_id="u-m2", aliases="[]")
        # i-m1 is in both tables (added twice by hand); i-m2 only in the command table.
        both = insert("incidents", external_id="i-m1", title="Both (fictional)",
                      access="restricted", synthetic=False, created_at="2025-01-01",
                      start_date="2025-03-08", end_date="2025-03-08",
                      start_day="2025-03-08", end_day="2025-03-08")  # fmt: skip
        insert("incident_perpetrators", incident_id=both, organization_ref="u-m1",
               involvement="ordered", status="alleged")  # fmt: skip
        insert("incident_perpetrators", incident_id=both, organization_ref="u-gone",
               involvement="present", status="alleged")  # fmt: skip
        insert("incident_evidence", incident_id=both, evidence_ref="not-in-vault")
        for ext, status in (("i-m1", "corroborated"), ("i-m2", "alleged")):
            ci = insert("command_incidents", external_id=ext, place="Example Village",
                        start_date="2025-03", end_date="",
                        possible_start="2025-03-01", possible_end="2025-03-31")  # fmt: skip
            insert("command_incident_perpetrators", incident_id=ci, organization_id=u1,
                   status=status, position=0)  # fmt: skip
            insert("command_incident_perpetrators", incident_id=ci, organization_id=u2,
                   status="alleged", position=1)  # fmt: skip
            insert("citations", source_id=src, claim_table="command_incidents",
                   claim_id=str(ci), confidence="medium", created_at="2025-01-01")  # fmt: skip
    command.upgrade(cfg, "heads")
    with transaction(db_url) as session:
        tables = set(sa.inspect(session.connection()).get_table_names())
        assert not {"command_incidents", "command_incident_perpetrators", "incident_evidence"} & (
            tables
        )
        from sijill.incidents.service import list_incidents, show_incident

        docs = {d["external_id"]: d for d in list_incidents(session)}
        assert set(docs) == {"i-m1", "i-m2"}
        one = show_incident(session, "i-m1")
        assert one["access"] == "restricted" and one["title"] == "Both (fictional)"
        units = {p["organization_id"]: p for p in one["perpetrators"]}
        assert set(units) == {"u-m1", "u-m2", "u-gone"}
        assert units["u-m1"]["allegation_status"] == "corroborated"  # the stated status wins
        assert units["u-m1"]["involvement"] == "ordered" and units["u-m2"]["involvement"] is None
        assert one["citations"][0]["source"] == "src-m (fictional)"
        two = show_incident(session, "i-m2")
        assert two["start_day"] == "2025-03-01" and two["end_day"] == "2025-03-31"
        assert two["access"] == "internal" and two["citations"]
        extra = session.execute(
            sa.text("select extra from incidents where external_id = 'i-m1'")
        ).scalar_one()
        extra = json.loads(extra) if isinstance(extra, str) else extra
        assert extra == {"evidence_not_in_vault": ["not-in-vault"]}
    with pytest.raises(SijillError):
        survivor(1, {1: 1}.get)
