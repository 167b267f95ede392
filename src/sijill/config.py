"""Where the case lives: database URL, vault folder, built reports. Read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///sijill.db"


def database_url(explicit: str | None = None) -> str:
    """The database URL: an explicit one, else $SIJILL_DATABASE_URL, else sqlite:///sijill.db."""
    return explicit or os.environ.get("SIJILL_DATABASE_URL") or DEFAULT_DATABASE_URL


def vault_dir(explicit: str | None = None) -> Path:
    """The evidence vault's folder: explicit, else $SIJILL_VAULT, else ./vault."""
    return Path(explicit or os.environ.get("SIJILL_VAULT") or "vault")


def reports_dir() -> Path:
    """The case's built reports, which the web app serves: $SIJILL_REPORT_DIR, else ./report."""
    return Path(os.environ.get("SIJILL_REPORT_DIR") or "report")


def jobs_dir() -> Path:
    """Where jobs write the files they make (a report, a bundle), one folder per job, for
    their owner to download: $SIJILL_JOBS_DIR, else ./jobs."""
    return Path(os.environ.get("SIJILL_JOBS_DIR") or "jobs")
