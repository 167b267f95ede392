"""Incidents: creation with allegations and citations, dates, linking records, GeoJSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sijill.command.importer import import_structure
from sijill.errors import NotFound, SijillError
from sijill.incidents.dates import date_span, range_span
from sijill.incidents.demo import build_demo_incidents
from sijill.incidents.geojson import incidents_geojson
from sijill.incidents.linking import link_records, review_link, score_link
from sijill.incidents.models import IncidentRecord, ViolationType
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput, create_incident
from sijill.incidents.service import show_incident
from sijill.incidents.vocabulary import add_violation_type, seed_vocabulary
from sijill.places.store import resolve_record_places
from sijill.store.engine import transaction
from sijill.store.models import Record, Source
from tests.incidents.geojson_schema import FEATURE_COLLECTION


def test_partial_dates_stand_for_their_span() -> None:
    assert date_span("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert date_span("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert range_span("2025-03-07", "2025-03") == (date(2025, 3, 7), date(2025, 3, 31))
    assert range_span("2025-03", None) == (date(2025, 3, 1), date(2025, 3, 31))
    with pytest.raises(SijillError):
        date_span("7 March")
    with pytest.raises(SijillError):
        range_span("2025-03-09", "2025-03-07")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_every_partial_form_of_a_day_covers_it(day: date) -> None:
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]):
        span = date_span(text)
        assert span is not None and span[0] <= day <= span[1]


def test_link_score_needs_dates_that_can_overlap() -> None:
    span = (date(2025, 3, 7), date(2025, 3, 9))
    assert score_link("same", (date(2025, 3, 8), date(2025, 3, 8)), span) == 1.0
    assert score_link("same", (date(2025, 3, 1), date(2025, 3, 31)), span) == 0.9
    assert score_link("same", (date(2025, 4, 1), date(2025, 4, 1)), span) == 0.0
    assert score_link("area", (None, None), span) == 0.4


def test_vocabulary_is_seeded_bilingual_hierarchical_and_editable(case_url: str) -> None:
    with transaction(case_url) as session:
        execution = session.scalar(
            select(ViolationType).where(ViolationType.code == "killing.summary_execution")
        )
        assert execution is not None and execution.label_ar == "إعدام ميداني"
        parent = session.get(ViolationType, execution.parent_id)
        assert parent is not None and parent.code == "killing"
        added = add_violation_type(session, "killing.burning", "Burning alive", "حرق أحياء")
        assert added.parent_id == parent.id
        with pytest.raises(NotFound):
            add_violation_type(session, "nothing.child", "x", "y")
        assert seed_vocabulary(session.connection()) == 0  # seeding again adds nothing


def _source(session, name: str = "Report A (fictional)") -> Source:  # type: ignore[no-untyped-def]
    source = Source(name=name, kind="report")
    session.add(source)
    session.flush()
    return source


def test_incident_claims_are_allegations_with_citations(case_url: str) -> None:
    with transaction(case_url) as session:
        build_demo_incidents(session)  # loads the demo gazetteer too
        import_structure(session, {"organizations": [{"id": "u-fict-9"}, {"id": "u-fict-10"}]})
        _source(session)
        cite = [CitationInput("Report A (fictional)", "p. 4", "high")]
        incident = create_incident(
            session,
            IncidentInput(
                title="Killings at Tell Wahmi (fictional)",
                places=["Tal Wahmi"],  # a variant spelling, matched through the gazetteer
                start_date="2025-03",
                violations=["killing.summary_execution", "property.arson_of_homes"],
                characterizations=["cah.murder", "wc.murder"],
                victim_count=7,
                victim_citations=cite,
                perpetrators=[
                    PerpetratorInput(
                        organization_ref="u-fict-9",
                        involvement="ordered",
                        status="corroborated",
                        citations=cite,
                    ),
                    PerpetratorInput(person_id=None, organization_ref="u-fict-10"),
                ],
                citations=cite,
                parent="demo-wave",
            ),
        )
        doc = show_incident(session, incident.id)
    assert doc["places"][0]["external_id"] == "demo:v02"
    assert doc["start_day"] == "2025-03-01" and doc["end_day"] == "2025-03-31"
    assert doc["victims"]["documented"] == 7 and doc["victims"]["named"] == 0
    assert doc["victims"]["unnamed_groups"][0]["citations"][0]["locator"] == "p. 4"
    ordered = doc["perpetrators"][0]
    assert ordered["involvement"] == "ordered" and ordered["allegation_status"] == "corroborated"
    assert ordered["wording"].startswith("alleged")
    assert ordered["citations"][0]["confidence"] == "high"
    assert doc["perpetrators"][1]["wording"] == "alleged"
    assert {c["article"] for c in doc["characterizations"]} == {"7(1)(a)", "8(2)(c)(i)"}
    assert all("not a judicial finding" in c["wording"] for c in doc["characterizations"])
    assert doc["parent_id"] is not None


def test_bad_claims_are_refused(case_url: str) -> None:
    with transaction(case_url) as session:
        with pytest.raises(SijillError):
            create_incident(
                session,
                IncidentInput(
                    title="x", perpetrators=[PerpetratorInput("u-1", involvement="cheered")]
                ),
            )
    with transaction(case_url) as session:
        with pytest.raises(NotFound):
            create_incident(session, IncidentInput(title="x", violations=["no.such.term"]))
    with transaction(case_url) as session:
        with pytest.raises(NotFound):
            create_incident(session, IncidentInput(title="x", places=["Atlantis"]))


def test_records_are_linked_by_place_and_date_and_reviews_stick(case_url: str) -> None:
    with transaction(case_url) as session:
        build_demo_incidents(session)
        source = _source(session, "list-b")
        rows = [
            ("1", "Ain al-Khayal", date(2025, 3, 7), "Ali (fictional)", False),  # demo-i-01
            ("2", "عين الخيال", None, "Hasan (fictional)", False),  # no date: weaker, proposed
            ("3", "Ain al-Khayal", date(2025, 4, 2), "Omar (fictional)", False),  # wrong date
            ("4", "Tell Wahmi", date(2025, 3, 7), None, True),  # unidentified, demo-i-02
            ("5", "Latakia", date(2025, 3, 7), "Sami (fictional)", False),  # area only
        ]
        for rid, place, day, name, unidentified in rows:
            session.add(
                Record(
                    source_id=source.id,
                    record_id=rid,
                    row_number=int(rid),
                    raw={},
                    place_of_death=place,
                    death_start=day,
                    death_end=day,
                    full_name=name,
                    unidentified=unidentified,
                )
            )
        session.flush()
        resolve_record_places(session)
        first = link_records(session)
        links = {
            (link.record_id, link.incident_id): link
            for link in session.scalars(select(IncidentRecord))
        }
        by_record = {}
        for (record_id, _), link in links.items():
            record = session.get(Record, record_id)
            assert record is not None
            by_record.setdefault(record.record_id, []).append(link)
        assert "3" not in by_record  # the date excludes it
        # only the district above the village: proposed, less surely, for review
        assert [link.score for link in by_record["5"]] == [0.7]
        assert len(by_record["1"]) == 1 and by_record["1"][0].score == 1.0
        assert by_record["2"][0].score < by_record["1"][0].score
        assert first.proposed == len(links)
        review_link(session, by_record["1"][0].id, "confirmed", actor="tester", why="same village")
        review_link(session, by_record["4"][0].id, "confirmed", actor="tester")
        review_link(session, by_record["2"][0].id, "rejected", actor="tester")
        again = link_records(session)
        assert again.proposed == 0 and again.kept_decisions == 3 and again.updated == 1
        assert session.get(IncidentRecord, by_record["2"][0].id).status == "rejected"  # type: ignore[union-attr]
        doc = show_incident(session, "demo-i-01")
        assert doc["victims"]["named"] == 1 and doc["victims"]["documented"] == 15
        assert show_incident(session, "demo-i-02")["victims"]["documented"] == 10


def test_geojson_validates_opens_in_geopandas_and_public_mode_suppresses(
    case_url: str, tmp_path: Path
) -> None:
    with transaction(case_url) as session:
        build_demo_incidents(session)
        create_incident(
            session,
            IncidentInput(
                title="internal only, two places",
                places=["demo:v30", "demo:v31"],
                start_date="2025-03-08",
                victim_count=40,
                access="internal",
            ),
        )
        full = incidents_geojson(session)
        public = incidents_geojson(session, public=True)
    for doc in (full, public):
        jsonschema.validate(doc, FEATURE_COLLECTION)
        assert doc["synthetic_demo_data"] is True
        path = tmp_path / "incidents.geojson"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        frame = geopandas.read_file(path)
        assert len(frame) == len(doc["features"])
    assert len(full["features"]) == len(public["features"]) + 1
    two = next(f for f in full["features"] if f["properties"]["title"].endswith("two places"))
    assert two["geometry"]["type"] == "MultiPoint" and len(two["geometry"]["coordinates"]) == 2
    assert two["properties"]["victims_documented"] == 40
    by_id = {f["properties"]["external_id"]: f["properties"] for f in public["features"]}
    assert by_id["demo-i-03"]["victims_documented"] == "<5"
    assert by_id["demo-i-04"]["victims_documented"] == 22
    assert by_id["demo-wave"]["victims_documented"] == 0
    assert by_id["demo-wave"]["victims_documented_with_sub_incidents"] == 84
    assert by_id["demo-i-04"]["alleged_perpetrator_units"] == ["u-demo-cedar"]
    assert by_id["demo-i-04"]["perpetrator_allegations"][0]["wording"] == "alleged"
    assert "person_id" not in by_id["demo-i-04"]["perpetrator_allegations"][0]
    assert all(p["synthetic"] for p in by_id.values())
    assert "withheld" in public and "withheld" not in full
