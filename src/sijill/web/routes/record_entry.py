"""Records entered by hand and corrected (FORMATS.md §5): the API writes, the record's history,
the "Add a record" form of a source's page and the "Correct" form of a record's page.

Investigators and admins write; anyone else gets 403 (and sees no form). A record or source
the reader may not read answers 404; a bad value answers 422 naming its field (a page shows
the form again with what was typed, the field named).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy.orm import Session

from sijill.errors import ImportRejected, NotFound
from sijill.records.columns import STANDARD_COLUMNS
from sijill.records.entry import RecordConflict, Version, correct_record, enter_record
from sijill.records.mapping import mapping_from_dict
from sijill.records.rows import plan_columns
from sijill.security.users import Principal
from sijill.store.models import Record, Source
from sijill.web.deps import CurrentUser, DbSession, IdPath, PostedForm, require_role
from sijill.web.queries import visible_records
from sijill.web.routes.records import record_one, versions_for
from sijill.web.routes.sources import visible_source
from sijill.web.schemas import Access, RecordOut
from sijill.web.templating import render

router = APIRouter()
Editor = Annotated[Principal, Depends(require_role("investigator"))]
Cell = Annotated[str | None, Field(None, max_length=2000)]


class RecordCells(BaseModel):
    """FORMATS.md §1's columns, as written (numbers may be sent as numbers)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    full_name: Cell = None
    given_name: Cell = None
    father_name: Cell = None
    grandfather_name: Cell = None
    family_name: Cell = None
    mother_name: Cell = None
    nickname: Cell = None
    sex: Cell = None
    age: Cell = None
    birth_year: Cell = None
    date_of_birth: Cell = None
    date_of_death: Cell = None
    place_of_death: Cell = None
    governorate: Cell = None
    district: Cell = None
    subdistrict: Cell = None
    status: Cell = None
    civilian_status: Cell = None
    cause_of_death: Cell = None
    count: Cell = None
    notes: Cell = None
    source_url: Cell = None

    def cells(self) -> dict[str, Any]:
        """The columns given (a correction changes only these)."""
        return {k: v for k, v in self.model_dump(exclude_unset=True).items() if k in COLUMNS}


COLUMNS = tuple(c for c in STANDARD_COLUMNS if c != "record_id")


class RecordIn(RecordCells):
    """One record entered by hand into the source named ``source`` (its name or number)."""

    source: str = Field(min_length=1, max_length=200)
    record_id: str = Field(min_length=1, max_length=200)
    access: Access | None = Field(None, description="default: the source's level")


class RecordCorrection(RecordCells):
    """A correction: the columns to change (empty clears a cell) and why (required)."""

    why: str = Field(min_length=1, max_length=2000)
    record_id: Cell = None


class VersionOut(BaseModel):
    number: int
    current: bool
    by: str | None = None
    at: datetime | None = None
    why: str | None = None
    raw: dict[str, Any]
    state: dict[str, Any]


def _actor(user: Principal) -> str:
    return f"web:{user.name}"


def _unprocessable(field: str | None, message: str) -> HTTPException:
    """422 naming the field, in FastAPI's own shape."""
    return HTTPException(
        422, [{"loc": ["body", field or "record"], "msg": message, "type": "value_error"}]
    )


def _problem(exc: ImportRejected) -> tuple[str | None, str]:
    first = exc.problems[0] if exc.problems else None
    return (first.column, first.error) if first else (None, exc.reason or str(exc))


def _visible_record(session: Session, user: Principal, record_id: int) -> Record:
    found = session.scalar(visible_records(user).where(Record.id == record_id))
    if found is None:
        raise HTTPException(404, "No such record")
    return found


def _enter(session: Session, user: Principal, body: RecordIn) -> Record:
    try:
        return enter_record(
            session,
            body.source,
            {"record_id": body.record_id, **body.cells()},
            access=body.access,
            actor=_actor(user),
        )
    except NotFound as exc:
        raise _unprocessable("source", str(exc)) from None
    except ImportRejected as exc:
        raise _unprocessable(*_problem(exc)) from None
    except RecordConflict as exc:
        raise HTTPException(409, str(exc)) from None


def _correct(session: Session, user: Principal, record: Record, body: RecordCorrection) -> None:
    values = body.cells()
    if body.record_id is not None:
        values["record_id"] = body.record_id
    try:
        correct_record(session, record, values, why=body.why, actor=_actor(user))
    except ImportRejected as exc:
        raise _unprocessable(*_problem(exc)) from None


@router.post(
    "/api/records",
    response_model=RecordOut,
    response_model_exclude_unset=True,
    status_code=201,
    tags=["records"],
    responses={
        409: {"description": "the source already has a record with this record_id"},
        422: {"description": "a bad value, or no such source (close matches named)"},
    },
)
def api_add_record(session: DbSession, user: Editor, body: RecordIn) -> RecordOut:
    """Enter one record by hand into a named source (investigators and admins); its derived
    columns are computed as an import computes them."""
    record = _enter(session, user, body)
    return RecordOut(**record_one(session, user, record.id))


