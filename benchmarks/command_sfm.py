"""Security Force Monitor's standard at a country's scale, and against SFM's own drawings.

Synthetic run (default): a generated, visibly synthetic structure (``sijill.command.generate``)
of ``--units`` units, one post per unit, an area of operations for every fifth unit and an
incident for every tenth, is written as SFM's workbook (``<cc>_units``, ``<cc>_persons``,
``<cc>_incidents``, ``<cc>_locations``), then read, converted and imported into fresh SQLite and
PostgreSQL cases, exported back to SFM's sheets, and drawn as GraphML for random units. Checks:

* the round trip: every composition and post (ids, classification, role, rank, the four §3
  dates) read back from the exported workbook equals the generated one;
* GraphML against the chain of command: on a random day, the ancestors in a unit's GraphML are
  exactly the organizations of ``sijill chain`` (recursive SQL) for that unit and day.

Real run: ``--workbook FILE`` imports SFM's own data (a workbook, CSV/TSV or a folder) into a
fresh SQLite case and prints what came in; with ``--unit ID --expected FILE.graphml`` (SFM's
drawing of that unit's graph, e.g. ``output/324_cdm_command_chain_raw.graphml`` of
``security-force-monitor/snr-developer-code-challenge-2022``) it compares nodes, edges and edge
labels with Sijill's ``--all-time`` GraphML.

    .venv/bin/python benchmarks/command_sfm.py [--units 5000] [--graphs 200]
    .venv/bin/python benchmarks/command_sfm.py --workbook ml.xlsx --unit ID --expected chain.graphml
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import networkx as nx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe, write_section  # noqa: E402

from sijill.command.chain import chain  # noqa: E402
from sijill.command.exporter import export_structure  # noqa: E402
from sijill.command.generate import generate_structure  # noqa: E402
from sijill.command.graphml import graphml_bytes, unit_graph  # noqa: E402
from sijill.command.importer import import_structure  # noqa: E402
from sijill.command.sfm_export import from_structure  # noqa: E402
from sijill.command.sfm_files import read_sheets, write_sheets  # noqa: E402
from sijill.command.sfm_import import to_structure  # noqa: E402
from sijill.store.engine import dispose_engines, get_engine, transaction  # noqa: E402
from sijill.store.migrate import upgrade  # noqa: E402

ADMIN_URL = os.environ.get("SIJILL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATES = ("start_date", "end_date", "first_cited", "last_cited")


def synthetic(units: int, seed: int) -> dict[str, Any]:
    """A generated structure with areas and incidents added, as SFM would hold it."""
    rng = random.Random(seed)
    doc = generate_structure(units, seed=seed, members_per_unit=1)
    for org in doc["organizations"]:
        org["sfm"] = {"unit:country": "zz"}
    ids = [o["id"] for o in doc["organizations"]]
    place = "Synthetic Place {n} (sfm, point) 00000000-0000-4000-8000-{n:012d}"
    doc["areas"] = [
        {
            "organization_id": u,
            "place": f"Synthetic Place {i}",
            "first_cited": "2023-01-01",
            "sfm": {"unit:location": place.format(n=i), "unit:location_type": "aoo"},
        }
        for i, u in enumerate(ids[::5])
    ]
    day = date(2023, 1, 1)
    doc["incidents"] = [
        {
            "id": f"i-{i}",
            "place": "",
            "start_date": (day + timedelta(days=i)).isoformat(),
            "end_date": "",
            "perpetrator_organization_ids": rng.sample(ids, 2),
            "sources": ["s-1"],
        }
        for i in range(len(ids) // 10)
    ]
    return doc


_BOTH = (("start_date", "first_cited"), ("end_date", "last_cited"))


def _expressible(fact: dict[str, Any]) -> bool:
    """SFM writes one date per side of a fact: a real start or a first citation, a real end or a
    last citation; a fact holding both on one side comes back with the real date only."""
    return not any(fact.get(a) and fact.get(b) for a, b in _BOTH)


def _as_sfm(fact: dict[str, Any]) -> dict[str, Any]:
    """The fact as SFM can hold it: the real date of each side, else the citation."""
    return {k: v for k, v in fact.items() if not any(k == b and fact.get(a) for a, b in _BOTH)}


def _core(doc: dict[str, Any]) -> set[tuple[str, ...]]:
    comps = {
        (
            "c",
            c["parent_id"],
            c["child_id"],
            c.get("classification") or "command",
            *(str(c.get(k) or "") for k in DATES),
        )
        for c in map(_as_sfm, doc["compositions"])
    }
    posts = {
        (
            "m",
            m["person_id"],
            m["organization_id"],
            m["role"],
            m.get("rank") or "",
            *(str(m.get(k) or "") for k in DATES),
        )
        for m in map(_as_sfm, doc["memberships"])
    }
    return comps | posts


def _timed(action: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def _fresh_pg() -> str:
    name = f"sfm_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _drop_pg(url: str) -> None:
    dispose_engines()
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def run_synthetic(units: int, graphs: int, seed: int, tmp: Path) -> str:
    rng = random.Random(seed)
    doc = synthetic(units, seed)
    book = tmp / "zz.xlsx"
    sheets = from_structure(doc)
    rows = {name: len(r) for name, r in sheets.items()}
    _, t_write = _timed(lambda: write_sheets(sheets, book))
    read, t_read = _timed(lambda: read_sheets(book))
    converted, t_convert = _timed(lambda: to_structure(read, book.name))
    facts = doc["compositions"] + doc["memberships"]
    both = sum(not _expressible(f) for f in facts)
    lines = [
        f"Machine: {describe()}.",
        "",
        f"Synthetic country: {len(doc['organizations']):,} units, "
        f"{len(doc['compositions']):,} relations, {len(doc['memberships']):,} posts, "
        f"{len(doc['areas']):,} areas, {len(doc['incidents']):,} incidents; the workbook has "
        + ", ".join(f"{n:,} rows in {name}" for name, n in rows.items())
        + f". Writing it (openpyxl) {t_write:.1f} s, reading it {t_read:.1f} s, "
        f"converting to §3 {t_convert:.2f} s. {both:,} of the {len(facts):,} generated relations "
        "and posts hold both a real start and a first citation (or a real end and a last "
        "citation); SFM writes one date per side, so they come back with the real date only and "
        "the round trip below expects them so.",
        "",
        "| engine | import (s) | export to SFM (s) | round trip: facts differing | "
        "GraphML p50 / p95 ms (doc in memory) | GraphML vs chain: mismatches |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for engine in ("sqlite", "postgresql"):
        url = f"sqlite:///{tmp / 'case.db'}" if engine == "sqlite" else _fresh_pg()
        try:
            upgrade(get_engine(url))

            start = time.perf_counter()
            with transaction(url) as session:
                import_structure(session, converted.doc, origin=book.name, create_sources=True)
            t_import = time.perf_counter() - start
            with transaction(url) as session:
                stored = export_structure(session)
            out = tmp / f"back-{engine}.xlsx"
            start = time.perf_counter()
            write_sheets(from_structure(stored), out)
            t_export = time.perf_counter() - start
            back = to_structure(read_sheets(out), out.name).doc
            differing = len(_core(back) ^ _core(doc))
            times, mismatches = [], 0
            ids = [o["id"] for o in stored["organizations"]]
            with transaction(url) as session:
                for _ in range(graphs):
                    unit = rng.choice(ids)
                    day = date(2022, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))
                    start = time.perf_counter()
                    graph = unit_graph(stored, unit, day)
                    body = graphml_bytes(graph)
                    times.append((time.perf_counter() - start) * 1000)
                    drawn = nx.read_graphml(BytesIO(body))
                    above = {unit} | nx.ancestors(drawn, unit)
                    levels = chain(session, unit, day, with_citations=False)["levels"]
                    if above != {lv["organization_id"] for lv in levels}:
                        mismatches += 1
            times.sort()
            p50, p95 = times[len(times) // 2], times[int(len(times) * 0.95)]
            lines.append(
                f"| {engine} | {t_import:.1f} | {t_export:.1f} | {differing} | "
                f"{p50:.1f} / {p95:.1f} | {mismatches} of {graphs} |"
            )
        finally:
            if engine == "postgresql":
                _drop_pg(url)
    return "\n".join(lines)


def run_real(workbook: Path, unit: str | None, expected: Path | None, tmp: Path) -> str:
    url = f"sqlite:///{tmp / 'case.db'}"
    upgrade(get_engine(url))
    converted, t_convert = _timed(lambda: to_structure(read_sheets(workbook), workbook.name))

    def store() -> dict[str, Any]:
        with transaction(url) as session:
            return import_structure(
                session, converted.doc, origin=workbook.name, create_sources=True
            ).as_dict()

    counts, t_import = _timed(store)
    lines = [
        f"Machine: {describe()}.",
        "",
        f"`{workbook.name}`: read and converted in {t_convert:.1f} s, "
        f"imported in {t_import:.1f} s: "
        + ", ".join(f"{v} {k}" for k, v in counts.items() if not isinstance(v, dict)),
    ]
    if unit and expected:
        with transaction(url) as session:
            doc = export_structure(session)
        ours = nx.read_graphml(BytesIO(graphml_bytes(unit_graph(doc, unit))))
        theirs = nx.read_graphml(expected)
        same = [
            e
            for e in set(ours.edges) & set(theirs.edges)
            if ours.edges[e]["edge_label"] == theirs.edges[e].get("edge_label")
        ]
        lines.append(
            f"\nUnit `{unit}`: nodes {len(set(ours.nodes) & set(theirs.nodes))} shared of "
            f"{len(theirs.nodes)} in SFM's drawing ({len(ours.nodes)} in Sijill's); edges "
            f"{len(set(ours.edges) & set(theirs.edges))} shared of {len(theirs.edges)} "
            f"({len(ours.edges)} in Sijill's), {len(same)} with the same label."
        )
        for e in sorted(set(ours.edges) ^ set(theirs.edges)):
            side = "only Sijill" if e in ours.edges else "only SFM"
            lines.append(f"- {side}: {e[0]} → {e[1]}")
        for e in sorted(set(ours.edges) & set(theirs.edges) - set(same)):
            lines.append(
                f"- label of {e[0]} → {e[1]}: Sijill `{ours.edges[e]['edge_label']}`, "
                f"SFM `{theirs.edges[e].get('edge_label')}`"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--graphs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workbook", type=Path)
    parser.add_argument("--unit")
    parser.add_argument("--expected", type=Path)
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sfm-bench-") as folder:
        if args.workbook:
            body = run_real(args.workbook, args.unit, args.expected, Path(folder))
            title = "Command: SFM's own data (command_sfm.py --workbook)"
        else:
            body = run_synthetic(args.units, args.graphs, args.seed, Path(folder))
            title = "Command: SFM's standard at a country's scale (command_sfm.py)"
        dispose_engines()
    print(body)
    if not args.no_write:
        write_section(title, body)


if __name__ == "__main__":
    main()
