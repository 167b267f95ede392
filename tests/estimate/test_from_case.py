"""Capture histories from a linked case built with the ORM, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from itertools import product
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.errors import SijillError
from sijill.estimate.from_case import age_group, capture_data_from_case
from sijill.store.engine import transaction
from sijill.store.models import Person, Record, Source

# Fictional lists and people (visibly invented): pattern over lists A, B, C -> number of people.
PATTERNS = {
    (1, 0, 0): 9,
    (0, 1, 0): 7,
    (0, 0, 1): 6,
    (1, 1, 0): 4,
    (1, 0, 1): 3,
    (0, 1, 1): 2,
    (1, 1, 1): 2,
}


def build_case(url: str) -> None:
    """Lists A, B, C; "C v2" is a version of C; D is derived from A. Persons linked."""
    with transaction(url) as session:
        a, b, c = (Source(name=f"Fictional List {x}") for x in "ABC")
        session.add_all([a, b, c])
        session.flush()
        c2 = Source(name="Fictional List C v2", version_of_id=c.id)
        d = Source(name="Fictional List D", derived_from=[a.id])
        session.add_all([c2, d])
        session.flush()
        row = 0

        def record(source: Source, person: Person | None, sex: str | None = None) -> None:
            nonlocal row
            row += 1
            session.add(
                Record(
                    source_id=source.id,
                    record_id=f"r{row}",
                    row_number=row,
                    raw={"full_name": "Invented Name"},
                    person_id=person.id if person else None,
                    sex=sex,
                )
            )

        index = 0
        for pattern, count in PATTERNS.items():
            for _ in range(count):
                index += 1
                person = Person(display_name=f"Invented Person {index}", is_victim=True)
                session.add(person)
                session.flush()
                sex = "F" if index % 2 else "M"
                # list C's people appear in its second version instead, A's sometimes in D
                on = [a if index % 3 else d, b, c2 if index % 2 else c]
                for flag, source in zip(pattern, on, strict=True):
                    if flag:
                        record(source, person, sex)
        # a duplicate person later merged into person 1 (on list A only): adds B to its pattern
        first = session.query(Person).order_by(Person.id).first()
        dup = Person(display_name="Invented Duplicate", merged_into_id=first.id)
        session.add(dup)
        session.flush()
        record(b, dup, "F")
        record(a, None)
        record(b, None)
        row += 1
        session.add(Record(source_id=c.id, record_id="agg", row_number=row, raw={}, count=7))


def expected_counts(merged_first: bool = True) -> dict[tuple[int, int, int], int]:
    counts = dict(PATTERNS)
    if merged_first:  # person 1 had pattern (1,0,0); the merged duplicate adds list B
        counts[(1, 0, 0)] -= 1
        counts[(1, 1, 0)] += 1
    return counts


def test_patterns_follow_links_merges_and_dependent_sources(case_url: str) -> None:
    build_case(case_url)
    with transaction(case_url) as session:
        data, notes = capture_data_from_case(session)
    assert data.lists == (
        "Fictional List A+Fictional List D",
        "Fictional List B",
        "Fictional List C+Fictional List C v2",
    )
    table = data.total
    for pattern in product((0, 1), repeat=3):
        if any(pattern):
            index = sum(bit << j for j, bit in enumerate(pattern))
            assert table.counts[index] == expected_counts().get(pattern, 0), pattern
    assert any("2 record(s) not linked" in n for n in notes)
    assert any("1 aggregate record(s)" in n for n in notes)
    assert any("merged" in n for n in notes)


def test_sources_can_stay_apart_or_be_chosen_and_merged(case_url: str) -> None:
    build_case(case_url)
    with transaction(case_url) as session:
        apart, _ = capture_data_from_case(session, merge_dependent=False)
        chosen, _ = capture_data_from_case(
            session,
            lists=["Fictional List A", "Fictional List B", "Fictional List C"],
            merge=[["Fictional List A", "Fictional List B"]],
        )
        by_sex, _ = capture_data_from_case(session, stratum="sex")
        with pytest.raises(SijillError, match="no source named"):
            capture_data_from_case(session, lists=["Nowhere List", "Fictional List B"])
    assert len(apart.lists) == 5
    assert chosen.lists == ("Fictional List A+Fictional List B", "Fictional List C")
    assert set(by_sex.strata) == {"F", "M"}
    assert by_sex.total.observed == sum(PATTERNS.values())


def test_cli_from_case_json(case_url: str) -> None:
    build_case(case_url)
    result = CliRunner().invoke(
        build_app(),
        ["estimate", "--from-case", "--db", case_url, "--method", "loglinear", "--json"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "loglinear" and doc["observed"] == sum(PATTERNS.values())
    assert doc["lists"][0] == "Fictional List A+Fictional List D"
    assert any("not linked" in w for w in doc["warnings"])


def test_cli_from_case_by_stratum_with_plots(sqlite_case_url: str, tmp_path: Path) -> None:
    build_case(sqlite_case_url)
    out = tmp_path / "figures"
    args = ["estimate", "--from-case", "--db", sqlite_case_url, "--method", "dga"]
    args += ["--strata", "sex", "--plots", str(out), "--json", "--seed", "3"]
    result = CliRunner().invoke(build_app(), args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["stratum"] for s in doc["strata"]] == ["F", "M"]
    assert sum(s["observed"] for s in doc["strata"]) == doc["observed"]
    assert (out / "strata.svg").exists() and (out / "posterior.png").exists()


def test_age_groups() -> None:
    assert age_group(5, 9) == "child"
    assert age_group(30, 40) == "adult"
    assert age_group(70, None) == "elderly"
    assert age_group(15, 25) is None
    assert age_group(None, None) is None


def test_sources_without_linked_records_are_not_lists(sqlite_case_url: str) -> None:
    build_case(sqlite_case_url)
    with transaction(sqlite_case_url) as session:
        session.add(Source(name="Fictional report (no list)", kind="report"))
    with transaction(sqlite_case_url) as session:
        data, _notes = capture_data_from_case(session)
    assert all("report" not in name for name in data.lists)
    assert len(data.lists) == 3
