"""The gazetteer for type-ahead: places a name being typed may mean, in either script."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from sijill.places.store import place_label, search_places
from sijill.web.deps import CurrentUser, DbSession

router = APIRouter()


class PlaceHit(BaseModel):
    id: int
    external_id: str
    name_ar: str | None = None
    name_latin: str | None = None
    type: str
    label: str


@router.get("/api/places", response_model=list[PlaceHit], tags=["places"])
def api_places(
    session: DbSession,
    user: CurrentUser,
    q: Annotated[str, Query(min_length=1, max_length=200, description="a name being typed")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[PlaceHit]:
    """Places whose Arabic or Latin names begin with (or hold) ``q``, folded as the gazetteer
    compares names; the gazetteer's close matches when none does."""
    return [
        PlaceHit(
            id=p.id,
            external_id=p.external_id,
            name_ar=p.name_ar,
            name_latin=p.name_latin,
            type=p.type,
            label=place_label(p),
        )
        for p in search_places(session, q, limit)
    ]
