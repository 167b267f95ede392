"""Could two records be one person? What a record's names, sex and age rule out (pure functions).

A HARD conflict (different sexes, births far apart, two different real names) keeps two records
apart whatever the model says; a SOFT one (a name spelt too differently for a slip of the pen, or
a name that a short record may have put in another place) weighs against them. That is what keeps
namesakes apart: "Ali son of Hassan" and "Ali son of Mahmoud" may each match an "Ali" with no
father's name, but they never end up as one person through it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from sijill.linkage.features import PARTS
from sijill.names.keys import name_key
from sijill.names.lexicon import entries


@dataclass(frozen=True, slots=True)
class Spelling:
    """One name part as the conflict check reads it: key, coarse and fine skeletons, and how
    many name parts of the case have that key (a typo is rare; a real name recurs)."""

    key: str | None
    coarse: str | None
    fine: str | None
    seen: int = 1


@dataclass(frozen=True, slots=True)
class Identity:
    """What the conflict check reads of a record.

    ``short`` marks a name whose parts were read by position from fewer than four words: its
    second word may be the father or the grandfather, and its last the family name or an
    ancestor (the family name left out), so a part that matches the other record's neighbouring
    part is not held against it.
    """

    id: int
    script: str | None
    given: Spelling
    father: Spelling
    grandfather: Spelling
    family: Spelling
    sex: str | None
    birth_year: int | None
    short: bool = False

    @classmethod
    def of(cls, row: dict[str, Any], seen: Mapping[str, int] | None = None) -> Identity:
        """From a comparison row (see `features.comparison_row`); `seen` counts name keys."""

        def part(name: str) -> Spelling:
            key = row[f"k_{name}"]
            count = seen.get(key, 1) if seen is not None and key else 1
            return Spelling(key, row[f"s_{name}"], row[f"f_{name}"], count)

        return cls(
            id=row["unique_id"],
            script=row["script"],
            given=part("given"),
            father=part("father"),
            grandfather=part("grandfather"),
            family=part("family"),
            sex=row["sex"],
            birth_year=row["birth_year"],
            short=bool(row.get("short_name")),
        )


def identities(rows: Sequence[dict[str, Any]]) -> list[Identity]:
    """The identities of comparison rows, each name part knowing how often its key occurs."""
    seen = Counter(row[f"k_{p}"] for row in rows for p in PARTS if row[f"k_{p}"])
    return [Identity.of(row, seen) for row in rows]


# Two records of one person rarely put their births more years apart than this.
MAX_BIRTH_YEAR_GAP = 7


@lru_cache(maxsize=1)
def known_name_keys() -> frozenset[str]:
    """Keys of the names module's table of names: two different ones are two real names."""
    return frozenset(name_key(a) for entry in entries() for a in entry.arabic)


# A known name fifty times rarer in the case than a known name one letter away from it
# is more likely a slip of the pen for that name than another person's name.
TYPO_RARITY = 0.02
# Spellings this far apart (consonant skeletons) are two names, not one name misspelt.
TWO_NAMES_APART = 3

HARD, SOFT = "hard", "soft"
#: Where a part of a short name may really belong in the other record (see `Identity`).
_SHIFTS = {"father": ("grandfather",), "family": ("grandfather", "father"), "grandfather": ()}


def _name_conflict(x: Spelling, y: Spelling, scripts: tuple[str | None, str | None]) -> str | None:
    """Could two spellings be one name? None if so; HARD for two different real names
    (Hassan / Hussein, محمد / محمود); SOFT for two real names that one Latin spelling could
    stand for, or for spellings too far apart for a slip of the pen when one of them is not a
    known name (often a typo: "Ahqad", محممد)."""
    if not x.coarse or not y.coarse or x.key == y.key:
        return None
    known = known_name_keys()
    both_known = x.key in known and y.key in known
    near = Levenshtein.distance(x.coarse, y.coarse) <= 1
    if both_known and near and min(x.seen, y.seen) < TYPO_RARITY * max(x.seen, y.seen):
        return SOFT  # حين beside a hundred حسين: a slip of the pen, not another name
    if x.fine and x.fine == y.fine:
        # One skeleton, two keys: two real names in Arabic script; else a spelling variant.
        return HARD if both_known and scripts[0] == scripts[1] == "arabic" else None
    if both_known:
        # Latin letters do not show which vowels are long: "Samir" may be written for سامر as
        # well as for سمير. Across scripts, one skeleton leaves that doubt open.
        return SOFT if scripts[0] != scripts[1] and x.coarse == y.coarse else HARD
    if near:
        return None
    return HARD if Levenshtein.distance(x.coarse, y.coarse) >= TWO_NAMES_APART else SOFT


def _same_name(x: Spelling, y: Spelling, scripts: tuple[str | None, str | None]) -> bool:
    """Could these be one name (a spelling variant, or one Latin spelling of two names)?"""
    if not (x.coarse and y.coarse):
        return False
    kind = _name_conflict(x, y, scripts)
    return kind is None or (kind == SOFT and scripts[0] != scripts[1] and x.coarse == y.coarse)


def _shifted(x: Identity, y: Identity, part: str, scripts: tuple[str | None, str | None]) -> bool:
    """Does x's `part`, read by position from a short name, match another part of y's?"""
    mine = getattr(x, part)
    return x.short and any(_same_name(mine, getattr(y, p), scripts) for p in _SHIFTS[part])


def _unplaced(x: Identity, y: Identity, part: str) -> bool:
    """Might the differing `part` be a grandfather's name, read by position from a short name,
    beside a record that does not give the grandfather? (Then the two names prove little.)"""
    return part != "grandfather" and (
        (x.short and not y.grandfather.coarse) or (y.short and not x.grandfather.coarse)
    )


def conflict(x: Identity, y: Identity) -> str | None:
    """Why these two records cannot be one person: HARD (different sex, ages far apart, two
    different names), SOFT (a name spelled too differently), or None."""
    if x.sex and y.sex and x.sex != y.sex:
        return HARD
    if x.birth_year is not None and y.birth_year is not None:
        if abs(x.birth_year - y.birth_year) > MAX_BIRTH_YEAR_GAP:
            return HARD
    scripts = (x.script, y.script)
    kinds = {_name_conflict(x.given, y.given, scripts)}
    for part in ("father", "grandfather", "family"):
        kind = _name_conflict(getattr(x, part), getattr(y, part), scripts)
        if not kind or _shifted(x, y, part, scripts) or _shifted(y, x, part, scripts):
            continue
        if kind == HARD and _unplaced(x, y, part):
            kind = SOFT
        kinds.add(kind)
    return HARD if HARD in kinds else SOFT if SOFT in kinds else None
