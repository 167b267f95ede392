"""Importing casualty lists from the browser or a script: all or nothing, row-by-row report."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

import yaml  # type: ignore[import-untyped]
from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import ImportRejected, SameFileRejected
from sijill.records.importer import ImportResult, import_list
from sijill.records.mapping import Mapping, mapping_from_dict
from sijill.security.blind import index_records
from sijill.security.redaction import field_key_or_none
from sijill.security.users import Principal
from sijill.store.models import ChangeLogEntry, Source
from sijill.web.deps import CurrentUser, DbSession, require_role, upload_name, visible
from sijill.web.schemas import Access, ImportEntry, ImportList, ImportOut, ImportRefused
from sijill.web.templating import NavItem, locale_of, render

router = APIRouter()
nav = [NavItem("/import", "core.nav.import", min_role="investigator", order=30)]

Editor = Annotated[Principal, Depends(require_role("investigator"))]
CHUNK = 1 << 20


def max_upload_bytes() -> int:
    return int(os.environ.get("SIJILL_MAX_UPLOAD_MB", "200")) * (1 << 20)


class UploadTooLarge(ImportRejected):
    pass


def _safe_name(name: str | None) -> str:
    """The upload's base name, reduced to harmless characters (its suffix picks the reader)."""
    base = Path(name or "list.csv").name
    cleaned = re.sub(r"[^\w.\-]+", "_", base, flags=re.UNICODE).strip("._") or "list.csv"
    return cleaned[-120:]


def _parse_mapping(text: str | None) -> Mapping | None:
    if not text or not text.strip():
        return None
    try:
        data = yaml.safe_load(text)  # JSON is YAML too
    except yaml.YAMLError as exc:
        raise ImportRejected("mapping", reason=f"cannot read the mapping: {exc}") from exc
    if not isinstance(data, dict):
        raise ImportRejected("mapping", reason="a mapping must be a YAML/JSON object")
    return mapping_from_dict(data, "mapping")


def run_import(
    session: Session,
    user: Principal,
    upload: UploadFile,
    *,
    source: str,
    access: str,
    mapping: str | None,
    version_of: str | None,
    derived_from: str | None,
    keep_good_rows: bool,
    allow_same_file: bool = False,
) -> ImportResult:
    """Save the upload to a private temporary folder and import it; raises ImportRejected."""
    name = _safe_name(upload_name(upload))
    folder = Path(tempfile.mkdtemp(prefix="sijill-upload-"))
    try:
        path = folder / name
        written = 0
        with path.open("wb") as out:
            while chunk := upload.file.read(CHUNK):
                written += len(chunk)
                if written > max_upload_bytes():
                    raise UploadTooLarge(path.name, reason="the file is larger than allowed")
                out.write(chunk)
        parents = [p.strip() for p in (derived_from or "").split(",") if p.strip()]
        result = import_list(
            session,
            path,
            source=source.strip(),
            mapping=_parse_mapping(mapping),
            access=access,
            version_of=(version_of or "").strip() or None,
            derived_from=parents,
            keep_good_rows=keep_good_rows,
            allow_same_file=allow_same_file,
            actor=f"web:{user.name}",
        )
        field_key = field_key_or_none()
        if field_key is not None:
            index_records(session, field_key, source_id=result.source_id)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _refusal(exc: ImportRejected, same_file: str = "") -> dict[str, Any]:
    """What a refusal says: ``same_file`` replaces the command line's wording of a file
    imported before (the API's ``allow_same_file``, the page's check box)."""
    detail = exc.reason or f"refused: {len(exc.problems)} problem(s); nothing was imported"
    if isinstance(exc, SameFileRejected) and same_file:
        detail = same_file
    return {
        "detail": detail,
        "rejected": [p.as_dict() for p in exc.problems],
        "same_file": isinstance(exc, SameFileRejected),
    }


