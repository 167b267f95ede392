"""Chain-of-command queries at scale: recursive SQL on PostgreSQL vs an in-memory networkx walk.

A generated, synthetic structure of 100,000 organizations and about 1,000,000 memberships (and
as many actors, citations for every fact) is bulk-loaded with COPY into a fresh PostgreSQL
database. Then, in one run, the same random queries go to

* Sijill: ``sijill.command.chain.chain`` (citations included) and
  ``sijill.command.report.command_report`` (1-3 units, 1-3 days), a session per query;
* the baseline: the same data held in a ``networkx.DiGraph`` (edges child -> parent carrying
  their day bounds), walked breadth-first in Python.

Both answers are compared on the chain keys FORMATS.md §4 fixes for a sample of queries.
Prints p50/p95 milliseconds and ratios; appends a section to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/command_chain.py [--units 100000] [--members 10] [--queries 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections import defaultdict, deque
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, write_section  # noqa: E402

from sijill.command.chain import chain  # noqa: E402
from sijill.command.dates import Bounds, fact_bounds  # noqa: E402
from sijill.command.generate import generate_structure  # noqa: E402
from sijill.command.report import command_report, runs  # noqa: E402
from sijill.command.traverse import _statement  # noqa: E402
from sijill.store.engine import dispose_engines, get_engine, session_factory  # noqa: E402
from sijill.store.migrate import upgrade  # noqa: E402

ADMIN_URL = os.environ.get("SIJILL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATE_KEYS = ("start_date", "end_date", "first_cited", "last_cited")


def _bounds_of(fact: dict[str, Any]) -> Bounds:
    return fact_bounds(*(fact.get(k) or None for k in DATE_KEYS))


def _copy(cursor: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def load(url: str, doc: dict[str, Any]) -> dict[str, Any]:
    """Bulk-load the structure with COPY; return what the baseline needs."""
    org_id = {o["id"]: i + 1 for i, o in enumerate(doc["organizations"])}
    person_id = {p["id"]: i + 1 for i, p in enumerate(doc["persons"])}
    now = "2026-01-01 00:00:00"
    org_rows = [
        (org_id[o["id"]], o["id"], o["name"], o["classification"], "[]")
        for o in doc["organizations"]
    ]
    person_rows = [
        (person_id[p["id"]], p["name"], p["name"], p["id"], False, True, "internal", now)
        for p in doc["persons"]
    ]
    comp_rows, comp_bounds = [], []
    for i, c in enumerate(doc["compositions"], start=1):
        b = _bounds_of(c)
        comp_bounds.append((c["child_id"], c["parent_id"], b))
        comp_rows.append(
            (
                i,
                org_id[c["parent_id"]],
                org_id[c["child_id"]],
                c.get("classification", "command"),
                *(c.get(k) or None for k in DATE_KEYS),
                b.sure_start,
                b.sure_end,
                b.possible_start,
                b.possible_end,
            )
        )
    mem_rows, commander_bounds = [], defaultdict(list)
    for i, m in enumerate(doc["memberships"], start=1):
        b = _bounds_of(m)
        if m["role"] == "commander":
            commander_bounds[m["organization_id"]].append((m["person_id"], b))
        mem_rows.append(
            (
                i,
                person_id[m["person_id"]],
                org_id[m["organization_id"]],
                m["role"],
                m.get("rank") or None,
                *(m.get(k) or None for k in DATE_KEYS),
                b.sure_start,
                b.sure_end,
                b.possible_start,
                b.possible_end,
            )
        )
    fact_cols = [*DATE_KEYS, "sure_start", "sure_end", "possible_start", "possible_end"]
    raw = get_engine(url).raw_connection()
    try:
        cur = raw.cursor()
        cur.execute(
            "INSERT INTO sources (id, name, kind, access, derived_from, record_count, "
            "created_at) VALUES (1, 'synthetic-source', 'report', 'internal', '[]', 0, now())"
        )
        _copy(
            cur,
            "command_organizations",
            ["id", "external_id", "name", "classification", "aliases"],
            org_rows,
        )
        _copy(
            cur,
            "persons",
            [
                "id",
                "display_name",
                "name_latin",
                "external_id",
                "is_victim",
                "is_actor",
                "access",
                "created_at",
            ],
            person_rows,
        )
        _copy(
            cur,
            "command_compositions",
            ["id", "parent_id", "child_id", "classification", *fact_cols],
            comp_rows,
        )
        _copy(
            cur,
            "command_memberships",
            ["id", "person_id", "organization_id", "role", "rank", *fact_cols],
            mem_rows,
        )
        cites = [(1, "command_compositions", str(r[0]), "medium", now) for r in comp_rows]
        cites += [(1, "command_memberships", str(r[0]), "medium", now) for r in mem_rows]
        _copy(
            cur,
            "citations",
            ["source_id", "claim_table", "claim_id", "confidence", "created_at"],
            cites,
        )
        for table in (
            "command_organizations",
            "persons",
            "command_compositions",
            "command_memberships",
            "citations",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
    return {"compositions": comp_bounds, "commanders": commander_bounds, "citations": len(cites)}


class NetworkxBaseline:
    """The same structure in memory: a DiGraph child -> parent, facts with day bounds."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.graph = nx.DiGraph()
        for child, parent, b in data["compositions"]:
            if self.graph.has_edge(child, parent):
                self.graph[child][parent]["facts"].append(b)
            else:
                self.graph.add_edge(child, parent, facts=[b])
        self.commanders = data["commanders"]

    @staticmethod
    def _state(facts: list[Bounds], day: date) -> str | None:
        if any(b.surely_on(day) for b in facts):
            return "sure"
        if any(b.possibly_on(day) for b in facts):
            return "possible"
        return None

    def chain(self, unit: str, day: date) -> dict[str, Any]:
        graph = self.graph
        parents: dict[str, dict[str, str]] = {}
        depth, sure = {unit: 0}, {unit}
        queue = deque([unit])
        while queue:
            node = queue.popleft()
            found: dict[str, str] = {}
            if node in graph:
                for parent in graph.successors(node):
                    state = self._state(graph[node][parent]["facts"], day)
                    if state:
                        found[parent] = state
                        if parent not in depth:
                            depth[parent] = depth[node] + 1
                            queue.append(parent)
            parents[node] = found
        queue = deque([unit])
        while queue:
            node = queue.popleft()
            for parent, state in parents[node].items():
                if state == "sure" and parent not in sure:
                    sure.add(parent)
                    queue.append(parent)
        levels = []
        for org in sorted(depth, key=lambda o: (depth[o], o)):
            cmd = {}
            for person, b in self.commanders.get(org, ()):
                state = "sure" if b.surely_on(day) else "possible" if b.possibly_on(day) else None
                if state and cmd.get(person) != "sure":
                    cmd[person] = state
            levels.append(
                {
                    "depth": depth[org],
                    "organization_id": org,
                    "parents": sorted(p for p, s in parents[org].items() if s == "sure"),
                    "possible_parents": sorted(
                        p for p, s in parents[org].items() if s == "possible"
                    ),
                    "commanders": sorted(p for p, s in cmd.items() if s == "sure"),
                    "possible_commanders": sorted(p for p, s in cmd.items() if s == "possible"),
                    "possible": org not in sure,
                }
            )
        return {"unit": unit, "at": day.isoformat(), "levels": levels}

    def report(self, units: list[str], first: date, last: date) -> list[Any]:
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        out = []
        for unit in units:
            per_day = {
                d: {lv["organization_id"]: lv for lv in self.chain(unit, d)["levels"]} for d in days
            }
            orgs = sorted({org for levels in per_day.values() for org in levels})
            for org in orgs:
                rows = [(d, per_day[d].get(org)) for d in days]
                states = {
                    d: None
                    if lv is None
                    else (tuple(lv["commanders"]), tuple(lv["possible_commanders"]))
                    for d, lv in rows
                }
                out.append((unit, org, runs(days, states.get)))
        return out


