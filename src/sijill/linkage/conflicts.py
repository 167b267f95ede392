"""Could two records be one person? What a record's names, sex and age rule out (pure functions).

A HARD conflict (different sexes, births far apart unless four name parts agree, two
different real names) keeps two records
apart whatever the model says; a SOFT one (a name spelt too differently for a slip of the pen, or
a name that a short record may have put in another place) weighs against them. That is what keeps
namesakes apart: "Ali son of Hassan" and "Ali son of Mahmoud" may each match an "Ali" with no
father's name, but they never end up as one person through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from sijill.linkage.features import NAMES_SEPARATOR, SHIFTS, part_key, word_skeleton
from sijill.names.keys import table_names


@dataclass(frozen=True, slots=True)
class Spelling:
    """One name part as the conflict check reads it: key, coarse and fine skeletons, and the
    names of the names table it may spell, as the table spells them or a close Latin variant
    (`names.keys.table_names`; a misspelt name still gets the nearest table name's key, so
    the key alone cannot tell)."""

    key: str | None
    coarse: str | None
    fine: str | None
    names: frozenset[str] = frozenset()

    @property
    def known(self) -> bool:
        return bool(self.names)

    def other_name(self, other: Spelling) -> bool:
        """Are both table names, and none the one name both may spell?"""
        return self.known and other.known and self.names.isdisjoint(other.names)


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
    age: int | None = None  # at death: compared where a birth year is missing
    dob: int | None = None  # a full date of birth, not a list's default (days since 1970)
    source: int | None = None  # the list it comes from
    relative: str | None = None  # whom a wife's or a mother's relational name names

    @classmethod
    def of(cls, row: dict[str, Any]) -> Identity:
        """From a comparison row (see `features.comparison_row`)."""

        def part(name: str) -> Spelling:
            return Spelling(
                row[f"k_{name}"],
                row[f"s_{name}"],
                row[f"f_{name}"],
                _names(row[f"n_{name}"]),
            )

        return cls(
            id=row["unique_id"],
            script=row["script"],
            given=part("given"),
            father=part("father"),
            grandfather=part("grandfather"),
            family=part("family"),
            sex=row["sex"],
            birth_year=row["birth_year"],
            short=bool(row["short_name"]),
            age=row.get("age"),
            dob=row.get("dob"),
            source=row.get("source_id"),
            relative=row.get("relative"),
        )


@lru_cache(maxsize=1 << 16)
def _names(joined: str | None) -> frozenset[str]:
    """The names of a comparison row's ``n_<part>`` (joined), one set per distinct value."""
    return frozenset(joined.split(NAMES_SEPARATOR)) if joined else frozenset()


def identities(rows: Iterable[dict[str, Any]]) -> list[Identity]:
    """The identities of comparison rows."""
    return [Identity.of(row) for row in rows]


# Two records of one person rarely put their births more years apart than this.
MAX_BIRTH_YEAR_GAP = 7
# Spellings this far apart (consonant skeletons) are two names, not one name misspelt.
TWO_NAMES_APART = 3

#: Two records of one list whose ages are further apart than this are two people.
ONE_LIST_AGE_GAP = 2

HARD, SOFT = "hard", "soft"


def _name_conflict(x: Spelling, y: Spelling, scripts: tuple[str | None, str | None]) -> str | None:
    """Could two spellings be one name? None if so; HARD for two different names of the names
    table, each spelt as the table spells it (Hassan / Hussein, محمد / محمود), or for spellings
    far apart; SOFT for spellings too far apart for a slip of the pen, but not far apart."""
    if not x.coarse or not y.coarse or x.key == y.key:
        return None
    if x.fine and x.fine == y.fine:
        # The same letters: a variant or a slip of the pen (محممد), or a Latin spelling that
        # fits the other name's letters; two names only if both are table names in Arabic.
        return HARD if x.other_name(y) and scripts == ("arabic", "arabic") else None
    if x.other_name(y):
        return HARD
    if x.known and y.known:
        # A Latin spelling that may be either name ("Samir": سمير, or سامر without its marks).
        return None
    distance = Levenshtein.distance(x.coarse, y.coarse)
    if distance <= 1:
        return None
    return HARD if distance >= TWO_NAMES_APART else SOFT


def _shifted(x: Identity, y: Identity, part: str) -> bool:
    """Does x's `part`, read by position from a short name, match another part of y's?"""
    mine = getattr(x, part)
    return x.short and any(
        bool(getattr(y, p).coarse)
        and _name_conflict(mine, getattr(y, p), (x.script, y.script)) is None
        for p in SHIFTS.get(part, ())
    )


def _unplaced(x: Identity, y: Identity, part: str) -> bool:
    """Might the differing `part` be a grandfather's name, read by position from a short name,
    beside a record that does not give the grandfather? (Then the two names prove little.)"""
    if part == "father" and x.short and y.short and bool(x.father.coarse and y.father.coarse):
        return False  # two names of three words: each second word is the father's name
    return part != "grandfather" and (
        (x.short and not y.grandfather.coarse) or (y.short and not x.grandfather.coarse)
    )


#: ... and a child's age is known closer: the gap allowed is this share of the age, at least
#: `MIN_BIRTH_YEAR_GAP` (a list may recompute an age, round a baby's months, or guess a
#: child's age a year or two either way).
BIRTH_YEAR_GAP_SHARE = 0.25
MIN_BIRTH_YEAR_GAP = 3


