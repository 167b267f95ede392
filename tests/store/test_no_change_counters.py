"""Migration 0008 drops the change counters of 0007: no table, no trigger on the persons."""

from __future__ import annotations

from sqlalchemy import inspect, text

from sijill.store.engine import get_engine


def test_a_migrated_case_has_no_change_counters(case_url: str) -> None:
    engine = get_engine(case_url)
    assert "change_counters" not in inspect(engine).get_table_names()
    if engine.dialect.name == "postgresql":
        triggers = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'persons'::regclass"
        functions = "SELECT proname FROM pg_proc WHERE proname = 'sijill_count_change'"
    else:
        triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        functions = "SELECT 1 WHERE 0"
    with engine.connect() as conn:
        assert [n for n in conn.execute(text(triggers)).scalars() if "count" in n] == []
        assert conn.execute(text(functions)).all() == []
