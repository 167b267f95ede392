"""Pages by offset found by seeking from a list's page starts: the same rows as OFFSET."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, create_engine, insert, select

from sijill.web import paging

ROWS = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("kind", Integer))


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{tmp_path / 'paging.db'}")
    ROWS.create(engine)
    with engine.connect() as connection:
        # Ids with gaps, two kinds interleaved: positions and ids differ.
        connection.execute(
            insert(ROWS), [{"id": 3 * i + 1, "kind": 1 + (i % 3 == 0)} for i in range(60)]
        )
        connection.commit()
        yield connection
    engine.dispose()


def page(conn: Connection, kind: int, after: int, skip: int, limit: int) -> list[int]:
    statement = (
        select(ROWS.c.id)
        .where(ROWS.c.kind == kind, ROWS.c.id > after)
        .order_by(ROWS.c.id)
        .limit(limit)
        .offset(skip)
    )
    return list(conn.scalars(statement))


@pytest.mark.parametrize("step", [5, 7, 100])
@pytest.mark.parametrize("kind", [1, 2, 3])
def test_seeking_gives_the_offset_page(
    conn: Connection, monkeypatch: pytest.MonkeyPatch, kind: int, step: int
) -> None:
    """Kinds 1 and 2 hold 40 and 20 rows (multiples of 5, not of 7 or 100), kind 3 none: the
    total counted from the starts is the list's whole count in each case."""
    monkeypatch.setattr(paging, "STEP", step)
    listed = select(ROWS).where(ROWS.c.kind == kind)
    shape = paging.measure(conn, listed, ROWS.c.id, with_starts=True)
    everyone = list(conn.scalars(select(ROWS.c.id).where(ROWS.c.kind == kind).order_by(ROWS.c.id)))
    assert shape.total == len(everyone) and shape.step == step
    assert list(shape.starts) == everyone[step - 1 :: step]
    for offset in range(0, len(everyone) + 10):
        for limit in (1, 5, 7, 50):
            after, skip = shape.seek(offset)
            assert skip < step or offset >= step * (len(shape.starts) + 1)
            assert page(conn, kind, after, skip, limit) == everyone[offset : offset + limit]


def test_without_starts_an_offset_is_walked(conn: Connection) -> None:
    shape = paging.measure(conn, select(ROWS), ROWS.c.id, with_starts=False)
    assert shape == paging.ListShape(60, (), paging.STEP)
    assert shape.seek(42) == (0, 42)
    assert paging.ListShape(0).seek(0) == (0, 0)
