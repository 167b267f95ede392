"""GeoJSON (RFC 7946) export of incidents with places, dates, violations and victim counts.

Public mode keeps only public incidents, shows counts under :data:`SMALL_COUNT` as ``"<5"``,
leaves out persons, evidence and record links, and counts no record whose own consent does not
name the public (:func:`~sijill.disclosure.consent.records_held`); a ``withheld`` list says
what was left out, and ``held_back`` the records so held, by number with the reason (as the
public records export's manifest does).
Perpetrator units are always given as allegations with their status.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sijill.disclosure.consent import held_from_public, records_held
from sijill.incidents.service import list_incidents
from sijill.security.roles import OPERATOR
from sijill.store.settings import DEMO_MARK, DEMO_MARK_AR, is_demo

SMALL_COUNT = 5
#: Whose reading a public export's victim counts follow: the least role, so no person or record
#: beyond a viewer's levels is counted.
PUBLIC_READER = "viewer"
PUBLIC_WITHHELD = [
    "incidents whose access is not public",
    "victims known only from restricted records (not counted)",
    "records whose own consent does not name the public (not counted; listed in held_back)",
    "victim counts below 5 (shown as '<5')",
    "person ids of victims and of alleged perpetrators",
    "evidence item ids, record links and descriptions",
]


def suppress(count: int, public: bool) -> int | str:
    """A count as a public output may show it."""
    return f"<{SMALL_COUNT}" if public and 0 < count < SMALL_COUNT else count


def incidents_geojson(session: Session, public: bool = False) -> dict[str, Any]:
    """A FeatureCollection of incidents: a Point (or MultiPoint) at their places' coordinates."""
    levels = ("public",) if public else ("public", "internal", "restricted")
    reader = PUBLIC_READER if public else OPERATOR
    held = records_held(session, "public") if public else {}
    incidents = list_incidents(session, levels, reader, leave_out=held)
    collection = feature_collection(incidents, public, is_demo(session))
    if public:
        held_back = [
            {"record": row["record"], "reason": row["reason"]}
            for row in held_from_public(session, held)
        ]
        collection["records_held_by_their_consent"] = len(held_back)
        collection["held_back"] = held_back
    return collection


def feature_collection(incidents: list[dict[str, Any]], public: bool, demo: bool) -> dict[str, Any]:
    """The FeatureCollection of incident summaries (as :func:`list_incidents` gives them)."""
    features = [_feature(doc, public, demo) for doc in incidents]
    collection: dict[str, Any] = {
        "type": "FeatureCollection",
        "features": features,
        "public": public,
        "allegation_notice": (
            "Perpetrator units are allegations with a status (alleged, corroborated, "
            "established by a court); none is presented as a finding."
        ),
    }
    if public:
        collection["withheld"] = PUBLIC_WITHHELD
    if demo or any(doc["synthetic"] for doc in incidents):
        collection["synthetic_demo_data"] = True
        collection["notice"] = f"{DEMO_MARK} / {DEMO_MARK_AR}"
    return collection


def _feature(doc: dict[str, Any], public: bool, demo: bool) -> dict[str, Any]:
    points = [
        [round(p["longitude"], 6), round(p["latitude"], 6)]
        for p in doc["places"]
        if p["latitude"] is not None and p["longitude"] is not None
    ]
    geometry: dict[str, Any] | None
    if not points:
        geometry = None
    elif len(points) == 1:
        geometry = {"type": "Point", "coordinates": points[0]}
    else:
        geometry = {"type": "MultiPoint", "coordinates": points}
    properties: dict[str, Any] = {
        "incident_id": doc["id"],
        "external_id": doc["external_id"],
        "title": doc["title"],
        "title_ar": doc["title_ar"],
        "parent_id": doc["parent_id"],
        "start_date": doc["start_date"],
        "end_date": doc["end_date"],
        "start_day": doc["start_day"],
        "end_day": doc["end_day"],
        "places": [
            {
                "id": p["id"],
                "name_ar": p["name_ar"],
                "name_latin": p["name_latin"],
                "type": p["type"],
            }
            for p in doc["places"]
        ],
        "violation_types": [v["code"] for v in doc["violations"]],
        "violation_labels_en": [v["label_en"] for v in doc["violations"]],
        "violation_labels_ar": [v["label_ar"] for v in doc["violations"]],
        "victims_documented": suppress(doc["victims"]["documented"], public),
        "victims_named": suppress(doc["victims"]["named"], public),
        "victims_documented_with_sub_incidents": suppress(
            doc["victims"]["with_sub_incidents"], public
        ),
        "alleged_perpetrator_units": sorted(
            {p["organization_id"] for p in doc["perpetrators"] if p["organization_id"]}
        ),
        "perpetrator_allegations": [
            {
                "unit": p["organization_id"],
                **({} if public else {"person_id": p["person_id"]}),
                "involvement": p["involvement"],
                "allegation_status": p["allegation_status"],
                "wording": p["wording"],
            }
            for p in doc["perpetrators"]
            if p["organization_id"] or not public
        ],
        "synthetic": bool(doc["synthetic"] or demo),
    }
    if properties["synthetic"]:
        properties["synthetic_demo_data"] = DEMO_MARK
    if not public:
        properties["access"] = doc["access"]
    return {"type": "Feature", "id": doc["id"], "geometry": geometry, "properties": properties}
