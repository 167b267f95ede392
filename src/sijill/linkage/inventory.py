"""The case's own names: Arabic spellings common enough in its records to be names (pure).

The names table (`sijill.names`) knows some 390 names. A case has others: families' and
villages' own names, rarer given names. What tells a name from a slip of the pen is how often it
is written: a name recurs across records and lists, a slip of a name is rare beside the name it
slips from. A spelling in Arabic script that several records write, and that no spelling one
letter away outnumbers many times over, is taken as a name of the case, so two such spellings
are two names (as two names of the table are), not one name misspelt. Latin spellings are not
learned this way: transliterations of one name (Mohammad, Mohamed) recur as often as names do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from sijill.names.keys import name_tokens, script_of

#: Records that must write a spelling before it may count as a name of the case.
MIN_WRITTEN = 3
#: A spelling that a spelling one letter away outnumbers this many times is a slip of it.
SLIP_RATIO = 10
#: The prefix of a case name's key in a comparison row's ``n_<part>`` (table names have none).
CASE = "case:"


@lru_cache(maxsize=1 << 17)  # a case writes few distinct spellings, each many times
def arabic_spelling(text: str | None) -> str | None:
    """The normalized spelling of a name part written in Arabic script, else None."""
    if not text or script_of(text) != "arabic":
        return None
    return " ".join(name_tokens(text)) or None


def case_names(spellings: Iterable[str]) -> set[str]:
    """The spellings (one per record part written) that are names of the case."""
    written = Counter(spellings)
    common = [s for s, n in written.items() if n >= MIN_WRITTEN]
    near = one_letter_apart(common)
    return {
        spelling
        for spelling in common
        if not any(written[other] >= SLIP_RATIO * written[spelling] for other in near[spelling])
    }


def one_letter_apart(spellings: list[str]) -> dict[str, set[str]]:
    """For each spelling, the others one edit away (a letter changed, added or left out).

    Two spellings one edit apart share a spelling with one letter deleted (or one is the
    other with a letter deleted), so they are only compared within such groups: linear in the
    number of spellings, not quadratic.
    """
    groups: dict[str, set[str]] = defaultdict(set)
    for spelling in spellings:
        groups[spelling].add(spelling)
        for i in range(len(spelling)):
            groups[spelling[:i] + spelling[i + 1 :]].add(spelling)
    near: dict[str, set[str]] = defaultdict(set)
    for group in groups.values():
        for a in group:
            near[a].update(b for b in group if b != a and Levenshtein.distance(a, b) <= 1)
    return near


def mark_case_names(rows: list[dict[str, Any]], spellings: list[dict[str, str | None]]) -> None:
    """Give each row's name parts that are names of the case their ``n_<part>`` key.

    ``spellings[i]`` holds row i's Arabic spelling of each part (see :func:`arabic_spelling`).
    A part the names table already knows keeps the table's names.
    """
    names = case_names(s for parts in spellings for s in parts.values() if s)
    for row, parts in zip(rows, spellings, strict=True):
        for part, spelling in parts.items():
            if spelling in names and not row[f"n_{part}"]:
                row[f"n_{part}"] = CASE + spelling
