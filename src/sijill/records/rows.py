"""From one row as written to the columns a record stores: pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sijill.errors import RowProblem
from sijill.names.keys import is_placeholder, name_key, script_of
from sijill.records import values as v
from sijill.records.columns import HEADER_ALIASES, NAME_COLUMNS, NAME_PARTS, STANDARD_COLUMNS
from sijill.records.mapping import Mapping
from sijill.records.readers import MAX_CELL_CHARS


@dataclass(frozen=True)
class ColumnPlan:
    """What happens to each column of a file: which standard column it fills, or kept raw."""

    standard: dict[str, str]  # file column -> standard column
    raw: tuple[str, ...]  # file columns kept in `raw` (not dropped, not sensitive)
    sensitive: tuple[str, ...]  # file columns sealed at rest

    @property
    def by_standard(self) -> dict[str, str]:
        return {std: col for col, std in self.standard.items()}


def plan_columns(
    header: list[str], mapping: Mapping, *, need_name: bool = True
) -> tuple[ColumnPlan, list[RowProblem]]:
    """Decide, from the header, where each column goes; problems name row 1 and the column.

    A list needs a name column (``need_name``; JSON lines name their columns line by line, and
    a line without a name is an unidentified record).

    A column goes where the mapping says, else to the standard column of its name, else to the
    standard column its header commonly stands for (``name``, ``الاسم``: ``HEADER_ALIASES``)
    when no other column of the file goes there.
    """
    problems: list[RowProblem] = []
    standard: dict[str, str] = {}
    kept = [c for c in header if c not in mapping.drop]
    for column in kept:
        target = mapping.columns.get(column) or (column if column in STANDARD_COLUMNS else None)
        if target is None:
            continue
        if column in mapping.sensitive:
            problems.append(
                RowProblem(
                    1,
                    column,
                    "a standard column cannot be sensitive; import the list "
                    "with --access restricted instead",
                )
            )
            continue
        if target in standard.values():
            problems.append(RowProblem(1, column, f"a second column maps to {target}"))
            continue
        standard[column] = target
    for column in kept:
        alias = HEADER_ALIASES.get(column.strip().lower())
        if column in standard or column in mapping.sensitive or alias is None:
            continue
        if alias not in standard.values():
            standard[column] = alias
    for column in mapping.columns:
        if header and column not in header:
            problems.append(RowProblem(1, column, "the mapping names a column the file lacks"))
    raw = tuple(c for c in header if c not in mapping.drop and c not in mapping.sensitive)
    sensitive = tuple(c for c in header if c in mapping.sensitive)
    if header and "record_id" not in standard.values():
        problems.append(RowProblem(1, "record_id", "no record_id column (map one with --map)"))
    named = any(std in NAME_COLUMNS or std == "count" for std in standard.values())
    if header and need_name and not named:
        problems.append(
            RowProblem(
                1,
                "full_name",
                f"no name column ({', '.join(NAME_COLUMNS)}); map the list's name column "
                "with --map COLUMN=full_name",
            )
        )
    return ColumnPlan(standard, raw, sensitive), problems


def cell_problems(row_number: int, row: dict[str, str]) -> list[RowProblem]:
    """Cells no record can store, in any format: a NUL character, more than MAX_CELL_CHARS."""
    problems = []
    for column, value in row.items():
        if "\x00" in column or "\x00" in value:
            problems.append(
                RowProblem(
                    row_number,
                    column.replace("\x00", "\\x00"),
                    "contains a NUL character (\\x00): is the file binary or in another "
                    "encoding? (--encoding)",
                )
            )
        elif len(value) > MAX_CELL_CHARS:
            problems.append(
                RowProblem(
                    row_number,
                    column,
                    f"a cell of {len(value):,} characters, over the limit of {MAX_CELL_CHARS:,}",
                )
            )
    return problems


_PARSERS: dict[str, Any] = {
    "age": v.parse_age,
    "birth_year": v.parse_birth_year,
    "date_of_birth": v.parse_fuzzy_date,
    "date_of_death": v.parse_fuzzy_date,
    "count": v.parse_count,
    "sex": v.parse_sex,
    "status": v.parse_status,
    "civilian_status": v.parse_civilian_status,
}
_TEXT_FIELDS = (
    "full_name",
    *NAME_PARTS,
    "nickname",
    "place_of_death",
    "governorate",
    "district",
    "subdistrict",
    "cause_of_death",
)
_COMPOSED_FROM = ("given_name", "father_name", "grandfather_name", "family_name")


def normalize_row(
    row_number: int, row: dict[str, str], plan: ColumnPlan, mapping: Mapping, *, today: date
) -> tuple[dict[str, Any], dict[str, str], list[RowProblem]]:
    """The record's columns, its sensitive cells, and the problems that refuse the row.

    A value that cannot be read, or that no record can have (a date of birth in the year 1000,
    after the date of death or after ``today``), is left empty with a quality flag in the
    record's ``quality`` column; the row is kept, its cells as written in ``raw``. Only a
    row's structure refuses it: no record_id, more values than columns.
    """
    problems: list[RowProblem] = []
    if "\x00error" in row:
        return {}, {}, [RowProblem(row_number, None, row["\x00error"])]
    if "\x00extra" in row:
        extra = row.pop("\x00extra")
        problems.append(RowProblem(row_number, None, f"{extra} more value(s) than columns"))
    if unstorable := cell_problems(row_number, row):
        return {}, {}, problems + unstorable

    cells: dict[str, str] = {}
    columns: dict[str, str] = {}
    for column, std in plan.standard.items():
        text = row.get(column) or ""
        if mapping.values:
            table = mapping.values.get(std) or mapping.values.get(column)
            if table and text.strip() in table:
                text = table[text.strip()]
        cells[std] = text
        columns[std] = column

    flags: list[dict[str, str]] = []

    def flag(std: str, found: v.Flag) -> None:
        flags.append({"column": columns[std], "kind": found.kind, "message": found.message})

    parsed: dict[str, Any] = {}
    for std, parser in _PARSERS.items():
        value = cells.get(std)
        if not value or not value.strip():
            continue
        try:
            parsed[std] = parser(value)
        except v.ValueProblem as exc:
            flag(std, v.Flag("unreadable", str(exc)))

    record_id = cells.get("record_id", "").strip()
    if not record_id:
        problems.append(
            RowProblem(row_number, columns.get("record_id", "record_id"), "record_id is empty")
        )
    elif len(record_id) > 200:
        problems.append(
            RowProblem(row_number, columns["record_id"], "record_id is longer than 200")
        )

    text_fields = {std: (cells.get(std) or "").strip() or None for std in _TEXT_FIELDS}
    full_name = text_fields["full_name"]
    composed = full_name or " ".join(p for p in (text_fields[k] for k in _COMPOSED_FROM) if p)
    age = parsed.get("age")
    if age is not None and age.flag is not None:
        flag("age", age.flag)
    birth_year = parsed.get("birth_year") or (age.birth_year if age else None)
    for std in ("date_of_birth", "date_of_death"):
        if std in parsed and (found := v.date_flag(cells[std], parsed[std], today=today)):
            flag(std, found)
            del parsed[std]
    dob = parsed.get("date_of_birth")
    dod = parsed.get("date_of_death")
    if dob is not None and dod is not None and dob.first > dod.last:
        written = cells["date_of_birth"]
        flag("date_of_birth", v.Flag("birth_after_death", f"date {written!r} is after {dod.text}"))
        dob = None
    if birth_year is not None and dod is not None and birth_year > dod.last.year:
        std = "birth_year" if "birth_year" in parsed else "age"
        flag(std, v.Flag("birth_after_death", f"year {birth_year} is after {dod.text}"))
        birth_year = None
    unidentified = not composed or is_placeholder(composed)
    fields: dict[str, Any] = {
        "record_id": record_id,
        "row_number": row_number,
        **text_fields,
        "full_name": full_name or (composed or None),
        "name_key": None if unidentified else (name_key(composed) or None),
        "script": script_of(composed) if composed else None,
        "unidentified": unidentified,
        "sex": parsed.get("sex"),
        "age_min": age.low if age else None,
        "age_max": age.high if age else None,
        "age_months": age.months if age else None,
        "birth_year": birth_year,
        "date_of_birth": dob.text if dob else None,
        "date_of_death": dod.text if dod else None,
        "death_start": dod.first if dod else None,
        "death_end": dod.last if dod else None,
        "status": parsed.get("status") or "killed",
        "civilian_status": parsed.get("civilian_status") or "unknown",
        "count": parsed.get("count") or 1,
        "raw": {c: row[c] for c in plan.raw if c in row},
        "quality": flags or None,
    }
    sealed = {c: row[c] for c in plan.sensitive if row.get(c)}
    return fields, sealed, problems
