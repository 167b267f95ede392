"""A consonant skeleton shared by Arabic-script and Latin spellings of a name (linkage keys).

The skeleton maps each letter (or Latin digraph) to a sound class and drops vowels, hamza and
ʿayn, but marks a final long vowel (after the names module's folding of Arabic spelling
variants, so that a final ى and ي are one letter): محمد, Mohammad and Muhammad all give
``MHMD``; شاهين, Shaheen and Chahine give ``XHN``; علي gives ``LY`` and علاء gives ``LA``.
It is coarse on purpose (حسن and حسين both give ``HSN``; ز, ذ, ض and د share a class): it
serves blocking and tolerant comparison. The *fine* skeleton also marks a long vowel inside
the name once two consonants have passed (حسين, Hussein: ``HSYN``; محمود, Mahmoud:
``MHMWD``), which tells such pairs apart where the spelling shows it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sijill.names.arabic import TABLE as ARABIC_FOLDING

_ARABIC = {
    "ب": "B",
    "ت": "T",
    "ط": "T",
    "ث": "S",
    "س": "S",
    "ص": "S",
    "ج": "J",
    "ح": "H",
    "ه": "H",
    "خ": "C",
    "ك": "K",
    "ق": "K",
    "د": "D",
    "ض": "D",
    "ذ": "D",
    "ز": "D",
    "ظ": "D",
    "ر": "R",
    "ش": "X",
    "غ": "G",
    "ف": "F",
    "ل": "L",
    "م": "M",
    "ن": "N",
}
# Latin digraphs first, then single letters; vowels and semi-vowels are dropped.
_LATIN_DIGRAPHS = (
    ("kh", "C"),
    ("gh", "G"),
    ("sh", "X"),
    ("ch", "X"),
    ("th", "S"),
    ("dh", "D"),
    ("dj", "J"),
    ("ph", "F"),
)
_LATIN = {
    "b": "B",
    "p": "B",
    "t": "T",
    "s": "S",
    "c": "K",
    "j": "J",
    "g": "J",
    "h": "H",
    "k": "K",
    "q": "K",
    "d": "D",
    "z": "D",
    "r": "R",
    "f": "F",
    "v": "F",
    "l": "L",
    "m": "M",
    "n": "N",
    "x": "KS",
}
_ARTICLE = re.compile(r"^(?:(?:al|el|al|ad|ed|as|es|ash|ech|az|ez|ar|er|at|et|an|en)[-\s'’]|ال)")
_NON_LETTER = re.compile(r"[^\w]+")


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LATIN_VOWELS = set("aeiouyw")
_LONG_Y = ("ei", "ay", "ai", "ey", "ee", "ie", "i", "iy", "ea")
_LONG_W = ("ou", "oo", "u", "uu", "ow")


def _vowel_run_marker(run: str) -> str:
    if run in _LONG_Y:
        return "Y"
    if run in _LONG_W:
        return "W"
    return ""


@lru_cache(maxsize=1 << 17)  # a case has few distinct spellings and many records
def skeleton(word: str | None, *, fine: bool = False) -> str:
    """The consonant skeleton of one name (a word or a compound like ``al-Khayer``)."""
    if not word:
        return ""
    raw = word.strip().lower().translate(ARABIC_FOLDING)
    text = _strip_marks(raw)
    text = text.replace("\u0640", "")  # tatweel
    text = _ARTICLE.sub("", text)
    text = _NON_LETTER.sub("", text)
    out: list[str] = []
    consonants = 0
    i = 0
    while i < len(text):
        if fine and consonants >= 2:
            marker, used = _medial_vowel(text, i)
            if used:
                if marker and i + used < len(text) and out[-1] != marker:
                    out.append(marker)
                i += used
                continue
        pair = text[i : i + 2]
        code = next((c for d, c in _LATIN_DIGRAPHS if d == pair), None)
        if code is not None:
            i += 2
        else:
            code = _ARABIC.get(text[i]) or _LATIN.get(text[i], "")
            i += 1
        for letter in code:
            if not out or out[-1] != letter:
                out.append(letter)
                consonants += 1
    # A final H is the Latin spelling of ta marbuta or a silent h (Fatimah / فاطمة).
    if len(out) > 2 and out[-1] == "H":
        out.pop()
    return "".join(out) + _final_vowel(raw, text)


def _medial_vowel(text: str, i: int) -> tuple[str, int]:
    """A long-vowel marker at position i (Arabic ي/و, or a Latin vowel run) and its length."""
    char = text[i]
    if char == "ي":
        return "Y", 1
    if char == "و":
        return "W", 1
    if char in _LATIN_VOWELS:
        j = i
        while j < len(text) and text[j] in _LATIN_VOWELS:
            j += 1
        return _vowel_run_marker(text[i:j]), j - i
    return "", 0


def _final_vowel(raw: str, text: str) -> str:
    """A final long vowel, which tells علي (Ali) from علاء (Alaa) and رامي from ريما.

    ``Y`` for a final ي (or ى, folded into it) / -i / -y / -ee; ``A`` for a final ا ة اء / -a /
    -ah / -é; else none.
    """
    text = text.rstrip("'’ء")
    if not text:
        return ""
    if text[-1] == "ي" or text.endswith(("i", "y", "ee", "ie")):
        return "Y"
    if text[-1] in "اىةه" or text.endswith(("a", "ah")) or raw.endswith("é"):
        return "A"
    return ""
