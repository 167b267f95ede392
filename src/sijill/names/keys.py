"""Name keys: script-agnostic keys bringing an Arabic-script name and its Latin spellings together.

``name_key("محمد بن علي الحموي") == name_key("Mohamed ibn Ali al-Hamawi") == "mhmd li hmi"``.

How a token gets its key:

1. The token is normalized in its own script (:mod:`.arabic`, :mod:`.latin`).
2. If it is a name of the built-in table (:mod:`.lexicon`) — in either script, with or
   without a leading article — it gets that name's key.
3. Otherwise its consonant skeleton (:mod:`.skeleton`) is computed. If table names share
   that skeleton, the token takes the key of the nearest one (edit distance to that name's
   spellings in the token's script); else the skeleton is the key.

Table names get their short skeleton as key, unless two table names share it: then each gets
its *long* skeleton (محمد ``mhmd`` and محمود ``mhmud``; حسن ``hsn``, حسين ``hsin``), and a
later name whose long skeleton is taken gets a ``'`` mark (سعيد ``sid``, سيد ``sid'``). Known
collisions that remain for names outside the table are those of the skeleton itself (two names
differing only in long vowels or in ا/ع/ء), for example عمار/Ammar and عمر/Omar would collide if
they were not in the table.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from sijill.names import lexicon
from sijill.names.arabic import clean_word as clean_arabic
from sijill.names.arabic import join_compounds as join_arabic
from sijill.names.arabic import normalize_arabic
from sijill.names.latin import clean_word as clean_latin
from sijill.names.latin import join_compounds as join_latin
from sijill.names.latin import normalize_latin
from sijill.names.romanize import romanize
from sijill.names.skeleton import (
    arabic_skeleton,
    arabic_vowel_skeleton,
    latin_skeleton,
    latin_vowel_skeleton,
)

__all__ = [
    "arabic_key",
    "is_placeholder",
    "is_table_name",
    "latin_key",
    "name_key",
    "name_tokens",
    "romanize",
    "script_of",
    "token_key",
]

_AR_LETTER = (
    "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08c9\ufb50-\ufdff\ufe70-\ufefc"
)
_ARABIC = re.compile(f"[{_AR_LETTER}]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")

PARTICLES = frozenset({"بن", "بنت", "bin", "bint"})
_AR_ARTICLE = "ال"
_LAT_ARTICLES = ("al", "el")


@dataclass(frozen=True)
class _Name:
    """A table name with normalized spellings and its key."""

    key: str
    arabic: tuple[str, ...]
    latin: tuple[str, ...]
    display: str


def _build() -> tuple[dict[str, _Name], dict[str, _Name], dict[str, list[_Name]]]:
    rows = []
    for entry in lexicon.entries():
        arabic = tuple(dict.fromkeys(normalize_arabic(a) for a in entry.arabic))
        latin = tuple(dict.fromkeys(normalize_latin(v) for v in entry.latin))
        rows.append((arabic, latin, entry.display))
    by_skeleton: dict[str, int] = defaultdict(int)
    for arabic, _, _ in rows:
        by_skeleton[arabic_skeleton(arabic[0])] += 1
    ar_exact: dict[str, _Name] = {}
    lat_exact: dict[str, _Name] = {}
    index: dict[str, list[_Name]] = defaultdict(list)
    used: set[str] = set()
    for arabic, latin, display in rows:
        short = arabic_skeleton(arabic[0])
        if not short:
            key = "~" + arabic_vowel_skeleton(arabic[0])
        elif by_skeleton[short] == 1:
            key = short
        else:
            key = arabic_skeleton(arabic[0], long=True)
        while key in used:  # سعيد and سيد share a long skeleton: the later one gets a mark
            key += "'"
        used.add(key)
        name = _Name(key, arabic, latin, display)
        for form in arabic:
            ar_exact.setdefault(form, name)
            _add(index, arabic_skeleton(form), name)
        for form in latin:
            lat_exact.setdefault(form, name)
            _add(index, latin_skeleton(form), name)
    return ar_exact, lat_exact, dict(index)


def _add(index: dict[str, list[_Name]], skeleton: str, name: _Name) -> None:
    if skeleton and name not in index[skeleton]:
        index[skeleton].append(name)


_AR_EXACT, _LAT_EXACT, _INDEX = _build()


def _is_arabic_token(token: str) -> bool:
    return bool(_ARABIC.match(token))


def script_of(text: str | None) -> str:
    """The script of a name: ``"arabic"``, ``"latin"``, ``"mixed"`` or ``"none"`` (no letters)."""
    if not text:
        return "none"
    arabic = _ARABIC.search(text) is not None
    latin = _LATIN.search(text) is not None
    if arabic and latin:
        return "mixed"
    return "arabic" if arabic else "latin" if latin else "none"


def name_tokens(text: str | None) -> list[str]:
    """Normalized tokens of a name, each in its original script (particles kept)."""
    if not text:
        return []
    words = [t for word in text.split() for t in _clean_word(word)]
    if _LATIN.search(text) is None:
        return join_arabic(words)
    if _ARABIC.search(text) is None:
        return join_latin(words)
    return join_latin(join_arabic(words))


@lru_cache(maxsize=1 << 17)
def _clean_word(word: str) -> tuple[str, ...]:
    """Cleaned sub-tokens of one word, by its script (both cleaners for a mixed word)."""
    if _ARABIC.search(word) is None:
        return clean_latin(word) if _LATIN.search(word) else clean_arabic(word)
    if _LATIN.search(word) is None:
        return clean_arabic(word)
    return tuple(t for part in clean_latin(word) for t in clean_arabic(part))


def _strip_article(token: str) -> str:
    """Drop a leading family-name article unless the token is a table name (``الياس``)."""
    if _is_arabic_token(token):
        if token.startswith(_AR_ARTICLE) and len(token) > 3 and token not in _AR_EXACT:
            return token[2:]
    elif token[:2] in _LAT_ARTICLES and len(token) > 4 and token not in _LAT_EXACT:
        return token[2:]
    return token


def _nearest(token: str, candidates: list[_Name], arabic: bool) -> _Name:
    def distance(name: _Name) -> float:
        forms = name.arabic if arabic else name.latin
        return min(Levenshtein.normalized_distance(token, f) for f in forms)

    return min(candidates, key=distance)


@lru_cache(maxsize=1 << 16)
def _normalized_token_key(token: str) -> str:
    """Key of one token already normalized by :func:`name_tokens`."""
    arabic = _is_arabic_token(token)
    exact = _AR_EXACT if arabic else _LAT_EXACT
    name = exact.get(token)
    if name is None:
        token = _strip_article(token)
        name = exact.get(token)
    if name is not None:
        return name.key
    skeleton = arabic_skeleton(token) if arabic else latin_skeleton(token)
    if not skeleton:
        fallback = arabic_vowel_skeleton(token) if arabic else latin_vowel_skeleton(token)
        return "~" + fallback
    candidates = _INDEX.get(skeleton)
    if not candidates:
        return skeleton
    if len(candidates) == 1:
        return candidates[0].key
    return _nearest(token, candidates, arabic).key


#: A Latin spelling this close to a table spelling of the same skeleton is another way of
#: writing that name (Munzer / Munther), not a slip of the pen (normalized edit distance).
LATIN_VARIANT_DISTANCE = 0.3


def table_names(text: str | None) -> frozenset[str]:
    """The names of the built-in table that `text` may be a spelling of (their keys).

    Each word must be a table name spelt as the table spells it (in Arabic script) or a close
    Latin variant of a table spelling; a Latin spelling may fit several names ("Samir" is
    سمير, and سامر as a transliteration without long-vowel marks writes it), an Arabic one
    only its own. Empty if some word is not a table name: a misspelt name still gets the
    key of the nearest table name (see :func:`token_key`); this tells the two apart.
    """
    tokens = [t for t in name_tokens(text) if t not in PARTICLES]
    per_token = [_table_token_names(t) for t in tokens]
    if not per_token or not all(per_token):
        return frozenset()
    found = {""}
    for names in per_token:
        found = {f"{so_far} {name}".strip() for so_far in found for name in names}
    return frozenset(found)


def is_table_name(text: str | None) -> bool:
    """Is every word of `text` a name of the built-in table (see :func:`table_names`)?"""
    return bool(table_names(text))


@lru_cache(maxsize=1 << 16)
def _table_token_names(token: str) -> frozenset[str]:
    """Keys of the table names one token may spell: its own entry if it is a table spelling,
    and (Latin) every name with a spelling a letter away ("Samir": سمير, and سامر as
    "Samer"), else the nearest names within :data:`LATIN_VARIANT_DISTANCE`."""
    arabic = _is_arabic_token(token)
    exact = _AR_EXACT if arabic else _LAT_EXACT
    token = token if token in exact else _strip_article(token)
    if arabic:
        return frozenset({exact[token].key}) if token in exact else frozenset()
    edits: dict[str, int] = {}
    apart: dict[str, float] = {}
    for name in _INDEX.get(latin_skeleton(token), ()):
        edits[name.key] = min(Levenshtein.distance(token, form) for form in name.latin)
        apart[name.key] = min(Levenshtein.normalized_distance(token, f) for f in name.latin)
    if token in exact:
        edits[exact[token].key] = apart[exact[token].key] = 0
    within_a_letter = frozenset(key for key, n in edits.items() if n <= 1)
    if within_a_letter:
        return within_a_letter
    close = {key: d for key, d in apart.items() if d <= LATIN_VARIANT_DISTANCE}
    return frozenset(key for key, d in close.items() if d == min(close.values()))


def token_key(token: str) -> str:
    """Script-agnostic key of one name token: ``token_key("Muhammad") == token_key("محمد")``.

    A "token" that normalizes to several (``"Abu  Bakr"`` is one, ``"Ali Hassan"`` two) gets
    the space-joined keys of its parts.
    """
    return " ".join(_normalized_token_key(t) for t in name_tokens(token))


_PLACEHOLDER_CORE = frozenset(
    {
        "مجهول",
        "مجهوله",
        "مجهولين",
        "مجهولون",
        "unknown",
        "unidentified",
        "unidentifed",
        "anonymous",
        "unnamed",
        "nameless",
        "none",
        "null",
        "nil",
        "nan",
        "na",
        "n",
        "x",
        "xx",
        "xxx",
        "nn",
        "unk",
        "inconnu",
        "inconnue",
        "tbd",
    }
)
_PLACEHOLDER_NEGATION = frozenset({"غير", "لا", "بدون", "بلا", "no", "not", "without"})
_PLACEHOLDER_NEGATED = frozenset(
    {"معروف", "معروفه", "يعرف", "اسم", "الاسم", "known", "name", "identified", "يوجد"}
)
_PLACEHOLDER_FILLER = frozenset(
    {
        "الهويه",
        "هويه",
        "الاسم",
        "اسم",
        "جثه",
        "جثمان",
        "شهيد",
        "شهيده",
        "ذكر",
        "انثي",
        "طفل",
        "طفله",
        "رجل",
        "امراه",
        "شاب",
        "body",
        "male",
        "female",
        "man",
        "woman",
        "child",
        "boy",
        "girl",
        "person",
        "victim",
        "martyr",
        "a",
        "the",
        "of",
    }
)
_PLACEHOLDER_WORDS = (
    _PLACEHOLDER_CORE | _PLACEHOLDER_NEGATION | _PLACEHOLDER_NEGATED | _PLACEHOLDER_FILLER
)


def _tokens_are_placeholder(tokens: list[str]) -> bool:
    if _PLACEHOLDER_WORDS.isdisjoint(tokens):
        return not tokens or (tokens[0].isdigit() and "".join(tokens).isdigit())
    words = [t for t in tokens if not t.isdigit()]
    if not words:
        return True
    if any(w not in _PLACEHOLDER_WORDS for w in words):
        return False
    present = set(words)
    return bool(present & _PLACEHOLDER_CORE) or bool(
        present & _PLACEHOLDER_NEGATION and present & _PLACEHOLDER_NEGATED
    )


def is_placeholder(text: str | None) -> bool:
    """True for a missing or placeholder name (``مجهول الهوية``, ``unknown``, ``N/A``, ``؟``).

    A placeholder row is an unidentified person: counted, never matched by name.
    """
    return _tokens_are_placeholder(name_tokens(text))


def name_key(text: str | None) -> str:
    """Script-agnostic key of a whole name: token keys in order, particles (bin, ibn, بن) dropped.

    Placeholders and empty names give ``""``.
    """
    tokens = name_tokens(text)
    if _tokens_are_placeholder(tokens):
        return ""
    key = _normalized_token_key
    return " ".join([key(t) for t in tokens if t not in PARTICLES])


def arabic_key(text: str | None) -> str:
    """Normalized Arabic-script tokens (articles and particles dropped); ``""`` if none."""
    tokens = name_tokens(text)
    if _tokens_are_placeholder(tokens):
        return ""
    return " ".join(_strip_article(t) for t in tokens if t not in PARTICLES and _is_arabic_token(t))


def latin_key(text: str | None) -> str:
    """Normalized Latin-letter tokens (articles and particles dropped); ``""`` if none."""
    tokens = name_tokens(text)
    if _tokens_are_placeholder(tokens):
        return ""
    return " ".join(
        _strip_article(t) for t in tokens if t not in PARTICLES and not _is_arabic_token(t)
    )
