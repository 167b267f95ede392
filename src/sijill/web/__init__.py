"""The web edge: FastAPI JSON API under ``/api/`` and server-rendered pages (Jinja2)."""

from sijill.web.app import create_app

__all__ = ["create_app"]
