"""Many reads at once on one served app: none waits on another for good, every answer whole."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.web.testing import serve


def test_first_counts_and_reads_at_once_all_answer(
    app: FastAPI, bearer: Callable[[str], TestClient], seeded: dict[str, Any]
) -> None:
    """Forty requests at once, twice the connections a process may open: each is answered,
    and the same (a request waits for a connection another returns, never for ever)."""
    authorization = bearer("analyst").headers["Authorization"]
    paths = ["/api/persons?limit=1", f"/api/persons/{seeded['mohammad']}"] * 20
    with (
        serve(app) as base,
        httpx.Client(base_url=base, headers={"Authorization": authorization}, timeout=20) as client,
        ThreadPoolExecutor(max_workers=20) as pool,
    ):
        answers = list(pool.map(client.get, paths))
    assert [a.status_code for a in answers] == [200] * len(paths)
    lists = [a.json() for a in answers[::2]]
    assert {page["total"] for page in lists} == {lists[0]["total"]}
    assert lists[0]["total"] >= 2
    people = [a.json() for a in answers[1::2]]
    assert {p["id"] for p in people} == {seeded["mohammad"]}
    assert {len(p["records"]) for p in people} == {3}  # public, internal and restricted
