"""What every page shows of the case's settings (``/admin/settings``): its name, beside the
brand and in the title, and the language a reader gets when neither their choice nor their
browser names one Sijill speaks. Read from ``case_settings`` at most every few seconds per
process; a change made on the settings page is seen at once by the process that made it."""

from __future__ import annotations

import time
from dataclasses import dataclass

from fastapi import FastAPI

from sijill.security.users import get_setting
from sijill.web.i18n import LANGUAGES

CASE_NAME = "case.name"
DEFAULT_LANGUAGE = "case.default_language"
FRESH_SECONDS = 5.0


@dataclass(frozen=True)
class CaseLook:
    name: str
    default_language: str


def read_look(app: FastAPI) -> CaseLook:
    """The case's name and default language, as stored (the defaults where nothing is)."""
    with app.state.sessions() as session:
        name = get_setting(session, CASE_NAME) or ""
        lang = get_setting(session, DEFAULT_LANGUAGE)
    return CaseLook(name=name, default_language=lang if lang in LANGUAGES else "en")


def case_look(app: FastAPI) -> CaseLook:
    """:func:`read_look`, kept for ``FRESH_SECONDS`` in this process."""
    kept: tuple[float, CaseLook] | None = getattr(app.state, "case_look", None)
    if kept is not None and time.monotonic() - kept[0] < FRESH_SECONDS:
        return kept[1]
    look = read_look(app)
    app.state.case_look = (time.monotonic(), look)
    return look


def forget_look(app: FastAPI) -> None:
    """After a change: the next page reads the settings again."""
    app.state.case_look = None
