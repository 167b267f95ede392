"""Source URLs: a normalized form for matching, and the platform, post id and account they name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMS = re.compile(r"^(utm_.*|fbclid|gclid|igshid|si|s|ref|ref_src|feature)$")
HOST_PLATFORMS = {
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "fb.watch": "facebook",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "t.me": "telegram",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok",
}


@dataclass(frozen=True)
class SourceUrl:
    """A URL as given, normalized, and what it says about where the item was posted."""

    given: str
    normalized: str
    platform: str | None
    post_id: str | None
    account: str | None


def normalize_url(url: str) -> str:
    """Lower-case scheme and host, drop ``www.``/``m.``, default ports, fragments and trackers."""
    parts = urlsplit(url.strip())
    scheme = (parts.scheme or "https").lower()
    host = (parts.hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = urlencode(
        sorted(
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not TRACKING_PARAMS.match(k)
        )
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def parse_source_url(url: str) -> SourceUrl:
    """Normalize ``url`` and read its platform, post id and account where the pattern is known."""
    normalized = normalize_url(url)
    parts = urlsplit(normalized)
    platform = HOST_PLATFORMS.get(parts.hostname or "")
    segments = [s for s in parts.path.split("/") if s]
    post_id = account = None
    query = dict(parse_qsl(parts.query))
    if platform == "x" and len(segments) >= 3 and segments[1] == "status":
        account, post_id = segments[0], segments[2]
    elif platform == "telegram" and len(segments) >= 2 and segments[-1].isdigit():
        account, post_id = segments[-2], segments[-1]
    elif platform == "youtube":
        post_id = query.get("v") or (segments[-1] if segments else None)
    elif platform in ("instagram", "tiktok", "facebook") and segments:
        account = segments[0].lstrip("@") if platform == "tiktok" else None
        post_id = segments[-1]
    return SourceUrl(url, normalized, platform, post_id, account)
