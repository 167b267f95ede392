"""Security Force Monitor's standard in and out: import, the chain as SFM's flags mean it,
bad rows, a slim extract, the round trip SFM → Sijill → SFM, and GraphML read back.

The fixture (``data/sfm/zz_*.csv``) is written from SFM's research handbook with invented units
and people of an invented country ``zz``: a unit with two parents at different times, a
``member`` relation, two rows of one relation (merged), every date flag (start ``Y``/``N``,
open ``Y``/``N``/``E``, a posting's end ``Y``/``N``), partial dates (``2005-03-``, ``2013-``),
postings, incidents and locations."""

from __future__ import annotations

import base64
import csv
import json
from io import BytesIO
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from openpyxl import Workbook
from sqlalchemy import select

from sijill.command.sfm_files import read_sheets
from sijill.places.models import Place
from sijill.store.engine import transaction
from tests.command.cli_helpers import run, run_json

DATA = Path(__file__).parent / "data" / "sfm"


def _workbook(tmp_path: Path) -> Path:
    """The fixture as one workbook with a sheet per kind, as SFM publishes a country."""
    book = Workbook()
    book.remove(book.active)
    for path in sorted(DATA.glob("*.csv")):
        sheet = book.create_sheet(path.stem)
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                sheet.append(row)
    out = tmp_path / "zz.xlsx"
    book.save(out)
    return out


def _chain(db: str, unit: str, day: str) -> dict[str, Any]:
    doc = run_json("chain", unit, "--at", day, "--no-citations", "--db", db)
    return {lv["organization_id"]: lv for lv in doc["levels"]}


def test_import_workbook_merges_rows_and_keeps_ids_and_sources(
    case_url: str, tmp_path: Path
) -> None:
    counts = run_json(
        "import", "structure", str(_workbook(tmp_path)), "--format", "sfm", "--db", case_url
    )
    assert counts["organizations"] == 6 and counts["persons"] == 3
    # Ten unit rows: seven relations (two rows of one relation merged), two locations.
    assert counts["compositions"] == 7 and counts["areas"] == 2
    assert counts["memberships"] == 3 and counts["incidents"] == 2
    assert counts["places"] == 2
    with transaction(case_url) as session:
        places = session.scalars(select(Place).where(Place.gazetteer == "sfm")).all()
        assert {(p.external_id, p.name_latin) for p in places} == {
            ("sfm:00000000-0000-4000-8000-00000000f001", "Fictionville"),
            ("sfm:00000000-0000-4000-8000-00000000f002", "Exampletown"),
        }
    doc = json.loads(run("export", "structure", "--db", case_url).stdout)
    brigade = next(o for o in doc["organizations"] if o["id"] == "zz-11bde")
    assert brigade["name"] == "11 Example Brigade" and brigade["aliases"] == ["11 Bde"]
    assert brigade["founding_date"] == "2010-01-15" and brigade["confidence"] == "high"
    merged = [c for c in doc["compositions"] if c["child_id"] == "zz-11bde"]
    assert [c["parent_id"] for c in merged] == ["zz-1div", "zz-2div", "zz-op-dawn"]
    assert merged[1]["sources"] == ["src-zz-04", "src-zz-06"]
    assert merged[1]["start_date"] == "2014-07-01" and merged[1]["last_cited"] == "2016-05"
    assert merged[0]["end_date"] == "2014-06-30" and merged[2]["classification"] == "member"
    commander = next(m for m in doc["memberships"] if m["person_id"] == "zz-p1")
    assert (commander["role"], commander["rank"]) == ("commander", "Brigadier General")
    assert commander["start_date"] == "2011-02-01" and commander["end_date"] == "2013-08-31"
    incident = next(i for i in doc["incidents"] if i["id"] == "zz-i1")
    assert incident["place"] == "Fictionville"
    assert incident["perpetrator_organization_ids"] == ["zz-111bn", "zz-11bde"]
    area = next(a for a in doc["areas"] if a["organization_id"] == "zz-11bde")
    assert area["place"] == "Exampletown" and area["start_date"] == "2011-05-02"

    # The same workbook again updates by id instead of duplicating.
    again = run_json(
        "import", "structure", str(_workbook(tmp_path)), "--format", "sfm", "--db", case_url
    )
    assert again["compositions"] == 0 and again["memberships"] == 0 and again["areas"] == 0


