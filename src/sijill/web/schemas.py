"""Pydantic shapes of the core API (what ``/openapi.json`` describes).

Optional fields a role may not see are left *unset* and the routes answer with
``response_model_exclude_unset=True``, so they are absent from the JSON, not null.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Access = Literal["public", "internal", "restricted"]


class Page(BaseModel):
    total: int = Field(description="matching items the caller may read")
    limit: int
    offset: int


class SourceOut(BaseModel):
    id: int
    access: Access
    name: str
    kind: str
    publisher: str | None = None
    published: str | None = None
    locator: str | None = None
    file_name: str | None = None
    file_sha256: str | None = None
    reliability: str | None = None
    version_of_id: int | None = None
    derived_from: list[int] = []
    record_count: int = 0
    created_at: datetime | None = None
    notes: str | None = None
    imported_by: str | None = Field(None, description="only for analysts and above")


class SourcePage(Page):
    items: list[SourceOut]


class RecordOut(BaseModel):
    id: int
    access: Access
    source: str
    source_id: int
    record_id: str
    row_number: int
    full_name: str | None = None
    given_name: str | None = None
    father_name: str | None = None
    grandfather_name: str | None = None
    family_name: str | None = None
    mother_name: str | None = None
    nickname: str | None = None
    script: str | None = None
    unidentified: bool = False
    sex: str | None = None
    age_min: int | None = None
    age_max: int | None = None
    birth_year: int | None = None
    date_of_birth: str | None = None
    date_of_death: str | None = None
    place_of_death: str | None = None
    governorate: str | None = None
    district: str | None = None
    subdistrict: str | None = None
    status: str = "killed"
    civilian_status: str = "unknown"
    cause_of_death: str | None = None
    count: int = 1
    person_id: int | None = None
    raw: dict[str, Any] = {}
    sealed: dict[str, Any] | None = Field(
        None, description="decrypted sensitive fields; only for analysts and above"
    )


class RecordPage(Page):
    items: list[RecordOut]


class PersonOut(BaseModel):
    id: int
    access: Access
    display_name: str | None = None
    name_ar: str | None = None
    name_latin: str | None = None
    is_victim: bool = False
    is_actor: bool = False
    external_id: str | None = None
    merged_into_id: int | None = None
    n_records: int | None = Field(None, description="records the caller may read")


class PersonPage(Page):
    items: list[PersonOut]
    after: int = Field(0, description="the page starts after this person id (0: the first)")
    next_after: int | None = Field(
        None, description="pass as `after` for the next page; null on the last page"
    )


class CitationOut(BaseModel):
    source_id: int
    source: str
    field: str | None = None
    locator: str | None = None
    confidence: str


class PersonDetail(PersonOut):
    records: list[RecordOut]
    sources: list[SourceOut] = Field(description="every source that mentions this person")
    citations: list[CitationOut] = []


class ProblemOut(BaseModel):
    row: int
    column: str | None = None
    error: str


class QualityOut(BaseModel):
    """Values of one column the import read in an unusual way or left empty, of one kind."""

    column: str
    kind: str
    what: str
    records: int
    rows: list[int]
    example: str


class ImportOut(BaseModel):
    source: str
    source_id: int
    imported: int
    rejected: list[ProblemOut]
    file_sha256: str = ""
    diff: dict[str, int] | None = None
    quality: list[QualityOut] = []
    encoding: str | None = None


class ImportRefused(BaseModel):
    detail: str
    rejected: list[ProblemOut]


class ImportEntry(BaseModel):
    source_id: int
    source: str
    access: Access
    at: datetime
    actor: str | None = None
    imported: int | None = None
    rejected_rows: int | None = None


class ImportList(BaseModel):
    items: list[ImportEntry]


class FormulaCells(BaseModel):
    neutralised: int
    rule: str


class Manifest(BaseModel):
    public: bool
    records: int
    formula_cells: FormulaCells
    withheld: dict[str, int]
    held_back: list[dict[str, Any]] = Field(
        default_factory=list,
        description="records held back by their own consent: number and reason (no content)",
    )
    left_out_fields: list[str]
    mark: str | None = None
