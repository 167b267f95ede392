"""Exporting records with the person each was matched to (CSV), full or public (redacted)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.accountability.naming import victim_nameable
from sijill.cells import RULE, neutralise_row
from sijill.disclosure.consent import records_held
from sijill.store.models import NAME_PART_FIELDS, RECORD_DERIVED_FIELDS, Record, Source
from sijill.store.settings import DEMO_MARK, is_demo

EXPORT_COLUMNS = (
    "source",
    "record_id",
    "person_id",
    "access",
    "row_number",
    *RECORD_DERIVED_FIELDS,
)
PUBLIC_LEAVES_OUT = ("raw",)
NAME_FIELDS = ("full_name", *NAME_PART_FIELDS, "nickname")


def export_records(session: Session, out: TextIO, *, public: bool = False) -> dict[str, Any]:
    """Write every record as CSV; returns a manifest of what was written and what was withheld.

    Cells a spreadsheet would run as formulas are written inert (:mod:`sijill.cells`); the
    manifest says how many and the rule that recovers them. The full export adds ``raw`` (the
    row as written, JSON). The public export holds only public records of public sources: it
    leaves out restricted and internal records (and the records of such sources), the raw
    attributes, every sealed field, the names of victims a record says were, or may have
    been, under 18 (`sijill.accountability.naming`) and the records whose own consent does not
    name the public (`sijill.disclosure.consent`), and says so in the manifest (counts, and the
    held-back records by number with the reason; never content).
    """
    demo = is_demo(session)
    columns = list(EXPORT_COLUMNS) + ([] if public else ["raw"])
    if demo:
        columns.append("synthetic_demo_data")
    writer = csv.writer(out)
    writer.writerow(columns)
    neutralised = 0
    withheld: Counter[str] = Counter()
    written = 0
    narrower = records_held(session, "public") if public else {}
    held_back: list[dict[str, Any]] = []
    query = (
        select(Record, Source.name, Source.access)
        .join(Source, Source.id == Record.source_id)
        .order_by(Source.name, Record.row_number)
        .execution_options(yield_per=5000)
    )
    for record, source_name, source_access in session.execute(query):
        if public and "restricted" in (record.access, source_access):
            withheld["restricted_records"] += 1
            continue
        if public and "internal" in (record.access, source_access):
            withheld["internal_records"] += 1  # the team's, not for publication
            continue
        if record.id in narrower:
            withheld["records_held_by_their_consent"] += 1
            held_back.append({"record": record.id, "reason": narrower[record.id]})
            continue
        if public and record.sealed:
            withheld["records_with_sensitive_fields_removed"] += 1
        if public and record.raw:
            withheld["raw_attribute_cells"] += len(record.raw)
        values: dict[str, Any] = {c: getattr(record, c, None) for c in EXPORT_COLUMNS}
        if public and not victim_nameable([(record.age_min, record.age_max)], True):
            values.update(dict.fromkeys(NAME_FIELDS))  # a minor is never named in public
            withheld["minors_names"] += 1
        values["source"] = source_name
        if not public:
            values["raw"] = json.dumps(record.raw, ensure_ascii=False)
        if demo:
            values["synthetic_demo_data"] = DEMO_MARK
        cells = ["" if values.get(c) is None else values[c] for c in columns]
        safe = neutralise_row(cells)
        neutralised += sum(a is not b for a, b in zip(cells, safe, strict=True))
        writer.writerow(safe)
        written += 1
    manifest: dict[str, Any] = {
        "public": public,
        "records": written,
        "formula_cells": {"neutralised": neutralised, "rule": RULE},
        "withheld": dict(withheld),
        "held_back": held_back,
        "left_out_fields": list(PUBLIC_LEAVES_OUT)
        + ["sensitive (sealed) fields", "names of minors"]
        if public
        else [],
    }
    if demo:
        manifest["mark"] = DEMO_MARK
    return manifest


def csv_to_xlsx(text: str) -> bytes:
    """The records export's CSV (cells already made inert) as a one-sheet workbook."""
    from openpyxl import Workbook  # loads only when a workbook is asked for

    book = Workbook(write_only=True)
    sheet = book.create_sheet("records")
    for row in csv.reader(io.StringIO(text)):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
