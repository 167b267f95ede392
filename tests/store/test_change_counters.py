"""The persons table's version rises with every committed write to it, from any connection."""

from __future__ import annotations

import threading

from sqlalchemy import delete, insert, update

from sijill.store.changes import version_of
from sijill.store.engine import get_engine, transaction
from sijill.store.models import Person


def version(url: str) -> int:
    with get_engine(url).connect() as conn:
        return version_of(conn, "persons")


def test_every_committed_write_to_persons_raises_the_version(case_url: str) -> None:
    start = version(case_url)
    with transaction(case_url) as session:  # ORM insert
        session.add(Person(display_name="Test Person A", is_victim=True, is_actor=False))
    after_insert = version(case_url)
    assert after_insert > start
    engine = get_engine(case_url)
    with engine.begin() as conn:  # Core: several rows in one statement
        conn.execute(
            insert(Person),
            [
                {
                    "display_name": f"Test Person {i}",
                    "is_victim": True,
                    "is_actor": False,
                    "access": "public",
                }
                for i in range(3)
            ],
        )
    after_core = version(case_url)
    assert after_core > after_insert
    with engine.begin() as conn:
        conn.execute(update(Person).values(is_actor=True))
    after_update = version(case_url)
    assert after_update > after_core
    with engine.connect() as conn:  # rolled back: nothing committed, the version stays
        conn.execute(delete(Person))
        conn.rollback()
    assert version(case_url) == after_update
    with engine.begin() as conn:
        conn.execute(delete(Person))
    assert version(case_url) > after_update


def test_concurrent_writers_of_persons_all_commit(case_url: str) -> None:
    """Writers in several connections at once (the counter is raised as each commits): none
    fails, and the version counts each commit at least once."""
    start = version(case_url)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                with transaction(case_url) as session:
                    session.add(
                        Person(display_name=f"Writer {n} {i}", is_victim=True, is_actor=False)
                    )
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert version(case_url) >= start + 20
