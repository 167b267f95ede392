"""Many reads at once on one served event loop: none waits on another, every answer whole."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.web import totals
from sijill.web.testing import serve


def test_postgresql_reads_run_on_the_event_loop(app: FastAPI, web_url: str) -> None:
    """On PostgreSQL reads use asyncio connections; SQLite has none and reads in threads."""
    assert (app.state.async_reader is not None) == web_url.startswith("postgresql")


def test_first_counts_and_reads_at_once_all_answer(
    app: FastAPI, bearer: Callable[[str], TestClient], seeded: dict[str, Any]
) -> None:
    """Forty requests at once, with no total cached yet: each is answered, and the same.

    Requests served from one event loop share its thread, so a request that waited for
    another's count (a blocking lock) would stop the loop and every request with it.
    """
    authorization = bearer("analyst").headers["Authorization"]
    totals.forget()
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
