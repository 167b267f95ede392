"""Normalization of Arabic-script names.

One job: turn an Arabic-script name as written in a casualty list into a canonical spelling,
so that orthographic variants (hamza and alef forms, taa marbuta, alef maqsura, diacritics,
tatweel, Persian/Urdu look-alike letters, Arabic-Indic digits, spacing of compound names)
compare equal. The output is still Arabic script and still readable; the script-agnostic key
lives in :mod:`sijill.names.keys`.

Choices:

* ``ى`` folds into ``ي`` and ``ة`` into ``ه`` (lists written in Syria and Egypt mix them freely).
* The isolated hamza ``ء`` is dropped (``علاء`` → ``علا``); seated hamzas fold into their seat.
* ``ابن`` becomes ``بن`` (kept as its own token; keys drop it).
* Compounds are joined into one token: ``عبد X`` (``عبد الله`` → ``عبدالله``), ``ابو X``
  (``أبو زيد`` → ``ابوزيد``), ``X الدين`` (``نور الدين`` → ``نورالدين``), ``X الله``
  (``نصر الله`` → ``نصرالله``) and a detached article ``ال X`` (``آل سعود`` → ``السعود``).
  The article inside a compound is kept; a leading family-name article is removed only in keys.
* Text damaged by PDF extraction is mended: ``هللا`` (``الله`` with its letters reordered,
  also at the end of a word: ``عبدهللا``) becomes ``الله`` (and ``باهلل``, ``بالله``), and a
  letter left alone by a split word (``امي ن``) is joined back to the word before it: no name
  is one letter long.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TATWEEL = "\u0640"

_REMOVE = (
    [TATWEEL]
    + [chr(c) for c in range(0x0610, 0x061B)]  # honorific signs, small high letters
    + [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, hamza marks
    + ["\u0670"]  # superscript alef
    + [chr(c) for c in range(0x06D6, 0x06DD)]  # Quranic annotation signs
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    + [chr(c) for c in range(0x08D3, 0x0900)]  # extended Arabic marks
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
    + ["\u0621"]  # isolated hamza
)

_LETTERS = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0672": "\u0627",
    "\u0673": "\u0627",
    "\u0675": "\u0627",
    "\u0649": "\u064a",  # ى → ي
    "\u0626": "\u064a",  # ئ → ي
    "\u0678": "\u064a",
    "\u06cc": "\u064a",  # Persian ی
    "\u06d0": "\u064a",
    "\u06d2": "\u064a",  # Urdu ے
    "\u0624": "\u0648",  # ؤ → و
    "\u0676": "\u0648",
    "\u0629": "\u0647",  # ة → ه
    "\u06c1": "\u0647",  # Urdu ہ
    "\u06c2": "\u0647",
    "\u06c3": "\u0647",
    "\u06be": "\u0647",  # ھ
    "\u06c0": "\u0647",  # ۀ
    "\u06d5": "\u0647",  # ە
    "\u06a9": "\u0643",  # Persian ک
    "\u06aa": "\u0643",
    "\u06af": "\u0643",  # گ
    "\u067e": "\u0628",  # پ
    "\u0686": "\u062c",  # چ
    "\u0698": "\u0632",  # ژ
    "\u06a4": "\u0641",  # ڤ
    "\u0679": "\u062a",  # ٹ
    "\u0688": "\u062f",  # ڈ
    "\u0691": "\u0631",  # ڑ
}

_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {
    chr(0x06F0 + i): str(i) for i in range(10)
}

_PUNCT_TO_SPACE = {"\u060c": " ", "\u061b": " ", "\u061f": " ", "\u066a": " ", "_": " "}
_PUNCT_TO_SPACE |= {"\u066b": " ", "\u066c": " ", "\u06d4": " "}

TABLE = str.maketrans({c: None for c in _REMOVE} | _LETTERS | _DIGITS | _PUNCT_TO_SPACE)

_NON_WORD = re.compile(r"[^\w]+")

ABD = "عبد"
ABU = "ابو"
ARTICLE = "ال"
BIN = "بن"
_SUFFIX_COMPOUNDS = frozenset({"الدين", "الله"})
#: ... and the same with their last letter lost to a PDF (``عز الدي``): still a compound's end.
_SUFFIX_COMPOUNDS_DAMAGED = frozenset({"الدي", "الل"})
_SON_OF = {"ابن": BIN}
_SUFFIX_ENDS = _SUFFIX_COMPOUNDS | _SUFFIX_COMPOUNDS_DAMAGED
_TRIGGERS = frozenset({ABD, ABU, ARTICLE, *_SUFFIX_ENDS, *_SON_OF})


def _clean(text: str) -> str:
    """NFKC, mark/letter/digit folding and punctuation-to-space, without joining compounds."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _NON_WORD.sub(" ", text.translate(TABLE))