def test_chain_on_a_day_follows_sfm_flags(case_url: str) -> None:
    run_json("import", "structure", str(DATA), "--format", "sfm", "--db", case_url)
    # Start flag Y: the relation did not hold before its first date; a first citation (N)
    # leaves the days before it possible.
    levels = _chain(case_url, "zz-11bde", "2009-12-01")
    assert levels["zz-11bde"]["parents"] == []
    assert levels["zz-11bde"]["possible_parents"] == ["zz-op-dawn"]
    # Between Y start and E end: sure; the brigade's commander with a Y start and Y end.
    levels = _chain(case_url, "zz-11bde", "2012-06-01")
    assert levels["zz-11bde"]["parents"] == ["zz-1div"]
    assert levels["zz-11bde"]["commanders"] == ["zz-p1"]
    # The second parent, after the first ended (E): sure from its Y start.
    levels = _chain(case_url, "zz-11bde", "2014-07-15")
    assert levels["zz-11bde"]["parents"] == ["zz-2div"]
    assert "zz-1div" not in levels["zz-11bde"]["possible_parents"]
    # After an N last citation: only possibly; a member relation with no last date: in force.
    levels = _chain(case_url, "zz-11bde", "2017-01-01")
    assert levels["zz-11bde"]["parents"] == ["zz-op-dawn"]
    assert levels["zz-11bde"]["possible_parents"] == ["zz-2div"]
    assert levels["zz-11bde"]["possible_commanders"] == ["zz-p2"]  # posting end N, 2015-03-10
    # Open Y: SFM assumes the relation goes on after its last citation.
    assert _chain(case_url, "zz-1div", "2022-01-01")["zz-1div"]["parents"] == ["zz-army"]
    # Open E: it ended on its last date.
    assert _chain(case_url, "zz-2div", "2019-01-02")["zz-2div"]["parents"] == []
    # Start N with a partial date: before it only possibly, surely from the month's end.
    assert _chain(case_url, "zz-1div", "2004-06-01")["zz-1div"]["possible_parents"] == ["zz-army"]
    assert _chain(case_url, "zz-1div", "2005-03-31")["zz-1div"]["parents"] == ["zz-army"]


def test_slim_extract_with_only_relation_columns(case_url: str, tmp_path: Path) -> None:
    slim = tmp_path / "extract-slim.tsv"
    slim.write_text(
        "unit:id:admin\tunit:name\tunit:relation_type\tunit:related_unit_id:admin\t"
        "unit:related_unit\tunit:related_unit_class\tunit:related_unit_first_cited_date\t"
        "unit:related_unit_first_cited_date_start\tunit:related_unit_last_cited_date\t"
        "unit:related_unit_open\n"
        "zz-top\tTop Example Command\t\t\t\t\t\t\t\t\n"
        "zz-a\tExample Unit A\tchild\tzz-top\tTop Example Command\tCommand\t2013-01-\tY\t2017-\tE\n"
        "zz-b\tExample Unit B\tchild\tzz-a\tExample Unit A\tCommand\t2015\tN\t\tN\n",
        encoding="utf-8",
    )
    counts = run_json("import", "structure", str(slim), "--format", "sfm", "--db", case_url)
    assert counts["organizations"] == 3 and counts["compositions"] == 2
    levels = _chain(case_url, "zz-b", "2016-06-01")
    assert levels["zz-b"]["parents"] == ["zz-a"] and levels["zz-a"]["parents"] == ["zz-top"]
    # Partial real end "2017-" (E): possibly in force during 2017, not after.
    assert _chain(case_url, "zz-a", "2017-06-01")["zz-a"]["possible_parents"] == ["zz-top"]
    assert _chain(case_url, "zz-a", "2018-01-01")["zz-a"]["possible_parents"] == []


