"""The report's HTML as a PDF, with WeasyPrint (Pango shapes Arabic and lays it out right to
left; fonts from the system: DejaVu, Noto). Nothing is fetched: the page is self-contained."""

from __future__ import annotations

from pathlib import Path


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the report fetches nothing ({url})")


def write_pdf(html: str, out: Path) -> Path:
    """Write ``html`` as a PDF to ``out``."""
    from weasyprint import HTML  # loads Pango only when a PDF is written

    HTML(string=html, url_fetcher=_no_fetch).write_pdf(out)
    return out
