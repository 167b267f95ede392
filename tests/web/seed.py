"""A small fictional case: three lists at three access levels, sealed witness fields, persons,
and around them (:func:`seed_around`) incidents with allegations, victims and citations,
evidence items with a near-duplicate, a command structure and accountability proceedings, each
with something only the restricted levels may know.

Every name, village, unit and witness here is invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.accountability.service import ProceedingInput, add_proceeding
from sijill.command.importer import import_structure
from sijill.evidence.models import EvidenceItem, EvidenceLink, NearDuplicate
from sijill.incidents.models import IncidentRecord
from sijill.incidents.saving import (
    CitationInput,
    IncidentInput,
    PerpetratorInput,
    create_incident,
)
from sijill.linkage.models import ReviewPair
from sijill.records.importer import import_list
from sijill.records.mapping import mapping_from_dict
from sijill.security.blind import index_records
from sijill.security.roles import ROLES
from sijill.security.sealing import load_key
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import upgrade
from sijill.store.models import Citation, Person, Record
from sijill.web.testing import add_user
from tests.conftest import new_database_url

#: Clear text that must never appear in the database file (sealed) nor reach a viewer.
WITNESS_NAME = "Zubaida Qarawiyya-Testwitness"
WITNESS_PHONE = "+000-555-0199-31"
INTERNAL_SECRET = "Nabil Hidden-Informant"
#: Around the lists: values only the restricted levels may know (see :func:`seed_around`).
SECRET_ACTOR = "Brigadier Sirr Fictional"
SECRET_ACTOR_ID = "p-fict-sirr"
SECRET_INCIDENT = "Sirr night raid (fictional)"
SECRET_ITEM = "99999999-9999-4999-8999-999999999999"
SECRET_ITEM_NAME = "sirr-witness-video-fictional.mp4"
SECRET_PROCEEDING = "Sirr tribunal of the Brigadier (fictional)"
SECRET_LOCATORS = ("sealed memo 7", "sealed annex 3", "sealed count 5")
PUBLIC_ITEM = "11111111-1111-4111-8111-111111111111"

PUBLIC_CSV = """record_id,full_name,sex,age,date_of_death,place_of_death,status
p1,محمد علي حسن,M,34,2025-03-08,Qaryat al-Mithal (fictional),killed
p2,فاطمة يوسف,F,29,2025-03-08,Qaryat al-Mithal (fictional),killed
p3,مجهول,,,2025-03,Tell Wahmi (fictional),killed
"""
INTERNAL_CSV = f"""record_id,full_name,sex,age,date_of_death,place_of_death,informant
i1,Mohammad Ali Hassan,M,35,2025-03-08,Qaryat al-Mithal (fictional),{INTERNAL_SECRET}
i2,Khaled Omar Saleh,M,51,2025-03-09,Ain Khayal (fictional),
"""
RESTRICTED_CSV = f"""\
record_id,full_name,sex,age,date_of_death,place_of_death,witness_name,witness_phone
r1,Ahmad Ibrahim Fictional,M,40,2025-03-07,Ain Khayal (fictional),{WITNESS_NAME},{WITNESS_PHONE}
r2,Layla Mansour Fictional,F,22,2025-03-07,Ain Khayal (fictional),{WITNESS_NAME},{WITNESS_PHONE}
"""
BAD_CSV = """record_id,full_name,sex,age,date_of_death
b1,Samir Fictional,M,30,2025-03-08
b2,Rana Fictional,X,thirty,2025-13-40
b2,Dup Fictional,M,20,2025-03-08
"""


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def browser_case(folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """A new SQLite case in ``folder`` (dropped after), a user of each role and the seeded
    lists (:func:`seed_case`): its URL and the seeded ids, for a browser module's bench."""
    urls = new_database_url("sqlite", folder)
    url = next(urls)
    upgrade(get_engine(url))
    for role in ROLES:
        add_user(url, role, role)
    (folder / "lists").mkdir()
    try:
        yield url, seed_case(url, folder / "lists")
    finally:
        next(urls, None)


