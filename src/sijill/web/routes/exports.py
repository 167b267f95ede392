"""Exports: the records (CSV, XLSX), incidents (GeoJSON) and command structure (JSON, Popolo),
full (analysts and above, who read every level) or public (redacted: public content only),
and the exports page that links them and says what each holds. Every download is logged."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sijill.command.exporter import export_structure
from sijill.command.popolo import to_popolo
from sijill.incidents.geojson import incidents_geojson
from sijill.records.export import csv_to_xlsx, export_records
from sijill.security.roles import can_unseal
from sijill.security.users import Principal
from sijill.store.changelog import log_change
from sijill.store.settings import DEMO_MARK, is_demo
from sijill.web.deps import CurrentUser, DbSession, Forbidden
from sijill.web.schemas import Manifest
from sijill.web.templating import NavItem, render

router = APIRouter()
nav = [NavItem("/exports", "core.nav.exports", order=35)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Public = Annotated[
    bool, Query(description="redacted: restricted records and sensitive fields left out")
]


def _export(session: DbSession, user: Principal, public: bool) -> tuple[str, dict[str, Any]]:
    if not public and not can_unseal(user.role):
        raise Forbidden()
    out = io.StringIO()
    manifest = export_records(session, out, public=public)
    log_change(
        session,
        action="export",
        entity="records",
        detail={"public": public, **manifest},
        actor=f"web:{user.name}",
    )
    return out.getvalue(), manifest


def _download(body: str | bytes, media_type: str, name: str, **headers: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"', **headers},
    )


@router.get(
    "/api/exports/records.csv",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {}}, "description": "CSV; manifest in X-Sijill-Manifest"},
        403: {"description": "the full export needs an analyst or above"},
    },
)
def export_csv(session: DbSession, user: CurrentUser, public: Public = True) -> Response:
    """Every record the export includes, as CSV; the manifest rides in a header."""
    text, manifest = _export(session, user, public)
    name = "records-public.csv" if public else "records.csv"
    return _download(
        text,
        "text/csv; charset=utf-8",
        name,
        **{"X-Sijill-Manifest": _header(manifest)},
    )


def _header(manifest: dict[str, Any]) -> str:
    """The manifest as a header: the held-back records counted, not listed (a long list would
    outgrow a header; ``/api/exports/records/manifest`` lists them)."""
    return json.dumps({k: v for k, v in manifest.items() if k != "held_back"}, ensure_ascii=True)


@router.get(
    "/api/exports/records/manifest",
    response_model=Manifest,
    tags=["exports"],
    responses={403: {"description": "the full export needs an analyst or above"}},
)
def export_manifest(session: DbSession, user: CurrentUser, public: Public = True) -> Manifest:
    """What an export would hold and what it withholds (counts, never content)."""
    return Manifest(**_export(session, user, public)[1])


@router.get(
    "/api/exports/records.xlsx",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {"content": {XLSX: {}}, "description": "XLSX; manifest in X-Sijill-Manifest"},
        403: {"description": "the full export needs an analyst or above"},
    },
)
def export_xlsx(session: DbSession, user: CurrentUser, public: Public = True) -> Response:
    """The records export (as the CSV) as a workbook."""
    text, manifest = _export(session, user, public)
    name = "records-public.xlsx" if public else "records.xlsx"
    return _download(csv_to_xlsx(text), XLSX, name, **{"X-Sijill-Manifest": _header(manifest)})


@router.get(
    "/api/exports/incidents.geojson",
    tags=["exports"],
    response_class=Response,
    responses={
        200: {"content": {"application/geo+json": {}}, "description": "GeoJSON"},
        403: {"description": "the full export needs an analyst or above"},
    },
)
def export_geojson(session: DbSession, user: CurrentUser, public: Public = True) -> Response:
    """Incidents with places and counts (as ``sijill export incidents --format geojson``); the
    public form holds public incidents only, small counts suppressed."""
    if not public and not can_unseal(user.role):
        raise Forbidden()
    doc = incidents_geojson(session, public=public)
    log_change(
        session,
        action="export",
        entity="incidents",
        detail={"public": public},
        actor=f"web:{user.name}",
    )
    name = "incidents-public.geojson" if public else "incidents.geojson"
    return _download(json.dumps(doc, ensure_ascii=False), "application/geo+json", name)


def _structure(session: DbSession, user: Principal, kind: str) -> Response:
    # The structure names every actor at every level: analysts and above read them all.
    if not can_unseal(user.role):
        raise Forbidden()
    doc = export_structure(session)
    body = doc if kind == "structure" else to_popolo(doc)
    if is_demo(session):
        body = {**body, "synthetic_demo_data": DEMO_MARK}
    log_change(
        session,
        action="export",
        entity="structure",
        detail={"format": kind},
        actor=f"web:{user.name}",
    )
    return _download(
        json.dumps(body, ensure_ascii=False, indent=2), "application/json", f"{kind}.json"
    )


_STRUCTURE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}}, "description": "JSON"},
    403: {"description": "the structure export needs an analyst or above"},
}


@router.get(
    "/api/exports/structure.json",
    tags=["exports"],
    response_class=Response,
    responses=_STRUCTURE_RESPONSES,
)
def export_structure_json(session: DbSession, user: CurrentUser) -> Response:
    """The command structure as FORMATS.md §3 writes it (``sijill export structure``)."""
    return _structure(session, user, "structure")


@router.get(
    "/api/exports/popolo.json",
    tags=["exports"],
    response_class=Response,
    responses=_STRUCTURE_RESPONSES,
)
def export_popolo_json(session: DbSession, user: CurrentUser) -> Response:
    """The command structure as Popolo JSON."""
    return _structure(session, user, "popolo")


@router.get("/exports", response_class=HTMLResponse, include_in_schema=False)
def exports_page(request: Request, user: CurrentUser) -> HTMLResponse:
    """Every export, what it holds, and a link to each form the reader's role may take."""
    return render(request, "core/exports.html", {"full": can_unseal(user.role)})
