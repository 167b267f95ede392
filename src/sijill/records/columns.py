"""The standard columns of a casualty list (FORMATS.md §1)."""

from __future__ import annotations

from sijill.store.models import NAME_PART_FIELDS as NAME_PARTS

STANDARD_COLUMNS = (
    "record_id",
    "full_name",
    *NAME_PARTS,
    "nickname",
    "sex",
    "age",
    "birth_year",
    "date_of_birth",
    "date_of_death",
    "place_of_death",
    "governorate",
    "district",
    "subdistrict",
    "status",
    "civilian_status",
    "cause_of_death",
    "count",
    "notes",
    "source_url",
)
