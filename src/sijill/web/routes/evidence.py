"""Evidence vault on the web: JSON API, upload page and item page.

Viewing an item is logged in the read log (not the custody log); uploads run the same intake as
``sijill evidence add``. Restricted metadata (GPS, owner fields) and the sealed collector and
persona are shown only to roles that may unseal; viewers never see restricted items.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, HTTPException, Path, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from sijill.config import vault_dir
from sijill.errors import NotFound, SijillError, about
from sijill.evidence import custody, items
from sijill.evidence.intake import Added, Collection, add_files
from sijill.evidence.models import EvidenceItem
from sijill.evidence.targets import LinkExists, link_target
from sijill.evidence.vault import copy_original, private_dir, safe_name
from sijill.security.roles import can_edit, can_unseal
from sijill.security.users import Principal
from sijill.store.changelog import log_change
from sijill.web.deps import (
    CurrentUser,
    DbSession,
    Forbidden,
    Limit,
    Offset,
    require_role,
    upload_name,
    visible,
)
from sijill.web.refusals import problems_of, refused
from sijill.web.schemas import Access
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/evidence", "evidence.nav", min_role="viewer", order=45)]

ItemId = Annotated[
    str,
    Path(
        min_length=36,
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="evidence item id (UUID)",
    ),
]
UPLOAD_CHUNK = 1 << 20


class EvidenceSummary(BaseModel):
    id: str
    access: Access
    sha256: str
    size: int
    mime: str
    original_name: str | None = None
    verification_status: str


class EvidencePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[EvidenceSummary]


class EvidenceDetail(BaseModel):
    id: str
    access: Access
    parent_id: str | None = None
    relation: str | None = None
    original_name: str | None = None
    fixity: dict[str, Any]
    source: dict[str, Any]
    collection: dict[str, Any]
    transformations: list[dict[str, Any]]
    verification: dict[str, Any]
    sensitivity: dict[str, Any]
    metadata: dict[str, Any]
    links: list[dict[str, Any]]
    derived: list[str]
    near_duplicates: list[dict[str, Any]]
    custody: list[dict[str, Any]]


class DecisionIn(BaseModel):
    decision: Literal["same", "different"]
    why: str | None = Field(None, max_length=2000)


class LinkIn(BaseModel):
    kind: Literal["incident", "person", "unit"]
    target: str = Field(
        min_length=1,
        max_length=200,
        description="an incident's or person's number or id, a unit's id",
    )
    note: str | None = Field(None, max_length=2000)


class LinkForm(BaseModel):
    """The link form's fields as the user wrote them."""

    kind: str = "incident"
    target: str = ""
    note: str = ""


class LinkOut(BaseModel):
    item: str
    kind: str
    target: str
    note: str | None = None


class DecisionOut(BaseModel):
    a: str
    b: str
    decision: str
    decided_by: str


class AddedOut(BaseModel):
    path: str
    sha256: str
    id: str
    mime: str
    size: int
    near_duplicates: list[dict[str, Any]]
    same_content_as: list[str]


def _summary(item: EvidenceItem) -> EvidenceSummary:
    return EvidenceSummary(
        id=item.id,
        access=item.access,  # type: ignore[arg-type]
        sha256=item.sha256,
        size=item.size,
        mime=item.mime,
        original_name=item.original_name,
        verification_status=item.verification_status,
    )


def _page(session: Session, user: Principal, limit: int, offset: int) -> EvidencePage:
    stmt = visible(select(EvidenceItem), user, EvidenceItem)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(EvidenceItem.created_at.desc(), EvidenceItem.id).limit(limit).offset(offset)
    ).all()
    return EvidencePage(total=total, limit=limit, offset=offset, items=[_summary(i) for i in rows])


def _viewed(session: Session, user: Principal, item_id: str) -> dict[str, Any]:
    """The item as this user may see it (other items named only if readable); the view is
    logged in the read log."""
    item = session.scalar(
        visible(select(EvidenceItem).where(EvidenceItem.id == item_id), user, EvidenceItem)
    )
    if item is None:
        raise HTTPException(404, "No such evidence item")
    items.record_view(session, item, f"web:{user.name}")
    view = items.item_view(session, item, restricted=can_unseal(user.role), reader=user.role)
    session.commit()
    return view


def _commit_and_publish(session: Session) -> None:
    """Commit the custody entries, then copy the latest checkpoint beside the vault."""
    session.commit()
    checkpoint = custody.latest_checkpoint(session)
    if checkpoint is not None:
        custody.publish_checkpoint(vault_dir(), checkpoint)


