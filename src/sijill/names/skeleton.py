"""Consonant skeletons: the common ground between an Arabic-script token and its Latin spellings.

Both scripts map onto one small alphabet of consonant classes::

    b  ب (p)      t  ت ث ط (t, th)   j  ج (j, g, dj)   h  ح ه (h)      X  خ (kh)
    d  د ذ ض (d, dh)  r  ر          z  ز ظ (z)       s  س ص (s)      S  ش (sh, ch, sch)
    G  غ (gh)     f  ف (f, ph, v)   k  ق ك (k, q, c, ck)            l  ل   m  م   n  ن

Vowels are dropped (ا ع ء and a e i o u), and so are و/ي (w/y) except at the start of a word,
where they are consonants (يوسف/Yusuf → ``ysf``, وليد/Walid → ``wld``). The LAST letter of a
token is read differently: a final ي/i/y/ee is kept as ``i`` and a final و/u/o/ou as ``u``
(علي/Ali → ``li``; the feminine عليا/Alia → ``l``), a final ه/ح/ا or h/a/e is dropped
(فاطمة/Fatmeh → ``ftm``). Latin doubled letters (shadda) are collapsed before vowels go; in
Arabic only لل is collapsed (عبدالله/Abdullah → ``bdl``), since two written letters are two sounds.

The *long* skeleton of an Arabic token keeps every letter but ع (ا/و/ي as ``a``/``u``/``i``,
no special last letter); it only serves to give distinct keys to table names whose short
skeletons collide (محمد ``mhmd`` / محمود ``mhmud``, علي ``li`` / عليا ``lia``).
"""

from __future__ import annotations

import re

_AR_CONSONANTS = {
    "ب": "b",
    "ت": "t",
    "ث": "t",
    "ط": "t",
    "ج": "j",
    "ح": "h",
    "ه": "h",
    "خ": "X",
    "د": "d",
    "ذ": "d",
    "ض": "d",
    "ر": "r",
    "ز": "z",
    "ظ": "z",
    "س": "s",
    "ص": "s",
    "ش": "S",
    "غ": "G",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "ل": "l",
    "م": "m",
    "ن": "n",
}
_AR_MEDIAL = str.maketrans(_AR_CONSONANTS | {"ا": None, "ع": None, "و": None, "ي": None})
_AR_LONG = str.maketrans(_AR_CONSONANTS | {"ا": "a", "ع": None, "و": "u", "ي": "i"})
_AR_INITIAL = {"و": "w", "ي": "y", "ا": "", "ع": ""}
_AR_FINAL = {"ي": "i", "و": "u", "ه": "", "ح": "", "ا": ""}

_LAT_DIGRAPHS = re.compile(r"sch|sh|ch|kh|gh|th|dh|dj|ph|ck|ou|oo|ee|x|q|c|g|v|p")
_LAT_DIGRAPH_MAP = {
    "sch": "S",
    "sh": "S",
    "ch": "S",
    "kh": "X",
    "gh": "G",
    "th": "t",
    "dh": "d",
    "dj": "j",
    "ph": "f",
    "ck": "k",
    "ou": "u",
    "oo": "u",
    "ee": "i",
    "x": "ks",
    "q": "k",
    "c": "k",
    "g": "j",
    "v": "f",
    "p": "b",
}
_LAT_VOWELS = str.maketrans({c: None for c in "aeiouyw"})
_LAT_FINAL = {"i": "i", "y": "i", "u": "u", "o": "u", "w": "u", "h": "", "a": "", "e": ""}
_LAT_VOWEL_CLASS = str.maketrans({"e": "a", "y": "i", "o": "u", "w": "u"})
_AR_VOWEL_CLASS = str.maketrans({"ا": "a", "ع": None, "و": "u", "ي": "i", "ه": "h", "ح": "h"})
_DOUBLES = re.compile(r"(.)\1+")


def _digraph(match: re.Match[str]) -> str:
    return _LAT_DIGRAPH_MAP[match.group(0)]


def arabic_skeleton(token: str, *, long: bool = False) -> str:
    """Consonant skeleton of one normalized Arabic-script token (see the module docstring)."""
    token = token.replace("لل", "ل")
    if long:
        return token.translate(_AR_LONG)
    if not token:
        return ""
    suffix = _AR_FINAL.get(token[-1])
    if suffix is not None:
        token = token[:-1]
    else:
        suffix = ""
    if not token:
        return suffix
    head = _AR_INITIAL.get(token[0])
    if head is None:
        return token.translate(_AR_MEDIAL) + suffix
    return head + token[1:].translate(_AR_MEDIAL) + suffix


def latin_skeleton(token: str) -> str:
    """Consonant skeleton of one normalized Latin-letter token (see the module docstring)."""
    if token[:2] == "ou" and token[2:3] in ("a", "e", "i", "y"):
        token = "w" + token[2:]  # French spelling: Ouissam, Oualid
    token = _DOUBLES.sub(r"\1", _LAT_DIGRAPHS.sub(_digraph, token))
    if not token:
        return ""
    suffix = _LAT_FINAL.get(token[-1])
    if suffix is not None:
        token = token[:-1]
    else:
        suffix = ""
    if not token:
        return suffix
    if token[0] in ("y", "w"):
        return token[0] + token[1:].translate(_LAT_VOWELS) + suffix
    return token.translate(_LAT_VOWELS) + suffix


def latin_vowel_skeleton(token: str) -> str:
    """Vowel skeleton for Latin tokens without consonants (``Aya``, ``Ayah`` → ``ai``)."""
    while len(token) > 1 and token[-1] in ("a", "e", "h"):
        token = token[:-1]
    return _DOUBLES.sub(r"\1", token.translate(_LAT_VOWEL_CLASS))


def arabic_vowel_skeleton(token: str) -> str:
    """Vowel skeleton for Arabic tokens without consonants (آية → ``ai``, like Aya)."""
    while len(token) > 1 and token[-1] in ("ه", "ح", "ا"):
        token = token[:-1]
    return _DOUBLES.sub(r"\1", token.translate(_AR_VOWEL_CLASS))
