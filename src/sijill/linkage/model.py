"""The linkage model as data: splink comparisons, blocking rules and training steps.

Written once, engine-neutral: splink turns these into SQL for DuckDB or Spark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on

from sijill.linkage.features import PARTS, SHIFTS

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
    (محمد / محمود), so that level is kept apart."""
    k, f, s = f"k_{part}", f"f_{part}", f"s_{part}"
    not_both_arabic = "NOT (\"script_l\" = 'arabic' AND \"script_r\" = 'arabic')"
    levels = [
        cll.ExactMatchLevel(k, term_frequency_adjustments=part != "grandfather"),
        _sql_level(f'"{f}_l" = "{f}_r" AND {not_both_arabic}', f"{part}: same fine skeleton"),
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
        cl.CustomComparison(
            output_column_name="birth_year",
            comparison_levels=[
                cll.NullLevel("birth_year"),
                cll.AbsoluteDifferenceLevel("birth_year", 1).configure(
                    m_probability=0.8, fix_m_probability=True
                ),
                cll.AbsoluteDifferenceLevel("birth_year", 3).configure(
                    m_probability=0.17, fix_m_probability=True
                ),
                cll.AbsoluteDifferenceLevel("birth_year", 6).configure(
                    m_probability=0.02, fix_m_probability=True
                ),
                cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
            ],
        ),
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


# Up to this many records, every pair sharing two of {given, father, family, place} is
# compared too: cheap on a case of a few villages, and it finds the records whose other parts
# were left out or misspelt. Past it the rules need three agreeing fields.
LOOSE_BLOCKING_UP_TO = 50_000


def prediction_blocking_rules(n_records: int = 0) -> list[Any]:
    """Candidate pairs: three of {given, father, family, place} agreeing, or names and age;
    on a case of at most `LOOSE_BLOCKING_UP_TO` records, two of them, or place and age."""
    if n_records <= LOOSE_BLOCKING_UP_TO:
        return [
            block_on("s_given", "s_father"),
            block_on("s_given", "s_family"),
            block_on("s_father", "s_family"),
            block_on("s_given", "place"),
            block_on("s_father", "place"),
            block_on("s_family", "place"),
            block_on("place", "birth_year"),
            block_on("s_given", "district", "birth_year"),
        ]
    return [
        block_on("s_given", "s_father", "s_family"),
        block_on("s_given", "s_family", "place"),
        block_on("s_given", "s_father", "place"),
        block_on("s_father", "s_family", "place"),
        block_on("s_given", "s_family", "birth_year"),
        block_on("s_father", "s_family", "birth_year"),
        block_on("s_given", "s_family", "death_day"),
        block_on("s_given", "s_father", "birth_year"),
        block_on("s_given", "place", "birth_year"),
        block_on("s_family", "place", "birth_year"),
        block_on("s_given", "place", "death_day"),
    ]


def settings(n_records: int = 0) -> SettingsCreator:
    """The splink settings (deduplication across all lists at once) for `n_records`."""
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=prediction_blocking_rules(n_records),
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


def train(linker: Any, training: Training) -> None:
    """Prior by deterministic rules, u by random sampling, m by EM on two blocking rules."""
    linker.training.estimate_probability_two_random_records_match(
        [block_on("s_given", "s_father", "s_family", "place")], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=training.u_max_pairs, seed=training.seed
    )
    for rule in (
        block_on("s_given", "s_father", "s_family", "place"),
        block_on("place", "birth_year"),
    ):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, max_pairs=training.em_max_pairs
            )
        except ValueError:
            # On a small case EM can drive a level's m to zero, which splink refuses; the
            # starting values (or the other rule's estimates) then stand for that step.
            continue