def _intake(session: Session, uploads: list[UploadFile], collection: Collection) -> list[Added]:
    """Stream the uploads to a private temporary folder, preserve them, remove the copies."""
    names = [upload_name(upload) for upload in uploads]  # all checked before any is written
    vault = vault_dir()
    private_dir(vault / "tmp")
    folder = FsPath(tempfile.mkdtemp(prefix="upload-", dir=vault / "tmp"))
    try:
        paths = []
        for n, (upload, sent) in enumerate(zip(uploads, names, strict=True)):
            name = safe_name(sent, f"upload-{n}")
            target = folder / str(n) / name
            target.parent.mkdir()
            with target.open("wb") as handle:
                while chunk := upload.file.read(UPLOAD_CHUNK):
                    handle.write(chunk)
            paths.append(target)
        added, _checkpoint = add_files(session, vault, paths, collection)
        for entry in added:
            entry.path = FsPath(entry.path).name
            log_change(
                session,
                action="evidence.add",
                entity="evidence",
                entity_id=entry.id,
                detail={"sha256": entry.sha256, "access": collection.access},
                actor=f"web:{collection.collector}",
            )
        _commit_and_publish(session)
        return added
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.get("/api/evidence", response_model=EvidencePage, tags=["evidence"])
def list_evidence(
    session: DbSession, user: CurrentUser, limit: Limit = 50, offset: Offset = 0
) -> EvidencePage:
    """Evidence items the caller may read, newest first."""
    return _page(session, user, limit, offset)


@router.get(
    "/api/evidence/{item_id}",
    response_model=EvidenceDetail,
    tags=["evidence"],
    responses={404: {"description": "No such item, or not readable by this role"}},
)
def get_evidence(session: DbSession, user: CurrentUser, item_id: ItemId) -> EvidenceDetail:
    """One item: metadata, hashes, links, near-duplicates and custody (the view is logged)."""
    return EvidenceDetail(**_viewed(session, user, item_id))


