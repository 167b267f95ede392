"""Exports through the API: the full export (analysts and above) and the redacted public one."""

from __future__ import annotations

import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from sijill.records.export import export_records
from sijill.security.roles import can_unseal
from sijill.security.users import Principal
from sijill.store.changelog import log_change
from sijill.web.deps import CurrentUser, DbSession, Forbidden
from sijill.web.schemas import Manifest

router = APIRouter()

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
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Sijill-Manifest": json.dumps(manifest, ensure_ascii=True),
        },
    )


@router.get(
    "/api/exports/records/manifest",
    response_model=Manifest,
    tags=["exports"],
    responses={403: {"description": "the full export needs an analyst or above"}},
)
def export_manifest(session: DbSession, user: CurrentUser, public: Public = True) -> Manifest:
    """What an export would hold and what it withholds (counts, never content)."""
    return Manifest(**_export(session, user, public)[1])
