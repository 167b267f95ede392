"""Load test of the web API and pages on PostgreSQL with 100,000 people, using ``wrk``.

Builds a fictional case (100,000 persons, about 150,000 records in three lists, 2% of persons
restricted), serves it with ``sijill serve --workers 2`` (uvicorn; each worker accepts on a
socket of its own; person reads run on each worker's event loop through psycopg's asyncio
connections), and
drives it with ``wrk`` at 50 concurrent connections on loopback, signed in with an analyst's
bearer token (so restricted reads are decrypted-eligible and written to the read log):

- ``GET /api/persons?limit=50&offset=<random>``  the person list (JSON, with total count),
  a page among the first 100 as a pager's page links ask for it
- ``GET /api/persons?limit=50&after=<random id>`` the same list paged by id, as "next" links
  and scripts walking the whole list ask for it, anywhere in the list
- ``GET /api/persons/<random id>``                a person with records and sources (JSON)
- ``GET /persons/<random id>``                    the person page (HTML)
- ``GET /healthz``                                baseline: the same server and stack, no DB

Ratios are against the baseline's requests/s and p99 in the same run. Every route runs
``--rounds`` times in turn (default 3) and the round with the median p99 is reported, with the
ranges over the rounds: this shared machine's speed drifts by tens of percent within minutes.

    .venv/bin/python benchmarks/web_load.py [--persons 100000] [--seconds 15] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, write_section  # noqa: E402

from sijill.names.keys import name_key  # noqa: E402
from sijill.security.models import User  # noqa: E402
from sijill.security.users import create_user, issue_token  # noqa: E402
from sijill.store.engine import dispose_engines, get_engine, transaction  # noqa: E402
from sijill.store.migrate import upgrade  # noqa: E402

PG_ADMIN = os.environ.get("SIJILL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DB_NAME = "sijill_bench_web"
REPO = Path(__file__).resolve().parents[1]

# Invented name parts; any combination is a fictional person.
GIVEN = [
    ("محمد", "Mohammad"),
    ("علي", "Ali"),
    ("حسن", "Hassan"),
    ("أحمد", "Ahmad"),
    ("يوسف", "Yousef"),
    ("خالد", "Khaled"),
    ("عمر", "Omar"),
    ("سامر", "Samer"),
    ("فادي", "Fadi"),
    ("رامي", "Rami"),
    ("باسل", "Basel"),
    ("وسيم", "Wassim"),
    ("فاطمة", "Fatima"),
    ("مريم", "Maryam"),
    ("ريم", "Reem"),
    ("هند", "Hind"),
    ("ليلى", "Layla"),
    ("سلمى", "Salma"),
    ("نور", "Nour"),
    ("رنا", "Rana"),
]
FAMILY = [
    ("الحلبي", "al-Halabi"),
    ("الخطيب", "al-Khatib"),
    ("درويش", "Darwish"),
    ("منصور", "Mansour"),
    ("إبراهيم", "Ibrahim"),
    ("سليمان", "Suleiman"),
    ("عيسى", "Issa"),
    ("حيدر", "Haidar"),
    ("شاهين", "Shahin"),
    ("ديب", "Dib"),
    ("نصر", "Nasr"),
    ("عثمان", "Othman"),
    ("يونس", "Younes"),
    ("بكري", "Bakri"),
]
VILLAGES = [
    "Kafr Wahmi (fictional)",
    "Tell Mithal (fictional)",
    "Ain Khayal (fictional)",
    "Qaryat Zaif (fictional)",
    "Beit Wahm (fictional)",
]


def copy_rows(conn: psycopg.Connection, table: str, columns: list[str], rows: list[tuple]) -> None:  # type: ignore[type-arg]
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build_case(url: str, persons: int, seed: int = 11) -> None:
    """Schema, three sources, persons and their records, via COPY."""
    upgrade(get_engine(url))
    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    keys: dict[str, str] = {}
    raw = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw) as conn:
        sources = [
            ("Fictional list A (benchmark)", "public"),
            ("Fictional list B (benchmark)", "internal"),
            ("Fictional list C (benchmark)", "restricted"),
        ]
        ids = []
        for name, access in sources:
            ids.append(
                conn.execute(
                    "INSERT INTO sources (name, kind, access, derived_from, record_count,"
                    " created_at) VALUES (%s, 'list', %s, '[]', 0, now()) RETURNING id",
                    (name, access),
                ).fetchone()[0]
            )
        person_rows, record_rows = [], []
        counters = dict.fromkeys(ids, 0)
        for pid in range(1, persons + 1):
            g, f, fam = rng.choice(GIVEN), rng.choice(GIVEN[:12]), rng.choice(FAMILY)
            ar = f"{g[0]} {f[0]} {fam[0]}"
            la = f"{g[1]} {f[1]} {fam[1]}"
            key = keys.get(ar) or keys.setdefault(ar, name_key(ar))
            access = "restricted" if rng.random() < 0.02 else "internal"
            person_rows.append((pid, ar, ar, la, key, True, False, access, now))
            for source_id in rng.sample(ids, rng.choice((1, 1, 2))):
                counters[source_id] += 1
                latin = source_id == ids[1]
                record_rows.append(
                    (
                        source_id,
                        f"r{pid}",
                        counters[source_id],
                        "{}",
                        "restricted" if source_id == ids[2] else "internal",
                        la if latin else ar,
                        keys.get(la) or keys.setdefault(la, name_key(la)),
                        False,
                        rng.choice("MF"),
                        "2025-03-0" + str(rng.randint(7, 9)),
                        rng.choice(VILLAGES),
                        "killed",
                        "civilian",
                        1,
                        pid,
                    )
                )
        copy_rows(
            conn,
            "persons",
            [
                "id",
                "display_name",
                "name_ar",
                "name_latin",
                "name_key",
                "is_victim",
                "is_actor",
                "access",
                "created_at",
            ],
            person_rows,
        )
        conn.execute("SELECT setval('persons_id_seq', %s)", (persons,))
        copy_rows(
            conn,
            "records",
            [
                "source_id",
                "record_id",
                "row_number",
                "raw",
                "access",
                "full_name",
                "name_key",
                "unidentified",
                "sex",
                "date_of_death",
                "place_of_death",
                "status",
                "civilian_status",
                "count",
                "person_id",
            ],
            record_rows,
        )
        for source_id, n in counters.items():
            conn.execute("UPDATE sources SET record_count = %s WHERE id = %s", (n, source_id))
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
    print(f"built {persons} persons, {len(record_rows)} records", file=sys.stderr)


def token_for(url: str) -> str:
    with transaction(url) as session:
        user = session.scalar(select(User).where(User.name == "bench-analyst"))
        if user is None:
            user = create_user(
                session, "bench-analyst", "analyst", "benchmark analyst passphrase", actor="bench"
            )
        return issue_token(session, user, "api").secret


def wait_up(port: int, deadline: float = 60.0) -> None:
    import urllib.request

    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


LUA = """
math.randomseed(7)
local token = "{token}"
local kind = "{kind}"
local persons = {persons}
request = function()
  local path
  if kind == "list" then
    path = "/api/persons?limit=50&offset=" .. (math.random(0, math.min(99, persons / 50 - 1)) * 50)
  elseif kind == "next" then
    path = "/api/persons?limit=50&after=" .. math.random(0, persons - 50)
  elseif kind == "detail" then path = "/api/persons/" .. math.random(1, persons)
  elseif kind == "page" then path = "/persons/" .. math.random(1, persons)
  else path = "/healthz" end
  return wrk.format("GET", path, {{["Authorization"] = "Bearer " .. token}})
