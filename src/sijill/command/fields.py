"""The keys of each kind of fact in the structure JSON (FORMATS.md §3), shared by import,
export and the spreadsheet template."""

from __future__ import annotations

DATE_KEYS = ("start_date", "end_date", "first_cited", "last_cited")
CONFIDENCES = ("low", "medium", "high")

# Keys this schema stores in columns; any other key of a row is kept in its ``extra``.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "organizations": (
        "id",
        "name",
        "name_ar",
        "classification",
        "aliases",
        "founding_date",
        "dissolution_date",
        "sources",
        "confidence",
        "merged_into",
    ),
    "persons": ("id", "name", "name_ar", "aliases", "merged_into"),
    "memberships": (
        "person_id",
        "organization_id",
        "role",
        "title",
        "rank",
        *DATE_KEYS,
        "sources",
        "confidence",
    ),
    "compositions": (
        "parent_id",
        "child_id",
        "classification",
        *DATE_KEYS,
        "sources",
        "confidence",
    ),
    "areas": ("organization_id", "place", *DATE_KEYS, "sources", "confidence"),
    "successions": (
        "predecessor_id",
        "successor_id",
        "kind",
        *DATE_KEYS,
        "sources",
        "confidence",
    ),
    "incidents": (
        "id",
        "place",
        *DATE_KEYS,
        "perpetrator_organization_ids",
        "perpetrator_status",
        "sources",
        "confidence",
    ),
}

KINDS: tuple[str, ...] = tuple(KNOWN_KEYS)

# Keys naming an organization or a person that must exist (in the file or in the case).
ORG_REFS: dict[str, tuple[str, ...]] = {
    "memberships": ("organization_id",),
    "compositions": ("parent_id", "child_id"),
    "areas": ("organization_id",),
    "successions": ("predecessor_id", "successor_id"),
}
LIST_KEYS = ("aliases", "sources", "perpetrator_organization_ids")

FACT_KINDS = ("memberships", "compositions", "areas", "successions", "incidents")
