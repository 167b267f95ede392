"""Loading gazetteers and resolving records' places, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sijill.errors import ImportRejected, NotFound
from sijill.places.loaders import (
    read_demo_gazetteer,
    read_geonames,
    read_opensyria,
    read_places_csv,
)
from sijill.places.models import Place, RecordPlace
from sijill.places.store import (
    find_place,
    load_index,
    remember_mapping,
    resolve_record_places,
    store_places,
    write_unresolved_report,
)
from sijill.store.engine import transaction
from sijill.store.models import Record, Source
from tests.shared_data import SHARED_DATA

GEO = SHARED_DATA / "geo"

GEONAMES_SAMPLE = "\n".join(
    "\t".join(row)
    for row in [
        [
            "100",
            "Muhafazat Tartus",
            "Muhafazat Tartus",
            "Tartous,Tartus",
            "34.9",
            "36.0",
            "A",
            "ADM1",
            "SY",
            "",
            "10",
            "",
            "",
            "",
            "0",
            "",
            "10",
            "Asia/Damascus",
            "2024-01-01",
        ],
        [
            "101",
            "Mintaqat Baniyas",
            "Mintaqat Baniyas",
            "Banyas District",
            "35.1",
            "35.9",
            "A",
            "ADM2",
            "SY",
            "",
            "10",
            "1002",
            "",
            "",
            "0",
            "",
            "10",
            "Asia/Damascus",
            "2024-01-01",
        ],
        [
            "102",
            "Qaryat Fiktiya",
            "Qaryat Fiktiya",
            "Fiktiyeh,Fiktiya",
            "35.2",
            "36.0",
            "P",
            "PPL",
            "SY",
            "",
            "10",
            "1002",
            "",
            "",
            "0",
            "",
            "10",
            "Asia/Damascus",
            "2024-01-01",
        ],
        [
            "103",
            "Some Hill",
            "Some Hill",
            "",
            "35.2",
            "36.0",
            "T",
            "HLL",
            "SY",
            "",
            "10",
            "1002",
            "",
            "",
            "0",
            "",
            "10",
            "Asia/Damascus",
            "2024-01-01",
        ],
    ]
)
ALTERNATE_SAMPLE = "1\t102\tar\tقرية فكتية\t1\t\t\t\t\t\n2\t102\ten\tFiktiya Village\t\t\t\t\t\t\n"


def test_opensyria_files_load_with_hierarchy() -> None:
    places = read_opensyria(GEO)
    kinds = {p.type for p in places}
    assert kinds == {"governorate", "district", "subdistrict"}
    assert len(places) == 14 + 62 + 272
    banyas = next(p for p in places if p.external_id == "opensyria:sy-tartus-baniyas-banyas")
    assert banyas.parent_external_id == "opensyria:sy-tartus-baniyas"
    assert banyas.pcode == "SY100200" and banyas.latitude and banyas.name_ar
    assert any(name == "Baniyas" for name, _ in banyas.aliases)


def test_geonames_dump_with_alternate_names(tmp_path: Path) -> None:
    dump = tmp_path / "SY.txt"
    dump.write_text(GEONAMES_SAMPLE + "\n", encoding="utf-8")
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text(ALTERNATE_SAMPLE, encoding="utf-8")
    places = {p.external_id: p for p in read_geonames(dump, alt)}
    assert set(places) == {"geonames:100", "geonames:101", "geonames:102"}  # the hill is left out
    village = places["geonames:102"]
    assert village.type == "village" and village.parent_external_id == "geonames:101"
    assert village.name_ar == "قرية فكتية"
    assert ("Fiktiyeh", None) in village.aliases
    assert places["geonames:101"].parent_external_id == "geonames:100"
    assert read_geonames(dump, country="LB") == []


def test_csv_rejects_bad_rows_naming_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "places.csv"
    path.write_text("id,name_latin,type\n1,Tell Fikti,village\n2,Somewhere,planet\n", "utf-8")
    with pytest.raises(ImportRejected) as err:
        read_places_csv(path)
    assert "row 3, column type" in str(err.value)


def test_demo_gazetteer_is_synthetic_coastal_villages() -> None:
    places = read_demo_gazetteer()
    villages = [p for p in places if p.type in ("village", "town")]
    assert len(villages) >= 40 and all(p.synthetic for p in villages)
    assert {p.name_latin for p in places if p.type == "governorate"} == {"Latakia", "Tartus"}
    for p in villages:
        assert 34.6 < (p.latitude or 0) < 36.0 and 35.7 < (p.longitude or 0) < 36.4


def _add_records(session, rows: list[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    source = Source(name="list-a", kind="list")
    session.add(source)
    session.flush()
    for number, row in enumerate(rows, start=1):
        session.add(
            Record(source_id=source.id, record_id=str(number), row_number=number, raw=row, **row)
        )
    session.flush()


def test_store_match_remember_and_resolve_records(case_url: str, tmp_path: Path) -> None:
    with transaction(case_url) as session:
        first = store_places(session, read_opensyria(GEO), "opensyria")
        demo = store_places(session, read_demo_gazetteer(), "demo")
        assert first.added == 348 and demo.added >= 52
        again = store_places(session, read_demo_gazetteer(), "demo")
        assert again.added == 0 and again.updated == demo.added
        assert session.scalar(select(func.count()).select_from(Place)) == 348 + demo.added
        _add_records(
            session,
            [
                {"place_of_death": "Ein el-Khayal", "governorate": "Latakia"},
                {"place_of_death": "عين الخيال"},
                {"place_of_death": "Tal Wahmi", "district": "Jableh"},
                {"place_of_death": "Qaryat Majhula"},  # not in any gazetteer
                {"place_of_death": "Qaryat Majhula"},
                {"place_of_death": ""},
            ],
        )
        summary = resolve_record_places(session)
        assert summary.records == 5 and summary.resolved == 3
        assert summary.unresolved[0]["text"] == "Qaryat Majhula"
        assert summary.unresolved[0]["records"] == 2
        report = tmp_path / "unresolved.csv"
        write_unresolved_report(summary.unresolved, report)
        assert "Qaryat Majhula" in report.read_text("utf-8")

        remember_mapping(session, "Qaryat Majhula", "demo:v10", why="told by a family")
        summary = resolve_record_places(session)
        assert summary.resolved == 5 and summary.unresolved == []
        methods = set(session.scalars(select(RecordPlace.method)))
        assert "manual" in methods
    with transaction(case_url) as session:
        # the mapping is remembered across sessions and used first
        match = load_index(session).match("qaryat  majhula")
        assert match.method == "manual"
        place = session.get(Place, match.place_id)
        assert place is not None and place.external_id == "demo:v10"


def test_a_mapping_stored_under_an_earlier_key_still_applies(case_url: str) -> None:
    """A remembered mapping is found by its text, whatever folding keyed it when it was stored
    (the key of a text with a hamza was ``ساحه شهداء`` before the names layer's folding)."""
    with transaction(case_url) as session:
        store_places(session, read_demo_gazetteer(), "demo")
        mapping = remember_mapping(session, "ساحة الشهداء", "demo:v10")
        mapping.text_key = "ساحه شهداء"
    with transaction(case_url) as session:
        match = load_index(session).match("ساحة الشهداء")
        assert match.method == "manual"
        place = session.get(Place, match.place_id)
        assert place is not None and place.external_id == "demo:v10"


def test_a_long_number_names_no_place_and_is_a_clear_error(case_url: str) -> None:
    """A digit string too long for an id is looked up as an external id (no database error)."""
    with transaction(case_url) as session, pytest.raises(NotFound, match="no place"):
        find_place(session, "12345678901234567890")
