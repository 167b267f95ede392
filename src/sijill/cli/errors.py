"""The one place where the command line turns an error into a message and an exit status.

Every command runs inside :class:`CommandGroup.invoke`, so a command body raises a
:class:`~sijill.errors.SijillError` (or lets a database error through) and never prints a
traceback itself: the user sees one line (or the rows an import refused) on stderr and a
non-zero status. ``SIJILL_DEBUG=1`` adds the traceback, for developers.
"""

from __future__ import annotations

import os
import traceback
from typing import Any

import typer
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from sijill.cli.common import console, fail
from sijill.errors import SijillError

# Exit statuses: 1 for an error in what the user gave or asked; 2 for a fault of ours.
USER_ERROR = 1
INTERNAL_ERROR = 2


def database_message(exc: SQLAlchemyError) -> str:
    """What a database error means for the user, in one line."""
    orig = exc.orig if isinstance(exc, DBAPIError) else None
    detail = (str(orig) if orig is not None else str(exc)).strip().splitlines()[0]
    low = detail.lower()
    if "no such table" in low or ("relation" in low and "does not exist" in low):
        return f"the case database is not initialised or out of date ({detail}): run `sijill init`"
    if "database is locked" in low:
        return "the case database is busy (another process is writing to it); try again later"
    if any(s in low for s in ("could not connect", "connection refused", "unable to open")):
        return f"cannot open the case database ({detail}); check --db or $SIJILL_DATABASE_URL"
    if "nul" in low and ("character" in low or "byte" in low):
        return f"the input holds a NUL byte, which the database cannot store ({detail})"
    return f"the database refused the operation ({detail})"


def _debug() -> bool:
    return os.environ.get("SIJILL_DEBUG", "") not in ("", "0")


class CommandGroup(TyperGroup):
    """The ``sijill`` group: every subcommand's errors end here."""

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except SijillError as exc:
            raise fail(str(exc), USER_ERROR) from None
        except SQLAlchemyError as exc:
            if _debug():
                traceback.print_exc()
            raise fail(database_message(exc), USER_ERROR) from None
        except (OSError, UnicodeError) as exc:
            raise fail(f"{type(exc).__name__}: {exc}", USER_ERROR) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback
            if _debug():
                traceback.print_exc()
            else:
                console.print(
                    "[dim]this is a fault in Sijill, not in your input; "
                    "run again with SIJILL_DEBUG=1 to see where, and report it[/]",
                    highlight=False,
                )
            raise fail(f"unexpected error ({type(exc).__name__}: {exc})", INTERNAL_ERROR) from None