@router.get(
    "/api/evidence/{item_id}/original",
    tags=["evidence"],
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "the original file"},
        403: {"description": "originals (with their full metadata) need an analyst or above"},
        404: {"description": "No such item, or not readable by this role"},
    },
)
def download_original(session: DbSession, user: CurrentUser, item_id: ItemId) -> FileResponse:
    """The original file as preserved (decrypted if sealed at rest), for a role that may read
    its level and its full metadata (a file carries its EXIF and GPS; viewers see neither).
    Each download is written to the audit log (who, when, which item)."""
    if not can_unseal(user.role):
        raise Forbidden()
    item = session.scalar(
        visible(select(EvidenceItem).where(EvidenceItem.id == item_id), user, EvidenceItem)
    )
    if item is None:
        raise HTTPException(404, "No such evidence item")
    folder = FsPath(tempfile.mkdtemp(prefix="sijill-original-"))
    private_dir(folder)
    target = folder / safe_name(item.original_name, item.id)
    try:
        copy_original(vault_dir(), item.sha256, target)
    except FileNotFoundError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise HTTPException(404, "The original is missing from the vault") from exc
    log_change(
        session,
        action="download",
        entity="evidence",
        entity_id=item.id,
        detail={"sha256": item.sha256, "access": item.access},
        actor=f"web:{user.name}",
    )
    session.commit()
    return FileResponse(
        target,
        media_type=item.mime or "application/octet-stream",
        filename=target.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.post(
    "/api/evidence",
    response_model=list[AddedOut],
    status_code=201,
    tags=["evidence"],
    responses={
        400: {"description": "A file name longer than 255 bytes"},
        422: {"description": "Refused (bad access level, relation or empty upload)"},
    },
)
def upload_evidence(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    files: Annotated[list[UploadFile], File(description="files to preserve")],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    url: Annotated[str | None, Form(max_length=2000)] = None,
    access: Annotated[Access, Form()] = "internal",
) -> list[AddedOut]:
    """Preserve uploaded files (same intake as ``sijill evidence add``); the collector is the
    signed-in user."""
    collection = Collection(
        source=source, collector=user.name, access=access, url=url or None, tool="sijill web"
    )
    try:
        added = _intake(session, files, collection)
    except SijillError as exc:
        raise HTTPException(422, str(exc)) from None
    return [AddedOut(**a.as_dict()) for a in added]


@router.get("/evidence", response_class=HTMLResponse, include_in_schema=False)
def evidence_page(
    request: Request, session: DbSession, user: CurrentUser, offset: Offset = 0
) -> HTMLResponse:
    page = _page(session, user, 50, offset)
    return render(request, "evidence/index.html", {"page": page, "can_upload": can_edit(user.role)})


@router.post("/evidence", response_class=HTMLResponse, include_in_schema=False, response_model=None)
def evidence_upload_form(
    request: Request,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    files: Annotated[list[UploadFile], File()],
    source: Annotated[str, Form(min_length=1, max_length=200)],
    url: Annotated[str | None, Form(max_length=2000)] = None,
    access: Annotated[Access, Form()] = "internal",
) -> HTMLResponse | RedirectResponse:
    collection = Collection(
        source=source, collector=user.name, access=access, url=url or None, tool="sijill web"
    )
    try:
        added = _intake(session, files, collection)
    except SijillError as exc:
        page = _page(session, user, 50, 0)
        return render(
            request,
            "evidence/index.html",
            {"page": page, "can_upload": True, "error": str(exc)},
            status_code=422,
        )
    target = f"/evidence/{added[0].id}" if len(added) == 1 else "/evidence"
    return RedirectResponse(target, status_code=303)


@router.get("/evidence/{item_id}", response_class=HTMLResponse, include_in_schema=False)
def evidence_item_page(
    request: Request, session: DbSession, user: CurrentUser, item_id: ItemId
) -> HTMLResponse:
    view = _viewed(session, user, item_id)
    return render(request, "evidence/item.html", {"item": view, "can_decide": can_edit(user.role)})


def _decide(
    session: Session, user: Principal, item_id: str, other_id: str, decision: str, why: str | None
) -> DecisionOut:
    """Store a reviewer's decision on a candidate pair both of whose items the user may read."""
    readable = session.scalars(
        visible(
            select(EvidenceItem.id).where(EvidenceItem.id.in_([item_id, other_id])),
            user,
            EvidenceItem,
        )
    ).all()
    if len(set(readable)) != 2:
        raise HTTPException(404, "No such evidence item")
    try:
        row = items.decide_duplicate(session, item_id, other_id, decision, f"web:{user.name}", why)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    log_change(
        session,
        action="evidence.duplicate",
        entity="evidence",
        entity_id=row.item_a,
        detail={"a": row.item_a, "b": row.item_b, "decision": row.decision},
        actor=f"web:{user.name}",
        why=why,
    )
    custody.make_checkpoint(session)
    out = DecisionOut(a=row.item_a, b=row.item_b, decision=row.decision, decided_by=user.name)
    _commit_and_publish(session)
    return out


@router.post(
    "/api/evidence/{item_id}/duplicates/{other_id}",
    response_model=DecisionOut,
    tags=["evidence"],
    responses={404: {"description": "No candidate match between these items"}},
)
def decide_duplicate(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    item_id: ItemId,
    other_id: ItemId,
    body: DecisionIn,
) -> DecisionOut:
    """Confirm a candidate near-duplicate as the same or different (nothing is merged)."""
    return _decide(session, user, item_id, other_id, body.decision, body.why)


@router.post(
    "/evidence/{item_id}/duplicates/{other_id}",
    include_in_schema=False,
    response_class=RedirectResponse,
)
def decide_duplicate_form(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    item_id: ItemId,
    other_id: ItemId,
    decision: Annotated[Literal["same", "different"], Form()],
    why: Annotated[str | None, Form(max_length=2000)] = None,
) -> RedirectResponse:
    _decide(session, user, item_id, other_id, decision, why or None)
    return RedirectResponse(f"/evidence/{item_id}", status_code=303)


def _link(session: Session, user: Principal, item_id: str, body: LinkIn) -> LinkOut:
    """Link an item the user may read to an incident, person or unit it may read; the custody
    log keeps who linked it, the change log what."""
    item = session.scalar(
        visible(select(EvidenceItem).where(EvidenceItem.id == item_id), user, EvidenceItem)
    )
    if item is None:
        raise HTTPException(404, "No such evidence item")
    actor = f"web:{user.name}"
    with about("target"):
        link = link_target(session, item, body.kind, body.target, actor, body.note, user.role)
    log_change(
        session,
        action="evidence.link",
        entity="evidence",
        entity_id=item.id,
        detail={"kind": link.target_kind, "target": link.target_id},
        actor=actor,
    )
    custody.make_checkpoint(session)
    out = LinkOut(item=item.id, kind=link.target_kind, target=link.target_id, note=link.note)
    _commit_and_publish(session)
    return out


@router.post(
    "/api/evidence/{item_id}/links",
    response_model=LinkOut,
    status_code=201,
    tags=["evidence"],
    responses={
        404: {"description": "No such item, or not readable by this role"},
        409: {"description": "Already linked to this target"},
        422: {"description": "No such target (close matches named)"},
    },
)
def link_evidence(
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    item_id: ItemId,
    body: LinkIn,
) -> LinkOut:
    """Link an item to an incident, a person or a unit (investigator, admin)."""
    try:
        return _link(session, user, item_id, body)
    except LinkExists as exc:
        raise HTTPException(409, str(exc)) from None
    except SijillError as exc:
        raise refused(problems_of(exc)) from None


@router.post("/evidence/{item_id}/links", include_in_schema=False, response_model=None)
def link_evidence_form(
    request: Request,
    session: DbSession,
    user: Annotated[Principal, Depends(require_role("investigator"))],
    item_id: ItemId,
    form: Annotated[LinkForm, Form()],
) -> HTMLResponse | RedirectResponse:
    try:
        body = LinkIn.model_validate({k: v for k, v in form.model_dump().items() if v})
        _link(session, user, item_id, body)
    except (ValidationError, SijillError) as exc:
        session.rollback()
        view = _viewed(session, user, item_id)
        context = {
            "item": view,
            "can_decide": True,
            "link_form": form,
            "problems": problems_of(exc),
        }
        return render(request, "evidence/item.html", context, status_code=422)
    return RedirectResponse(f"/evidence/{item_id}?done=linked#links", status_code=303)
