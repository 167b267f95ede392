"""SYNTHETIC published figures for the demo: three invented organisations' counts of the demo
wave (a network's per-village civilian count, an observatory's total for a governorate, a
lawyers' union's figures for two districts, internal), each citing its invented publication."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.published.jsonfile import import_figures
from sijill.published.models import PublishedFigure
from sijill.store.models import Source

FIGURES = "published_figures.json"


def build_demo_figures(session: Session, folder: Path) -> list[PublishedFigure]:
    """Record the demo's published figures (their publications first, as sources); the file
    is copied into ``folder`` and imported as ``sijill import figures`` would."""
    text = resources.files("sijill.demo").joinpath(FIGURES).read_text("utf-8")
    doc = json.loads(text)
    for entry in doc["figures"]:
        for name in entry["sources"]:
            if session.scalar(select(Source.id).where(Source.name == name)) is None:
                session.add(
                    Source(
                        name=name,
                        kind="report",
                        publisher=entry["organisation"],
                        published=entry["published"],
                        locator="https://example.invalid/" + entry["id"],
                        access=entry["access"],
                        notes="SYNTHETIC demo publication: invented organisation and figures.",
                    )
                )
    session.flush()
    path = folder / FIGURES
    path.write_text(text, encoding="utf-8")
    return import_figures(session, path, actor="demo")
