"""Display romanization of Arabic-script names.

Table names (:mod:`.lexicon`) get their usual Latin spelling; other tokens are spelled letter
by letter with a few vowel guesses (``a`` after a first consonant and inside any cluster of three
consonants, ``e`` inside a final pair, ``ai`` for a ي after the first letter). Good enough to
read a list; never used for matching.
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
    """Letter-by-letter spelling of one token, lowercase, with guessed short vowels."""
    out: list[str] = []
    n = len(token)
    run = 0  # consonants written since the last vowel
    for i, ch in enumerate(token):
        last = i == n - 1
        before_vowel = i + 1 < n and token[i + 1] in "اوي"
        if ch == "ا" or (ch == "ع" and (i == 0 or run)):
            out.append("a")
            run = 0
        elif ch == "ع":
            continue
        elif ch in "وي" and (i == 0 or before_vowel):
            out.append("w" if ch == "و" else "y")
            run = 1
        elif ch == "و":
            out.append("o" if last else "ou")
            run = 0
        elif ch == "ي":
            out.append("ai" if i == 1 and not last else "i")
            run = 0
        elif ch == "ه" and last and i > 0:
            out.append("a" if run else "h")
        else:
            if run and (i == 1 or run >= 2):
                out.append("a")
                run = 0
            elif run and last and i >= 2:
                out.append("e")
                run = 0
            out.append(_CONSONANTS.get(ch, ch))
            run += 1
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