def test_bad_rows_are_all_named_and_nothing_is_imported(case_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "zz_units.csv").write_text(
        "unit:id:admin,unit:name,unit:related_unit_id:admin,unit:related_unit:confidence,"
        "unit:related_unit_first_cited_date,unit:related_unit_open\n"
        "zz-ok,Fine Example Unit,,,,\n"
        "zz-x,Example X,zz-ok,High,2013-13-,Q\n"
        ",Example without id,,,,\n"
        "zz-y,Example Y,,Very,2014,\n",
        encoding="utf-8",
    )
    (folder / "zz_persons.csv").write_text(
        "person:id:admin,person:name,person:posting_role\nzz-p,Placeholder (synthetic),Commander\n",
        encoding="utf-8",
    )
    result = run("import", "structure", str(folder), "--format", "sfm", "--db", case_url)
    assert result.exit_code == 1
    for expected in (
        "row 3, column unit:related_unit_first_cited_date (sheet zz_units.csv): "
        "'2013-13': month 13 does not exist",
        "row 3, column unit:related_unit_open (sheet zz_units.csv): must be one of Y, N, E",
        "row 4, column unit:id:admin (sheet zz_units.csv): missing id",
        "row 5, column unit:related_unit_id:admin (sheet zz_units.csv): no id of the unit",
        "row 5, column unit:related_unit:confidence (sheet zz_units.csv): must be High",
        "row 2, column person:posting_unit_id:admin (sheet zz_persons.csv): no id of the unit",
        "nothing was imported",
    ):
        assert expected in result.stderr, result.stderr
    doc = json.loads(run("export", "structure", "--db", case_url).stdout)
    assert doc["organizations"] == [] and doc["persons"] == []


_CLAIMS = {
    "relation": ("unit:relation_type", "unit:related_unit"),
    "location": ("unit:location", "unit:base_name"),
    "posting": ("person:posting",),
}
_IDS = ("unit:id:admin", "person:id:admin", "incident:id:admin", "location:id:admin")


def _facts(path: Path) -> dict[str, set[tuple[tuple[str, str], ...]]]:
    """What SFM's sheets say, claim by claim: each row split into its entity's cells and its
    relation, location or posting (with the entity's id), as sets; claims saying the same but
    for their sources merged into one citing all of them, as the import merges them."""
    merged: dict[tuple[str, tuple[tuple[str, str], ...]], dict[str, set[str]]] = {}
    for sheet in read_sheets(path):
        for _, cells in sheet.rows:
            ref = next((k, v) for k, v in cells.items() if k in _IDS)
            parts: dict[str, dict[str, str]] = {}
            for column, value in cells.items():
                claim = next((c for c, p in _CLAIMS.items() if column.startswith(p)), sheet.kind)
                if value:
                    parts.setdefault(claim, {})[column] = value
            for claim, part in parts.items():
                said = tuple(
                    sorted([ref, *((k, v) for k, v in part.items() if ":source" not in k)])
                )
                cited = merged.setdefault((claim, said), {})
                for k, v in part.items():
                    if ":source" in k:
                        cited.setdefault(k, set()).update(v.split(";"))
    out: dict[str, set[tuple[tuple[str, str], ...]]] = {}
    for (claim, said), cited in merged.items():
        out.setdefault(claim, set()).add(
            tuple(sorted([*said, *((k, ";".join(sorted(v))) for k, v in cited.items())]))
        )
    return out


