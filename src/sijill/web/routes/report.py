"""The investigation report as built (``sijill report``, ``make demo``): served to signed-in
readers only, the public report to a viewer and the team's to analysts and above, in the
reader's language. The page is the report's own self-contained HTML (inline style, no script)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from sijill.config import reports_dir
from sijill.report.build import report_path
from sijill.security.roles import reads_every_level
from sijill.security.users import Principal
from sijill.web.deps import CurrentUser
from sijill.web.templating import NavItem, locale_of, render

router = APIRouter()
nav = [NavItem("/report", "report.nav", order=90)]

# The report's own page: its inline <style>, nothing else (no script, no fetch, no frame).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'"
)


def _folder(request: Request, user: Principal) -> Path:
    """The report this reader may read: the team's (every level) or the public one."""
    public = not reads_every_level(user.role)
    return report_path(reports_dir(), public, locale_of(request).lang)


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_page(request: Request, user: CurrentUser) -> Response:
    page = _folder(request, user) / "index.html"
    if not page.is_file():
        return render(request, "report/missing.html", {"folder": str(page.parent)}, 404)
    return HTMLResponse(page.read_text("utf-8"), headers={"Content-Security-Policy": REPORT_CSP})


@router.get("/report.pdf", include_in_schema=False)
def report_pdf(request: Request, user: CurrentUser) -> Response:
    pdf = _folder(request, user) / "report.pdf"
    if not pdf.is_file():
        return render(request, "report/missing.html", {"folder": str(pdf.parent)}, 404)
    return FileResponse(pdf, media_type="application/pdf", filename="report.pdf")