def seed_case(url: str, folder: Path) -> dict[str, Any]:
    """Import the three lists, group records into persons, add one restricted person."""
    ids: dict[str, Any] = {}
    with transaction(url) as session:
        pub = import_list(
            session,
            _write(folder, "public.csv", PUBLIC_CSV),
            source="Fictional public list",
            access="public",
            actor="test",
        )
        internal = import_list(
            session,
            _write(folder, "internal.csv", INTERNAL_CSV),
            source="Fictional internal list",
            access="internal",
            actor="test",
            mapping=mapping_from_dict({"sensitive": ["informant"]}),
        )
        restricted = import_list(
            session,
            _write(folder, "witness.csv", RESTRICTED_CSV),
            source="Fictional witness list",
            access="restricted",
            actor="test",
            mapping=mapping_from_dict({"sensitive": ["witness_name", "witness_phone"]}),
        )
        index_records(session, load_key(create=False))
        ids.update(
            public=pub.source_id, internal=internal.source_id, restricted=restricted.source_id
        )
        by_id = {r.record_id: r for r in session.scalars(select(Record))}
        mohammad = Person(
            display_name="محمد علي حسن",
            name_ar="محمد علي حسن",
            name_latin="Mohammad Ali Hassan",
            name_key="mhmd li hsn",
            is_victim=True,
            access="internal",
        )
        ahmad = Person(
            display_name="Ahmad Ibrahim Fictional",
            name_key="ahmd brhm",
            is_victim=True,
            access="restricted",
        )
        session.add_all([mohammad, ahmad])
        session.flush()
        by_id["p1"].person_id = mohammad.id
        by_id["i1"].person_id = mohammad.id
        by_id["r1"].person_id = mohammad.id  # a restricted source also mentions him
        by_id["r2"].person_id = ahmad.id
        session.add(
            Citation(
                source_id=restricted.source_id,
                claim_table="persons",
                claim_id=str(mohammad.id),
                locator="testimony 4, p. 2",
            )
        )
        ids.update(
            mohammad=mohammad.id,
            ahmad=ahmad.id,
            restricted_record=by_id["r1"].id,
            internal_record=by_id["i1"].id,
            public_record=by_id["p1"].id,
        )
        ids.update(seed_around(session, ids, by_id))
    return ids


def _item(item_id: str, name: str, access: str, source: int, **extra: Any) -> EvidenceItem:
    return EvidenceItem(
        id=item_id, original_name=name, sha256=item_id.replace("-", "")[:1] * 64, size=10,
        mime="video/mp4", source_id=source, access=access, collected_at=datetime(2025, 3, 9),
        **extra,
    )  # fmt: skip