@router.patch(
    "/api/records/{record_id}",
    response_model=RecordOut,
    response_model_exclude_unset=True,
    tags=["records"],
    responses={404: {"description": "No such record, or not readable by this role"}},
)
def api_correct_record(
    session: DbSession, user: Editor, record_id: IdPath, body: RecordCorrection
) -> RecordOut:
    """Correct a record (investigators and admins): the columns given change, the earlier
    state is kept with who, when and ``why``."""
    _correct(session, user, _visible_record(session, user, record_id), body)
    return RecordOut(**record_one(session, user, record_id))


@router.get(
    "/api/records/{record_id}/history",
    response_model=list[VersionOut],
    tags=["records"],
    responses={404: {"description": "No such record, or not readable by this role"}},
)
def api_record_history(
    session: DbSession, user: CurrentUser, record_id: IdPath
) -> list[VersionOut]:
    """Every state of a record, the first (as imported or entered) first: who, when, why."""
    record = _visible_record(session, user, record_id)
    return [_version_out(v) for v in versions_for(session, user, record)]


def _version_out(version: Version) -> VersionOut:
    return VersionOut(
        number=version.number,
        current=version.current,
        by=version.by,
        at=version.at,
        why=version.why,
        raw=version.state.get("raw") or {},
        state={k: v for k, v in version.state.items() if k != "raw"},
    )


# --------------------------------------------------------------------------- the forms
def _form_values(form: dict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    return {n: form[n] for n in names if n in form}


def _entry_page(
    request: Request, source: Source, form: dict[str, str], error: tuple[str | None, str] | None
) -> HTMLResponse:
    context = {"source": source, "columns": COLUMNS, "form": form, "error": error}
    return render(request, "records/new.html", context, 422 if error else 200)


@router.get(
    "/sources/{source_id}/records/new", response_class=HTMLResponse, include_in_schema=False
)
def add_record_page(
    request: Request, session: DbSession, user: Editor, source_id: IdPath
) -> HTMLResponse:
    return _entry_page(request, visible_source(session, user, source_id), {}, None)


@router.post("/sources/{source_id}/records/new", include_in_schema=False)
def add_record_form(
    request: Request, session: DbSession, user: Editor, source_id: IdPath, form: PostedForm
) -> Response:
    typed = _form_values(form, ("record_id", "access", *COLUMNS))
    source = visible_source(session, user, source_id)
    try:
        body = RecordIn(
            source=str(source.id),
            record_id=typed.get("record_id", "").strip(),
            access=typed.get("access") or None,  # type: ignore[arg-type]
            **{k: v for k, v in typed.items() if k in COLUMNS and v.strip()},
        )
        record = _enter(session, user, body)
    except ValidationError as exc:
        error = exc.errors()[0]
        return _entry_page(request, source, typed, (str(error["loc"][-1]), error["msg"]))
    except HTTPException as exc:
        session.rollback()
        return _entry_page(request, source, typed, _form_error(exc))
    return RedirectResponse(f"/records/{record.id}?done=created", status_code=303)


def _form_error(exc: HTTPException) -> tuple[str | None, str]:
    if isinstance(exc.detail, list):
        return str(exc.detail[0]["loc"][-1]), str(exc.detail[0]["msg"])
    return "record_id", str(exc.detail)


def written_cells(session: Session, record: Record) -> dict[str, str]:
    """The record's §1 cells as written (from its row; a mapped column under its standard
    name), for the correction form."""
    source = session.get(Source, record.source_id)
    mapping = mapping_from_dict((source.mapping if source else None) or {})
    raw = record.raw or {}
    plan, _ = plan_columns(list(raw), mapping, need_name=False)
    return {std: str(raw.get(col) or "") for std, col in plan.by_standard.items()}


def _correct_page(
    request: Request,
    record: dict[str, Any],
    form: dict[str, str],
    error: tuple[str | None, str] | None,
) -> HTMLResponse:
    context = {"record": record, "columns": COLUMNS, "form": form, "error": error}
    return render(request, "records/correct.html", context, 422 if error else 200)


@router.get("/records/{record_id}/correct", response_class=HTMLResponse, include_in_schema=False)
def correct_record_page(
    request: Request, session: DbSession, user: Editor, record_id: IdPath
) -> HTMLResponse:
    record = _visible_record(session, user, record_id)
    view = record_one(session, user, record_id)
    return _correct_page(request, view, written_cells(session, record), None)


@router.post("/records/{record_id}/correct", include_in_schema=False)
def correct_record_form(
    request: Request, session: DbSession, user: Editor, record_id: IdPath, form: PostedForm
) -> Response:
    typed = _form_values(form, ("why", *COLUMNS))
    record = _visible_record(session, user, record_id)
    before = written_cells(session, record)
    changes = {k: v for k, v in typed.items() if k in COLUMNS and v != before.get(k, "")}
    try:
        body = RecordCorrection(why=typed.get("why", "").strip(), **changes)
        _correct(session, user, record, body)
    except ValidationError as exc:
        error = exc.errors()[0]
        view = record_one(session, user, record_id)
        return _correct_page(request, view, typed, (str(error["loc"][-1]), error["msg"]))
    except HTTPException as exc:
        session.rollback()
        view = record_one(session, user, record_id)
        return _correct_page(request, view, typed, _form_error(exc))
    return RedirectResponse(f"/records/{record_id}?done=corrected", status_code=303)
