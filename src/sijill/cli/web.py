"""``sijill serve``: the web app and the API (uvicorn)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from sijill.cli.common import DbOption, console
from sijill.cli.groups import Groups
from sijill.store.engine import get_engine
from sijill.store.migrate import upgrade


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port")] = 8000,
    db: DbOption = None,
    https: Annotated[
        bool, typer.Option("--https", help="Behind TLS: mark cookies Secure on every answer")
    ] = False,
    certfile: Annotated[Path | None, typer.Option("--ssl-certfile", help="Serve TLS")] = None,
    keyfile: Annotated[Path | None, typer.Option("--ssl-keyfile", help="TLS private key")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes")] = 1,
) -> None:
    """Serve the web app and the API on the case database."""
    import uvicorn

    from sijill.web.app import create_app

    engine = get_engine(db)
    upgrade(engine)
    url = engine.url.render_as_string(hide_password=False)
    tls = certfile is not None
    scheme = "https" if tls else "http"
    console.print(f"Sijill at [bold]{scheme}://{host}:{port}/[/] (database {engine.url!r})")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        # X-Forwarded-For is read by the app, from $SIJILL_TRUSTED_PROXIES only
        # (sijill.security.proxies), never rewritten by uvicorn from any local client.
        "proxy_headers": False,
        "ssl_certfile": str(certfile) if certfile else None,
        "ssl_keyfile": str(keyfile) if keyfile else None,
        "log_level": "warning",
    }
    if workers > 1:
        os.environ["SIJILL_DATABASE_URL"] = url
        os.environ["SIJILL_HTTPS"] = "1" if (https or tls) else ""
        # uvicorn's workers each build the app (and open a pool) from the environment; the
        # parent keeps no connection of its own.
        engine.dispose()
        uvicorn.run("sijill.web.app:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(url, https=https or tls), **options)


def register(app: typer.Typer, groups: Groups) -> None:
    app.command("serve")(serve)
