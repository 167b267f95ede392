"""List totals: reused for a few seconds, never older than that, recounted ahead of expiry."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Column, Connection, Integer, MetaData, Table, create_engine, insert, select

from sijill.web import totals

ROWS = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("kind", Integer))


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(totals, "time", SimpleNamespace(monotonic=fake.monotonic))
    monkeypatch.setenv("SIJILL_COUNT_CACHE_SECONDS", "5")
    totals.forget()
    return fake


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[Connection]:
    engine = create_engine(f"sqlite:///{tmp_path / 'totals.db'}")
    ROWS.create(engine)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def add(conn: Connection, n: int, kind: int = 1) -> None:
    conn.execute(insert(ROWS), [{"kind": kind} for _ in range(n)])
    conn.commit()


def count(conn: Connection, kind: int = 1) -> int:
    return totals.total(conn, select(ROWS).where(ROWS.c.kind == kind), key=("rows", kind))


def test_reused_within_its_lifetime_then_recounted(clock: Clock, conn: Connection) -> None:
    add(conn, 3)
    assert count(conn) == 3
    add(conn, 2)
    clock.now += 3.9
    assert count(conn) == 3  # cached, and not yet in the last second
    clock.now += 1.2
    assert count(conn) == 5  # expired: counted again


def test_recounted_in_its_last_second_and_dated_from_that_count(
    clock: Clock, conn: Connection
) -> None:
    add(conn, 1)
    assert count(conn) == 1
    add(conn, 1)
    clock.now += 4.5
    assert count(conn) == 2  # within the last second: this request recounts
    add(conn, 1)
    clock.now += 3.9  # 3.9 s after that recount: fresh, not yet in its last second
    assert count(conn) == 2


def test_keys_never_share_a_total(clock: Clock, conn: Connection) -> None:
    add(conn, 2, kind=1)
    add(conn, 7, kind=2)
    assert (count(conn, 1), count(conn, 2)) == (2, 7)


def test_without_a_key_the_statement_is_the_key(clock: Clock, conn: Connection) -> None:
    add(conn, 2, kind=1)
    add(conn, 7, kind=2)
    by_kind = [totals.total(conn, select(ROWS).where(ROWS.c.kind == k)) for k in (1, 2)]
    assert by_kind == [2, 7]


def test_forget_drops_every_total(clock: Clock, conn: Connection) -> None:
    add(conn, 1)
    assert count(conn) == 1
    add(conn, 1)
    totals.forget()
    assert count(conn) == 2


def test_no_cache_when_the_lifetime_is_zero(
    clock: Clock, conn: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIJILL_COUNT_CACHE_SECONDS", "0")
    add(conn, 1)
    assert count(conn) == 1
    add(conn, 1)
    assert count(conn) == 2


class Counter:
    """An awaitable count that holds until released, and records how often it ran."""

    def __init__(self, value: int) -> None:
        self.value = value
        self.runs = 0
        self.release = asyncio.Event()

    async def __call__(self) -> int:
        self.runs += 1
        await self.release.wait()
        return self.value


def test_requests_on_one_loop_await_one_count(clock: Clock) -> None:
    async def scenario() -> tuple[list[int], int]:
        counter = Counter(7)
        waiting = [asyncio.ensure_future(totals.total_once("db", "k", counter)) for _ in range(20)]
        await asyncio.sleep(0)  # all twenty are waiting
        counter.release.set()
        return list(await asyncio.gather(*waiting)), counter.runs

    answers, runs = asyncio.run(scenario())
    assert answers == [7] * 20
    assert runs == 1


def test_a_total_on_the_loop_is_reused_then_refreshed_ahead(clock: Clock) -> None:
    async def ask(counter: Counter) -> int:
        counter.release.set()
        return await totals.total_once("db", "k", counter)

    assert asyncio.run(ask(Counter(1))) == 1
    clock.now += 3.9
    assert asyncio.run(ask(Counter(2))) == 1  # live, not in its last second: no count
    clock.now += 0.6

    async def refresh_ahead() -> tuple[int, int]:
        counter = Counter(3)
        answer = await totals.total_once("db", "k", counter)  # the live total, at once
        counter.release.set()
        await asyncio.sleep(0.01)  # the refreshing count finishes in the background
        return answer, counter.runs

    assert asyncio.run(refresh_ahead()) == (1, 1)
    clock.now += 3.9  # 3.9 s after the refresh: the refreshed total, no count
    assert asyncio.run(ask(Counter(4))) == 3
    assert asyncio.run(ask(Counter(5))) == 3
    clock.now += 1.2  # expired: counted again
    assert asyncio.run(ask(Counter(6))) == 6


def test_a_count_on_the_loop_that_predates_forget_is_not_kept(clock: Clock) -> None:
    async def forgotten_meanwhile() -> int:
        counter = Counter(1)
        pending = asyncio.ensure_future(totals.total_once("db", "k", counter))
        await asyncio.sleep(0)
        totals.forget()  # an import landed while counting
        counter.release.set()
        return await pending

    assert asyncio.run(forgotten_meanwhile()) == 1
    counter = Counter(2)
    counter.release.set()
    assert asyncio.run(totals.total_once("db", "k", counter)) == 2


def test_a_refresh_ahead_may_answer_with_the_kept_total(clock: Clock) -> None:
    """``ahead(kept)`` runs instead of the counter ahead of expiry; what it answers (here the
    kept total itself: nothing changed) is kept for another lifetime."""
    seen: list[int] = []

    async def ahead(kept: int) -> int:
        seen.append(kept)
        return kept

    async def scenario() -> tuple[int, int, int]:
        first = Counter(1)
        first.release.set()
        a = await totals.total_once("db", "k", first, ahead=ahead)  # none kept: counted
        clock.now += 4.5  # its last second
        b = await totals.total_once("db", "k", Counter(2), ahead=ahead)
        await asyncio.sleep(0.01)
        clock.now += 3.5  # 8 s after the count: alive only because ahead() kept it
        c = await totals.total_once("db", "k", Counter(3), ahead=ahead)
        return a, b, c

    assert asyncio.run(scenario()) == (1, 1, 1)
    assert seen == [1]
