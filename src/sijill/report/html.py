"""The report as one self-contained HTML page (Jinja2; CSS and SVG inline, nothing fetched)."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from sijill.report.charts import bar, map_svg
from sijill.report.figures import GROUPINGS
from sijill.report.labels import labels

_ENV = Environment(
    loader=PackageLoader("sijill.report", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(doc: dict[str, Any]) -> str:
    """The page for the report data ``doc`` (:func:`sijill.report.figures.gather`), in the
    language it was gathered for; Arabic reads right to left."""
    lang = doc["lang"]
    words = labels(lang)
    rtl = lang == "ar"
    charts = {}
    for by in GROUPINGS:
        groups = doc["counts"][by]["groups"]
        top = max((g["reported"] for g in groups if isinstance(g["reported"], int)), default=0)
        charts[by] = [Markup(bar(g["verified"], g["reported"], top, rtl)) for g in groups]
    sources = {s["name"]: s["anchor"] for s in doc["methods"]["sources"]}
    return _ENV.get_template("report.html").render(
        doc=doc,
        t=words,
        lang=lang,
        dir="rtl" if rtl else "ltr",
        groupings=GROUPINGS,
        charts=charts,
        map=Markup(map_svg(doc["map"]["points"], doc["map"]["context"])),
        source_anchor=sources,
    )