def server_ms(session: Any, unit: str, day: date) -> float:
    """PostgreSQL's own planning + execution time of the chain statement (EXPLAIN ANALYZE),
    apart from the client, the network and the machine's other work."""
    statement = _statement(1, True, True).params(units=[unit], day_0=day, first=day, last=day)
    sql = str(
        statement.compile(
            dialect=postgresql.dialect(),
            compile_kwargs={"literal_binds": True, "render_postcompile": True},
        )
    )
    sql = re.sub(r"SELECT ('\d{4}-\d{2}-\d{2}') AS day", r"SELECT DATE \1 AS day", sql)
    plan = session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)).scalar()
    return float(plan[0]["Planning Time"] + plan[0]["Execution Time"])


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _comparable(doc: dict[str, Any]) -> list[dict[str, Any]]:
    keys = (
        "depth",
        "organization_id",
        "parents",
        "possible_parents",
        "commanders",
        "possible_commanders",
        "possible",
    )
    return [{k: lv[k] for k in keys} for lv in doc["levels"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-write", action="store_true", help="Do not touch RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="Keep the database (for EXPLAIN)")
    args = parser.parse_args()

    name = f"sijill_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        t0 = time.perf_counter()
        doc = generate_structure(
            args.units, seed=args.seed, members_per_unit=args.members, second_parent_rate=0.1
        )
        t_gen = time.perf_counter() - t0
        upgrade(get_engine(url))
        t0 = time.perf_counter()
        data = load(url, doc)
        t_load = time.perf_counter() - t0
        counts = {k: len(doc[k]) for k in ("organizations", "memberships", "compositions")}
        print(
            f"generated in {t_gen:.1f}s; loaded {counts} + {data['citations']:,} citations "
            f"with COPY in {t_load:.1f}s",
            flush=True,
        )
        baseline = NetworkxBaseline(data)
        t_graph = time.perf_counter() - t0 - t_load

        rng = random.Random(args.seed)
        ids = [o["id"] for o in doc["organizations"]]
        low = ids[len(ids) // 2 :]
        start = date(2022, 1, 1)
        queries = [
            (rng.choice(low), start + timedelta(days=rng.randint(0, 4 * 365)))
            for _ in range(args.queries)
        ]
        reports = []
        for _ in range(args.reports):
            first = start + timedelta(days=rng.randint(0, 4 * 365))
            reports.append(
                (
                    rng.sample(low, rng.randint(1, 3)),
                    first,
                    first + timedelta(days=rng.randint(0, 2)),
                )
            )

        factory = session_factory(get_engine(url))
        worker = factory()  # one open session, as a worker answering many questions
        for unit, day in queries[:50]:  # warm up the pool, caches and plans
            with factory() as session:
                chain(session, unit, day)
            chain(worker, unit, day)
        load_before = os.getloadavg()[0]
        times: dict[str, list[float]] = defaultdict(list)
        mismatches = 0

        def timed(key: str, action: Any) -> Any:
            t0 = time.perf_counter()
            result = action()
            times[key].append((time.perf_counter() - t0) * 1000)
            return result

        def fresh(action: Any) -> Any:
            with factory() as session:
                return action(session)

        for i, (unit, day) in enumerate(queries):
            got = timed("chain fresh", lambda u=unit, d=day: fresh(lambda s: chain(s, u, d)))
            timed("chain worker", lambda u=unit, d=day: chain(worker, u, d))
            want = timed("chain nx", lambda u=unit, d=day: baseline.chain(u, d))
            if i % 10 == 0 and _comparable(got) != _comparable(want):
                mismatches += 1
        for units, first, last in reports:
            timed(
                "report fresh",
                lambda u=units, a=first, b=last: fresh(lambda s: command_report(s, u, a, b)),
            )
            timed("report worker", lambda u=units, a=first, b=last: command_report(worker, u, a, b))
            timed("report nx", lambda u=units, a=first, b=last: baseline.report(u, a, b))
        for unit, day in queries[:200]:
            times["chain server"].append(server_ms(worker, unit, day))
        load_after = os.getloadavg()[0]
        worker.close()
        depth = statistics.mean(
            max(lv["depth"] for lv in baseline.chain(u, d)["levels"]) for u, d in queries[:200]
        )
    finally:
        dispose_engines()
        if args.keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    rows, verdicts = [], []
    for label, key in (("chain", "chain"), ("incident command report", "report")):
        b50, b95 = _pct(times[f"{key} nx"], 0.5), _pct(times[f"{key} nx"], 0.95)
        for mode, how in (("worker", "one open session"), ("fresh", "a session per query")):
            sql = times[f"{key} {mode}"]
            p50, p95 = _pct(sql, 0.5), _pct(sql, 0.95)
            rows.append(
                f"| {label}, {how} | {len(sql)} | {p50:.2f} | {p95:.2f} | {b50:.3f} | {b95:.3f} "
                f"| {p95 / b95:.1f} |"
            )
            verdicts.append(f"{label} ({how}) p95 {p95:.1f} ms: {'met' if p95 < 10 else 'not met'}")
    server = times["chain server"]
    rows.append(
        f"| chain, PostgreSQL's own time (EXPLAIN ANALYZE: planning + execution) | {len(server)} "
        f"| {_pct(server, 0.5):.2f} | {_pct(server, 0.95):.2f} | | | |"
    )
    table = "\n".join(
        [
            "| query | n | Sijill p50 ms | Sijill p95 ms | networkx p50 ms | networkx p95 ms "
            "| p95 ratio (Sijill / networkx) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    )
    body = f"""Machine: {describe()}.

Synthetic structure: {counts["organizations"]:,} organizations, {counts["compositions"]:,}
compositions (10% of units with a second, operational parent; dates of day, month and year
precision, some known only by first and last citation), {counts["memberships"]:,} memberships
and {data["citations"]:,} citations, bulk-loaded with COPY into a fresh PostgreSQL 15 database
in {t_load:.0f} s (networkx graph built in {t_graph:.1f} s). Mean chain depth {depth:.1f}.
Sijill: one statement per question — recursive SQL (`WITH RECURSIVE`, the same statement as on
SQLite) beside the links, commanders and citations of the units it reaches — timed from Python,
end to end, both in one open session (a worker) and with a new session per query (as a web
request does: pool checkout with pre-ping, BEGIN, ROLLBACK).
Baseline: the same facts in memory in a `networkx.DiGraph`, walked breadth-first in Python (no
citations, no database). {args.queries} chain queries, {args.reports} incident command reports
(1-3 units, 1-3 days); answers compared on every tenth chain query: {mismatches} mismatches.
Load average (1 min) on the 2 cores while measuring: {load_before:.1f} before, {load_after:.1f}
after (other work shared the machine; latency grows with it).

{table}

Aim p95 < 10 ms: {"; ".join(verdicts)}.
"""
    print(body)
    if not args.no_write:
        write_section("Command: chain of command at scale (command_chain.py)", body)


if __name__ == "__main__":
    main()
