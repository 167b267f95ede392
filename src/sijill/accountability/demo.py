"""SYNTHETIC demo proceedings about the demo incidents, units and persons (all invented).

They tell the story the status table is for: a national inquiry committee that named suspects,
an international commission, a denial, a restricted investigation, a commander alleged in the
wave and promoted since, and the date someone last looked for charges against him.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.accountability.models import Proceeding
from sijill.accountability.service import ProceedingInput, add_proceeding
from sijill.command import resolve
from sijill.incidents.demo import DEMO_SOURCE, build_demo_incidents
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput, save_incident

DEMO_COMMANDER = "p-demo-2"  # commanded u-demo-falcon at the wave, a division since (invented)


def _proceedings() -> list[ProceedingInput]:
    items = [
        ProceedingInput(
            external_id="demo-acc-statement",
            kind="official_statement",
            stance="deny",
            title="Ministry of Defence denies any operation in the demo villages (synthetic)",
            title_ar="وزارة الدفاع تنفي أي عملية في القرى التجريبية (بيانات مصطنعة)",
            body="Ministry of Defence (fictional)",
            start_date="2025-03-10",
            incidents=["demo-wave"],
            units=["u-demo-falcon", "u-demo-river"],
            access="public",
        ),
        ProceedingInput(
            external_id="demo-acc-nic",
            kind="national_inquiry",
            title="National inquiry committee into the demo villages events (synthetic)",
            title_ar="لجنة التحقيق الوطنية في أحداث القرى التجريبية (بيانات مصطنعة)",
            body="Ministry of Justice (fictional)",
            start_date="2025-04-01",
            end_date="2025-12-31",
            mandate="Establish the facts of 7-9 March 2025 and name those responsible (synthetic)",
            members=["Judge Fictive Alpha", "Lawyer Example Beta", "Professor Invented Gamma"],
            extensions=[{"date": "2025-09-30", "until": "2025-12-31"}],
            findings=[
                {"text": "suspects named in a confidential annex", "figures": {"suspects": 298}},
                {"text": "deaths the committee counted", "figures": {"deaths": 37}},
            ],
            incidents=["demo-wave"],
            units=["u-demo-falcon"],
            access="public",
        ),
        ProceedingInput(
            external_id="demo-acc-coi",
            kind="international_inquiry",
            title="Commission of inquiry report on the demo villages (synthetic)",
            body="International commission of inquiry (fictional)",
            start_date="2025-10",
            findings=[
                {
                    "text": "reasonable grounds to believe crimes against humanity were committed",
                    "figures": {},
                }
            ],  # fmt: skip
            incidents=["demo-wave"],
            access="public",
        ),
        ProceedingInput(
            external_id="demo-acc-investigation",
            kind="criminal_investigation",
            title="Investigation opened by a foreign prosecutor (synthetic)",
            body="Prosecutor of a fictional state",
            start_date="2025-11",
            incidents=["demo-i-05"],
            units=["u-demo-river"],
            access="restricted",
        ),
        ProceedingInput(
            external_id="demo-acc-check",
            kind="status_check",
            title="Court and press records searched: no charge found (synthetic)",
            start_date="2026-01-15",
            persons=[DEMO_COMMANDER],
            access="internal",
        ),
    ]
    for item in items:
        item.citations = [CitationInput(DEMO_SOURCE, "synthetic section 4", "medium")]
        item.synthetic = True
    return items


def build_demo_proceedings(session: Session) -> int:
    """Allege the demo commander in the demo wave and record the demo proceedings (idempotent:
    nothing is added when they are there). Returns how many proceedings the demo holds."""
    items = _proceedings()
    known = set(session.scalars(select(Proceeding.external_id)))
    if all(i.external_id in known for i in items):
        return len(items)
    build_demo_incidents(session)
    commander = resolve.actor(session, DEMO_COMMANDER)
    save_incident(
        session,
        IncidentInput(
            external_id="demo-wave",
            perpetrators=[
                PerpetratorInput(
                    person_id=commander.id,
                    status="alleged",
                    citations=[CitationInput(DEMO_SOURCE, "synthetic section 2", "medium")],
                )
            ],
        ),
        actor="demo",
    )
    for item in items:
        if item.external_id not in known:
            add_proceeding(session, item, actor="demo")
    return len(items)