@lru_cache(maxsize=1 << 17)
def clean_word(word: str) -> tuple[str, ...]:
    """Cleaned sub-tokens of one whitespace-free word (cached: words repeat across names)."""
    return tuple(_clean(word).split())


def arabic_tokens(text: str) -> list[str]:
    """The tokens of :func:`normalize_arabic` as a list."""
    if not text:
        return []
    return join_compounds([t for word in text.split() for t in clean_word(word)])


#: Damaged endings and what they stand for (``عبد هللا``, ``بـاهلل`` for بالله).
_DAMAGED_ENDINGS = (("هللا", "الله"), ("هلل", "لله"))


def mend_tokens(tokens: list[str]) -> list[str]:
    """Repair PDF damage (see the module docstring): a split-off letter put back on the word
    before it (``زوج ة`` → ``زوجة``), then damaged endings (``عبد هللا``), so that mending
    what is mended changes nothing."""
    joined: list[str] = []
    for tok in tokens:
        if len(tok) == 1 and joined and not tok.isdigit():
            joined[-1] += tok
        else:
            joined.append(tok)
    return [_mend_ending(tok) for tok in joined]


def _mend_ending(token: str) -> str:
    for damaged, meant in _DAMAGED_ENDINGS:
        if token.endswith(damaged):
            return token[: -len(damaged)] + meant
    return token


def join_compounds(tokens: list[str]) -> list[str]:
    """Join Arabic compound name parts into single tokens (see the module docstring). The
    parts that make a compound are recognised however they are spelt (``الدىن`` with the
    dots of its ya lost, ``عَبد`` with a vowel mark); the tokens keep their spelling."""
    tokens = mend_tokens(tokens)
    folded = [_fold(tok) for tok in tokens]
    if _TRIGGERS.isdisjoint(folded):
        return tokens
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        tok, kind = tokens[i], _SON_OF.get(folded[i], folded[i])
        if kind in _SON_OF.values():
            tok = kind
        if kind in (ABD, ABU, ARTICLE) and i + 1 < n:
            nxt = tokens[i + 1]
            if folded[i + 1] == ARTICLE and i + 2 < n:  # "عبد ال رحمن"
                nxt = nxt + tokens[i + 2]
                i += 1
            tok = tok + nxt
            i += 1
            kind = _fold(tok)  # "ال دين" is "الدين", itself a compound's end
        if kind in _SUFFIX_ENDS and out and _fold(out[-1]) != BIN:
            out[-1] = out[-1] + tok
            i += 1
            continue
        out.append(tok)
        i += 1
    return out


@lru_cache(maxsize=1 << 16)
def _fold(token: str) -> str:
    """A token's letters folded as the names module folds them (to recognise a compound's
    parts however they are spelt)."""
    return token.translate(TABLE)


def normalize_arabic(text: str) -> str:
    """Canonical spelling of an Arabic-script name; tokens separated by single spaces.

    >>> normalize_arabic("عَبْد الله  أبو زيد")
    'عبدالله ابوزيد'
    """
    return " ".join(arabic_tokens(text))
