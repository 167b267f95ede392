"""The incidents API and pages (TestClient, both engines)."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sijill.incidents.linking import link_records
from sijill.incidents.saving import IncidentInput, create_incident
from sijill.incidents.service import find_incident
from sijill.places.store import resolve_record_places
from sijill.store.engine import transaction
from sijill.store.models import Record, Source
from sijill.web.testing import bearer_client, logged_in_client


def test_api_lists_filters_and_words_allegations(demo_app: FastAPI) -> None:
    client = bearer_client(demo_app, "viewer")
    page = client.get("/api/incidents").json()
    assert page["total"] == 10
    assert all(i["access"] == "public" for i in page["items"])
    one = next(i for i in page["items"] if i["external_id"] == "demo-i-04")
    assert one["perpetrators"][0]["wording"] == "alleged"
    day9 = client.get("/api/incidents", params={"from": "2025-03-09", "to": "2025-03-09"}).json()
    assert {i["external_id"] for i in day9["items"]} == {
        "demo-wave",
        "demo-i-07",
        "demo-i-08",
        "demo-i-09",
    }
    killing = client.get("/api/incidents", params={"violation": "killing"}).json()
    assert "demo-i-06" not in {i["external_id"] for i in killing["items"]}  # no killing there
    assert "demo-i-04" in {i["external_id"] for i in killing["items"]}  # narrower term counts
    unit = client.get("/api/incidents", params={"unit": "u-demo-river"}).json()
    assert {i["external_id"] for i in unit["items"]} == {"demo-i-05", "demo-i-06", "demo-i-09"}
    assert client.get("/api/incidents", params={"from": "March"}).status_code == 422
    geo = client.get("/api/incidents/map.geojson", params={"from": "2025-03-08"}).json()
    assert geo["type"] == "FeatureCollection" and geo["synthetic_demo_data"] is True
    assert len([f for f in geo["features"] if f["geometry"]]) == 6
    detail = client.get(f"/api/incidents/{one['id']}").json()
    assert detail["characterizations"] == [] and detail["evidence"] == []
    assert client.get("/api/incidents/999999").status_code == 404


def test_anonymous_gets_nothing_and_viewers_miss_restricted(
    demo_app: FastAPI, demo_url: str
) -> None:
    anonymous = TestClient(demo_app, follow_redirects=False)
    assert anonymous.get("/api/incidents").status_code == 401
    assert anonymous.get("/api/incidents/map.geojson").status_code == 401
    assert anonymous.get("/incidents").status_code in (302, 303, 307)
    with transaction(demo_url) as session:
        secret = create_incident(
            session, IncidentInput(title="restricted one", places=["demo:v30"], access="restricted")
        ).id
    viewer = bearer_client(demo_app, "viewer")
    assert viewer.get(f"/api/incidents/{secret}").status_code == 404
    assert viewer.get("/api/incidents").json()["total"] == 10
    admin = bearer_client(demo_app, "admin")
    assert admin.get(f"/api/incidents/{secret}").status_code == 200


def test_map_page_renders_timeline_table_and_arabic(demo_app: FastAPI) -> None:
    client = logged_in_client(demo_app, "viewer")
    html = client.get("/incidents").text
    assert 'id="incident-map"' in html and "/static/incidents/leaflet/leaflet.js" in html
    assert html.count('data-testid="timeline-bar"') == 10
    assert html.count('data-testid="incident-row"') == 10
    assert "https://" not in html.split("<main", 1)[1]  # nothing fetched from outside
    filtered = client.get("/incidents?from=2025-03-07&to=2025-03-07").text
    assert filtered.count('data-testid="incident-row"') == 4
    client.get("/lang/ar?next=/incidents")
    arabic = client.get("/incidents").text
    assert 'dir="rtl"' in arabic and "الخريطة والخط الزمني" in arabic
    assert "عين الخيال" in arabic
    detail = client.get("/incidents/5").text
    assert "مزعوم" in detail and "ادعاءات" in detail
    assert client.get("/static/incidents/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/incidents/leaflet/LICENSE.txt").status_code == 200


def test_record_links_are_reviewed_in_the_page_and_the_api(
    demo_app: FastAPI, demo_url: str
) -> None:
    with transaction(demo_url) as session:
        source = Source(name="list-w (fictional)", kind="list", access="internal")
        secret = Source(name="list-s (fictional)", kind="list", access="restricted")
        session.add_all([source, secret])
        session.flush()
        for src, rid, place in (
            (source, "1", "Ain al-Khayal"),
            (source, "2", "عين الخيال"),
            (secret, "3", "Ain al-Khayal"),
        ):
            session.add(
                Record(
                    source_id=src.id,
                    record_id=rid,
                    row_number=1,
                    raw={},
                    access=src.access,
                    full_name=f"Fictional victim {rid}",
                    place_of_death=place,
                    date_of_death="2025-03-07",
                    death_start=date(2025, 3, 7),
                    death_end=date(2025, 3, 7),
                )
            )
        session.flush()
        resolve_record_places(session)
        link_records(session)
        incident = find_incident(session, "demo-i-01").id
    viewer = bearer_client(demo_app, "viewer")
    links = viewer.get(f"/api/incidents/{incident}/links").json()
    assert {link["source_record_id"] for link in links} == {"1", "2"}  # restricted one left out
    assert (
        viewer.post(
            f"/api/incidents/links/{links[0]['id']}", json={"status": "confirmed"}
        ).status_code
        == 403
    )
    admin = bearer_client(demo_app, "admin")
    assert len(admin.get(f"/api/incidents/{incident}/links").json()) == 3
    done = admin.post(
        f"/api/incidents/links/{links[0]['id']}",
        json={"status": "confirmed", "why": "same village, same day"},
    )
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert admin.post("/api/incidents/links/999999", json={"status": "rejected"}).status_code == 404

    page = logged_in_client(demo_app, "admin")
    html = page.get(f"/incidents/{incident}").text
    assert html.count('data-testid="record-link"') == 3
    form = page.post(
        f"/incidents/{incident}/links/{links[1]['id']}",
        data={"status": "rejected", "csrf_token": page.csrf},
    )  # type: ignore[attr-defined]
    assert form.status_code == 303
    no_token = page.post(
        f"/incidents/{incident}/links/{links[1]['id']}", data={"status": "confirmed"}
    )
    assert no_token.status_code == 403
    after = {
        link["id"]: link["status"] for link in admin.get(f"/api/incidents/{incident}/links").json()
    }
    assert after[links[0]["id"]] == "confirmed" and after[links[1]["id"]] == "rejected"
    assert viewer.get(f"/api/incidents/{incident}").json()["victims"]["named"] == 1
