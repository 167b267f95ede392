"""Inline SVG for the report: the bars of a bar chart (verified over reported) and the map of
the incidents' places, drawn from the gazetteer's coordinates (no tiles, nothing fetched).

The SVG holds shapes and digits only: names (Arabic above all) are set in the HTML around it,
where the browser and WeasyPrint shape and order them (WeasyPrint's SVG text does neither).
Pure functions: data in, SVG out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

BAR_WIDTH = 260
BAR_HEIGHT = 12
REPORTED = "#c9d6e8"
VERIFIED = "#2b5c9b"
MAP_WIDTH = 640


def _number(value: int | str) -> int:
    """A figure as a length: a public report's "<5" draws as nothing."""
    return value if isinstance(value, int) else 0


def bar(verified: int | str, reported: int | str, top: int, rtl: bool) -> str:
    """One bar of a chart: ``reported`` light, ``verified`` dark over it, scaled to ``top``;
    growing from the right in a right-to-left report."""
    rep = BAR_WIDTH * _number(reported) / (top or 1)
    ver = BAR_WIDTH * _number(verified) / (top or 1)
    x_rep, x_ver = (BAR_WIDTH - rep, BAR_WIDTH - ver) if rtl else (0.0, 0.0)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{BAR_WIDTH}" height="{BAR_HEIGHT}" '
        f'viewBox="0 0 {BAR_WIDTH} {BAR_HEIGHT}" role="img" aria-label="{verified} / {reported}">'
        f'<rect x="{x_rep:.1f}" y="0" width="{rep:.1f}" height="{BAR_HEIGHT}" fill="{REPORTED}"/>'
        f'<rect x="{x_ver:.1f}" y="0" width="{ver:.1f}" height="{BAR_HEIGHT}" fill="{VERIFIED}"/>'
        "</svg>"
    )


def map_svg(points: Sequence[dict[str, Any]], context: Sequence[dict[str, Any]]) -> str:
    """The incidents' places as numbered circles (area by victims documented; circle ``n`` is
    ``points[n - 1]``, each linking to the first of its incidents) over the gazetteer's other
    places nearby as dots; equirectangular, scaled by the cosine of the mean latitude."""
    if not points:
        return ""
    every = [*points, *context]
    lats = [p["latitude"] for p in every]
    lons = [p["longitude"] for p in every]
    scale = math.cos(math.radians(sum(lats) / len(lats)))
    west, south, north = min(lons), min(lats), max(lats)
    w_deg = max((max(lons) - west) * scale, 1e-3)
    h_deg = max(north - south, 1e-3)
    pad = 30
    height = min(max(MAP_WIDTH * h_deg / w_deg, 240), 720)
    k = min((MAP_WIDTH - 2 * pad) / w_deg, (height - 2 * pad) / h_deg)

    def xy(p: dict[str, Any]) -> tuple[float, float]:
        return (
            pad + (p["longitude"] - west) * scale * k,
            height - pad - (p["latitude"] - south) * k,
        )

    parts = []
    for p in context:
        x, y = xy(p)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#999"/>')
    top = max((_number(p["victims"]) for p in points), default=0) or 1
    for number, p in enumerate(points, start=1):
        x, y = xy(p)
        r = 5 + 14 * math.sqrt(_number(p["victims"]) / top)
        parts.append(
            f'<a href="#incident-{p["incidents"][0]}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#aa1414" fill-opacity="0.5" '
            f'stroke="#700"/>'
            f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" '
            f'font-weight="bold" fill="#000">{number}</text></a>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{MAP_WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {MAP_WIDTH} {height:.0f}" role="img">'
        f'<rect x="0" y="0" width="{MAP_WIDTH}" height="{height:.0f}" fill="#f6f5f0" '
        f'stroke="#999"/>{"".join(parts)}</svg>'
    )
