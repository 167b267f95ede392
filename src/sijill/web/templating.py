"""Rendering server-side pages: one Jinja2 environment, one ``render`` helper.

Every template extends ``base.html`` and receives, beside its own context:
``user`` (or None), ``loc`` (the reader's :class:`~sijill.web.i18n.Locale`), ``t`` (translate),
``num`` (numbers), ``fdate`` (dates), ``csrf_token``, ``demo`` (show the synthetic-data mark),
``nav`` (navigation entries the user's role may see), ``path`` and ``case_name`` (the case's
name from its settings, or empty).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from sijill.security.roles import role_at_least
from sijill.web.case import case_look
from sijill.web.cookies import DIGITS_COOKIE, LANG_COOKIE
from sijill.web.i18n import Locale, pick_language

TEMPLATE_DIR = Path(__file__).parent / "templates"
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))


@dataclass(frozen=True)
class NavItem:
    """One entry of the top navigation: a path, a translation key, the least role that sees it."""

    path: str
    label_key: str
    min_role: str = "viewer"
    order: int = 50


def locale_of(request: Request) -> Locale:
    """The reader's language and digits, from their cookies or browser."""
    lang = pick_language(
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
        case_look(request.app).default_language,
    )
    digits = request.cookies.get(DIGITS_COOKIE)
    if digits not in ("latin", "arabic"):
        digits = "latin"
    return Locale(lang=lang, digits=digits if lang == "ar" else "latin")


def _query_with(request: Request, **changes: Any) -> str:
    """The current query string with some parameters replaced (for paging and filter links)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    return "?" + urlencode(params) if params else "?"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the shared context (user, translations, CSRF token, demo mark)."""
    loc = locale_of(request)
    user = getattr(request.state, "user", None)
    nav_items = request.app.state.nav
    shared = {
        "request": request,
        "user": user,
        "loc": loc,
        "t": loc.t,
        "num": loc.num,
        "fdate": loc.date,
        "csrf_token": getattr(request.state, "csrf", None) or "",
        "demo": request.app.state.demo,
        "nav": [n for n in nav_items if user is not None and role_at_least(user.role, n.min_role)],
        "path": request.url.path,
        "case_name": case_look(request.app).name,
        "query_with": lambda **changes: _query_with(request, **changes),
    }
    shared.update(context or {})
    return templates.TemplateResponse(request, template, shared, status_code=status_code)
