"""Benchmark: names per second of ``name_key`` against a plain Unicode baseline, in one run.

Baseline (the least any importer does to a name): ``" ".join(unicodedata.normalize("NFKC",
name).casefold().split())``. The names are synthetic four-part names drawn from the built-in
name table, half in Arabic script (some with diacritics, tatweel or ``بن``), half in Latin
letters with variant spellings; almost every full name is distinct. Caches start cold: the
figure includes filling them, as in an import.

Run: ``.venv/bin/python benchmarks/names_keys.py [N]``; appends/replaces the "names" section
of ``benchmarks/RESULTS.md``. Throughput is measured in CPU time of this process (the machine
is shared with other work) and reported with wall time.
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from machine import describe as machine
from machine import write_section as _write_section

from sijill.names import lexicon

RESULTS = Path(__file__).parent / "RESULTS.md"
SECTION = "names: name keys (`sijill.names.keys.name_key`)"


def synthetic_names(n: int, seed: int = 7) -> list[str]:
    """``n`` fictional four-part names, half Arabic script, half Latin spellings."""
    rng = random.Random(seed)
    table = lexicon.entries()
    names = []
    for i in range(n):
        parts = [rng.choice(table) for _ in range(4)]
        if i % 2 == 0:
            words = [rng.choice(p.arabic) for p in parts]
            if rng.random() < 0.2:
                words[0] = "\u064e".join(words[0]) + "\u0651"
            if rng.random() < 0.2:
                words.insert(1, "بن")
            if rng.random() < 0.3:
                words[-1] = "ال" + words[-1]
        else:
            words = [rng.choice(p.latin) for p in parts]
            if rng.random() < 0.2:
                words.insert(1, "ibn")
            if rng.random() < 0.3:
                words[-1] = "al-" + words[-1]
        names.append(" ".join(words))
    return names


def baseline(name: str) -> str:
    """Unicode normalization, case folding and whitespace collapsing only."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def measure(fn: Callable[[str], str], names: list[str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to apply ``fn`` to every name once."""
    cpu, wall = time.process_time(), time.perf_counter()
    for name in names:
        fn(name)
    return time.process_time() - cpu, time.perf_counter() - wall


def write_section(body: str) -> None:
    _write_section(SECTION, body)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    names = synthetic_names(n)
    from sijill.names.keys import name_key  # imported here: the table build is not timed

    distinct = len(set(names))
    key_cpu, key_wall = measure(name_key, names)
    base_cpu, base_wall = measure(baseline, names)
    warm_cpu, _ = measure(name_key, names)
    rows = [
        ("name_key (cold caches)", key_cpu, key_wall),
        ("name_key (second pass)", warm_cpu, float("nan")),
        ("baseline NFKC+casefold", base_cpu, base_wall),
    ]
    lines = [
        f"Machine: {machine()}.",
        "",
        f"{n:,} synthetic names ({distinct:,} distinct), half Arabic script, half Latin.",
        "",
        "| method | names/s (CPU) | names/s (wall) |",
        "| --- | ---: | ---: |",
    ]
    for label, cpu, wall in rows:
        wall_rate = f"{n / wall:,.0f}" if wall == wall else "-"
        lines.append(f"| {label} | {n / cpu:,.0f} | {wall_rate} |")
    lines += [
        "",
        f"Ratio name_key / baseline throughput (CPU, cold): {base_cpu / key_cpu:.2f}"
        f" (name_key is {key_cpu / base_cpu:.1f}x the baseline's cost).",
        "Target: at least 150,000 names/s so that keys never dominate a 1M-row import.",
    ]
    body = "\n".join(lines)
    print(body)
    write_section(body)


if __name__ == "__main__":
    main()
