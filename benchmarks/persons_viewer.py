"""What hiding persons known only from restricted records costs a viewer's person list.

Builds a fictional case on PostgreSQL (``--persons`` persons; each with a record in a public or
internal list, one in ten also in a restricted list, one in fifty only in the restricted list),
then times, for the viewer, the person list's count (what its total counts) and a first page of
50, with the readable-persons predicate (``person_readable``, which reads each person's stored
``open_access``, and ``person_shown``) and with the person's own access level alone (before
issue 19). Median and p90 of ``--runs`` runs each;
analysts' statements are unchanged and are timed as a reference. Appends its section to
``benchmarks/RESULTS.md`` unless ``--no-write``. The database is dropped afterwards.

    .venv/bin/python benchmarks/persons_viewer.py --persons 100000
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from machine import describe as machine
from machine import write_section
from sqlalchemy import (
    Connection,
    Integer,
    Select,
    bindparam,
    create_engine,
    func,
    insert,
    select,
    text,
)

from sijill.security.readable import readable_by
from sijill.store.engine import dispose_engines, get_engine
from sijill.store.migrate import upgrade
from sijill.store.models import Person, Record, Source
from sijill.store.open_access import refresh
from sijill.web.queries import count_rows
from sijill.web.routes.persons import PERSON_COLUMNS, list_statements

ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
P = Person.__table__.c
R = Record.__table__.c
S = Source.__table__.c


def build(url: str, n: int) -> float:
    """Make the case; returns the seconds filling ``persons.open_access`` took (the rows go in
    by Core inserts, around the ORM's upkeep, as migration 0010 finds an earlier case)."""
    engine = get_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        ids = {}
        for level in ("public", "internal", "restricted"):
            ids[level] = conn.execute(
                insert(Source.__table__).returning(Source.__table__.c.id),
                {
                    "name": f"Fictional {level} list",
                    "kind": "list",
                    "access": level,
                    "derived_from": [],
                    "record_count": 0,
                },
            ).scalar_one()
        people, records = [], []
        for i in range(1, n + 1):
            people.append(
                {
                    "id": i,
                    "display_name": f"Fictional Person {i}",
                    "name_key": f"fictional person {i}",
                    "is_victim": True,
                    "is_actor": False,
                    "access": "internal",
                }
            )
            only_restricted = i % 50 == 0
            if not only_restricted:
                level = "public" if i % 2 else "internal"
                records.append(_record(ids[level], level, f"{level}-{i}", i))
            if only_restricted or i % 10 == 0:
                records.append(_record(ids["restricted"], "restricted", f"r-{i}", i))
        for start in range(0, n, 10_000):
            conn.execute(insert(Person.__table__), people[start : start + 10_000])
        for start in range(0, len(records), 10_000):
            conn.execute(insert(Record.__table__), records[start : start + 10_000])
        t0 = time.perf_counter()
        refresh(conn)
        filled = time.perf_counter() - t0
    with engine.connect() as conn:  # the steady state, as autovacuum leaves the tables
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return filled


def _record(source: int, level: str, record_id: str, person: int) -> dict[str, Any]:
    return {
        "source_id": source,
        "record_id": record_id,
        "row_number": person,
        "raw": {},
        "access": level,
        "full_name": f"Fictional Record {record_id}",
        "name_key": f"fictional record {record_id}",
        "status": "killed",
        "civilian_status": "unknown",
        "count": 1,
        "unidentified": False,
        "person_id": person,
    }


def before(role: str) -> tuple[Select[Any], Select[Any]]:
    """The viewer's list statements as they were before issue 19: the person's own level."""
    stmt = select(*PERSON_COLUMNS).where(P.merged_into_id.is_(None), readable_by(role, P))
    page = (
        stmt.where(P.id > bindparam("after", type_=Integer))
        .order_by(P.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
        .subquery()
    )
    n_records = (
        select(func.count())
        .select_from(Record.__table__)
        .where(R.person_id == page.c.id)
        .join(Source.__table__, S.id == R.source_id)
        .where(readable_by(role, R), readable_by(role, S))
    )
    counted = n_records.scalar_subquery().label("n_records")
    return stmt, select(page, counted).order_by(page.c.id)


def row(
    conn: Connection,
    label: str,
    count_stmt: Select[Any],
    page_stmt: Select[Any],
    params: dict[str, int],
    runs: int,
) -> str:
    """One table row: persons listed, count and first-page median / p90 in ms."""
    total = count_rows(conn, count_stmt)
    c_med, c_p90 = timed(lambda: count_rows(conn, count_stmt), runs)
    p_med, p_p90 = timed(lambda: conn.execute(page_stmt, params).all(), runs)
    return f"| {label} | {total:,} | {c_med:.1f} / {c_p90:.1f} | {p_med:.2f} / {p_p90:.2f} |"


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.9) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    name = f"sijill_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        started = machine()
        t0 = time.perf_counter()
        filled = build(url, args.persons)
        built = time.perf_counter() - t0
        engine = get_engine(url)
        params = {"limit": 50, "offset": 0, "after": 0}
        statements = [
            ("viewer, own level only (before)", *before("viewer")),
            ("viewer, readable persons (now)", *list_statements("viewer", None, None)),
            ("analyst (unchanged)", *list_statements("analyst", None, None)),
        ]
        rows = []
        with engine.connect() as conn:
            for label, count_stmt, page_stmt in statements:
                rows.append(row(conn, label, count_stmt, page_stmt, params, args.runs))
                print(rows[-1], flush=True)
    finally:
        dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    body = f"""Machine: {started}.

PostgreSQL, {args.persons:,} fictional persons (one in fifty known only from a restricted list,
one in ten also in it), built in {built:.0f} s (of which {filled:.1f} s filling every person's
`open_access` in one statement); {args.runs} runs each, median / p90 in ms.
The count is what the person list's total counts (`web.queries.count_rows`); the page
is the first 50 persons with their readable-record counts and, for a viewer, the names and
level from readable records.

| statement | persons listed | count ms | first page ms |
| --- | --- | --- | --- |
{chr(10).join(rows)}
"""
    print(body)
    if not args.no_write:
        write_section(
            "Protection: what hiding restricted-only persons costs a viewer (persons_viewer.py)",
            body,
        )


if __name__ == "__main__":
    main()
