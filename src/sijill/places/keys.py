"""Comparison keys for place names: admin words and articles off, spelling variants folded.

Place strings differ from personal names in their noise: admin words ("ناحية", "district",
"markaz"), articles ("al-", "el-", "ال"), and many romanizations ("Baniyas", "Banias", "Banyas").
These keys fold that noise; the shared :func:`sijill.names.keys.name_key` adds a
script-agnostic key on top when the names layer provides one.
"""

from __future__ import annotations

import re
import unicodedata

from sijill.names import arabic
from sijill.names.keys import name_key

ARABIC_LETTERS = re.compile("[\u0600-\u06ff]")
_SEPARATORS = re.compile(r"[\s\-_'’‘`ʿʾ.()\[\]\"]+")

# Words that name an admin level or a kind of place, not the place itself.
ADMIN_WORDS_AR = frozenset(
    {"ناحيه", "منطقه", "محافظه", "مركز", "قريه", "بلده", "مدينه", "حي", "مزرعه", "ضيعه"}
)
ADMIN_WORDS_LATIN = frozenset(
    {
        "subdistrict",
        "sub",
        "district",
        "governorate",
        "province",
        "nahiyat",
        "nahiya",
        "nahiyah",
        "nahia",
        "mantiqat",
        "mantika",
        "muhafazat",
        "mohafazat",
        "markaz",
        "center",
        "centre",
        "city",
        "village",
        "town",
        "qaryat",
        "qarya",
        "qaryet",
        "qariyat",
        "neighbourhood",
        "neighborhood",
        "of",
        "de",
        "du",
        "gov",
    }
)
# Words that say "the countryside of": what follows or precedes them is an admin context.
COUNTRYSIDE_AR = frozenset({"ريف"})
COUNTRYSIDE_LATIN = frozenset({"countryside", "rural", "rif", "reef", "outskirts"})
# Words that open a neighbourhood's name (``حي القصور``): the town it is in may follow.
NEIGHBOURHOOD_AR = frozenset({"حي"})
NEIGHBOURHOOD_LATIN = frozenset({"hay", "hayy", "hai", "neighbourhood", "neighborhood", "quarter"})
_LATIN_ARTICLES = ("al", "el", "as", "ash", "ad", "ar", "az", "at", "an", "adh", "ath", "es", "ed")


def is_arabic(text: str) -> bool:
    """True when the text holds any Arabic-script letter."""
    return bool(ARABIC_LETTERS.search(text))


def arabic_tokens(text: str) -> list[str]:
    """Arabic words with diacritics and tatweel off, letter variants folded (the names layer's
    one folding table), article off."""
    folded = text.translate(arabic.TABLE)
    tokens = []
    for word in _SEPARATORS.split(folded):
        word = re.sub(r"[^\u0600-\u06ff0-9]", "", word)
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        if word:
            tokens.append(word)
    return tokens


def latin_tokens(text: str) -> list[str]:
    """Latin words, lower case, accents off, articles (al-, el-, ash-...) off."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    tokens = []
    for word in _SEPARATORS.split(plain):
        word = re.sub(r"[^a-z0-9]", "", word)
        if word and word not in _LATIN_ARTICLES:
            tokens.append(word)
    return tokens


def fold_latin_word(word: str) -> str:
    """One romanized word folded so that common transliteration variants meet.

    ``Baniyas``, ``Banias`` and ``Banyas`` → ``banias``; ``Qardaha``/``Kardahah`` → ``kardaha``.
    """
    w = word
    for old, new in (
        ("ou", "u"),
        ("oo", "u"),
        ("ee", "i"),
        ("ei", "i"),
        ("ai", "ay"),
        ("ph", "f"),
        ("dh", "z"),
        ("th", "t"),
        ("gh", "g"),
        ("kh", "k"),
        ("sh", "s"),
        ("ch", "s"),
        ("q", "k"),
        ("j", "g"),
        ("w", "u"),
        ("e", "a"),
        ("o", "u"),
        ("y", "i"),
    ):
        w = w.replace(old, new)
    w = re.sub(r"(.)\1+", r"\1", w)  # doubled letters
    w = re.sub(r"ia", "a", w) if len(w) > 4 else w  # Baniyas/Banyas
    if len(w) > 3 and w.endswith("h"):
        w = w[:-1]  # Hamah / Hama
    if len(w) > 3 and w.endswith("a"):
        w = w[:-1]  # Tartousa / Tartous: final vowel is unstable
    return w


def place_tokens(text: str) -> list[str]:
    """The words that name the place, in the script of the text, admin words dropped."""
    if is_arabic(text):
        return [t for t in arabic_tokens(text) if t not in ADMIN_WORDS_AR]
    return [t for t in latin_tokens(text) if t not in ADMIN_WORDS_LATIN]


def place_key(text: str) -> str:
    """The key of a place string: ``a:`` + folded Arabic or ``l:`` + folded Latin words."""
    if is_arabic(text):
        return "a:" + " ".join(place_tokens(text))
    return "l:" + " ".join(fold_latin_word(t) for t in place_tokens(text))


def shared_key(text: str) -> str:
    """The names layer's script-agnostic key of the place words (``n:`` prefix)."""
    return "n:" + name_key(" ".join(place_tokens(text)))


def keys_for(text: str) -> list[str]:
    """Every key a place string is looked up by, most specific first, without empty ones."""
    out = []
    for key in (place_key(text), shared_key(text)):
        if key[2:] and key not in out:
            out.append(key)
    return out


def mapping_key(text: str) -> str:
    """The key a remembered manual mapping is stored under (the whole string, lightly folded)."""
    words = arabic_tokens(text) if is_arabic(text) else latin_tokens(text)
    return " ".join(words) or text.strip().lower()
