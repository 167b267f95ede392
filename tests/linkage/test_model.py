"""The linkage model's SQL is right for each engine (checked without starting one)."""

from __future__ import annotations

import pytest

from sijill.linkage.features import comparison_rows, comparison_table
from sijill.linkage.model import settings
from sijill.linkage.rules import plan
from tests.linkage.helpers import named_record


@pytest.mark.parametrize("dialect", ["duckdb", "spark"])
def test_every_level_names_columns_in_the_engines_own_sql(dialect: str) -> None:
    """Spark reads "name" as a string, not a column: a level left in DuckDB's quoting would
    silently never match there."""
    quote = "`" if dialect == "spark" else '"'
    other = '"' if dialect == "spark" else "`"
    table = comparison_table(
        comparison_rows([named_record(1, "Ali Hassan"), named_record(2, "Ali Hasan")])
    )
    for comparison in settings(plan(table)).get_settings(dialect).as_dict()["comparisons"]:
        for level in comparison["comparison_levels"]:
            sql = level["sql_condition"]
            assert other not in sql, sql
            assert sql == "ELSE" or quote in sql, sql
