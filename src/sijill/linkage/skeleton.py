"""A consonant skeleton shared by Arabic-script and Latin spellings of a name (linkage keys).

The skeleton maps each letter (or Latin digraph) to a sound class and drops vowels, hamza and
ʿayn, so that محمد, Mohammad and Muhammad all give ``MHMD`` and شاهين, Shaheen and Chahine give
``XHN``. It is deliberately coarse (حسن and حسين both give ``HSN``; ز, ذ, ض and د share one
class): it serves blocking and one comparison level; finer levels compare the names' own keys.
"""

from __future__ import annotations

import re
import unicodedata

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


def skeleton(word: str | None) -> str:
    """The consonant skeleton of one name (a word or a compound like ``al-Khayer``)."""
    if not word:
        return ""
    text = _strip_marks(word.strip().lower())
    text = text.replace("\u0640", "")  # tatweel
    text = _ARTICLE.sub("", text)
    text = _NON_LETTER.sub("", text)
    out: list[str] = []
    i = 0
    while i < len(text):
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
    # A final H is the Latin spelling of ta marbuta or a silent h (Fatimah / فاطمة).
    if len(out) > 2 and out[-1] == "H":
        out.pop()
    return "".join(out)
