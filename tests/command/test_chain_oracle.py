"""The recursive SQL chain against the pure-Python oracle, on random structures, both engines."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from sijill.command.chain import chain, subordinates
from sijill.command.generate import generate_structure
from sijill.command.importer import import_structure
from sijill.command.report import command_report
from sijill.store.engine import transaction
from tests.command import oracle


def _edge_days(doc: dict[str, Any], rng: random.Random, count: int) -> list[date]:
    """Days on and around the edges of facts: first and last days of spans, a day either side,
    first and last days of months, and days before anything existed."""
    edges: set[date] = {date(2019, 6, 1), date(2021, 12, 31)}
    for kind in ("compositions", "memberships"):
        for fact in doc[kind]:
            for key in ("start_date", "end_date", "first_cited", "last_cited"):
                span = oracle._first_last(fact.get(key))
                if span is None:
                    continue
                for d in span:
                    edges.update({d - timedelta(days=1), d, d + timedelta(days=1)})
    pool = sorted(edges)
    return [rng.choice(pool) for _ in range(count)]


@pytest.mark.parametrize(
    "seed,cycle_rate,precision",
    [
        (1, 0.0, (0.6, 0.3)),  # mostly full days
        (2, 0.03, (0.6, 0.3)),  # with composition cycles
        (3, 0.0, (0.2, 0.5)),  # mostly month and year precision
    ],
)
def test_chain_matches_oracle(
    case_url: str, seed: int, cycle_rate: float, precision: tuple[float, float]
) -> None:
    doc = generate_structure(
        300,
        seed=seed,
        members_per_unit=2,
        second_parent_rate=0.2,
        cycle_rate=cycle_rate,
        precision_mix=precision,
    )
    with transaction(case_url) as session:
        import_structure(session, doc, create_sources=True)
    rng = random.Random(seed)
    ids = [o["id"] for o in doc["organizations"]]
    days = _edge_days(doc, rng, 200)
    checked = possible_seen = two_parent_seen = 0
    with transaction(case_url) as session:
        for day in days:
            unit = rng.choice(ids[len(ids) // 3 :])  # mostly low in the tree: long chains
            got = oracle.comparable(chain(session, unit, day))
            want = oracle.chain(doc, unit, day)
            assert got == want, (unit, day)
            checked += 1
            possible_seen += any(lv["possible"] for lv in want["levels"])
            two_parent_seen += any(
                len(lv["parents"]) + len(lv["possible_parents"]) > 1 for lv in want["levels"]
            )
    # The sample really exercised the hard cases.
    assert checked == 200 and possible_seen > 5 and two_parent_seen > 5


def _reversed(doc: dict[str, Any]) -> dict[str, Any]:
    """The same structure with every composition turned upside down (for the tree below)."""
    flipped = [
        {**c, "parent_id": c["child_id"], "child_id": c["parent_id"]} for c in doc["compositions"]
    ]
    return {**doc, "compositions": flipped}


def test_subordinates_and_report_match_oracle(case_url: str) -> None:
    doc = generate_structure(200, seed=5, members_per_unit=3, second_parent_rate=0.25)
    with transaction(case_url) as session:
        import_structure(session, doc, create_sources=True)
    rng = random.Random(5)
    ids = [o["id"] for o in doc["organizations"]]
    upside_down = _reversed(doc)
    with transaction(case_url) as session:
        for day in _edge_days(doc, rng, 40):
            unit = rng.choice(ids[: len(ids) // 4])  # high in the tree: big subtrees
            got = subordinates(session, unit, day)
            want = oracle.chain(upside_down, unit, day)
            for level in got["levels"]:
                level["parents"] = level.pop("children")
                level["possible_parents"] = level.pop("possible_children")
            assert oracle.comparable(got) == want, (unit, day)
        for first in _edge_days(doc, rng, 25):
            last = first + timedelta(days=rng.randint(0, 4))
            units = rng.sample(ids[len(ids) // 2 :], 2)
            got = command_report(session, units, first, last)
            for unit in got["units"]:
                orgs = {o["organization_id"]: o for o in unit["organizations"]}
                day = first
                while day <= last:
                    want = oracle.chain(doc, unit["unit"], day)
                    for level in want["levels"]:
                        org = orgs[level["organization_id"]]
                        state = "possible" if level["possible"] else "certain"
                        assert _covers(org["in_chain"][state], day)
                        for key, person in [("certain", p) for p in level["commanders"]] + [
                            ("possible", p) for p in level["possible_commanders"]
                        ]:
                            runs = [r for r in org["commanders"][key] if r["person_id"] == person]
                            assert _covers(runs, day), (unit["unit"], org, person, day)
                        for key, names in (
                            ("certain", level["commanders"]),
                            ("possible", level["possible_commanders"]),
                        ):
                            listed = {
                                r["person_id"] for r in org["commanders"][key] if _covers([r], day)
                            }
                            assert listed == set(names), (unit["unit"], org, day)
                        has_sure = bool(level["commanders"])
                        assert _covers(org["gaps"], day) is not has_sure
                    reached = {lv["organization_id"] for lv in want["levels"]}
                    for org_id, org in orgs.items():
                        if org_id not in reached:
                            assert not _covers(org["in_chain"]["certain"], day)
                            assert not _covers(org["in_chain"]["possible"], day)
                    day += timedelta(days=1)


def _covers(runs: list[dict[str, Any]], day: date) -> bool:
    return any(r["from"] <= day.isoformat() <= r["to"] for r in runs)
