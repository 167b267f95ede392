"""A small, visibly fictional command structure used by several tests."""

from __future__ import annotations

import copy
from typing import Any

_SAMPLE: dict[str, Any] = {
    "organizations": [
        {
            "id": "u-72",
            "name": "72nd Brigade (example)",
            "name_ar": "اللواء ٧٢ (مثال)",
            "classification": "brigade",
            "aliases": ["Example Brigade 72"],
            "founding_date": "2024-06",
            "sources": ["src-a"],
        },
        {
            "id": "u-73",
            "name": "73rd Brigade (example)",
            "classification": "brigade",
            "aliases": [],
        },
        {
            "id": "d-1",
            "name": "1st Division (example)",
            "classification": "division",
            "aliases": [],
        },
        {"id": "c-1", "name": "Corps (example)", "classification": "corps", "aliases": []},
        {
            "id": "op-9",
            "name": "Operations Room (example)",
            "classification": "operations",
            "aliases": [],
            "x_note": "kept as written",
        },
    ],
    "persons": [
        {"id": "p-1", "name": "Fictional Colonel One", "name_ar": "عقيد وهمي", "aliases": []},
        {"id": "p-2", "name": "Fictional General Two", "aliases": ["Abu Example"]},
        {"id": "p-3", "name": "Fictional Officer Three", "aliases": []},
        {"id": "p-4", "name": "Fictional Deputy Four", "aliases": []},
    ],
    "memberships": [
        {
            "person_id": "p-1",
            "organization_id": "u-72",
            "role": "commander",
            "title": "",
            "rank": "colonel",
            "start_date": "2024-12",
            "end_date": "2025-03-20",
            "sources": ["src-a", {"id": "src-b", "locator": "p. 4"}],
            "confidence": "medium",
        },
        {
            "person_id": "p-1",
            "organization_id": "d-1",
            "role": "commander",
            "rank": "brigadier general",
            "start_date": "2025-05-01",
            "end_date": "",
            "sources": ["src-c"],
            "confidence": "high",
        },
        {
            "person_id": "p-2",
            "organization_id": "d-1",
            "role": "commander",
            "rank": "major general",
            "start_date": "2024-01-01",
            "end_date": "2025-03",
        },
        {
            "person_id": "p-3",
            "organization_id": "u-73",
            "role": "commander",
            "rank": "colonel",
            "first_cited": "2025-03-01",
            "last_cited": "2025-03-10",
        },
        {
            "person_id": "p-4",
            "organization_id": "u-72",
            "role": "deputy",
            "start_date": "2025-01-01",
            "end_date": "",
        },
    ],
    "compositions": [
        {
            "parent_id": "d-1",
            "child_id": "u-72",
            "start_date": "2025-01-15",
            "end_date": "",
            "sources": ["src-a"],
        },
        {"parent_id": "d-1", "child_id": "u-73", "start_date": "2025-03", "end_date": ""},
        {
            "parent_id": "c-1",
            "child_id": "d-1",
            "start_date": "2024",
            "end_date": "",
            "sources": [{"id": "src-b", "locator": "annex 2"}],
        },
        {
            "parent_id": "op-9",
            "child_id": "u-72",
            "classification": "operational",
            "first_cited": "2025-03-07",
            "last_cited": "2025-03-09",
        },
    ],
    "areas": [
        {
            "organization_id": "u-72",
            "place": "Example Village",
            "start_date": "2025-03-07",
            "end_date": "2025-03-09",
        },
    ],
    "successions": [
        {
            "predecessor_id": "u-73",
            "successor_id": "u-72",
            "kind": "absorbed",
            "start_date": "2025-09",
        },
    ],
    "incidents": [
        {
            "id": "i-1",
            "place": "Example Village",
            "start_date": "2025-03-07",
            "end_date": "2025-03-09",
            "perpetrator_organization_ids": ["u-72", "u-73"],
            "perpetrator_status": {"u-72": "corroborated", "u-73": "alleged"},
            "sources": ["src-d"],
        },
    ],
}


def sample() -> dict[str, Any]:
    """A fresh copy of the sample structure."""
    return copy.deepcopy(_SAMPLE)
