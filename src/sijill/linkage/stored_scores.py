"""The last linkage run's scored pairs, stored so that people can be re-formed later (at another
threshold, or with the review queue decided one way or the other) without scoring again."""

from __future__ import annotations

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sijill.linkage.models import StoredScore
from sijill.linkage.scoring import ScoredPairs

_CHUNK = 10_000


def store_scores(session: Session, pairs: ScoredPairs) -> None:
    """Replace the stored pairs with ``pairs``, a chunk of rows at a time (as Python dicts a row
    takes about 300 bytes: all of a large case's millions of pairs at once would take GBs)."""
    session.execute(delete(StoredScore))
    for start in range(0, len(pairs), _CHUNK):
        chunk = slice(start, start + _CHUNK)
        rows = [
            {"record_a_id": a, "record_b_id": b, "probability": p, "weight": w}
            for a, b, p, w in zip(
                pairs.a[chunk].tolist(),
                pairs.b[chunk].tolist(),
                pairs.probability[chunk].tolist(),
                pairs.weight[chunk].tolist(),
                strict=True,
            )
        ]
        session.execute(insert(StoredScore), rows)


def load_scores(session: Session) -> ScoredPairs:
    """The stored pairs (none before the first run of `sijill link` that stores them)."""
    rows = session.execute(
        select(
            StoredScore.record_a_id,
            StoredScore.record_b_id,
            StoredScore.probability,
            StoredScore.weight,
        ).order_by(StoredScore.record_a_id, StoredScore.record_b_id)
    ).all()
    a = [row[0] for row in rows]
    b = [row[1] for row in rows]
    probability = np.array([row[2] for row in rows], dtype=float)
    weight = np.array([row[3] for row in rows], dtype=float)
    return ScoredPairs.from_columns(a, b, probability, weight)
