"""Popolo JSON (popoloproject.com) from a structure document.

Organizations and persons carry their aliases as ``other_names``; posts held are Popolo
memberships of persons; a unit placed under another is a membership whose ``member`` is that
organization (Popolo's way to say one organization belongs to another), with
``role`` = the composition's classification. Areas of operation become an extra
``areas_of_operation`` list on the organization, which Popolo readers ignore.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any


def _other_names(row: Mapping[str, Any]) -> list[dict[str, str]]:
    names = []
    if row.get("name_ar"):
        names.append({"name": row["name_ar"], "lang": "ar"})
    names.extend({"name": str(alias), "note": "alias"} for alias in row.get("aliases") or [])
    return names


def _dates(row: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for key in ("start_date", "end_date"):
        if row.get(key):
            out[key] = row[key]
    for key in ("first_cited", "last_cited"):
        if row.get(key):
            out[key] = row[key]
    return out


def _sources(row: Mapping[str, Any]) -> list[dict[str, str]]:
    out = []
    for item in row.get("sources") or []:
        if isinstance(item, Mapping):
            out.append({"note": str(item.get("id")), "url": str(item.get("locator") or "")})
        else:
            out.append({"note": str(item)})
    return out


def to_popolo(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The structure document as Popolo ``persons``, ``organizations`` and ``memberships``."""
    areas: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for area in doc.get("areas") or []:
        areas[area["organization_id"]].append({"place": area["place"], **_dates(area)})
    organizations = []
    for org in doc.get("organizations") or []:
        item: dict[str, Any] = {
            "id": org["id"],
            "name": org.get("name") or org.get("name_ar") or org["id"],
            "classification": org.get("classification") or "",
            "other_names": _other_names(org),
        }
        for key in ("founding_date", "dissolution_date"):
            if org.get(key):
                item[key] = org[key]
        if areas.get(org["id"]):
            item["areas_of_operation"] = areas[org["id"]]
        organizations.append(item)
    persons = [
        {
            "id": p["id"],
            "name": p.get("name") or p.get("name_ar") or p["id"],
            "other_names": _other_names(p),
        }
        for p in doc.get("persons") or []
    ]
    memberships = []
    for i, m in enumerate(doc.get("memberships") or [], start=1):
        item = {
            "id": f"membership-{i}",
            "person_id": m["person_id"],
            "organization_id": m["organization_id"],
            "role": m.get("role") or "member",
            **_dates(m),
            "sources": _sources(m),
        }
        if m.get("title"):
            item["label"] = m["title"]
        if m.get("rank"):
            item["rank"] = m["rank"]
        memberships.append(item)
    for i, c in enumerate(doc.get("compositions") or [], start=1):
        memberships.append(
            {
                "id": f"composition-{i}",
                "member": {"@type": "Organization", "id": c["child_id"]},
                "organization_id": c["parent_id"],
                "role": c.get("classification") or "command",
                **_dates(c),
                "sources": _sources(c),
            }
        )
    return {"persons": persons, "organizations": organizations, "memberships": memberships}
