"""A fictional case for the accountability tests: the sample command structure, one incident
with alleged units and persons, and the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from typer.testing import CliRunner

from sijill.cli.main import build_app
from sijill.store.engine import transaction
from sijill.store.models import Person
from tests.command.sample import sample


def cli(*args: str) -> Any:
    result = CliRunner().invoke(build_app(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def refused(*args: str) -> str:
    result = CliRunner().invoke(build_app(), list(args))
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    return str(result.output)


def write(tmp_path: Path, doc: Any, name: str) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def build_case(case_url: str, tmp_path: Path, other_access: str = "internal") -> dict[str, int]:
    """The sample structure, and incident "acc-1" (2025-03-08) alleging unit u-72 and the
    fictional persons p-1 (promoted after it), p-2 and p-4 (still in post), and incident "acc-2"
    (``other_access``) alleging p-2; returns both incidents' numbers and the persons' row ids."""
    db = ["--db", case_url]
    cli("import", "structure", "--create-sources", write(tmp_path, sample(), "s.json"), *db)
    with transaction(case_url) as session:
        ids = dict(session.execute(select(Person.external_id, Person.id)).all())
    added = cli(
        "incidents", "add", "--title", "Shelling of Example Village (fictional)",
        "--start", "2025-03-08", "--id", "acc-1",
        "--perpetrator", "u-72:ordered:alleged",
        "--perpetrator", f"person:{ids['p-1']}:ordered:alleged",
        "--perpetrator", f"person:{ids['p-2']}",
        "--perpetrator", f"person:{ids['p-4']}:present:corroborated",
        *db,
    )  # fmt: skip
    other = cli("incidents", "add", "--title", "Other incident (fictional)", "--start", "2025-04",
        "--id", "acc-2", "--access", other_access, "--perpetrator", f"person:{ids['p-2']}",
        *db)  # fmt: skip
    return {
        "incident": added["added"][0]["id"],
        "other": other["added"][0]["id"],
        **{k: v for k, v in ids.items() if k},
    }
