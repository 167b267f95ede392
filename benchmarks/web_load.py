"""Load test of the web API and pages on PostgreSQL with 100,000 people, using ``wrk``.

Builds a fictional case (100,000 persons, about 133,000 records in three lists, 2% of persons
restricted), serves it with ``sijill serve --workers 2`` (uvicorn's workers), and drives it
with ``wrk`` at 10 and 50 concurrent connections on loopback, signed in with an analyst's
bearer token (so restricted reads are written to the read log):

- ``GET /api/persons?limit=50&offset=<random>``  the person list (JSON, with total count),
  a page among the first 100 as a pager's page links ask for it
- ``GET /api/persons?limit=50&after=<random id>`` the same list paged by id, anywhere
- ``GET /api/persons/<random id>``                a person with records and sources (JSON)
- ``GET /persons/<random id>``                    the person page (HTML)
- ``GET /healthz``                                baseline: the same server and stack, no DB

With ``--against OTHER/src`` the code of another checkout (main, say) serves a second copy of
the case, migrated by its own code, and every run of this tree's server is paired with one of
the other's, their order alternating by round: a before/after comparison under the same
drifting load of a shared machine. Every route runs ``--rounds`` times (default 3); the round
with the median p99 is reported, with the range of p99 over the rounds.

    .venv/bin/python benchmarks/web_load.py [--persons 100000] [--against ../main/src]
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

import psutil
import psycopg
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).parent))
from machine import describe, write_section  # noqa: E402

from sijill.names.keys import name_key  # noqa: E402
from sijill.security.models import User  # noqa: E402
from sijill.security.users import create_user, issue_token  # noqa: E402
from sijill.store.engine import dispose_engines, transaction  # noqa: E402

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
    """Three sources, persons and their records, via COPY (the schema is in place)."""
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
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    lat = {}
    for pct in ("50", "99"):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
        lat[pct] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return {
        "requests": float(requests),
        "rps": rps,
        "p50": lat["50"],
        "p99": lat["99"],
        "errors": float(errors.group(1)) if errors else 0.0,
    }


def median_run(runs: list[dict[str, float]]) -> dict[str, float]:
    """The run with the median p99 (whole, so its figures belong together), with the range of
    p99 over all runs and the median CPU time per request."""
    ordered = sorted(runs, key=lambda r: r["p99"])
    return {
        **ordered[len(ordered) // 2],
        "p99_low": ordered[0]["p99"],
        "p99_high": ordered[-1]["p99"],
        "cpu_ms": sorted(r["cpu_ms"] for r in runs)[len(runs) // 2],
    }


def migrate(url: str, src: Path) -> None:
    """Bring the database at ``url`` to the schema of the code in ``src``."""
    code = "import sys; from sijill.store.engine import get_engine; "
    code += "from sijill.store.migrate import upgrade; upgrade(get_engine(sys.argv[1]))"
    env = dict(os.environ, PYTHONPATH=str(src))
    subprocess.run([sys.executable, "-c", code, url], env=env, check=True)


def start_server(url: str, src: Path, port: int, workers: int, folder: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    """``sijill serve --workers N`` of the code in ``src`` on ``url``."""
    env = dict(
        os.environ,
        PYTHONPATH=str(src),
        SIJILL_DATABASE_URL=url,
        SIJILL_KEY_FILE=str(folder / "bench.key"),
    )
    command = "from sijill.cli.main import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--db", url, "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        env=env,
        cwd=folder,
    )


def cpu_seconds(server: subprocess.Popen, url: str) -> float:  # type: ignore[type-arg]
    """CPU time used so far by the server's processes and their database connections'
    PostgreSQL backends (a connection closed meanwhile takes its share with it)."""
    parent = psutil.Process(server.pid)
    with psycopg.connect(PG_ADMIN.replace("+psycopg", "")) as conn:
        backends = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (url.rsplit("/", 1)[1],)
        ).fetchall()
    pids = [parent.pid, *(p.pid for p in parent.children(recursive=True))]
    total = 0.0
    for pid in pids + [pid for (pid,) in backends]:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.NoSuchProcess:  # a connection closed meanwhile
            continue
        total += times.user + times.system
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--clients", default="10,50", help="concurrent connections, each run in turn"
    )
    parser.add_argument(
        "--routes",
        default="healthz,list,next,detail,page",
        help="which of healthz,list,next,detail,page to load (all: the published run)",
    )
    parser.add_argument(
        "--against",
        type=Path,
        help="another checkout's src folder (e.g. main's), served on a copy of the case "
        "migrated by its own code, its runs interleaved with this tree's",
    )
    parser.add_argument("--no-write", action="store_true", help="print; leave RESULTS.md alone")
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs of every route, in turn; the median is shown"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    trees = {"this": REPO / "src"} | ({"against": args.against.resolve()} if args.against else {})
    urls = {name: PG_ADMIN.rsplit("/", 1)[0] + f"/{DB_NAME}_{name}" for name in trees}
    folder = Path(tempfile.mkdtemp(prefix="sijill-web-bench-"))
    kinds = args.routes.split(",")
    clients = [int(c) for c in args.clients.split(",")]
    started = time.monotonic()
    tokens = {}
    for name, url in urls.items():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"'))
        migrate(url, trees[name])
        build_case(url, args.persons)
        tokens[name] = token_for(url)
    dispose_engines()
    build_s = time.monotonic() - started
    ports = {name: 8765 + i for i, name in enumerate(trees)}
    servers = {
        name: start_server(urls[name], src, ports[name], args.workers, folder)
        for name, src in trees.items()
    }
    runs: dict[tuple[str, int, str], list[dict[str, float]]] = {}
    try:
        for name, port in ports.items():
            wait_up(port)
            for kind in kinds:  # warm-up: prepared statements and caches in place
                run_wrk(port, kind, tokens[name], args.persons, 2, folder)
        load_before = os.getloadavg()[0]
        started = describe()  # the time and load as the measured rounds start
        for round_ in range(args.rounds):
            order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
            for kind in kinds:
                for conns in clients:
                    for name in order:
                        cpu = cpu_seconds(servers[name], urls[name])
                        run = run_wrk(
                            ports[name],
                            kind,
                            tokens[name],
                            args.persons,
                            args.seconds,
                            folder,
                            conns,
                        )
                        used = cpu_seconds(servers[name], urls[name]) - cpu
                        run["cpu_ms"] = 1000 * used / max(run["requests"], 1)
                        runs.setdefault((kind, conns, name), []).append(run)
    finally:
        for server in servers.values():
            server.terminate()
        for server in servers.values():
            server.wait(timeout=30)
        with admin.connect() as conn:
            for url in urls.values():
                conn.execute(
                    text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
                )
        shutil.rmtree(folder, ignore_errors=True)
    load = os.getloadavg()
    labels = {
        "healthz": "`GET /healthz` (no database)",
        "list": "`GET /api/persons?limit=50&offset=…` (first 100 pages, with total)",
        "next": "`GET /api/persons?limit=50&after=…` (by id, anywhere)",
        "detail": "`GET /api/persons/{id}` (person, records, sources)",
        "page": "`GET /persons/{id}` (person page, HTML)",
    }
    names = {"this": "after" if args.against else "this tree", "against": "before"}
    lines = [
        f"Machine: {started}.",
        "",
        f"PostgreSQL, {args.persons:,} fictional persons with ~{int(args.persons * 1.33):,} "
        f"records in three lists (2% of persons restricted); `sijill serve --workers "
        f"{args.workers}`; `wrk -t2 -cN -d{args.seconds}s` on loopback with an analyst's bearer "
        "token (random ids/offsets; restricted reads are written to the read log). wrk, the "
        "servers and PostgreSQL share the 2 cores, and so do other jobs on this shared "
        f"machine: load average {load_before:.1f} before the runs, {load[0]:.1f} after. "
        f"Cases built in {build_s:.0f} s. {args.rounds} rounds of every route"
        + (
            ", before and after interleaved (their order alternating by round)"
            if args.against
            else ""
        )
        + "; each cell is the round with the median p99, then the range of p99 over the rounds. "
        "CPU ms per request (median over the rounds): the server's processes and its database "
        "connections' PostgreSQL backends (at 50 clients connections beyond a pool's 10 are "
        "opened and closed, and their CPU time is missed).",
        "",
        "| route | clients | code | requests/s | p50 ms | p99 ms | p99 ms, all rounds "
        "| CPU ms/request | non-2xx |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in kinds:
        for conns in clients:
            for name in trees if not args.against else ("against", "this"):
                r = median_run(runs[(kind, conns, name)])
                lines.append(
                    f"| {labels[kind]} | {conns} | {names[name]} | {r['rps']:.0f} | "
                    f"{r['p50']:.1f} | {r['p99']:.1f} | {r['p99_low']:.1f}–{r['p99_high']:.1f} "
                    f"| {r['cpu_ms']:.2f} | {r['errors']:.0f} |"
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
