"""PLACEHOLDER — being replaced by the names work. Public interface is fixed:

name_key(text) -> str : script-agnostic key bringing Arabic-script and Latin spellings together.
"""

from __future__ import annotations


def name_key(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def is_placeholder(text: str | None) -> bool:
    return (text or "").strip().lower() in ("", "مجهول", "unknown", "unidentified")


def script_of(text: str | None) -> str:
    if not text:
        return "none"
    return "arabic" if any("\u0600" <= c <= "\u06ff" for c in text) else "latin"