def test_round_trip_sfm_to_sijill_to_sfm(case_url: str, tmp_path: Path) -> None:
    run_json("import", "structure", str(DATA), "--format", "sfm", "--db", case_url)
    out = tmp_path / "export.xlsx"
    result = run("export", "structure", "--format", "sfm", "--out", str(out), "--db", case_url)
    assert result.exit_code == 0, result.stderr
    exported = _facts(out)
    assert exported == _facts(DATA)
    assert {k: len(v) for k, v in exported.items()} == {
        "units": 6,
        "relation": 7,
        "location": 2,
        "persons": 3,
        "posting": 3,
        "incidents": 2,
        "locations": 2,
    }

    # Into a second case and out again: the same sheets, cell for cell.
    second = f"sqlite:///{tmp_path / 'second.db'}"
    run_json("import", "structure", str(out), "--format", "sfm", "--db", second)
    again = tmp_path / "again"
    result = run("export", "structure", "--format", "sfm", "--out", str(again), "--db", second)
    assert result.exit_code == 0, result.stderr
    assert _facts(again) == exported


def test_structure_written_in_sijill_goes_out_and_back(
    sqlite_case_url: str, tmp_path: Path
) -> None:
    from tests.command.sample import sample

    source = tmp_path / "structure.json"
    source.write_text(json.dumps(sample(), ensure_ascii=False), encoding="utf-8")
    run_json("import", "structure", "--create-sources", str(source), "--db", sqlite_case_url)
    original = json.loads(run("export", "structure", "--db", sqlite_case_url).stdout)
    out = tmp_path / "sfm"
    run("export", "structure", "--format", "sfm", "--out", str(out), "--db", sqlite_case_url)
    second = f"sqlite:///{tmp_path / 'second.db'}"
    run_json("import", "structure", str(out), "--format", "sfm", "--db", second)
    back = json.loads(run("export", "structure", "--db", second).stdout)

    def core(doc: dict, kind: str, keys: tuple[str, ...]) -> list[tuple]:
        dates = ("start_date", "end_date", "first_cited", "last_cited")
        return sorted(tuple(str(f.get(k) or "") for k in keys + dates) for f in doc[kind])

    for kind, keys in (
        ("compositions", ("parent_id", "child_id", "classification")),
        ("memberships", ("person_id", "organization_id", "role", "rank")),
    ):
        assert core(back, kind, keys) == core(original, kind, keys)


def _graph(db: str, *args: str) -> nx.DiGraph:
    result = run("export", "structure", "--format", "graphml", *args, "--db", db)
    assert result.exit_code == 0, result.stderr
    return nx.read_graphml(BytesIO(result.stdout_bytes))


def test_graphml_of_a_unit_reads_back_with_networkx(case_url: str) -> None:
    run_json("import", "structure", str(DATA), "--format", "sfm", "--db", case_url)
    graph = _graph(case_url, "--unit", "zz-11bde", "--all-time")
    assert set(graph.nodes) == {
        "zz-army",
        "zz-1div",
        "zz-2div",
        "zz-op-dawn",
        "zz-11bde",
        "zz-111bn",
    }
    assert set(graph.edges) == {
        ("zz-army", "zz-1div"),
        ("zz-army", "zz-2div"),
        ("zz-army", "zz-op-dawn"),
        ("zz-1div", "zz-11bde"),
        ("zz-2div", "zz-11bde"),
        ("zz-op-dawn", "zz-11bde"),
        ("zz-11bde", "zz-111bn"),
    }
    assert graph.nodes["zz-11bde"]["node_label"] == "11 Example Brigade"
    edge = graph.edges["zz-1div", "zz-11bde"]
    assert edge["edge_label"] == "2010-01-15 (Y) to 2014-06-30 (E)"
    assert graph.edges["zz-op-dawn", "zz-11bde"]["edge_label"] == "2015-02-10 (N) to None (None)"
    assert graph.edges["zz-op-dawn", "zz-11bde"]["classification"] == "member"

    on_day = _graph(case_url, "--unit", "zz-11bde", "--at", "2017-01-01")
    assert set(on_day.edges) == {
        ("zz-army", "zz-2div"),
        ("zz-army", "zz-op-dawn"),
        ("zz-2div", "zz-11bde"),
        ("zz-op-dawn", "zz-11bde"),
        ("zz-11bde", "zz-111bn"),  # last cited 2013 (N): may still hold
    }
    assert on_day.edges["zz-2div", "zz-11bde"]["possible"] is True
    assert on_day.edges["zz-army", "zz-2div"]["possible"] is False

    missing = run("export", "structure", "--format", "graphml", "--unit", "nope", "--db", case_url)
    assert missing.exit_code == 1 and "no organization with id 'nope'" in missing.stderr


