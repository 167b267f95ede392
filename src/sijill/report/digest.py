"""The case's digest and the moment a report describes.

The digest is the SHA-256 of the case's content: every row of every table, in primary-key
order, as canonical JSON. Left out are what changes without the case changing: accounts,
sign-in tokens and failures, the change log (reading protected content adds to it), the jobs
(a report job runs while the report is written), the schema version, and what depends on the
field-encryption key (sealed columns, the blind index), which a key rotation rewrites. The
same case gives the same digest on any machine.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sijill import schema  # noqa: F401  (every capability's tables, for Base.metadata)
from sijill.store.base import Base
from sijill.store.models import ChangeLogEntry

LEFT_OUT_TABLES = frozenset(
    {
        "users",
        "auth_tokens",
        "login_failures",
        "change_log",
        "alembic_version",
        "blind_tokens",
        "jobs",
    }
)
LEFT_OUT_COLUMNS = frozenset({("records", "sealed")})


def case_digest(session: Session) -> str:
    """SHA-256 (hex) of the case's content (see the module's note for what is left out)."""
    digest = hashlib.sha256()
    for table in Base.metadata.sorted_tables:
        if table.name in LEFT_OUT_TABLES:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in LEFT_OUT_COLUMNS]
        order = list(table.primary_key.columns) or columns
        digest.update(f"\x00{table.name}\x00".encode())
        for row in session.execute(select(*columns).order_by(*order)):
            digest.update(json.dumps(list(row), sort_keys=True, default=str).encode())
            digest.update(b"\n")
    return digest.hexdigest()


def described_moment(session: Session) -> datetime | None:
    """The time of the last change the case records (reads left out): the moment the report
    describes."""
    return session.scalar(
        select(func.max(ChangeLogEntry.at)).where(ChangeLogEntry.action != "read")
    )
