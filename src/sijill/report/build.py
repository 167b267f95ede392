"""Writing a report's files: ``index.html`` (self-contained), ``report.pdf`` and
``report.json`` (the figures, as :func:`sijill.report.figures.gather` gives them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from sijill.jobs.progress import Report, silent
from sijill.report.figures import ReportOptions, gather
from sijill.report.html import render_html
from sijill.report.pdf import write_pdf


def report_path(base: Path, public: bool, lang: str) -> Path:
    """The folder of one built report: ``team-en``, ``team-ar``, ``public-en``, ``public-ar``."""
    return base / f"{'public' if public else 'team'}-{lang}"


def write_report(
    session: Session,
    out: Path,
    options: ReportOptions,
    pdf: bool = True,
    estimated: dict[str, Any] | None = None,
    progress: Report = silent,
) -> dict[str, Any]:
    """Write the report into the folder ``out``; returns where (FORMATS.md §4) and the case's
    digest and moment. ``progress(fraction, message)`` hears each stage."""
    progress(0.02, "gathering the figures")
    doc = gather(session, options, estimated)
    out.mkdir(parents=True, exist_ok=True)
    progress(0.5, "writing the page")
    html = render_html(doc)
    (out / "index.html").write_text(html, encoding="utf-8")
    figures = out / "report.json"
    figures.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str), "utf-8")
    if pdf:
        progress(0.6, "writing the PDF")
    result: dict[str, Any] = {
        "html": str(out / "index.html"),
        "pdf": str(write_pdf(html, out / "report.pdf")) if pdf else None,
        "json": str(figures),
        "public": options.public,
        "lang": options.lang,
        "digest": doc["case"]["digest"],
        "as_of": doc["case"]["as_of"],
        "estimate": doc["toll"]["estimate"],
    }
    if doc["mark"]:
        result["mark"] = doc["mark"]
    return result
