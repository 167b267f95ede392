"""drop the change counters: their triggers slowed bulk writes and serialized commits

Revision ID: 0008_drop_change_counters
Revises: 0007_change_counters
"""

import importlib.util
from pathlib import Path

revision = "0008_drop_change_counters"
down_revision = "0007_change_counters"
branch_labels = None
depends_on = None


def _counters_migration():  # type: ignore[no-untyped-def]
    """Migration 0007, whose downgrade drops what it made and whose upgrade makes it again."""
    path = Path(__file__).with_name("0007_change_counters.py")
    spec = importlib.util.spec_from_file_location("sijill_migration_0007", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    _counters_migration().downgrade()


def downgrade() -> None:
    _counters_migration().upgrade()
