"""The linkage model as data: splink comparisons, blocking rules and training steps.

Written once, engine-neutral: splink turns these into SQL for DuckDB or Spark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator
from splink.internals.exceptions import SplinkException

from sijill.linkage.features import PARTS, SHIFTS
from sijill.linkage.rules import Plan

# How often one person's name part, written in two lists, lands at each level (fixed, not
# learnt): EM left to itself learns that brothers and cousins, who share every name but one,
# are one person. (key, fine, coarse, other Arabic name, Jaro-Winkler, Levenshtein,
# shifted, else.) "Shifted" is a short name (fewer than four words, read by position) whose
# word in this place is the other record's grandfather (or, in the family name's place, its
# father): the list left a name out.
NAME_PART_M = {
    "given": (0.72, 0.1, 0.06, 0.005, 0.05, 0.06, 0.0, 0.005),
    "father": (0.7, 0.1, 0.06, 0.005, 0.05, 0.035, 0.03, 0.02),
    "grandfather": (0.68, 0.1, 0.06, 0.005, 0.05, 0.035, 0.0, 0.07),
    "family": (0.7, 0.1, 0.06, 0.005, 0.05, 0.035, 0.03, 0.02),
}


def _sql_level(condition: str, label: str) -> cll.CustomLevel:
    """A level written in DuckDB's SQL (double-quoted names), translated by splink for Spark,
    which would otherwise read "name" as a string."""
    return cll.CustomLevel(condition, label, base_dialect_str="duckdb")


def _shifted_sql(part: str) -> str:
    def one_way(me: str, other: str) -> str:
        targets = " OR ".join(f'"s_{part}_{me}" = "s_{t}_{other}"' for t in SHIFTS[part])
        return f'("short_name_{me}" AND ({targets}))'

    return f"{one_way('l', 'r')} OR {one_way('r', 'l')}"


def _name_part(part: str) -> cl.CustomComparison:
    """Levels for one name part: names' key, fine then coarse skeleton (shared by both
    scripts), then near spellings, then a short name's word that belongs in another place.
    Two Arabic spellings with one skeleton but different keys are different names
    (محمد / محمود), so that level is kept apart, unless one list writes the lam-alef ligature
    back to front and its word is a name either way (``lig_<part>``: صالح may be صلاح)."""
    k, f, s = f"k_{part}", f"f_{part}", f"s_{part}"
    not_both_arabic = "NOT (\"script_l\" = 'arabic' AND \"script_r\" = 'arabic')"
    levels = [
        cll.ExactMatchLevel(k, term_frequency_adjustments=part != "grandfather"),
        _sql_level(
            f'"{f}_l" = "{f}_r" AND ({not_both_arabic} OR "lig_{part}_l" OR "lig_{part}_r")',
            f"{part}: same fine skeleton",
        ),
        _sql_level(f'"{s}_l" = "{s}_r" AND {not_both_arabic}', f"{part}: same coarse skeleton"),
        _sql_level(f'"{s}_l" = "{s}_r"', f"{part}: same skeleton, other Arabic name"),
        cll.JaroWinklerLevel(k, 0.88),
        cll.LevenshteinLevel(s, 1),
        _sql_level(_shifted_sql(part), f"{part}: in another place of a short name")
        if part in SHIFTS
        else None,
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(s),
            *(
                level.configure(m_probability=m, fix_m_probability=True)
                for level, m in zip(levels, NAME_PART_M[part], strict=True)
                if level is not None
            ),
        ],
    )


def comparisons() -> list[Any]:
    """Every comparison the model makes, most telling first."""
    return [
        *(_name_part(p) for p in PARTS),
        cl.CustomComparison(
            output_column_name="nickname",
            comparison_levels=[
                cll.NullLevel("k_nickname"),
                cll.ExactMatchLevel("k_nickname").configure(m_probability=0.8),
                cll.ElseLevel().configure(m_probability=0.2),
            ],
        ),
        _birth(),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_levels=[
                cll.NullLevel("sex"),
                cll.ExactMatchLevel("sex").configure(m_probability=0.98, fix_m_probability=True),
                cll.ElseLevel().configure(m_probability=0.02, fix_m_probability=True),
            ],
        ),
        cl.CustomComparison(
            output_column_name="death_day",
            comparison_levels=[
                cll.NullLevel("death_day"),
                cll.AbsoluteDifferenceLevel("death_day", 0).configure(
                    m_probability=0.85, fix_m_probability=True
                ),
                cll.AbsoluteDifferenceLevel("death_day", 1).configure(
                    m_probability=0.12, fix_m_probability=True
                ),
                cll.AbsoluteDifferenceLevel("death_day", 3).configure(
                    m_probability=0.02, fix_m_probability=True
                ),
                cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
            ],
        ),
        cl.CustomComparison(
            output_column_name="place",
            comparison_levels=[
                _sql_level(
                    '("place_l" IS NULL OR "place_r" IS NULL) AND '
                    '("district_l" IS NULL OR "district_r" IS NULL)',
                    "place unknown",
                ).configure(is_null_level=True),
                _sql_level('"place_l" = "place_r"', "same place").configure(m_probability=0.85),
                cll.LevenshteinLevel("place", 1).configure(m_probability=0.03),
                _sql_level('"district_l" = "district_r"', "same district").configure(
                    m_probability=0.10
                ),
                cll.ElseLevel().configure(m_probability=0.02),
            ],
        ),
        cl.CustomComparison(
            output_column_name="list",
            comparison_levels=[
                _sql_level('"source_id_l" = "source_id_r"', "same list").configure(
                    m_probability=0.03
                ),
                cll.ElseLevel().configure(m_probability=0.97),
            ],
        ),
    ]


# How often one person's two records land at each level of the birth comparison (fixed):
# the same full date of birth; two different full dates; otherwise the gap in years between
# births (from the dates, else the ages at death, which lists recompute and move by a year
# between releases). Most pairs have no full date on one side, so the gaps' values are those
# of such pairs (as the birth years' were before dates of birth were compared); the dates'
# are those of pairs with a date on both sides. Only each level's m/u counts, so they need
# not sum to one.
BIRTH_M = {
    "same date": 0.7,
    "other date": 0.04,
    "0": 0.45,
    "1": 0.35,
    "3": 0.17,
    "6": 0.02,
    "else": 0.01,
}
_YEARS_APART = 'COALESCE(ABS("birth_year_l" - "birth_year_r"), ABS("age_l" - "age_r"))'


def _birth() -> cl.CustomComparison:
    """Date of birth exact (not a list's default date; with term frequencies), two different
    dates (one person's date of birth rarely changes between lists that both give it), else
    the years between births: same, one, three, six, more."""
    unknown = (
        '("dob_l" IS NULL OR "dob_r" IS NULL) AND '
        '("birth_year_l" IS NULL OR "birth_year_r" IS NULL) AND '
        '("age_l" IS NULL OR "age_r" IS NULL)'
    )
    levels: list[Any] = [
        _sql_level(unknown, "birth unknown").configure(is_null_level=True),
        cll.ExactMatchLevel("dob", term_frequency_adjustments=True).configure(
            m_probability=BIRTH_M["same date"], fix_m_probability=True
        ),
        _sql_level(
            '"dob_l" IS NOT NULL AND "dob_r" IS NOT NULL AND "dob_l" <> "dob_r"',
            "two dates of birth",
        ).configure(m_probability=BIRTH_M["other date"], fix_m_probability=True),
    ]
    for gap in ("0", "1", "3", "6"):
        levels.append(
            _sql_level(f"{_YEARS_APART} <= {gap}", f"births {gap} years apart").configure(
                m_probability=BIRTH_M[gap], fix_m_probability=True
            )
        )
    levels.append(cll.ElseLevel().configure(m_probability=BIRTH_M["else"], fix_m_probability=True))
    return cl.CustomComparison(output_column_name="birth", comparison_levels=levels)


def settings(plan: Plan) -> SettingsCreator:
    """The splink settings (deduplication across all lists at once) for a case's `plan`."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=plan.prior,
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=[r.creator() for r in plan.prediction_rules],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=[],
    )


@dataclass(frozen=True)
class Training:
    """How the model is trained without labels (EM), sized for the data."""

    u_max_pairs: float
    em_max_pairs: float | None
    seed: int = 42

    @classmethod
    def for_records(cls, n: int) -> Training:
        if n <= 50_000:
            return cls(u_max_pairs=2e6, em_max_pairs=None)
        return cls(u_max_pairs=1e7, em_max_pairs=2e6)


def train(linker: Any, plan: Plan, training: Training) -> None:
    """u by random sampling (unless the case is too small to tell), m by EM on the plan's
    rules (the prior is the plan's).

    EM that cannot run (no pairs, or a level's m driven to zero on a small case) leaves the
    fixed and starting values standing; the rule is noted in ``plan.em_failed``."""
    if plan.sample_u:
        linker.training.estimate_u_using_random_sampling(
            max_pairs=training.u_max_pairs, seed=training.seed
        )
    for rule in plan.em_rules:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule.creator(), max_pairs=training.em_max_pairs
            )
        except (SplinkException, ValueError) as exc:
            plan.em_failed.append(f"{' & '.join(rule.fields)}: {type(exc).__name__}")
