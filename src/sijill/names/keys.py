"""PLACEHOLDER — being replaced by the names work. Public interface is fixed:

name_key(text) -> str : script-agnostic key bringing Arabic-script and Latin spellings together.
"""

from __future__ import annotations


def name_key(text: str | None) -> str:
    return " ".join((text or "").lower().split())
