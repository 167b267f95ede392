"""Which blocking rules and which prior a case supports, from the columns it actually has.

A list may carry any subset of the standard columns, down to a bare full name, and a case may
hold two records or a million. Every rule is counted on the comparison table before it is used
(exact: the pairs of each group of equal values, nulls never agreeing), so a rule on a column the
case lacks is never used, a rule that would compare too many pairs is tightened, and the prior is
never zero. Pure functions of the comparison table (see `features.comparison_table`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from splink import block_on

GIVEN, FATHER, GRANDFATHER, FAMILY = "s_given", "s_father", "s_grandfather", "s_family"
NAMES = (GIVEN, FATHER, GRANDFATHER, FAMILY)
#: What may join the names in the deterministic rule of the prior, strongest first.
EXTRAS = ("place", "dob", "birth_year", "death_day", GRANDFATHER)
#: Every field a rule may use.
FIELDS = (*NAMES, "place", "district", "dob", "birth_year", "death_day")
#: A field present in at least this share of a source's rows is one that source has.
PRESENT = 0.5
#: Share of true pairs the deterministic rule of the prior is taken to find (as before).
PRIOR_RECALL = 0.6
#: The fixed prior when no deterministic rule finds a pair: half a true pair per record (every
#: record in two lists), i.e. 1 / (n - 1), at most one half.
FALLBACK_MATCHES_PER_RECORD = 0.5
#: Fewer random pairs than this teach nothing of how often strangers agree (they are mostly
#: the true pairs): splink's default u values stand instead of sampled ones.
MIN_PAIRS_FOR_U = 1_000
#: Up to this many records, candidate pairs share two fields; past it, three (see `TEMPLATES`).
LOOSE_BLOCKING_UP_TO = 50_000
_SMALL = (
    (GIVEN, FATHER),
    (GIVEN, FAMILY),
    (FATHER, FAMILY),
    (GIVEN, GRANDFATHER),
    (GRANDFATHER, FAMILY),
    (GIVEN, "place"),
    (FATHER, "place"),
    (FAMILY, "place"),
    ("place", "birth_year"),
    (GIVEN, "district", "birth_year"),
    (GIVEN, "dob"),
    (FAMILY, "dob"),
    (FAMILY, "birth_year"),
    (FAMILY, "district"),
)
_LARGE = (
    (GIVEN, FATHER, FAMILY),
    (GIVEN, FAMILY, "place"),
    (GIVEN, FATHER, "place"),
    (FATHER, FAMILY, "place"),
    (GIVEN, FAMILY, "birth_year"),
    (FATHER, FAMILY, "birth_year"),
    (GIVEN, FAMILY, "death_day"),
    (GIVEN, FATHER, "birth_year"),
    (GIVEN, "place", "birth_year"),
    (FAMILY, "place", "birth_year"),
    (GIVEN, "place", "death_day"),
    (GIVEN, FATHER, GRANDFATHER),
    (GIVEN, "dob"),
    (FAMILY, "dob"),
)


def max_pairs_per_rule(n_records: int) -> int:
    """A rule comparing more pairs than this is tightened with one more field."""
    return max(2_000_000, 20 * n_records)


@dataclass(frozen=True)
class Rule:
    """A blocking rule (records agreeing on every field) and the pairs it compares."""

    fields: tuple[str, ...]
    pairs: int

    def creator(self) -> Any:
        return block_on(*self.fields)

    def as_dict(self) -> dict[str, Any]:
        return {"fields": list(self.fields), "pairs": self.pairs}


@dataclass(frozen=True)
class Plan:
    """What a case supports: the fields it has, the prior and the rules (kept with the run)."""

    records: int
    shares: dict[str, float]
    prior: float
    prior_rule: Rule | None  # None: the fixed prior (no deterministic rule found a pair)
    em_rules: tuple[Rule, ...]
    prediction_rules: tuple[Rule, ...]
    sample_u: bool = True
    em_failed: list[str] = field(default_factory=list)  # filled in by training

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "shares": {k: round(v, 3) for k, v in self.shares.items()},
            "prior": self.prior,
            "prior_rule": self.prior_rule.as_dict() if self.prior_rule else "fixed",
            "em_rules": [r.as_dict() for r in self.em_rules],
            "em_failed": list(self.em_failed),
            "prediction_rules": [r.as_dict() for r in self.prediction_rules],
            "u": "sampled" if self.sample_u else "splink's defaults (a small case)",
        }


def count_pairs(table: pa.Table, fields: tuple[str, ...]) -> int:
    """Exact number of pairs of rows agreeing on every field (a null agrees with nothing)."""
    mask = None
    for name in fields:
        valid = pc.is_valid(table.column(name))
        mask = valid if mask is None else pc.and_(mask, valid)
    rows = table.select(list(fields)).filter(mask) if mask is not None else table
    if rows.num_rows < 2:
        return 0
    sizes = rows.group_by(list(fields)).aggregate([([], "count_all")]).column("count_all")
    counts = sizes.to_numpy().astype("int64")
    return int((counts * (counts - 1) // 2).sum())


def field_shares(table: pa.Table) -> dict[str, float]:
    """Share of rows with a value, per field."""
    n = max(table.num_rows, 1)
    return {f: 1 - table.column(f).null_count / n for f in FIELDS}


def _sources_having(table: pa.Table) -> dict[str, int]:
    """How many sources have each field (in at least `PRESENT` of their rows)."""
    per_source = table.group_by("source_id").aggregate(
        [([], "count_all"), *((f, "count") for f in FIELDS)]
    )
    total = per_source.column("count_all").to_numpy()
    return {
        f: int(((per_source.column(f"{f}_count").to_numpy() / total) >= PRESENT).sum())
        for f in FIELDS
    }


def plan(table: pa.Table) -> Plan:
    """The prior, the training rules and the prediction rules this case supports."""
    n = table.num_rows
    shares = field_shares(table)
    having = _sources_having(table) if n else dict.fromkeys(FIELDS, 0)
    sources = len(pc.unique(table.column("source_id"))) if n else 0
    # A field compares records of two sources only if two sources have it (or there is one).
    shared = {f for f in FIELDS if having[f] >= min(2, sources) and shares[f] > 0}
    budget = max_pairs_per_rule(n)
    counted: dict[tuple[str, ...], int] = {}

    def count(fields: tuple[str, ...]) -> int:
        if fields not in counted:
            counted[fields] = count_pairs(table, fields) if set(fields) <= shared else 0
        return counted[fields]

    names = tuple(f for f in (GIVEN, FATHER, FAMILY) if f in shared) or tuple(
        f for f in NAMES if f in shared
    )
    prior_rule = _prior_rule(names, shared, count)
    total = n * (n - 1) / 2
    if prior_rule is not None:
        prior = min(0.5, prior_rule.pairs / PRIOR_RECALL / total)
    else:
        prior = min(0.5, FALLBACK_MATCHES_PER_RECORD * n / total) if total else 0.5
    em_rules = _em_rules(prior_rule, shared, count, budget)
    templates = _SMALL if n <= LOOSE_BLOCKING_UP_TO else _LARGE
    prediction = _within_budget(templates, shared, count, budget)
    if not prediction:  # the templates need fields this case lacks: names as they are
        loose = [
            c for size in (2, 1) for c in combinations(tuple(f for f in NAMES if f in shared), size)
        ]
        prediction = _within_budget(tuple(loose), shared, count, budget)
    return Plan(
        n, shares, prior, prior_rule, tuple(em_rules), tuple(prediction), total >= MIN_PAIRS_FOR_U
    )


def _prior_rule(names: tuple[str, ...], shared: set[str], count: Any) -> Rule | None:
    """Names and the strongest extra field the case has; names alone if that finds nothing."""
    extra = next((f for f in EXTRAS if f in shared and f not in names), None)
    for fields in ((*names, extra) if extra else None, names):
        if fields and count(fields) > 0:
            return Rule(fields, count(fields))
    return None


def _em_rules(prior_rule: Rule | None, shared: set[str], count: Any, budget: int) -> list[Rule]:
    """EM on the prior's rule, then on the two strongest extras (or two names)."""
    rules = [prior_rule] if prior_rule is not None else []
    extras = tuple(f for f in EXTRAS if f in shared and f != GRANDFATHER)[:2]
    second = extras if len(extras) == 2 else (GIVEN, FAMILY)
    if (prior_rule is None or second != prior_rule.fields) and 0 < count(second) <= budget:
        rules.append(Rule(second, count(second)))
    return rules


def _within_budget(
    candidates: tuple[tuple[str, ...], ...], shared: set[str], count: Any, budget: int
) -> list[Rule]:
    """The candidates that find pairs; one too wide is tightened by the field that keeps the
    most pairs within the budget (dropped if no field brings it within)."""
    rules: list[Rule] = []
    for fields in candidates:
        pairs = count(fields)
        if pairs > budget:
            tighter = [
                (count((*fields, f)), (*fields, f))
                for f in FIELDS
                if f in shared and f not in fields
            ]
            fitting = sorted(((p, fs) for p, fs in tighter if 0 < p <= budget), reverse=True)
            pairs, fields = fitting[0] if fitting else (0, fields)
        if pairs > 0 and all(r.fields != fields for r in rules):
            rules.append(Rule(fields, pairs))
    return rules
