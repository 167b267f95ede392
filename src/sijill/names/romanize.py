"""Display romanization of Arabic-script names.

Table names (:mod:`.lexicon`) get their usual Latin spelling; other tokens are spelled letter
by letter with a few vowel guesses (a short ``a`` after a first consonant cluster, ``e`` before
a final consonant pair after a long vowel). Good enough to read a list, never used for matching.
"""

from __future__ import annotations

import re

from sijill.names import lexicon
from sijill.names.arabic import normalize_arabic

_ARABIC = re.compile("[\u0621-\u064a]")

_DISPLAY: dict[str, str] = {}
for _entry in lexicon.entries():
    for _form in _entry.arabic:
        _DISPLAY.setdefault(normalize_arabic(_form), _entry.display)

_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "th",
    "ج": "j",
    "ح": "h",
    "خ": "kh",
    "د": "d",
    "ذ": "dh",
    "ر": "r",
    "ز": "z",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "غ": "gh",
    "ف": "f",
    "ق": "q",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
}
_PARTICLES = {"بن": "bin", "بنت": "bint"}


def _letters(token: str) -> str:
    """Letter-by-letter spelling of one token, lowercase."""
    out: list[str] = []
    n = len(token)
    prev_consonant = False
    for i, ch in enumerate(token):
        last = i == n - 1
        if ch == "ا":
            out.append("a")
            prev_consonant = False
        elif ch == "ع":
            out.append("a" if i == 0 or prev_consonant else "")
            prev_consonant = False
        elif ch == "و":
            if i == 0 or (i + 1 < n and token[i + 1] in "اي"):
                out.append("w")
                prev_consonant = True
            else:
                out.append("ou" if not last else "o")
                prev_consonant = False
        elif ch == "ي":
            if i == 0 or (i + 1 < n and token[i + 1] in "او"):
                out.append("y")
                prev_consonant = True
            else:
                out.append("i")
                prev_consonant = False
        elif ch == "ه" and last and i > 0:
            out.append("a" if prev_consonant else "h")
        else:
            if prev_consonant and i == 1:
                out.append("a")
            elif prev_consonant and last and i >= 2 and token[i - 2] in "اوي":
                out.append("e")
            out.append(_CONSONANTS.get(ch, ch))
            prev_consonant = True
    return "".join(out)


def _title(word: str) -> str:
    return word[:1].upper() + word[1:]


def romanize_token(token: str) -> str:
    """Display spelling of one normalized Arabic-script token."""
    if token in _DISPLAY:
        return _DISPLAY[token]
    if token in _PARTICLES:
        return _PARTICLES[token]
    if token.startswith("ال") and len(token) > 3:
        return "al-" + romanize_token(token[2:])
    if token.startswith("عبدال") and len(token) > 6:
        return "Abdul" + romanize_token(token[5:]).lower()
    if token.startswith("عبد") and len(token) > 4:
        return "Abd " + romanize_token(token[3:])
    if token.startswith("ابو") and len(token) > 4:
        return "Abu " + romanize_token(token[3:])
    if token.endswith("الدين") and len(token) > 6:
        return romanize_token(token[:-5]) + " al-Din"
    if token.endswith("الله") and len(token) > 5:
        return romanize_token(token[:-4]) + "allah"
    return _title(_letters(token))


def romanize(text: str) -> str:
    """Readable Latin spelling of a name written in Arabic script (Latin words are kept).

    >>> romanize("محمد بن علي الحلبي")
    'Mohammad bin Ali al-Halabi'
    """
    if not text:
        return ""
    if not _ARABIC.search(normalize_arabic(text)):
        return " ".join(text.split())
    return " ".join(
        romanize_token(t) if _ARABIC.match(t) else t for t in normalize_arabic(text).split()
    )
