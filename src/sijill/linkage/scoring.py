"""Score candidate pairs with splink: train the model without labels, predict, fetch."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from splink import Linker

from sijill.linkage.engines import database_api
from sijill.linkage.model import Training, settings, train
from sijill.linkage.rules import Plan, plan

# Pairs below this probability are never kept (neither linked nor reviewed).
KEEP_ABOVE = 0.05


@dataclass(frozen=True)
class ScoredPair:
    """Two records (database ids, a < b) and the model's match probability."""

    a: int
    b: int
    probability: float
    weight: float


@dataclass(frozen=True)
class ScoredPairs:
    """Every kept pair, as columns (compact at a million records)."""

    a: np.ndarray
    b: np.ndarray
    probability: np.ndarray
    weight: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    def within(self, low: float, high: float = 1.01) -> Iterator[ScoredPair]:
        """Pairs with low <= probability < high, strongest first (ties: by record ids)."""
        mask = (self.probability >= low) & (self.probability < high)
        index = np.flatnonzero(mask)
        order = np.lexsort((self.b[index], self.a[index], -self.probability[index]))
        for i in index[order]:
            yield ScoredPair(
                int(self.a[i]), int(self.b[i]), float(self.probability[i]), float(self.weight[i])
            )

    @classmethod
    def from_columns(cls, left: Any, right: Any, probability: Any, weight: Any) -> ScoredPairs:
        left = np.asarray(left, dtype=np.int64)
        right = np.asarray(right, dtype=np.int64)
        return cls(
            a=np.minimum(left, right),
            b=np.maximum(left, right),
            probability=np.asarray(probability, dtype=np.float64),
            weight=np.asarray(weight, dtype=np.float64),
        )


@dataclass(frozen=True)
class ScoreResult:
    pairs: ScoredPairs
    model: dict[str, Any]  # the trained splink model, as splink writes it
    plan: Plan | None  # the prior and rules used (None: fewer than two records)


def score(table: pa.Table, *, engine: str = "duckdb") -> ScoreResult:
    """Train on the comparison rows in `table` (see `features.comparison_table`) and score."""
    if table.num_rows < 2:
        empty = np.zeros(0)
        return ScoreResult(ScoredPairs.from_columns(empty, empty, empty, empty), {}, None)
    rules = plan(table)
    with database_api(engine) as api:
        registered = api.register(_as_input(api, table, engine), table_name="sijill_records")
        linker = Linker(registered, settings(rules), log_level=logging.ERROR)
        train(linker, rules, Training.for_records(table.num_rows))
        predictions = linker.inference.predict(threshold_match_probability=KEEP_ABOVE)
        pairs = _fetch(api, predictions, engine)
        model = linker.misc.save_model_to_json()
    return ScoreResult(pairs, model, rules)


def _as_input(api: Any, table: pa.Table, engine: str) -> Any:
    """The table as the engine takes it: Arrow for DuckDB; for Spark a DataFrame typed from
    the Arrow schema (Spark cannot tell the type of a column no row fills)."""
    if engine == "duckdb":
        return table
    from pyspark.sql.pandas.types import from_arrow_schema

    return api.spark.createDataFrame(table.to_pylist(), schema=from_arrow_schema(table.schema))


def _fetch(api: Any, predictions: Any, engine: str) -> ScoredPairs:
    """Read the scored pairs back fully (DuckDB needs a complete fetch before splink goes on)."""
    columns = ("unique_id_l", "unique_id_r", "match_probability", "match_weight")
    if engine == "duckdb":
        result = api.duckdb_con.sql(
            f"SELECT {', '.join(columns)} FROM {predictions.physical_name}"
        ).fetchnumpy()
        return ScoredPairs.from_columns(*(result[c] for c in columns))
    records = predictions.as_record_list()
    return ScoredPairs.from_columns(*([r[c] for r in records] for c in columns))