@router.post(
    "/api/imports",
    response_model=ImportOut,
    tags=["imports"],
    status_code=201,
    responses={
        400: {"description": "a file name longer than 255 bytes"},
        422: {"model": ImportRefused, "description": "refused; nothing was imported"},
    },
)
def api_import(
    session: DbSession,
    user: Editor,
    file: Annotated[UploadFile, File(description="CSV, XLSX or JSON lines")],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    access: Annotated[Access, Form()] = "internal",
    mapping: Annotated[str | None, Form(max_length=100_000)] = None,
    version_of: Annotated[str | None, Form(max_length=200)] = None,
    derived_from: Annotated[str | None, Form(max_length=2000)] = None,
    keep_good_rows: Annotated[bool, Form()] = False,
    allow_same_file: Annotated[bool, Form(description="import a file imported before")] = False,
) -> Response | ImportOut:
    """Import one casualty list, all or nothing (the rules of ``sijill import records``)."""
    try:
        result = run_import(
            session,
            user,
            file,
            source=source,
            access=access,
            mapping=mapping,
            version_of=version_of,
            derived_from=derived_from,
            keep_good_rows=keep_good_rows,
            allow_same_file=allow_same_file,
        )
    except ImportRejected as exc:
        session.rollback()
        twin = exc.twin if isinstance(exc, SameFileRejected) else ""
        same = f"this exact file was already imported as source {twin!r}; "
        same += "send allow_same_file=true to import it again"
        refusal = _refusal(exc, same)
        refusal.pop("same_file")
        return JSONResponse(refusal, status_code=422)
    doc = result.as_json()
    doc.pop("rejected_file", None)
    return ImportOut(**doc)


def latest_imports(session: Session, user: Principal, limit: int) -> list[ImportEntry]:
    sources = session.scalars(
        visible(select(Source), user, Source)
        .where(Source.kind == "list")
        .order_by(Source.created_at.desc(), Source.id.desc())
        .limit(limit)
    ).all()
    logs: dict[str, ChangeLogEntry] = {}
    if sources:
        for logged in session.scalars(
            select(ChangeLogEntry).where(
                ChangeLogEntry.action == "import",
                ChangeLogEntry.entity == "source",
                ChangeLogEntry.entity_id.in_([str(s.id) for s in sources]),
            )
        ):
            logs[logged.entity_id or ""] = logged
    items = []
    for s in sources:
        entry = logs.get(str(s.id))
        detail = (entry.detail or {}) if entry else {}
        items.append(
            ImportEntry(
                source_id=s.id,
                source=s.name,
                access=s.access,  # type: ignore[arg-type]
                at=entry.at if entry else s.created_at,
                actor=entry.actor if entry else None,
                imported=detail.get("imported", s.record_count),
                rejected_rows=detail.get("rejected_rows"),
            )
        )
    return items


@router.get("/api/imports", response_model=ImportList, tags=["imports"])
def api_latest_imports(
    session: DbSession, user: CurrentUser, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> ImportList:
    """The latest imported lists the caller may read, newest first."""
    return ImportList(items=latest_imports(session, user, limit))


@router.get("/import", response_class=HTMLResponse, include_in_schema=False)
def import_page(request: Request, session: DbSession, user: Editor) -> HTMLResponse:
    return render(request, "core/import.html", {"latest": latest_imports(session, user, 10)})


@router.post("/import", response_class=HTMLResponse, include_in_schema=False)
def import_form(
    request: Request,
    session: DbSession,
    user: Editor,
    file: Annotated[UploadFile, File()],
    source: Annotated[str, Form(max_length=200)],
    access: Annotated[str, Form()] = "internal",
    mapping: Annotated[str, Form(max_length=100_000)] = "",
    version_of: Annotated[str, Form(max_length=200)] = "",
    derived_from: Annotated[str, Form(max_length=2000)] = "",
    keep_good_rows: Annotated[str, Form()] = "",
    allow_same_file: Annotated[str, Form()] = "",
) -> HTMLResponse:
    context: dict[str, Any] = {
        "form": {
            "source": source,
            "access": access,
            "mapping": mapping,
            "version_of": version_of,
            "derived_from": derived_from,
        }
    }
    status = 200
    try:
        result = run_import(
            session,
            user,
            file,
            source=source,
            access=access,
            mapping=mapping,
            version_of=version_of,
            derived_from=derived_from,
            keep_good_rows=bool(keep_good_rows),
            allow_same_file=bool(allow_same_file),
        )
        session.commit()
        context["result"] = result
        context["form"] = {}
    except ImportRejected as exc:
        session.rollback()
        twin = exc.twin if isinstance(exc, SameFileRejected) else ""
        same = locale_of(request).t("core.import_same_file", source=twin)
        context["refusal"] = _refusal(exc, same)
        status = 422
    context["latest"] = latest_imports(session, user, 10)
    return render(request, "core/import.html", context, status_code=status)
