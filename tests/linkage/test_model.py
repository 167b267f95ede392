"""The linkage model's SQL is right for each engine (checked without starting one)."""

from __future__ import annotations

import pytest

from sijill.linkage.model import settings


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_every_level_names_columns_in_the_engines_own_sql(dialect: str) -> None:
    """Spark reads "name" as a string, not a column: a level left in DuckDB's quoting would
    silently never match there."""
    quote = "`" if dialect == "spark" else '"'
    other = '"' if dialect == "spark" else "`"
    for comparison in settings(0).get_settings(dialect).as_dict()["comparisons"]:
        for level in comparison["comparison_levels"]:
            sql = level["sql_condition"]
            assert other not in sql, sql
            assert sql == "ELSE" or quote in sql, sql