def test_unit_page_offers_the_same_graphml(case_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from sijill.web import create_app
    from sijill.web.testing import add_user, logged_in_client

    monkeypatch.setenv("SIJILL_KEY", base64.b64encode(bytes(range(32))).decode())
    run_json("import", "structure", str(DATA), "--format", "sfm", "--db", case_url)
    add_user(case_url, "viewer", "viewer")
    client = logged_in_client(create_app(case_url), "viewer")
    page = client.get("/command/units/zz-11bde?at=2017-01-01")
    assert page.status_code == 200
    assert "/command/units/zz-11bde/graphml?all_time=true" in page.text
    answer = client.get("/command/units/zz-11bde/graphml", params={"all_time": "true"})
    assert answer.status_code == 200 and "zz-11bde.graphml" in answer.headers["content-disposition"]
    cli = run(
        "export",
        "structure",
        "--format",
        "graphml",
        "--unit",
        "zz-11bde",
        "--all-time",
        "--db",
        case_url,
    )
    assert answer.content == cli.stdout_bytes
    on_day = nx.read_graphml(
        BytesIO(client.get("/command/units/zz-11bde/graphml", params={"at": "2012-06-01"}).content)
    )
    assert set(on_day.nodes) == {"zz-army", "zz-1div", "zz-11bde", "zz-111bn", "zz-op-dawn"}
    assert client.get("/command/units/nope/graphml").status_code == 404


def test_template_defaults_alone_state_no_relation(sqlite_case_url: str, tmp_path: Path) -> None:
    rows = tmp_path / "zz_units.csv"
    rows.write_text(
        "unit:id:admin,unit:name,unit:relation_type,unit:related_unit_class,"
        "unit:related_unit_open,unit:location_type\n"
        "zz-top,Top Example Command,child,Command,N,aoo\n",
        encoding="utf-8",
    )
    counts = run_json("import", "structure", str(rows), "--format", "sfm", "--db", sqlite_case_url)
    assert counts["organizations"] == 1 and counts["compositions"] == 0 and counts["areas"] == 0


def test_rows_naming_a_unit_without_its_id(sqlite_case_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    (folder / "zz_units.csv").write_text(
        "unit:id:admin,unit:name,unit:related_unit\n"
        "zz-top,Top Example Command,\n"
        "zz-a,Example Unit A,Top Example Command\n"
        "zz-b,Twin Example Unit,\n"
        "zz-c,Twin Example Unit,\n",
        encoding="utf-8",
    )
    (folder / "zz_persons.csv").write_text(
        "person:id:admin,person:name,person:posting_unit,person:posting_role\n"
        "zz-p,Placeholder (synthetic),Example Unit A,Commander\n",
        encoding="utf-8",
    )
    counts = run_json(
        "import", "structure", str(folder), "--format", "sfm", "--db", sqlite_case_url
    )
    assert counts["compositions"] == 1 and counts["memberships"] == 1
    assert _chain(sqlite_case_url, "zz-a", "2020-01-01")["zz-a"]["commanders"] == ["zz-p"]
    (folder / "zz_persons.csv").write_text(
        "person:id:admin,person:name,person:posting_unit\n"
        "zz-q,Placeholder (synthetic),Twin Example Unit\n"
        "zz-r,Placeholder (synthetic),Missing Example Unit\n",
        encoding="utf-8",
    )
    refused = run("import", "structure", str(folder), "--format", "sfm", "--db", sqlite_case_url)
    assert (
        "row 2, column person:posting_unit_id:admin (sheet zz_persons.csv): no id, and 2 units"
        in refused.stderr
    )
    assert (
        "row 3, column person:posting_unit_id:admin (sheet zz_persons.csv): no id, and no unit"
        in refused.stderr
    )