def seed_around(session: Session, ids: dict[str, Any], by_id: dict[str, Any]) -> dict[str, Any]:
    """Incidents, evidence, command structure and proceedings around the three lists.

    - Command: unit u-fict-72 commanded by an internal actor and, as deputy, one the case
      knows only from a record of the witness list (:data:`SECRET_ACTOR`, his own level
      internal); the posts cited by the public and the witness list.
    - Evidence: a public item, and a restricted one (:data:`SECRET_ITEM`) derived from it, its
      near-duplicate, linked to the public incident and to the restricted-only person; the
      public item linked to the incident, and to the restricted-only person, the secret actor,
      the witness list and the restricted sub-incident.
    - Incidents: a public one alleging the unit, both actors (the restricted one's allegation
      beyond a viewer), with Mohammad and the restricted-only Ahmad as victims, a group of five
      counted by the witness list, the restricted record r1 linked, citations of both lists,
      both items; and its restricted sub-incident (:data:`SECRET_INCIDENT`).
    - Proceedings: a public inquiry about the incident and both actors, citing the witness
      list; a restricted tribunal (:data:`SECRET_PROCEEDING`) about the restricted actor.
    - Linkage review: an open pair of two readable records, and one with the restricted r2.
    """
    public, witness = "Fictional public list", "Fictional witness list"
    import_structure(
        session,
        {
            "organizations": [{"id": "u-fict-72", "name": "72nd Fictional Brigade"}],
            "persons": [
                {"id": "p-fict-open", "name": "Qaid Open Fictional"},
                {"id": SECRET_ACTOR_ID, "name": SECRET_ACTOR},
            ],
            "memberships": [
                {
                    "person_id": "p-fict-open",
                    "organization_id": "u-fict-72",
                    "role": "commander",
                    "start_date": "2025-01",
                    "sources": [public],
                },
                {
                    "person_id": SECRET_ACTOR_ID,
                    "organization_id": "u-fict-72",
                    "role": "deputy",
                    "start_date": "2025-01",
                    "sources": [witness],
                },
            ],
        },  # fmt: skip
    )
    actors = dict(
        session.execute(
            select(Person.external_id, Person.id).where(Person.is_actor.is_(True))
        ).all()
    )
    # The secret actor's level is internal, as every person's is made, but the case knows him
    # only from a record of the witness list: a viewer may not know of him.
    session.add(
        Record(
            source_id=ids["restricted"],
            record_id="r3",
            row_number=3,
            raw={},
            access="restricted",
            full_name=SECRET_ACTOR,
            script="latin",
            person_id=actors[SECRET_ACTOR_ID],
        )  # fmt: skip
    )
    session.add_all(
        [
            _item(PUBLIC_ITEM, "market-scene-fictional.mp4", "public", ids["public"]),
            _item(
                SECRET_ITEM,
                SECRET_ITEM_NAME,
                "restricted",
                ids["restricted"],
                parent_id=PUBLIC_ITEM,
                relation="transcoded",
            ),  # fmt: skip
        ]
    )
    session.flush()
    session.add_all(
        [
            NearDuplicate(item_a=PUBLIC_ITEM, item_b=SECRET_ITEM, distance=12),
            EvidenceLink(item_id=SECRET_ITEM, target_kind="person", target_id=str(ids["ahmad"])),
        ]
    )
    cited = [CitationInput(public, "p. 1"), CitationInput(witness, SECRET_LOCATORS[0])]
    incident = create_incident(
        session,
        IncidentInput(
            title="Fictional shelling of Qaryat al-Mithal",
            start_date="2025-03-08",
            place="Qaryat al-Mithal (fictional)",
            victim_persons=[ids["mohammad"], ids["ahmad"]],
            victim_count=5,
            perpetrators=[
                PerpetratorInput(organization_ref="u-fict-72", citations=cited),
                PerpetratorInput(person_id=actors["p-fict-open"]),
                PerpetratorInput(
                    person_id=actors[SECRET_ACTOR_ID], status="corroborated", citations=cited
                ),
            ],
            evidence=[PUBLIC_ITEM, SECRET_ITEM],
            citations=cited,
            access="public",
        ),
        actor="test",
    )
    secret_incident = create_incident(
        session,
        IncidentInput(
            title=SECRET_INCIDENT,
            start_date="2025-03-08",
            parent=str(incident.id),
            victim_persons=[ids["ahmad"]],
            citations=[CitationInput(witness, SECRET_LOCATORS[2])],
            access="restricted",
        ),
        actor="test",
    )
    session.add(
        IncidentRecord(incident_id=incident.id, record_id=by_id["r1"].id, status="confirmed")
    )
    session.add_all(  # the public item also points at what only the restricted levels know
        EvidenceLink(item_id=PUBLIC_ITEM, target_kind=kind, target_id=target)
        for kind, target in (
            ("person", str(ids["ahmad"])),
            ("person", SECRET_ACTOR_ID),
            ("source", witness),
            ("incident", str(secret_incident.id)),
        )
    )
    add_proceeding(
        session,
        ProceedingInput(
            kind="national_inquiry",
            title="Inquiry into the Qaryat al-Mithal shelling (fictional)",
            start_date="2025-05",
            incidents=[str(incident.id)],
            persons=["p-fict-open", SECRET_ACTOR_ID],
            citations=[CitationInput(public), CitationInput(witness, SECRET_LOCATORS[1])],
            access="public",
        ),
        actor="test",
    )
    add_proceeding(
        session,
        ProceedingInput(
            kind="trial",
            title=SECRET_PROCEEDING,
            start_date="2026-01",
            persons=[SECRET_ACTOR_ID],
            incidents=[str(incident.id)],
            access="restricted",
        ),
        actor="test",
    )
    session.add_all(
        [
            ReviewPair(
                record_a_id=by_id["p2"].id,
                record_b_id=by_id["i2"].id,
                probability=0.5,
                weight=0.0,
                reason="uncertain",
            ),
            ReviewPair(
                record_a_id=by_id["r2"].id,
                record_b_id=by_id["i2"].id,
                probability=0.5,
                weight=0.0,
                reason="uncertain",
            ),
        ]  # fmt: skip
    )
    session.flush()
    return {
        "incident": incident.id,
        "secret_incident": secret_incident.id,
        "open_actor": actors["p-fict-open"],
        "secret_actor": actors[SECRET_ACTOR_ID],
    }
