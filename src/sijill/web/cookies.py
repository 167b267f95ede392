"""Signed cookies: the browser session and the pre-login CSRF token.

Cookies are HttpOnly, SameSite=Lax, and Secure whenever the request came over TLS (directly,
behind a proxy that sets ``X-Forwarded-Proto: https``, or when the app was started with
``https=True``).
"""

from __future__ import annotations

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeSerializer

SESSION_COOKIE = "sijill_session"
LOGIN_CSRF_COOKIE = "sijill_login_csrf"
LANG_COOKIE = "sijill_lang"
DIGITS_COOKIE = "sijill_digits"


def is_secure(request: Request) -> bool:
    """Did this request arrive over TLS (or does the app insist on Secure cookies)?"""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return (
        request.url.scheme == "https"
        or forwarded == "https"
        or bool(getattr(request.app.state, "https", False))
    )


def _serializer(request: Request, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.secret, salt=salt)


def read_signed(request: Request, name: str) -> str | None:
    """The value of a signed cookie, or None if absent or tampered with."""
    raw = request.cookies.get(name)
    if not raw:
        return None
    try:
        value = _serializer(request, name).loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def set_signed(
    request: Request, response: Response, name: str, value: str, *, max_age: int | None = None
) -> None:
    response.set_cookie(
        name,
        _serializer(request, name).dumps(value),
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
    )


def set_plain(request: Request, response: Response, name: str, value: str) -> None:
    """A preference cookie (language, digits): not secret, still HttpOnly and SameSite."""
    response.set_cookie(
        name,
        value,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=is_secure(request),
        path="/",
    )


def clear(response: Response, name: str) -> None:
    response.delete_cookie(name, path="/")
