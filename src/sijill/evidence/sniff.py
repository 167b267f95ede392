"""MIME type from a file's content (its first bytes), never from its name."""

from __future__ import annotations

import filetype  # type: ignore[import-untyped]

TEXT_CONTROL_OK = {9, 10, 12, 13, 27}


def looks_like_text(head: bytes) -> bool:
    """True when the bytes are UTF-8 (a cut last character allowed) without binary controls."""
    if not head:
        return False
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return all(ord(c) >= 32 or ord(c) in TEXT_CONTROL_OK for c in text)


def sniff_mime(head: bytes) -> str:
    """The MIME type of content starting with ``head``; text/plain or octet-stream as fallbacks."""
    kind = filetype.guess(head)
    if kind is not None:
        return str(kind.mime)
    if not head:
        return "application/x-empty"
    if looks_like_text(head):
        stripped = head.lstrip()
        if stripped[:1] in (b"{", b"["):
            return "application/json"
        if stripped[:5].lower() in (b"<!doc", b"<html"):
            return "text/html"
        return "text/plain"
    return "application/octet-stream"
