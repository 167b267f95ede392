"""Normalization of Latin-letter transliterations of Arabic names.

One job: bring the many ways a name is spelled in Latin letters onto one readable, lowercase
form, so that ``Abd al-Rahman``, ``Abdul Rahman``, ``Abdel-Rahman``, ``Abd-ur-Rahman`` and
``Abdurrahman`` all become ``abdulrahman``. The cross-script key lives in
:mod:`sijill.names.keys`.

Choices:

* Accents are stripped (NFKD); ``ʿ ʾ ' ’ ` ´`` (ayn and hamza marks) are deleted, not spaced.
* A lone Arabizi digit touching a letter becomes a letter: ``7`` → ``h``, ``5`` → ``kh``;
  ``3`` and ``2`` (ayn, hamza) are deleted like the apostrophes. Other digits stay digits.
* ``ibn``/``bin``/``ben``/``bn`` → ``bin``; ``bint``/``bent`` → ``bint`` (kept as tokens; keys
  drop them). ``abu``/``abou``/``abo``/``aboo`` → ``abu`` joined to the next word (``abuzeid``).
* A detached article ``al``/``el`` (also sun-letter forms such as ``ar``, ``as``, ``ad`` before
  a word starting with the same letter) is glued to the next word: ``al-Hamwi`` → ``alhamwi``.
* ``abd`` compounds become ``abdul`` + name without article; ``… al-Din``/``eddine``/``uddin``
  → ``…aldin`` glued to the previous word; ``… allah``/``ullah`` glued to the previous word.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache

_MARKS = "".join(chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn")
_DELETE = _MARKS + "'\u2019\u2018\u02bf\u02be\u02bb\u02bc\u0060\u00b4\u02b9\u02c8\u2032"
_SPECIAL = {
    "ø": "o",
    "Ø": "o",
    "æ": "ae",
    "Æ": "ae",
    "œ": "oe",
    "Œ": "oe",
    "ß": "ss",
    "ł": "l",
    "Ł": "l",
    "đ": "d",
    "Đ": "d",
    "ı": "i",
    "ð": "d",
    "þ": "th",
    "_": " ",
}
TABLE = str.maketrans(_SPECIAL | {c: None for c in _DELETE})
_ASCII_TABLE = str.maketrans(
    {c: None for c in _DELETE if c.isascii()}
    | {c: " " for c in '!"#$%&()*+,-./:;<=>?@[\\]^_{|}~\t\n\r\x0b\x0c'}
)

_NON_WORD = re.compile(r"[^\w]+")
_ARABIZI = re.compile(r"(?<=[a-z])[2357](?![0-9])|(?<![0-9])[2357](?=[a-z])")
_ARABIZI_MAP = {"7": "h", "5": "kh", "3": "", "2": ""}

_BIN = {"ibn": "bin", "bin": "bin", "ben": "bin", "bn": "bin", "ebn": "bin", "ibin": "bin"}
_BINT = {"bint": "bint", "bent": "bint", "binti": "bint"}
_ABU = frozenset({"abu", "abou", "abo", "aboo"})
_ARTICLE = frozenset({"al", "el"})
_ASSIMILATED = re.compile(r"^[aeiu](th|dh|sh|[tdrzsn])$")
_ABD_SPLIT = re.compile(r"^abd(?:(?:ou|u|e|a|o|i)(?:l|(th|dh|sh|[tdrzsn])))?$")
_ABD_GLUED = re.compile(r"^abd(?:ou|u|e|a|o|i)(?:l|(th|dh|sh|[tdrzsn])(?=\1))(?P<rest>[a-z]{2,})$")
_DIN = re.compile(r"(?:ou|[aeiou])(?:l|d)?d(?:ee|i|y)ne?$")
_DIN_TOKEN = re.compile(r"^(?:(?:ou|[aeiou])(?:l|d)?)?d(?:ee|i|y)ne?$")
_ALLAH = frozenset({"allah", "alla", "ullah", "ulla", "ollah", "llah"})
_TRIGGERS = frozenset(_BIN) | frozenset(_BINT) | _ABU | _ARTICLE | _ALLAH


def glued_compound(word: str) -> str:
    """A one-word compound with its article written out (``Saifuddin`` → ``saifaldin``,
    ``Abdurrahman`` → ``abdulrahman``); any other word as it is."""
    canonical = _canonical_word(word.lower())
    return canonical if canonical != word.lower() else word


def compound_tail(word: str) -> bool:
    """Is ``word`` the second half of a compound name, joined to the name before it
    (``al-Din``, ``ud-Din``, ``Eddine``, ``Allah``, ``ullah``)?"""
    plain = re.sub(r"[\s\-'\u2019]", "", word.lower())
    return bool(_DIN_TOKEN.match(plain)) or plain in _ALLAH


def _arabizi(match: re.Match[str]) -> str:
    return _ARABIZI_MAP[match.group(0)]


def _is_article(particle: str, nxt: str) -> bool:
    """True when ``particle`` is the article (plain or sun-letter assimilated) before ``nxt``."""
    if particle in _ARTICLE:
        return bool(nxt)
    m = _ASSIMILATED.match(particle)
    return m is not None and nxt.startswith(m.group(1))


def _strip_article(word: str) -> str:
    """``alrahman`` → ``rahman``, ``allah`` → ``lah``; short words are left alone."""
    return word[2:] if word[:2] in _ARTICLE and len(word) > 3 else word


def _abd_compound(tokens: list[str], i: int) -> tuple[str, int] | None:
    """The ``abd…`` compound starting at ``tokens[i]`` and how many tokens it used, if any."""
    m = _ABD_SPLIT.match(tokens[i])
    if not m or i + 1 >= len(tokens) or not tokens[i + 1][0].isalpha():
        return None
    nxt = tokens[i + 1]
    if m.group(1) and not nxt.startswith(m.group(1)):
        return None
    after = tokens[i + 2] if i + 2 < len(tokens) and tokens[i + 2][0].isalpha() else ""
    if after and _is_article(nxt, after):
        return "abdul" + after, 3
    if tokens[i] == "abd" and nxt[:2] not in _ARTICLE:
        return "abd" + nxt, 2  # "abd rabbo": no article to restore
    return "abdul" + _strip_article(nxt), 2


@lru_cache(maxsize=1 << 16)
def _is_trigger(tok: str) -> bool:
    """Whether a token may start, end or join a compound (the slow path of the joiner)."""
    return (
        tok in _TRIGGERS
        or tok.startswith("abd")
        or bool(_ASSIMILATED.match(tok))
        or bool(_DIN_TOKEN.match(tok))
    )


def join_compounds(tokens: list[str]) -> list[str]:
    """Join particles and compound parts of a Latin-letter name (see the module docstring)."""
    if not any(map(_is_trigger, tokens)):
        return tokens  # clean_word already gave each token its canonical form
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if not _is_trigger(tok):
            out.append(tok)
            i += 1
            continue
        nxt = tokens[i + 1] if i + 1 < n and tokens[i + 1][0].isalpha() else ""
        joinable = bool(out) and out[-1][-1].isalpha()  # may a suffix join the previous word
        if tok in _BIN or tok in _BINT:
            out.append(_BIN.get(tok) or _BINT[tok])
            i += 1
        elif (abd := _abd_compound(tokens, i)) is not None:
            out.append(abd[0])
            i += abd[1]
        elif tok in _ABU and nxt:
            if nxt in _ARTICLE and i + 2 < n and tokens[i + 2][0].isalpha():
                out.append("abual" + tokens[i + 2])
                i += 3
            else:
                out.append("abu" + nxt)
                i += 2
        elif joinable and _is_article(tok, nxt) and _DIN_TOKEN.match(nxt):
            out[-1] += "aldin"
            i += 2
        elif joinable and _DIN_TOKEN.match(tok):
            out[-1] += "aldin"
            i += 1
        elif joinable and tok in _ALLAH and not out[-1].startswith("abd"):
            out[-1] += "allah"
            i += 1
        elif _is_article(tok, nxt):
            out.append("al" + nxt)
            i += 2
        else:
            out.append(tok)
            i += 1
    out = [_canonical_word(tok) for tok in out]
    return join_compounds(out) if len(out) < n else out  # a joined word may join again


@lru_cache(maxsize=1 << 16)
def _canonical_word(tok: str) -> str:
    """Canonical glued word: ``abdurrahman`` → ``abdulrahman``, ``nureddin`` → ``nuraldin``."""
    m = _ABD_GLUED.match(tok)
    if m:
        return "abdul" + m.group("rest")
    m = _DIN.search(tok)
    if m and m.start() >= 2:
        return tok[: m.start()] + "aldin"
    return tok


def _clean(text: str) -> str:
    """Lowercase, strip accents, Arabizi digits to letters, punctuation to spaces."""
    ascii_only = text.isascii()
    if ascii_only:
        text = text.translate(_ASCII_TABLE).lower()
    else:
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        text = text.translate(TABLE)
    if "2" in text or "3" in text or "5" in text or "7" in text:
        text = _ARABIZI.sub(_arabizi, text)
    return text if ascii_only else _NON_WORD.sub(" ", text)


@lru_cache(maxsize=1 << 17)
def clean_word(word: str) -> tuple[str, ...]:
    """Cleaned sub-tokens of one whitespace-free word (cached: words repeat across names)."""
    return tuple(_canonical_word(tok) for tok in _clean(word).split())


def latin_tokens(text: str) -> list[str]:
    """The tokens of :func:`normalize_latin` as a list."""
    if not text:
        return []
    return join_compounds([t for word in text.split() for t in clean_word(word)])


def normalize_latin(text: str) -> str:
    """Canonical lowercase spelling of a Latin-letter name; tokens separated by single spaces.

    >>> normalize_latin("Abd al-Rahman Abou Zeid")
    'abdulrahman abuzeid'
    """
    return " ".join(latin_tokens(text))
