"""The recursive SQL chain against the pure-Python oracle, on random structures, both engines."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from sijill.command.chain import chain
from sijill.command.generate import generate_structure
from sijill.command.importer import import_structure
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


@pytest.mark.parametrize("seed,cycle_rate", [(1, 0.0), (2, 0.03)])
def test_chain_matches_oracle(case_url: str, seed: int, cycle_rate: float) -> None:
    doc = generate_structure(
        300, seed=seed, members_per_unit=2, second_parent_rate=0.2, cycle_rate=cycle_rate
    )
    with transaction(case_url) as session:
        import_structure(session, doc)
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
