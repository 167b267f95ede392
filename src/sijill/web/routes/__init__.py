"""Route modules, found by discovery: every module here that defines ``router`` is included.

A capability adds ``routes/<capability>.py`` with ``router = APIRouter()`` (and optionally
``nav = [NavItem(...)]`` for the top navigation). Nothing else needs editing; see PLUGGING.md.
Modules are included in name order. A module that fails to import is left out and its error
kept (``create_app`` logs it and keeps it in ``app.state.route_errors``; a test fails on it), so
one broken capability does not take the whole case offline.
"""

from __future__ import annotations

import importlib
import pkgutil
import traceback
from types import ModuleType


def route_modules(errors: dict[str, str] | None = None) -> list[ModuleType]:
    """Every module of this package that exposes a ``router``, in name order.

    Import failures are recorded in ``errors`` (module name → traceback) and skipped.
    """
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module(f"{__name__}.{info.name}")
        except Exception:  # noqa: BLE001 - one broken capability must not stop the others
            if errors is None:
                raise
            errors[info.name] = traceback.format_exc()
            continue
        if hasattr(module, "router"):
            found.append(module)
    return found
