"""Names damaged by PDF extraction, as a whole list damages them (pure functions).

Some lists were extracted from PDFs that write the lam-alef ligature ``لا`` back to front, as
``ال``: ``بلال`` comes out as ``بالل``, ``علاء`` as ``عالء``, ``الاغا`` as ``االغا``. Such a list
does it to every name (and to ``لأ``: ``الأغا`` comes out as ``األغا``), so it is recognised
from the list as a whole: many of its words are no
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

LAM = "ل"
#: Alef and its hamza forms: each makes a lam-alef ligature (لا لأ لإ لآ).
ALEFS = "اأإآ"
BACK_TO_FRONT = "ال"
#: A name part this short is not split off a glued word.
MIN_SPLIT = 3


def _back_to_front_at(word: str) -> list[int]:
    """Where the word has an alef followed by lam (a ligature read back to front?)."""
    return [i for i in range(len(word) - 1) if word[i] in ALEFS and word[i + 1] == LAM]


def _impossible_start(word: str) -> bool:
    """``اال``, ``األ``...: an alef, then a back-to-front ligature; no Arabic word so starts."""
    return len(word) > 3 and word[0] == "ا" and word[1] in ALEFS and word[2] == LAM


def _swap(word: str, i: int) -> str:
    return word[:i] + LAM + word[i] + word[i + 2 :]


def restorations(word: str) -> list[str]:
    """The word with one back-to-front ligature (``ال``, ``أل``...) read the right way round,
    for each (one may be an article: ``عبدالسالم``), then with all of them after the first
    letter."""
    spots = _back_to_front_at(word)
    out = [_swap(word, i) for i in spots]
    inner = [i for i in spots if i >= 1]
    if len(inner) > 1:
        restored = word
        for i in inner:
            restored = _swap(restored, i)
        out.append(restored)
    return out


def _restored_name(word: str) -> str | None:
    return next((r for r in restorations(word) if is_table_name(r)), None)


def _has_ligature(word: str) -> bool:
    return any(word[i] == LAM and word[i + 1] in ALEFS for i in range(1, len(word) - 1))


@lru_cache(maxsize=1 << 16)
def _evidence(word: str) -> int:
    """+1: a word only the restored ligature makes a name; -1: a word written with ``لا``."""
    if _impossible_start(word):
        return 1
    if _has_ligature(word):
        return -1
    if _back_to_front_at(word) and not is_table_name(word):
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
    if _impossible_start(word):
        return "ا" + LAM + word[1] + mend_ligature(word[3:])
    if _back_to_front_at(word) and not is_table_name(word):
        return _restored_name(word) or word
    return word


def ligature_ambiguous(word: str) -> str | None:
    """For a word of such a list that is a name either way (``صالح``: صالح or صلاح), the
    other name; else None."""
    if _back_to_front_at(word[1:]) and is_table_name(word):
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


def drop_repeated_tail(words: list[str]) -> list[str]:
    """A full name whose father's and grandfather's names come again after the family name
    (a PDF line wrapped and repeated, often cut short: ``... الخالدي سعيد خليل الخا``), without
    the repeat."""
    for i in range(3, len(words) - 1):
        nxt, second = words[i + 1], words[2]
        if words[i] == words[1] and (nxt.startswith(second) or second.startswith(nxt)):
            return words[:i]
    return words
