"""Records entered by hand and corrected, through the library and ``sijill count --as-of``:
the same derived columns an import gives, the earlier state kept, and the count of a moment
before a correction (or before an entry) giving the figures of then."""

from __future__ import annotations

from pathlib import Path

from sijill.records.entry import correct_record, enter_record, history
from sijill.records.importer import import_list
from sijill.store.base import utcnow
from sijill.store.engine import transaction
from sijill.store.models import Record
from tests.linkage.helpers import sijill_json

LIST = "record_id,الاسم,العمر\nq1,Qais Entryfield Fictional,40\n"


def _by_age(db: str, *extra: str) -> dict[str, int]:
    doc = sijill_json("count", "--by", "age-group", *extra, db=db)
    return {g["key"]: g["reported"] for g in doc["groups"]}


def test_entered_and_corrected_records_count_as_they_stood(case_url: str, tmp_path: Path) -> None:
    path = tmp_path / "mapped.csv"
    path.write_text(LIST, encoding="utf-8")
    with transaction(case_url) as session:
        import_list(session, path, source="Entry list (fictional)", actor="test")
    before_entry = utcnow()
    with transaction(case_url) as session:
        entered = enter_record(
            session,
            "Entry list (fictional)",
            {"record_id": "h1", "full_name": "Lina Entryfield Fictional", "age": "طفل"},
            actor="test",
        )
        assert (entered.age_max, entered.row_number) == (17, 3)  # "طفل" read as an import
    after_entry = utcnow()
    with transaction(case_url) as session:
        record = session.query(Record).filter_by(record_id="q1").one()
        correct_record(session, record, {"age": "65"}, why="the list mistyped the age")
        assert record.raw["العمر"] == "65"  # the list's own column, mapped by its header
        assert [v.why for v in history(session, record)] == [None, "the list mistyped the age"]

    now = _by_age(case_url)
    assert now == {"child (0-17)": 1, "elderly (60+)": 1}
    assert _by_age(case_url, "--as-of", after_entry.isoformat()) == {
        "child (0-17)": 1,
        "adult (18-59)": 1,
    }
    assert _by_age(case_url, "--as-of", before_entry.isoformat()) == {"adult (18-59)": 1}
