"""Shared by the realistic-synthetic benchmarks: a generated case through the command line.

A case (`sijill.linkage.synthetic.generate_case`) is written as CSV, each list imported with
`sijill import records`, the case linked with `sijill link`; the people found are read back from
the case database and scored pair by pair against the generator's truth. Every command runs in
its own process, as a user would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from sijill.linkage.evaluate import pairwise_scores
from sijill.linkage.synthetic import SyntheticCase, write_lists_csv
from sijill.store.engine import transaction
from sijill.store.merges import survivor
from sijill.store.models import Person, Record, Source

CLI = "from sijill.cli.main import main; main()"


def sijill(*args: str) -> dict[str, Any]:
    """Run one command in a fresh process; its JSON output."""
    done = subprocess.run(
        [sys.executable, "-c", CLI, *args, "--json"], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"sijill {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    start = done.stdout.find("{\n")
    out, end = json.JSONDecoder().raw_decode(done.stdout, max(start, 0))
    noise = (done.stdout[:start] + done.stdout[end:]).strip()
    if noise:  # seen once under heavy load: say so rather than fail the study
        print(
            f"note: `sijill {args[0]} --json` wrote more than JSON: {noise[:300]!r}",
            file=sys.stderr,
        )
    return dict(out)


@dataclass
class LinkedCase:
    db: str
    people: dict[tuple[str, str], int]  # (list, record_id) -> final person id
    link: dict[str, Any]
    import_seconds: float
    link_seconds: float


def import_and_link(case: SyntheticCase, folder: Path) -> LinkedCase:
    """Write, import and link a case in `folder` (a fresh SQLite database)."""
    paths = write_lists_csv(case.lists, case.truth, folder)
    db = f"sqlite:///{folder / 'case.db'}"
    started = time.perf_counter()
    for name, path in paths.items():
        sijill("import", "records", str(path), "--source", name, "--db", db)
    imported = time.perf_counter()
    link = sijill("link", "--db", db)
    linked = time.perf_counter()
    return LinkedCase(db, _people(db), link, imported - started, linked - imported)


def _people(db: str) -> dict[tuple[str, str], int]:
    with transaction(db) as session:
        merged = dict(session.execute(select(Person.id, Person.merged_into_id)).tuples().all())
        rows = session.execute(
            select(Source.name, Record.record_id, Record.person_id)
            .join(Source, Source.id == Record.source_id)
            .where(Record.person_id.is_not(None))
        ).tuples()
        return {
            (source, record_id): survivor(person, merged.get) for source, record_id, person in rows
        }


def linkage_scores(case: SyntheticCase, linked: LinkedCase) -> dict[str, Any]:
    """Pairwise precision, recall and F1 over the named records; people found and true."""
    scores = pairwise_scores(linked.people, case.truth)
    found = {linked.people.get(k, ("unlinked", k)) for k in case.truth}
    return {
        **{k: v for k, v in scores.as_dict().items() if k in {"precision", "recall", "f1"}},
        "people_found": len(found),
        "people_true": len(set(case.truth.values())),
    }


def true_histories(
    case: SyntheticCase, merge: dict[str, str] | None = None
) -> tuple[list[str], Counter[tuple[int, ...]]]:
    """The lists and each truly seen person's pattern of appearing on them (the generator's
    truth); `merge` maps a list to the one it is counted with (a re-release with its original)."""
    merge = merge or {}
    names = [n for n in case.lists if n not in merge]
    on: dict[str, set[int]] = {}
    for (list_name, _), key in case.truth.items():
        on.setdefault(key, set()).add(names.index(merge.get(list_name, list_name)))
    patterns = Counter(tuple(int(i in seen) for i in range(len(names))) for seen in on.values())
    return names, patterns


def write_histories(case: SyntheticCase, path: Path, merge: dict[str, str] | None = None) -> Path:
    """The true capture histories as FORMATS.md §2 (aggregated form)."""
    names, patterns = true_histories(case, merge)
    lines = [",".join([*names, "count"])]
    for pattern, n in sorted(patterns.items()):
        lines.append(",".join([*map(str, pattern), str(n)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
