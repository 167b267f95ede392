"""Shared checks of generated reports: figures against the commands, links, searched text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sijill.cli.main import build_app


def run(*args: str) -> Any:
    """A command's ``--json`` document (the command must succeed)."""
    result = CliRunner().invoke(build_app(), [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def report(out: Path, db: str, *args: str) -> dict[str, Any]:
    """``sijill report`` into ``out``; returns its figures (report.json)."""
    made = run("report", "--out", str(out), "--db", db, *args)
    assert Path(made["html"]).is_file() and made["json"] == str(out / "report.json")
    return {"made": made, **json.loads((out / "report.json").read_text("utf-8"))}


def subset(expected: Any, actual: Any, where: str = "") -> None:
    """``actual`` holds everything ``expected`` holds (more keys allowed: the report adds how it
    shows a thing, never changes what the command said)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing"
            subset(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            subset(e, a, f"{where}[{i}]")
    else:
        assert expected == actual, f"{where}: {expected!r} != {actual!r}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name == "href" and value is not None:
                self.hrefs.append(value)


def check_links(html: str) -> int:
    """Every link of the page is internal and names an anchor the page has; returns how many
    links there are. Nothing is fetched from outside: no src, no url(), no external href."""
    parser = _Links()
    parser.feed(html)
    outside = [h for h in parser.hrefs if not h.startswith("#")]
    assert not outside, outside[:5]
    broken = sorted({h for h in parser.hrefs if h[1:] not in parser.ids})
    assert not broken, broken[:10]
    assert not re.search(r"""\bsrc=|url\(|@import|https?://(?!www\.w3\.org/2000/svg)""", html)
    return len(parser.hrefs)


def check_figures(doc: dict[str, Any], db: str, policy: str) -> None:
    """Every count, chain and command report of the report is what the commands give."""
    for by, found in doc["counts"].items():
        expected = run("count", "--by", by, "--policy", policy, "--db", db)
        expected.pop("mark", None)
        subset(expected, found, f"count {by}")
    for figure in doc["published"]:
        ref = str(figure["id"])
        shown = run("figures", "show", ref, "--policy", policy, "--db", db)
        subset(shown, figure, f"figures show {ref}")
        counted = run("count", "--by", "date", "--figure", ref, "--policy", policy, "--db", db)
        assert counted["total"] == figure["beside"]["ours"]["verified"]
        assert counted["reported_total"] == figure["beside"]["ours"]["reported"]
        subset(counted["groups"], figure["beside"]["by_date"], f"count --figure {ref}")
    assert doc["toll"]["documented"] == doc["counts"]["place"]["reported_total"]
    assert doc["toll"]["verified"] == doc["counts"]["place"]["total"]
    commands = 0
    for incident in doc["incidents"]:
        if incident["command"] is None:
            continue
        expected = run("command-report", "--incident", str(incident["id"]), "--db", db)
        subset(expected, incident["command"], f"command-report {incident['id']}")
        for chain in incident["command"]["chains"]:
            subset(run("chain", chain["unit"], "--at", chain["at"], "--db", db), chain, "chain")
        commands += 1
    assert commands