end
"""


def run_wrk(
    port: int, kind: str, token: str, persons: int, seconds: int, folder: Path, conns: int = 50
) -> dict[str, float]:
    script = folder / f"{kind}.lua"
    script.write_text(LUA.format(token=token, kind=kind, persons=persons))
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{conns}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lat = {}
    for pct in ("50", "99"):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        lat[pct] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return {
        "rps": rps,
        "p50": lat["50"],
        "p99": lat["99"],
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median p99 (whole, so its figures belong together), with the range of
    p99 and requests/s over all runs."""
    ordered = sorted(runs, key=lambda r: r["p99"])
    return {
        **ordered[len(ordered) // 2],
        "p99_low": ordered[0]["p99"],
        "p99_high": ordered[-1]["p99"],
        "rps_low": min(r["rps"] for r in runs),
        "rps_high": max(r["rps"] for r in runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept benchmark database")
    parser.add_argument(
        "--routes",
        default="healthz,list,next,detail,page",
        help="which of healthz,list,next,detail,page to load (all: the published run)",
    )
    parser.add_argument("--no-write", action="store_true", help="print; leave RESULTS.md alone")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="runs of every route at 50 connections, in turn; the median run is reported",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + DB_NAME
    folder = Path(tempfile.mkdtemp(prefix="sijill-web-bench-"))
    started = time.monotonic()
    if not args.reuse:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
        build_case(url, args.persons)
    token = token_for(url)
    dispose_engines()
    kinds = args.routes.split(",")
    build_s = time.monotonic() - started
    port = 8765
    env = dict(os.environ, SIJILL_DATABASE_URL=url, SIJILL_KEY_FILE=str(folder / "bench.key"))
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("sijill")),
            "serve",
            "--db",
            url,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=folder,
    )
    try:
        wait_up(port)
        for kind in kinds:  # warm-up: prepared statements, caches and list totals in place
            run_wrk(port, kind, token, args.persons, 2, folder)
        load_before = os.getloadavg()[0]
        rounds = [
            {kind: run_wrk(port, kind, token, args.persons, args.seconds, folder) for kind in kinds}
            for _ in range(args.rounds)
        ]
        results = {kind: median_run([r[kind] for r in rounds]) for kind in kinds}
        light = {
            kind: run_wrk(port, kind, token, args.persons, args.seconds, folder, conns=5)
            for kind in kinds
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    base = results.get("healthz", {"rps": float("nan"), "p99": float("nan")})
    labels = {
        "healthz": "`GET /healthz` (baseline: same stack, no database)",
        "list": "`GET /api/persons?limit=50&offset=…` (person list, JSON, total; first 100 pages)",
        "next": "`GET /api/persons?limit=50&after=…` (person list paged by id, anywhere)",
        "detail": "`GET /api/persons/{id}` (person, records, sources, citations)",
        "page": "`GET /persons/{id}` (person page, HTML)",
    }
    lines = [
        f"Machine: {describe()}.",
        "",
        f"PostgreSQL, {args.persons:,} fictional persons with ~{int(args.persons * 1.33):,} "
        f"records in three lists (2% of persons restricted); `sijill serve --workers "
        f"{args.workers}` (uvicorn, each worker on a socket of its own); "
        f"`wrk -t2 -c50 -d{args.seconds}s` on loopback with an analyst's bearer token "
        "(random ids/offsets; restricted reads are written to the read log). wrk shares the "
        f"2 cores with the server and PostgreSQL. Case built in {build_s:.0f} s. Load average "
        f"before/after the run: {load_before:.1f}/{load[0]:.1f} (other work on the shared machine "
        f"inflates latency). {args.rounds} rounds of every route in turn; each row is the "
        "round with the median p99, beside the ranges over all rounds.",
        "",
        "| route | requests/s | p50 ms | p99 ms | non-2xx | rps vs baseline | p99 vs baseline "
        "| requests/s, all rounds | p99 ms, all rounds |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind, r in results.items():
        lines.append(
            f"| {labels[kind]} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['errors']:.0f} | {r['rps'] / base['rps']:.2f} | {r['p99'] / base['p99']:.1f}× "
            f"| {r['rps_low']:.0f}–{r['rps_high']:.0f} | {r['p99_low']:.1f}–{r['p99_high']:.1f} |"
        )
    worst = max((r["p99"] for k, r in results.items() if k != "healthz"), default=float("nan"))
    lines += [
        "",
        f"Aim p99 < 100 ms at 50 clients: {'met' if worst < 100 else 'NOT met'} (worst p99 "
        f"{worst:.1f} ms). With 50 clients always waiting, the mean latency is 50 / (requests "
        "per second) (Little's law): p99 < 100 ms needs well over 500 requests/s of "
        "database-backed pages on these 2 shared cores, and a tail close to the median.",
        "",
        "Below saturation, 5 connections (same routes):",
        "",
        "| route | requests/s | p50 ms | p99 ms | non-2xx |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, r in light.items():
        lines.append(
            f"| {labels[kind]} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            f"{r['errors']:.0f} |"
        )
    body = "\n".join(lines)
    print(body)
    if args.no_write:
        return
    write_section(
        "Web: load on the person list and person page (web_load.py)",
        body,
        results=str(REPO / "benchmarks" / "RESULTS.md"),
    )


if __name__ == "__main__":
    main()
