"""Fictional incidents for the bundled demo (SYNTHETIC: invented villages and units).

Used by ``make demo``: a wave of killings over three days at villages of the demo gazetteer,
split into sub-incidents; every incident is marked synthetic. The units alleged are the demo
command structure's (``sijill/demo/structure.json``), imported first when the case lacks them.
"""

from __future__ import annotations

import json
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.command.importer import import_structure
from sijill.command.models import Organization
from sijill.incidents.linking import link_records
from sijill.incidents.models import Incident
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput, create_incident
from sijill.places.loaders import read_demo_gazetteer
from sijill.places.models import Place
from sijill.places.store import resolve_record_places, store_places
from sijill.store.models import Record, Source

DEMO_SOURCE = "Demo report (synthetic)"
DEMO_UNITS = ("u-demo-falcon", "u-demo-cedar", "u-demo-river")  # invented unit ids

# (external id, village id in the demo gazetteer, day, violations, unnamed count, unit, involvement)
_SUB_INCIDENTS = (
    ("demo-i-01", "demo:v01", "2025-03-07", ["killing.summary_execution"], 14, 0, "carried_out"),
    (
        "demo-i-02",
        "demo:v02",
        "2025-03-07",
        ["killing", "property.arson_of_homes"],
        9,
        0,
        "carried_out",
    ),
    ("demo-i-03", "demo:v03", "2025-03-07", ["killing", "property.looting"], 3, 1, "present"),
    (
        "demo-i-04",
        "demo:v06",
        "2025-03-08",
        ["killing.summary_execution", "ill_treatment.mutilation"],
        22,
        1,
        "carried_out",
    ),
    (
        "demo-i-05",
        "demo:v07",
        "2025-03-08",
        ["killing", "deprivation_of_liberty.enforced_disappearance"],
        6,
        2,
        "carried_out",
    ),
    (
        "demo-i-06",
        "demo:v09",
        "2025-03-08",
        ["property.religious_sites", "property.looting"],
        0,
        2,
        "carried_out",
    ),
    ("demo-i-07", "demo:v14", "2025-03-09", ["killing", "displacement"], 11, 0, "ordered"),
    (
        "demo-i-08",
        "demo:v18",
        "2025-03-09",
        ["killing.summary_execution", "mass_grave"],
        17,
        1,
        "carried_out",
    ),
    (
        "demo-i-09",
        "demo:v23",
        "2025-03-09",
        ["intimidation.survivors", "property.seizure"],
        2,
        2,
        "present",
    ),
)


def ensure_demo_gazetteer(session: Session) -> None:
    """Load the bundled demo gazetteer unless it is there already."""
    if session.scalar(select(Place.id).where(Place.external_id == "demo:v01")) is None:
        store_places(session, read_demo_gazetteer(), "demo")


def ensure_demo_structure(session: Session) -> None:
    """Import the demo command structure unless its units are there already."""
    if session.scalar(select(Organization.id).where(Organization.external_id == DEMO_UNITS[0])):
        return
    text = resources.files("sijill.demo").joinpath("structure.json").read_text("utf-8")
    doc = json.loads(text)
    doc.pop("_note", None)
    import_structure(session, doc, origin="demo structure (synthetic)", create_sources=True)


def build_demo_incidents(session: Session) -> list[Incident]:
    """Create the demo incidents (idempotent: an existing demo wave is returned unchanged).

    When the case already holds records, their places are resolved and record → incident links
    are proposed (for a person to review; none is confirmed here)."""
    existing = session.scalar(select(Incident).where(Incident.external_id == "demo-wave"))
    if existing is not None:
        return list(session.scalars(select(Incident).where(Incident.external_id.like("demo-%"))))
    ensure_demo_gazetteer(session)
    if session.scalar(select(Source).where(Source.name == DEMO_SOURCE)) is None:
        session.add(
            Source(
                name=DEMO_SOURCE,
                kind="report",
                publisher="Sijill demo (fictional)",
                access="public",
                notes="SYNTHETIC demo source: invented places, units and events.",
            )
        )
        session.flush()
    ensure_demo_structure(session)  # citing the public demo report created above
    cite = [CitationInput(DEMO_SOURCE, "synthetic section 1", "medium")]
    wave = create_incident(
        session,
        IncidentInput(
            title="Wave of killings in the demo villages (synthetic)",
            title_ar="موجة قتل في القرى التجريبية (بيانات مصطنعة)",
            description=(
                "SYNTHETIC demo data: invented villages and units. The wave has no place of its"
                " own; its sub-incidents carry the places."
            ),
            external_id="demo-wave",
            start_date="2025-03-07",
            end_date="2025-03-09",
            violations=["killing"],
            characterizations=["cah.murder", "wc.murder"],
            citations=cite,
            access="public",
            synthetic=True,
        ),
        actor="demo",
    )
    made = [wave]
    for ext, village, day, violations, count, unit, involvement in _SUB_INCIDENTS:
        place = session.scalar(select(Place).where(Place.external_id == village))
        assert place is not None
        made.append(
            create_incident(
                session,
                IncidentInput(
                    title=f"Incident at {place.name_latin} (synthetic)",
                    title_ar=f"حادثة في {place.name_ar} (بيانات مصطنعة)",
                    external_id=ext,
                    parent="demo-wave",
                    places=[village],
                    start_date=day,
                    violations=violations,
                    victim_count=count or None,
                    victim_citations=cite,
                    perpetrators=[
                        PerpetratorInput(
                            organization_ref=DEMO_UNITS[unit],
                            involvement=involvement,
                            status="alleged",
                            citations=cite,
                        )
                    ],
                    citations=cite,
                    access="public",
                    synthetic=True,
                ),
                actor="demo",
            )
        )
    if session.scalar(select(Record.id).limit(1)) is not None:
        resolve_record_places(session)
        link_records(session, actor="demo")
    return made
