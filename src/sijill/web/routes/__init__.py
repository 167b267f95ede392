"""Route modules, found by discovery: every module here that defines ``router`` is included.

A capability adds ``routes/<capability>.py`` with ``router = APIRouter()`` (and optionally
``nav = [NavItem(...)]`` for the top navigation). Nothing else needs editing; see PLUGGING.md.
Modules are included in name order; a module that fails to import stops the app from starting.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def route_modules() -> list[ModuleType]:
    """Every module of this package that exposes a ``router``, in name order."""
    found = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "router"):
            found.append(module)
    return found
