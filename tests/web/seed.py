"""A small fictional case: three lists at three access levels, sealed witness fields, persons.

Every name, village and witness here is invented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from sijill.records.importer import import_list
from sijill.records.mapping import mapping_from_dict
from sijill.security.blind import index_records
from sijill.security.sealing import load_key
from sijill.store.engine import transaction
from sijill.store.models import Citation, Person, Record

#: Clear text that must never appear in the database file (sealed) nor reach a viewer.
WITNESS_NAME = "Zubaida Qarawiyya-Testwitness"
WITNESS_PHONE = "+000-555-0199-31"
INTERNAL_SECRET = "Nabil Hidden-Informant"

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
    return ids
