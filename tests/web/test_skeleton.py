"""The app starts, signs people in and out, and refuses the anonymous."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_anonymous_api_gets_401_and_pages_redirect(app) -> None:  # type: ignore[no-untyped-def]
    client = TestClient(app, follow_redirects=False)
    response = client.get("/api/summary")
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    page = client.get("/")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login")


def test_login_page_and_dashboard(login) -> None:  # type: ignore[no-untyped-def]
    client = login("admin")
    page = client.get("/")
    assert page.status_code == 200
    assert 'dir="ltr"' in page.text
    assert "admin" in page.text


def test_token_flow(app, bearer) -> None:  # type: ignore[no-untyped-def]
    client = bearer("analyst")
    assert client.get("/api/me").json() == {"user": "analyst", "role": "analyst"}
    wrong = TestClient(app).post("/api/token", data={"username": "analyst", "password": "nope"})
    assert wrong.status_code == 401


def test_every_route_module_loads(app) -> None:  # type: ignore[no-untyped-def]
    """A capability's routes module that fails to import is reported here."""
    assert app.state.route_errors == {}
