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

#: Headers that lists commonly use for a standard column (compared trimmed and lower-cased).
#: They apply only when no column of the file is named or mapped to that standard column.
HEADER_ALIASES = {
    "name": "full_name",
    "full name": "full_name",
    "الاسم": "full_name",
    "الاسم الكامل": "full_name",
    "gender": "sex",
    "الجنس": "sex",
    "العمر": "age",
    "dob": "date_of_birth",
    "birth date": "date_of_birth",
    "تاريخ الميلاد": "date_of_birth",
    "تاريخ الوفاة": "date_of_death",
}

#: The columns of which a list needs one, so that its records can be told apart by name.
NAME_COLUMNS = ("full_name", *NAME_PARTS, "nickname")
