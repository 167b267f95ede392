"""``sijill estimate`` on the command line: --json shape, summary, plots and errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sijill.cli.main import build_app
from tests.estimate.helpers import KOSOVO, UK5, close

QUICK = ["--chains", "2", "--burnin", "500", "--samples", "200", "--thin", "5"]
QUICK += ["--max-samples", "0"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_app(), ["estimate", *args])


@pytest.mark.parametrize(
    ("args", "method", "target"),
    [
        (["--method", "loglinear"], "loglinear", 10356.5),
        (["--select", "stepwise"], "loglinear", None),
        (["--method", "dga", "--no-prior-check"], "dga", 12595),
        ([*QUICK, "--seed", "5", "--no-prior-check"], "lcmcr", None),
    ],
)
def test_json_document_shape(args: list[str], method: str, target: float | None) -> None:
    result = run(str(KOSOVO), "--json", *args)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert {"method", "observed", "estimate", "interval", "level"} <= set(doc)
    assert doc["method"] == method and doc["observed"] == 4400 and doc["level"] == 0.95
    lo, hi = doc["interval"]
    assert lo <= doc["estimate"] <= hi
    assert isinstance(doc["warnings"], list) and isinstance(doc["diagnostics"], dict)
    if target is not None:
        assert close(doc["estimate"], target, 0.005)


def test_uk_stepwise_on_the_command_line() -> None:
    result = run(str(UK5), "--select", "stepwise", "--json")
    doc = json.loads(result.stdout)
    assert close(doc["estimate"], 11312.99, 0.005)
    assert close(doc["interval"][0], 9884, 0.005) and close(doc["interval"][1], 13027, 0.005)


def test_seed_makes_lcmcr_reproducible() -> None:
    first = json.loads(run(str(KOSOVO), "--json", "--seed", "9", *QUICK).stdout)
    second = json.loads(run(str(KOSOVO), "--json", "--seed", "9", *QUICK).stdout)
    assert first["estimate"] == second["estimate"]
    assert first["interval"] == second["interval"]


def test_readable_summary_and_plots(tmp_path: Path) -> None:
    strata = tmp_path / "strata.csv"
    strata.write_text(
        "A,B,C,count,region\n1,0,0,80,North\n0,1,0,70,North\n0,0,1,60,North\n1,1,0,20,North\n"
        "1,0,1,15,North\n0,1,1,12,North\n1,1,1,5,North\n1,0,0,50,South\n0,1,0,40,South\n"
        "0,0,1,45,South\n1,1,0,12,South\n1,0,1,10,South\n0,1,1,9,South\n1,1,1,3,South\n",
        encoding="utf-8",
    )
    out = tmp_path / "figs"
    result = run(str(strata), *QUICK, "--seed", "1", "--plots", str(out))
    assert result.exit_code == 0, result.output
    assert "By stratum" in result.stdout and "North" in result.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "posterior.png",
        "posterior.svg",
        "strata.png",
        "strata.svg",
        "trace.png",
        "trace.svg",
    ]
    assert (out / "posterior.png").read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in (out / "trace.svg").read_text(encoding="utf-8")[:500]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "either a capture-history FILE or --from-case"),
        (["nothing-here.csv"], "no such file"),
        ([str(KOSOVO), "--method", "lcmcr", "--select", "aic"], "--select applies"),
        ([str(KOSOVO), "--method", "bogus"], "unknown method"),
        ([str(KOSOVO), "--level", "1.5"], "level"),
    ],
)
def test_errors_exit_non_zero_without_traceback(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_row_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,C,count\n1,0,0,3\n0,1,0,-2\n", encoding="utf-8")
    result = run(str(bad), "--json")
    assert result.exit_code != 0
    assert "row 3" in result.output and "count" in result.output
    assert result.stdout.strip() == "" or not result.stdout.strip().startswith("{")
