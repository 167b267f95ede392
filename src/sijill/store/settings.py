"""Whether this case is the synthetic demo: every page, export and report must then say so.

The flag is ``$SIJILL_DEMO`` or the case setting ``demo`` (table ``case_settings``, owned by the
security layer's schema); read with plain SQL so the store does not import layers above it.
"""

from __future__ import annotations

import os

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

DEMO_MARK = "synthetic demo data"
DEMO_MARK_AR = "بيانات تجريبية مصطنعة"
_TRUE = ("1", "true", "yes")


def is_demo(session: Session | None = None) -> bool:
    """True for the bundled demo case."""
    if os.environ.get("SIJILL_DEMO", "").lower() in _TRUE:
        return True
    if session is None:
        return False
    try:
        with session.begin_nested():
            value = session.execute(
                text("SELECT value FROM case_settings WHERE key = 'demo'")
            ).scalar()
    except SQLAlchemyError:
        return False
    return (value or "").lower() in _TRUE
