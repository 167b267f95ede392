"""Create or upgrade the case schema with Alembic (every capability's branch to its head)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "sijill.store:migrations")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> list[str]:
    """Bring the schema to every head; returns the revisions now applied."""
    cfg = alembic_config(engine)
    command.upgrade(cfg, "heads")
    return current_revisions(engine)


def current_revisions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(MigrationContext.configure(conn).get_current_heads())


def head_revisions(engine: Engine) -> list[str]:
    return sorted(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def schema_version(engine: Engine) -> str:
    """A readable schema version: the applied heads joined by '+'."""
    return "+".join(current_revisions(engine)) or "empty"
