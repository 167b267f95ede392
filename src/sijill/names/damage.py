"""Names damaged by PDF extraction, as a whole list damages them (pure functions).

Some lists were extracted from PDFs that write the lam-alef ligature ``لا`` back to front, as
``ال``: ``بلال`` comes out as ``بالل``, ``علاء`` as ``عالء``, ``الاغا`` as ``االغا``. Such a list
does it to every name, so it is recognised from the list as a whole: many of its words are no
name while the same word with ``لا`` restored is one, and hardly any is written with ``لا``.
Its words are then mended where that is unambiguous (the word as written is not a name of the
names table and the mended one is, or the word begins with ``اال``, which no Arabic word does).
A word that is a name either way (``صالح`` may be صالح or a damaged صلاح) is left as written.

Other lists extracted from PDFs glue two names into one word (``محمدكامل``): a word that is no
name of the table but splits into two that are is split (`split_glued`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sijill.names.keys import is_table_name

LAM_ALEF = "لا"
BACK_TO_FRONT = "ال"
_IMPOSSIBLE_START = "اال"
#: A name part this short is not split off a glued word.
MIN_SPLIT = 3


def restorations(word: str) -> list[str]:
    """The word with one ``ال`` after its first letter read as ``لا``, for each such ``ال``
    (one may be an article: ``عبدالسالم``), then with all of them."""
    spots = [i for i in range(1, len(word) - 1) if word.startswith(BACK_TO_FRONT, i)]
    out = [word[:i] + LAM_ALEF + word[i + 2 :] for i in spots]
    if len(spots) > 1:
        out.append(word[0] + word[1:].replace(BACK_TO_FRONT, LAM_ALEF))
    return out


def _restored_name(word: str) -> str | None:
    return next((r for r in restorations(word) if is_table_name(r)), None)


@lru_cache(maxsize=1 << 16)
def _evidence(word: str) -> int:
    """+1: a word only the restored ligature makes a name; -1: a word written with ``لا``."""
    if word.startswith(_IMPOSSIBLE_START):
        return 1
    if LAM_ALEF in word[1:]:
        return -1
    if BACK_TO_FRONT in word[1:] and not is_table_name(word):
        return 1 if _restored_name(word) else 0
    return 0


def ligature_reversed(words: Iterable[str]) -> bool:
    """Does the list these words come from write ``لا`` as ``ال``?"""
    damaged = clean = 0
    for word in words:
        sign = _evidence(word)
        damaged += sign > 0
        clean += sign < 0
    return damaged >= 3 and damaged > 2 * clean


@lru_cache(maxsize=1 << 16)
def mend_ligature(word: str) -> str:
    """A word of a list that writes ``لا`` as ``ال``, mended where that is unambiguous."""
    if word.startswith(_IMPOSSIBLE_START):
        return BACK_TO_FRONT + LAM_ALEF[1] + mend_ligature(word[3:]) if len(word) > 3 else word
    if BACK_TO_FRONT in word[1:] and not is_table_name(word):
        return _restored_name(word) or word
    return word


def ligature_ambiguous(word: str) -> str | None:
    """For a word of such a list that is a name either way (``صالح``: صالح or صلاح), the
    other name; else None."""
    if BACK_TO_FRONT in word[1:] and is_table_name(word):
        return _restored_name(word)
    return None


#: Words that begin compounds, never a name glued to another.
_PREFIXES = frozenset({"عبد", "ابو", "ام", "بن"})


@lru_cache(maxsize=1 << 16)
def split_glued(word: str) -> tuple[str, ...]:
    """Two names glued into one word, split (``محمدكامل``: محمد, كامل); else the word.

    The word must be no name of the table, and split into two that are, or else into one
    that is and at least three letters beside it, neither a compound's first word (``عبد``)
    nor its second half (``ال...``: ``سعدالله`` stays)."""
    if len(word) < 2 * MIN_SPLIT or is_table_name(word):
        return (word,)
    cuts = [(word[:cut], word[cut:]) for cut in range(MIN_SPLIT, len(word) - MIN_SPLIT + 1)]
    cuts = [(h, t) for h, t in cuts if h not in _PREFIXES and not t.startswith(BACK_TO_FRONT)]
    known = [(is_table_name(h), is_table_name(t)) for h, t in cuts]
    for wanted in ((True, True), (True, False), (False, True)):
        for cut, names in zip(cuts, known, strict=True):
            if names == wanted:
                return cut
    return (word,)
