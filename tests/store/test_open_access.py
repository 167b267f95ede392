"""``persons.open_access`` stays exact: the readable-person condition that reads it agrees, for
every role and person, with a walk over the person's records, after any sequence of writes
(both engines); migration 0010 fills it for a case made before it. Fictional data."""

from __future__ import annotations

import random

from alembic import command
from sqlalchemy import delete, insert, select

from sijill.security.readable import person_readable
from sijill.security.roles import ROLES, readable_levels
from sijill.store.base import ACCESS_LEVELS
from sijill.store.engine import get_engine, transaction
from sijill.store.migrate import alembic_config, upgrade
from sijill.store.models import Person, Record, Source
from sijill.store.open_access import refresh


def _walked(url: str, role: str) -> set[int]:
    """The persons ``role`` may know of, by walking every record (the definition)."""
    levels = readable_levels(role)
    with transaction(url) as session:
        persons = {p.id: p.access for p in session.scalars(select(Person))}
        records: dict[int, list[bool]] = {}
        for record, source in session.execute(
            select(Record, Source).join(Source, Source.id == Record.source_id)
        ):
            if record.person_id is not None:
                readable = record.access in levels and source.access in levels
                records.setdefault(record.person_id, []).append(readable)
    return {pid for pid, own in persons.items() if own in levels and any(records.get(pid, [True]))}


def _read(url: str, role: str) -> set[int]:
    with transaction(url) as session:
        return set(session.scalars(select(Person.id).where(person_readable(role))))


def _agree(url: str) -> None:
    for role in ROLES:
        assert _read(url, role) == _walked(url, role), role


def test_readable_persons_agree_with_their_records_after_any_writes(case_url: str) -> None:
    rng = random.Random(19)
    with transaction(case_url) as session:
        sources = [
            Source(name=f"Fictional {level} list", kind="list", access=level)
            for level in ACCESS_LEVELS
        ]
        persons = [Person(display_name=f"Fictional Person {i}") for i in range(8)]
        session.add_all([*sources, *persons])
        session.flush()
        source_ids, person_ids = [s.id for s in sources], [p.id for p in persons]
    _agree(case_url)  # persons without records: their own level decides
    n = 0
    for _ in range(60):
        with transaction(case_url) as session:
            action = rng.choice(["add", "add", "move", "level", "source", "delete", "unlink"])
            records = list(session.scalars(select(Record)))
            if action == "add" or not records:
                n += 1
                session.add(
                    Record(
                        source_id=rng.choice(source_ids),
                        record_id=f"f{n}",
                        row_number=n,
                        raw={},
                        access=rng.choice(ACCESS_LEVELS),
                        full_name=f"Fictional Record {n}",
                        person_id=rng.choice(person_ids),
                    )  # fmt: skip
                )
            elif action == "move":
                rng.choice(records).person_id = rng.choice(person_ids)
            elif action == "unlink":
                rng.choice(records).person_id = None
            elif action == "level":
                rng.choice(records).access = rng.choice(ACCESS_LEVELS)
            elif action == "source":
                source = session.get(Source, rng.choice(source_ids))
                assert source is not None
                source.access = rng.choice(ACCESS_LEVELS)
            else:
                session.delete(rng.choice(records))
        _agree(case_url)
    assert n > 10


def test_migration_fills_open_access_of_an_earlier_case(db_url: str) -> None:
    engine = get_engine(db_url)
    upgrade(engine)
    command.downgrade(alembic_config(engine), "0008_persons_listed_index")
    with engine.begin() as conn:  # a case as the earlier schema held it
        ids = {
            level: conn.execute(
                insert(Source.__table__).returning(Source.__table__.c.id),
                {"name": f"Fictional {level} list", "kind": "list", "access": level,
                 "derived_from": [], "record_count": 0},
            ).scalar_one()
            for level in ACCESS_LEVELS
        }  # fmt: skip
        people = ("Fictional Open", "Fictional Mixed", "Fictional Hidden", "Fictional Actor")
        pids = [
            conn.execute(
                insert(Person.__table__).returning(Person.__table__.c.id),
                {"display_name": name, "access": "internal", "is_victim": True, "is_actor": False},
            ).scalar_one()
            for name in people
        ]
        rows = [(pids[0], "public"), (pids[1], "internal"), (pids[1], "restricted")]
        rows += [(pids[2], "restricted")]
        for n, (pid, level) in enumerate(rows):
            conn.execute(
                insert(Record.__table__),
                {"source_id": ids[level], "record_id": f"m{n}", "row_number": n, "raw": {},
                 "access": level, "status": "killed", "civilian_status": "unknown", "count": 1,
                 "unidentified": False, "person_id": pid},
            )  # fmt: skip
    upgrade(engine)
    with transaction(db_url) as session:
        filled = dict(session.execute(select(Person.id, Person.open_access)).all())
    assert [filled[p] for p in pids] == ["public", "internal", "restricted", None]
    _agree(db_url)
    # refresh() recomputes a person a Core write moved records away from.
    with engine.begin() as conn:
        conn.execute(delete(Record.__table__).where(Record.__table__.c.person_id == pids[0]))
        refresh(conn, [pids[0]])
    _agree(db_url)