def _births_apart(x: Identity, y: Identity) -> bool:
    ages = [a for a in (x.age, y.age) if a is not None]
    allowed = MAX_BIRTH_YEAR_GAP
    if ages:
        allowed = max(MIN_BIRTH_YEAR_GAP, min(allowed, round(BIRTH_YEAR_GAP_SHARE * min(ages))))
    if x.birth_year is not None and y.birth_year is not None:
        return abs(x.birth_year - y.birth_year) > allowed
    return x.age is not None and y.age is not None and abs(x.age - y.age) > allowed


def _same(x: Identity, y: Identity, part: str) -> bool:
    """One name in this part of both records (neither leaves it out)?"""
    a, b = getattr(x, part), getattr(y, part)
    return bool(a.key) and a.key == b.key


def _same_full_name(x: Identity, y: Identity) -> bool:
    return all(_same(x, y, p) for p in ("given", "father", "grandfather", "family"))


def conflict(x: Identity, y: Identity) -> str | None:
    """Why these two records cannot be one person: HARD (different sex, ages far apart, two
    different names, or siblings), SOFT (a name spelled too differently), or None.

    Evidence is weighed, not only counted: one exact date of birth (not a list's default) in
    two lists turns a conflict of names into a SOFT one where the given names are a letter or
    two apart (a damaged letter can make one listed name another), and four name parts each
    the same name turn births far apart into a SOFT conflict (an age typed wrong) unless both
    records give a different date of birth. Two records agreeing on father and family (and
    grandfather, where both give one) but not on the given name are brothers or sisters
    (HARD) if they give different dates of birth or come from one list (twins too); two
    records of one list giving two different births are two people (HARD).
    """
    if x.sex and y.sex and x.sex != y.sex:
        return HARD
    scripts = (x.script, y.script)
    kinds = {_name_conflict(x.given, y.given, scripts)}
    if _births_apart(x, y):
        dated = x.dob is not None and y.dob is not None
        kinds.add(SOFT if _same_full_name(x, y) and not dated else HARD)
    one_order = x.source is not None and x.source == y.source  # one list writes names one way
    for part in ("father", "grandfather", "family"):
        kind = _name_conflict(getattr(x, part), getattr(y, part), scripts)
        if not kind:
            continue
        if not one_order and (_shifted(x, y, part) or _shifted(y, x, part)):
            continue
        if kind == HARD and not one_order and _unplaced(x, y, part):
            kind = SOFT
        kinds.add(kind)
    if _siblings(x, y) or _one_list_two_births(x, y) or _other_relative(x, y):
        return HARD
    if HARD in kinds and _damage_outweighed(x, y):
        return SOFT
    return HARD if HARD in kinds else SOFT if SOFT in kinds else None


def _damage_outweighed(x: Identity, y: Identity) -> bool:
    """Records of two lists with one exact date of birth, whose given names are a letter or
    two apart (a damaged letter; Tariq and Mahmoud stay two names). Twins of one list are
    kept apart by `_siblings` first."""
    if x.dob is None or x.dob != y.dob or x.source == y.source or _births_apart(x, y):
        return False
    a, b = x.given.coarse, y.given.coarse
    return not a or not b or Levenshtein.distance(a, b) < TWO_NAMES_APART


def _siblings(x: Identity, y: Identity) -> bool:
    """Different given names, the same parents' names, and either two different dates of
    birth or one list naming both (lists do not write one person's given name two ways)."""
    if not (x.given.key and y.given.key and x.given.key != y.given.key):
        return False
    if not _same_parents(x, y):
        return False
    born_apart = x.dob is not None and y.dob is not None and x.dob != y.dob
    return born_apart or (x.source is not None and x.source == y.source)


def _other_relative(x: Identity, y: Identity) -> bool:
    """The wives of two husbands (or the mothers of two sons) of two different names?"""
    if not x.relative or not y.relative:
        return False
    (kind_x, name_x), (kind_y, name_y) = x.relative.split(":", 1), y.relative.split(":", 1)
    return kind_x == kind_y and (
        _name_conflict(_spelling(name_x), _spelling(name_y), (x.script, y.script)) == HARD
    )


@lru_cache(maxsize=1 << 12)
def _spelling(name: str) -> Spelling:
    """A name read as a comparison row reads a name part."""
    return Spelling(
        part_key(name),
        word_skeleton(name),
        word_skeleton(name, fine=True),
        frozenset(table_names(name)),
    )


def _one_list_two_births(x: Identity, y: Identity) -> bool:
    """Two records of one list with two different dates of birth, or ages more than
    `ONE_LIST_AGE_GAP` years apart: a list does not write one person's birth two ways
    (namesakes of one village are common; a list's own duplicate, from two reports of one
    death, may guess the age a year or two apart)."""
    if x.source is None or x.source != y.source:
        return False
    if x.dob is not None and y.dob is not None:
        return x.dob != y.dob
    return x.age is not None and y.age is not None and abs(x.age - y.age) > ONE_LIST_AGE_GAP


def _same_parents(x: Identity, y: Identity) -> bool:
    """Father and family the same names (and grandfather, where both give one)?"""
    both_grandfathers = bool(x.grandfather.key and y.grandfather.key)
    return (
        _same(x, y, "father")
        and _same(x, y, "family")
        and (not both_grandfathers or _same(x, y, "grandfather"))
    )
