"""Helpers for testing the web app, for every capability's tests (see PLUGGING.md).

- :func:`add_user` creates an account in a case database.
- :func:`logged_in_client` returns a ``TestClient`` signed in through the login page
  (session cookie; its ``csrf`` attribute holds the token to send with forms).
- :func:`bearer_client` returns a ``TestClient`` carrying an API token.
- :func:`serve` runs the app with uvicorn on a free loopback port (for Playwright).
- :func:`launch_chromium` starts Debian's chromium for Playwright, offline-safe flags.
- :func:`served_routes` lists every route with its full path (for access-matrix tests).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sijill.security.users import create_user
from sijill.store.engine import transaction

ROLE_PASSWORD = "correct horse battery staple"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def add_user(database_url: str, name: str, role: str, password: str = ROLE_PASSWORD) -> None:
    """Create an account (committed) in the case at ``database_url``."""
    with transaction(database_url) as session:
        create_user(session, name, role, password, actor="test")


def csrf_of(html: str) -> str:
    """The CSRF token in a rendered page's forms."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        raise AssertionError("no csrf_token in the page")
    return found.group(1)


def logged_in_client(app: FastAPI, name: str, password: str = ROLE_PASSWORD) -> TestClient:
    """A client signed in through the login form; ``client.csrf`` is the session's CSRF token."""
    client = TestClient(app, follow_redirects=False)
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": name,
            "password": password,
            "csrf_token": csrf_of(page.text),
            "next": "/",
        },
    )
    if response.status_code != 303:
        raise AssertionError(f"login failed for {name}: {response.status_code}")
    client.csrf = csrf_of(client.get("/").text)  # type: ignore[attr-defined]
    return client


def bearer_client(app: FastAPI, name: str, password: str = ROLE_PASSWORD) -> TestClient:
    """A client that sends ``Authorization: Bearer`` with a token from ``POST /api/token``."""
    client = TestClient(app, follow_redirects=False)
    response = client.post("/api/token", data={"username": name, "password": password})
    if response.status_code != 200:
        raise AssertionError(f"token refused for {name}: {response.status_code}")
    client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(app: FastAPI, port: int | None = None) -> Iterator[str]:
    """Run ``app`` with uvicorn in a thread on loopback; yields its base URL."""
    port = port or free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch_chromium(playwright: Any) -> Any:
    """Debian's chromium under Playwright (never ``playwright install``)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


@dataclass(frozen=True)
class RouteInfo:
    """One served route: its full path, HTTP methods, and whether it is an API route."""

    path: str
    methods: frozenset[str]
    api: bool
    in_schema: bool


def served_routes(app: FastAPI) -> list[RouteInfo]:
    """Every route of ``app`` with its effective path (included routers flattened)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is already flat
        contexts = [(r, getattr(r, "path", None)) for r in app.routes]
    else:
        contexts = [(c.original_route, c.path) for c in iter_route_contexts(app.routes)]
    found = []
    for route, path in contexts:
        methods = getattr(route, "methods", None)
        if not path or not methods:
            continue
        found.append(
            RouteInfo(
                path=path,
                methods=frozenset(methods) - {"HEAD"},
                api=isinstance(route, APIRoute),
                in_schema=bool(getattr(route, "include_in_schema", False)),
            )
        )
    return found
