"""Small factories for the linkage tests: a record's facts, synthetic lists written to CSV, the
CLI in-process."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.linkage.features import RecordFacts
from sijill.linkage.synthetic import generate_lists, write_lists_csv


def sijill(*args: str, db: str) -> Any:
    """Run one command in-process; returns the click Result (stdout and stderr apart)."""
    result = CliRunner().invoke(build_app(), [*args, "--db", db], catch_exceptions=False)
    return result


def sijill_json(*args: str, db: str) -> Any:
    result = sijill(*args, "--json", db=db)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def import_synthetic(
    db: str,
    folder: Path,
    *,
    n_people: int = 60,
    n_lists: int = 3,
    seed: int = 11,
    typo_rate: float = 0.05,
) -> dict[tuple[str, str], str]:
    """Write synthetic lists, import each as a source; returns the truth."""
    lists, truth = generate_lists(n_people, n_lists, seed, typo_rate=typo_rate)
    paths = write_lists_csv(lists, truth, folder)
    for name, path in paths.items():
        doc = sijill_json("import", "records", str(path), "--source", name, db=db)
        assert doc["imported"] == len(lists[name])
    return truth


def named_record(i: int, full: str | None = None, **parts: str) -> RecordFacts:
    """A man's record ``i`` (in list ``i``) with only a name: ``full``, or the parts given
    (``given``, ``father``, ``grandfather``, ``family``)."""
    return RecordFacts(
        id=i,
        source_id=i,
        full_name=full,
        given_name=parts.get("given"),
        father_name=parts.get("father"),
        grandfather_name=parts.get("grandfather"),
        family_name=parts.get("family"),
        nickname=None,
        sex="M",
        age_min=None,
        age_max=None,
        birth_year=None,
        death_start=None,
        death_end=None,
        place_of_death=None,
        district=None,
        governorate=None,
    )
