"""`sijill link`, `review`, `count` and `export records` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.linkage import stored_scores
from sijill.linkage.features import comparison_rows
from sijill.linkage.review import resolve_person
from sijill.linkage.scoring import ScoredPairs
from sijill.linkage.service import case_facts
from sijill.store.engine import transaction
from sijill.store.models import Person, Record, Source
from tests.linkage.helpers import import_synthetic, sijill, sijill_json


def _persons_by_record(db: str) -> dict[tuple[str, str], str]:
    result = sijill("export", "records", "--format", "csv", db=db)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {"source", "record_id", "person_id"} <= set(rows[0])
    return {(r["source"], r["record_id"]): r["person_id"] for r in rows}


def test_link_json_follows_formats_and_rerun_changes_nothing(case_url: str, tmp_path: Path) -> None:
    truth = import_synthetic(case_url, tmp_path)
    doc = sijill_json("link", db=case_url)
    assert {"records", "people"} <= set(doc)
    assert isinstance(doc["records"], int) and isinstance(doc["people"], int)
    assert doc["records"] == len(truth)  # every named record, nothing else
    assert 0 < doc["people"] <= doc["records"]
    first = _persons_by_record(case_url)
    assert all(first[key] for key in truth)  # every named record has its person
    unnamed = [k for k in first if k not in truth]
    assert unnamed and all(not first[k] for k in unnamed)  # unidentified / aggregate: never

    again = sijill_json("link", db=case_url)
    assert again["people"] == doc["people"]
    assert again["new_people"] == 0 and again["records_changed"] == 0
    assert _persons_by_record(case_url) == first


def test_review_decision_survives_a_rerun(case_url: str, tmp_path: Path) -> None:
    import_synthetic(case_url, tmp_path, n_people=200, seed=4)
    sijill_json("link", db=case_url)
    queue = sijill_json("review", db=case_url)
    assert queue["open"] > 0
    pair = queue["pairs"][0]
    assert {"field", "left", "right", "verdict"} <= set(pair["fields"][0])
    pair_id = pair["pair_id"]
    decided = sijill_json(
        "review",
        "--decide",
        str(pair_id),
        "same",
        "--why",
        "same family confirmed it",
        db=case_url,
    )
    assert decided["decision"] == "same"
    with transaction(case_url) as session:
        from sijill.linkage.models import LinkDecision, ReviewPair

        question = session.get(ReviewPair, pair_id)
        a, b = question.record_a_id, question.record_b_id
        entry = session.scalars(select(LinkDecision)).one()
        assert entry.why == "same family confirmed it" and entry.actor and entry.at
        ra, rb = session.get(Record, a), session.get(Record, b)
        assert ra.person_id == rb.person_id
        old_ids = {ra.person_id, rb.person_id}

    sijill_json("link", db=case_url)
    with transaction(case_url) as session:
        ra, rb = session.get(Record, a), session.get(Record, b)
        assert ra.person_id == rb.person_id  # must-link honoured by the new run
        for old in old_ids:  # old ids still lead to a live person
            assert resolve_person(session, old).merged_into_id is None

    # now say they are different: the next run keeps them apart
    sijill_json("review", "--decide", str(pair_id), "different", "--why", "ages", db=case_url)
    sijill_json("link", db=case_url)
    with transaction(case_url) as session:
        ra, rb = session.get(Record, a), session.get(Record, b)
        assert ra.person_id != rb.person_id
    queue = sijill_json("review", db=case_url)
    assert pair_id not in [p["pair_id"] for p in queue["pairs"]]

    # the terminal review: the first pair is shown side by side and answered "unsure"
    shown = CliRunner().invoke(
        build_app(), ["review", "--db", case_url, "--limit", "1"], input="u\nblurred photo\n"
    )
    assert shown.exit_code == 0, shown.stderr
    with transaction(case_url) as session:
        from sijill.linkage.models import LinkDecision

        answers = session.scalars(select(LinkDecision).order_by(LinkDecision.id)).all()
        assert [d.decision for d in answers] == ["same", "different", "unsure"]
        assert answers[-1].why == "blurred photo"


def test_actor_records_are_never_merged_automatically(case_url: str, tmp_path: Path) -> None:
    import_synthetic(case_url, tmp_path, n_people=40, seed=8)
    with transaction(case_url) as session:
        record = session.scalars(select(Record).where(Record.unidentified.is_(False))).first()
        actor = Person(display_name="Invented Actor (synthetic)", is_actor=True)
        session.add(actor)
        session.flush()
        record.person_id = actor.id
        actor_id, record_id = actor.id, record.id
    sijill_json("link", db=case_url)
    with transaction(case_url) as session:
        assert session.get(Record, record_id).person_id == actor_id
        others = session.scalars(select(Record).where(Record.person_id == actor_id)).all()
        assert [r.id for r in others] == [record_id]


def test_count_json_and_verification_policies(case_url: str, tmp_path: Path) -> None:
    import_synthetic(case_url, tmp_path, n_people=60, seed=2)
    sijill_json("link", db=case_url)
    for by in ("place", "date", "sex", "age-group", "source"):
        doc = sijill_json("count", "--by", by, db=case_url)
        assert set(doc) >= {"policy", "total", "groups"}
        assert doc["policy"] == "any-source"
        for group in doc["groups"]:
            assert set(group) >= {"key", "verified", "reported"}
            assert group["verified"] <= group["reported"]
    any_source = sijill_json("count", "--by", "sex", db=case_url)
    strict = sijill_json("count", "--by", "sex", "--policy", "two-independent-sources", db=case_url)
    assert strict["total"] < any_source["total"] == any_source["reported_total"]
    assert strict["reported_total"] == any_source["reported_total"]
    listed = sijill_json("count", "--by", "place", "--list-people", db=case_url)
    kinds = {p["kind"] for g in listed["groups"] for p in g["people"]}
    assert {"person", "aggregate"} <= kinds
    assert all(p["records"] for g in listed["groups"] for p in g["people"])


def test_unknown_policy_is_an_error_without_traceback(case_url: str) -> None:
    result = sijill("count", "--by", "place", "--policy", "nope", db=case_url)
    assert result.exit_code != 0
    assert "no policy" in result.stderr and "Traceback" not in result.stderr


def test_link_on_an_empty_case_and_an_unknown_engine(case_url: str) -> None:
    doc = sijill_json("link", db=case_url)
    assert doc["records"] == 0 and doc["people"] == 0
    result = sijill("link", "--engine", "nope", db=case_url)
    assert result.exit_code != 0 and "unknown linkage engine" in result.stderr


def test_an_age_dates_a_birth_by_its_lists_publication(sqlite_case_url: str) -> None:
    """`link`, the estimate's re-formed people and the review page read records one way
    (`case_facts`): an age with no date of death counts from the year its list was published."""
    with transaction(sqlite_case_url) as session:
        source = Source(name="Fictional List A", published="2020-05")
        session.add(source)
        session.flush()
        record = Record(
            source_id=source.id,
            record_id="r1",
            row_number=1,
            raw={},
            full_name="Testan Omar Zakour",
            age_min=30,
            age_max=30,
        )
        session.add(record)
        session.flush()
        (row,) = comparison_rows(case_facts(session, [record]))
    assert row["birth_year"] == 1990


def test_scores_are_stored_and_read_back_chunk_by_chunk(
    sqlite_case_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stored_scores, "_CHUNK", 3)  # ten pairs: four chunks, the last short
    with transaction(sqlite_case_url) as session:
        source = Source(name="Fictional List A")
        session.add(source)
        session.flush()
        records = [
            Record(source_id=source.id, record_id=f"r{i}", row_number=i, raw={}) for i in range(5)
        ]
        session.add_all(records)
        session.flush()
        ids = [r.id for r in records]
        pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]]
        scored = ScoredPairs.from_columns(
            [a for a, _ in pairs],
            [b for _, b in pairs],
            [i / 10 for i in range(len(pairs))],
            [i - 5.0 for i in range(len(pairs))],
        )
        stored_scores.store_scores(session, scored)
        stored_scores.store_scores(session, scored)  # replaces, never adds
        back = stored_scores.load_scores(session)
    assert len(back) == len(pairs) == 10
    for column in ("a", "b", "probability", "weight"):
        assert getattr(back, column).tolist() == getattr(scored, column).tolist()
