"""The person list's shape is measured again ahead of expiry only when the persons changed."""

from __future__ import annotations

from sqlalchemy import insert, update

from sijill.store.engine import get_engine
from sijill.store.models import Person
from sijill.web.routes.persons import measure_persons, shape_if_unchanged


def add_persons(url: str, n: int) -> None:
    with get_engine(url).begin() as conn:
        conn.execute(
            insert(Person),
            [
                {
                    "display_name": f"Invented Person {i}",
                    "is_victim": True,
                    "is_actor": False,
                    "access": "public",
                }
                for i in range(n)
            ],
        )


def test_a_kept_shape_holds_until_a_write_to_persons_is_committed(case_url: str) -> None:
    add_persons(case_url, 250)
    engine = get_engine(case_url)
    with engine.connect() as conn:
        shape = measure_persons(conn, "analyst", None, None)
        assert shape.total == 250 and len(shape.starts) == 2
        assert shape_if_unchanged(conn, shape) is shape
    add_persons(case_url, 1)  # from another connection, as another process would
    with engine.connect() as conn:
        assert shape_if_unchanged(conn, shape) is None
        again = measure_persons(conn, "analyst", None, None)
        assert again.total == 251 and again.version != shape.version
        assert shape_if_unchanged(conn, again) is again
    with engine.begin() as conn:  # re-labelled, not added: the victims' list changes
        conn.execute(update(Person).where(Person.id <= 10).values(is_victim=False))
    with engine.connect() as conn:
        assert shape_if_unchanged(conn, again) is None
        assert measure_persons(conn, "analyst", "victim", None).total == 241
