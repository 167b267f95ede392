"""The web application: JSON API under ``/api/`` and server-rendered pages."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sijill import __version__
from sijill.security.ratelimit import LoginLimiter
from sijill.security.sealing import load_key
from sijill.store.engine import get_engine, session_factory
from sijill.store.settings import is_demo
from sijill.web.deps import CsrfFailed, Forbidden, NotAuthenticated
from sijill.web.routes import route_modules
from sijill.web.templating import render

STATIC_DIR = Path(__file__).parent / "static"
log = logging.getLogger("sijill.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class SecurityHeaders:
    """Strict headers on every answer (no framing, no outside scripts, no caching of data),
    and NUL characters refused at the door (no engine stores them in text).

    A plain ASGI middleware: it adds headers as the response starts, without buffering.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        self.static_headers = [h for h in self.headers if h[0] != b"cache-control"]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            response = JSONResponse({"detail": "NUL characters are not allowed"}, 400)
            await response(scope, receive, send)
            return
        extra = self.static_headers if scope["path"].startswith("/static/") else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    h for h in extra if h[0] not in present
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie_secret() -> str:
    """``$SIJILL_SECRET``, else a secret derived from the field key (never stored)."""
    explicit = os.environ.get("SIJILL_SECRET")
    if explicit:
        return explicit
    return hmac.new(load_key(), b"sijill-web-cookies", hashlib.sha256).hexdigest()


def _is_demo(app: FastAPI) -> bool:
    """``$SIJILL_DEMO`` or the case setting ``demo``: mark every page as synthetic data."""
    try:
        with app.state.sessions() as session:
            return is_demo(session)
    except SQLAlchemyError:
        return is_demo(None)


def create_app(database_url: str | None = None, *, https: bool = False) -> FastAPI:
    """Build the app on a case database (default: ``$SIJILL_DATABASE_URL``)."""
    route_errors: dict[str, str] = {}
    modules = route_modules(route_errors)
    app = FastAPI(
        title="Sijill",
        version=__version__,
        description="Sijill (سجل) API: sources, records, persons, imports and exports.",
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN; the schema is enough.
        redoc_url=None,
        # The modules' routes in one flat list, not one included router per module: FastAPI
        # matches included routers twice per request through extra layers (~0.3 ms a request,
        # a fifth of a person's); the routes and the OpenAPI schema are the same.
        routes=[route for module in modules for route in module.router.routes],
    )
    app.state.engine = get_engine(database_url)
    app.state.sessions = session_factory(app.state.engine)
    app.state.https = https
    app.state.secret = _cookie_secret()
    app.state.limiter = LoginLimiter()
    app.state.demo = _is_demo(app)
    app.state.route_errors = route_errors
    for name, error in route_errors.items():
        log.error("web routes %r left out: %s", name, error)
    nav = [item for module in modules for item in getattr(module, "nav", [])]
    app.state.nav = sorted(nav, key=lambda item: item.order)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(SecurityHeaders)
    _add_error_handlers(app)
    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": "Not authenticated"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, _exc: Forbidden) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "Your role does not allow this"}, status_code=403)
        return render(request, "error.html", {"code": 403, "message_key": "core.forbidden"}, 403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) or exc.status_code not in (404, 405):
            return await http_exception_handler(request, exc)
        return render(
            request,
            "error.html",
            {"code": exc.status_code, "message_key": "core.not_found"},
            exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        # The API names the field (422 JSON); a page answers with the error page, in the
        # reader's language and with the demo mark, naming the parameters it could not read.
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        fields = sorted({str(e["loc"][-1]) for e in exc.errors() if e.get("loc")})
        context = {"code": 422, "message_key": "core.bad_request", "fields": fields}
        return render(request, "error.html", context, 422)

    @app.exception_handler(DataError)
    async def bad_value(request: Request, _exc: DataError) -> Response:
        # A value the database cannot hold (e.g. NUL in a form field): the input is wrong.
        return JSONResponse({"detail": "A value could not be stored or compared"}, 422)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, _exc: CsrfFailed) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "Missing or wrong CSRF token"}, status_code=403)
        return render(request, "error.html", {"code": 403, "message_key": "core.csrf"}, 403)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def app_from_environment() -> FastAPI:
    """Factory for uvicorn's workers: ``$SIJILL_DATABASE_URL``, ``$SIJILL_HTTPS``."""
    return create_app(None, https=bool(os.environ.get("SIJILL_HTTPS")))
