"""Score candidate pairs with splink: train the model without labels, predict, fetch."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from splink import Linker

from sijill.linkage.engines import database_api
from sijill.linkage.model import Training, settings, train

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
class ScoreResult:
    pairs: list[ScoredPair]
    model: dict[str, Any]  # the trained splink model, as splink writes it


def score(rows: list[dict[str, Any]], *, engine: str = "duckdb") -> ScoreResult:
    """Train on `rows` (comparison rows, see `features.comparison_row`) and score pairs."""
    if len(rows) < 2:
        return ScoreResult([], {})
    with database_api(engine) as api:
        table = api.register(rows, table_name="sijill_records")
        linker = Linker(table, settings(), log_level=logging.ERROR)
        train(linker, Training.for_records(len(rows)))
        predictions = linker.inference.predict(threshold_match_probability=KEEP_ABOVE)
        pairs = _fetch(api, predictions, engine)
        model = linker.misc.save_model_to_json()
    pairs.sort(key=lambda p: (p.a, p.b))
    return ScoreResult(pairs, model)


def _fetch(api: Any, predictions: Any, engine: str) -> list[ScoredPair]:
    """Read the scored pairs back fully (DuckDB needs a complete fetch before splink goes on)."""
    columns = "unique_id_l, unique_id_r, match_probability, match_weight"
    if engine == "duckdb":
        result = api.duckdb_con.sql(
            f"SELECT {columns} FROM {predictions.physical_name}"
        ).fetchnumpy()
        rows = zip(
            result["unique_id_l"].tolist(),
            result["unique_id_r"].tolist(),
            result["match_probability"].tolist(),
            result["match_weight"].tolist(),
            strict=True,
        )
    else:
        rows = (
            (r["unique_id_l"], r["unique_id_r"], r["match_probability"], r["match_weight"])
            for r in predictions.as_record_list()
        )
    out = []
    for left, right, probability, weight in rows:
        a, b = (int(left), int(right)) if int(left) < int(right) else (int(right), int(left))
        out.append(ScoredPair(a, b, float(probability), float(weight)))
    return out
