"""How real lists damage and respell Arabic names (SYNTHETIC data generation, pure functions).

Each function takes a name as written and returns it as a list that extracted it from a PDF, or
typed it another way, would write it: letters lost or split off, `عبدالله` as `عبد هللا`, a lone
`عبد` glued to the next word, compounds spaced or joined, a final `ى` written `ي` or back.
"""

from __future__ import annotations

import random

from sijill.linkage.lexicon import Spelled

_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
_COMPOUND_TAILS = ("الدين",)
_ARABIC_VARIANTS = (("أ", "ا"), ("إ", "ا"), ("ة", "ه"), ("ى", "ي"), ("ي", "ى"), ("ؤ", "و"))
_ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def arabic_noise(rng: random.Random, text: str, typo_rate: float) -> str:
    """Orthographic variation (hamza, ta marbuta) often; a real typo sometimes."""
    if rng.random() < 0.25:
        a, b = rng.choice(_ARABIC_VARIANTS)
        text = text.replace(a, b)
    if len(text) > 3 and rng.random() < typo_rate:
        i = rng.randrange(1, len(text) - 1)
        op = rng.randrange(3)
        if op == 0:
            text = text[:i] + text[i + 1 :]
        elif op == 1:
            text = text[:i] + rng.choice(_ARABIC_LETTERS) + text[i + 1 :]
        else:
            text = text[:i] + text[i] + text[i:]
    return text


def romanised(rng: random.Random, name: Spelled, scheme: int) -> str:
    """A name in Latin letters as a list writes it: in its own transliteration scheme most of
    the time, else in any of the name's spellings."""
    return name.in_scheme(scheme if rng.random() < 0.7 else rng.randrange(len(name.latin)))


def latin_noise(rng: random.Random, text: str, typo_rate: float) -> str:
    """A typing slip sometimes: a letter lost, doubled, swapped or a vowel changed."""
    if len(text) > 3 and rng.random() < typo_rate:
        i = rng.randrange(1, len(text) - 1)
        op = rng.randrange(4)
        if op == 0:
            text = text[:i] + text[i + 1 :]
        elif op == 1:
            text = text[:i] + text[i] + text[i:]
        elif op == 2:
            text = text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
        else:
            text = text[:i] + rng.choice("aeiou") + text[i + 1 :]
    return text


def lose_letter(word: str) -> str:
    """A PDF extraction drops the last letter: `منير` -> `مني`."""
    return word[:-1] if len(word) > 3 else word


def split_letter(word: str) -> str:
    """A PDF extraction splits the last letter off and loses the hamza: `أمين` -> `امي ن`."""
    if len(word) < 4:
        return word
    word = word.translate(_HAMZA)
    return f"{word[:-1]} {word[-1]}"


def allah_as_extracted(text: str) -> str:
    """`عبدالله` / `عبد الله` as PDF extraction renders the ligature: `عبد هللا`."""
    return text.replace("عبد الله", "عبد هللا").replace("عبدالله", "عبد هللا")


def glue_abd(text: str) -> str:
    """A lone `عبد` glued to the next word: `عبد الكريم` -> `عبدالكريم`."""
    return text.replace("عبد ", "عبد")


def respace_compound(text: str) -> str:
    """`نصر الدين` <-> `نصرالدين`: the compound written the other way."""
    for tail in _COMPOUND_TAILS:
        if f" {tail}" in text:
            return text.replace(f" {tail}", tail)
        if tail in text and not text.startswith(tail):
            return text.replace(tail, f" {tail}")
    return text


def swap_final_ya(text: str) -> str:
    """Final `ى` written `ي` and final `ي` written `ى`, word by word."""
    out = []
    for word in text.split(" "):
        if word.endswith("ى"):
            word = word[:-1] + "ي"
        elif word.endswith("ي") and len(word) > 2:
            word = word[:-1] + "ى"
        out.append(word)
    return " ".join(out)


def ends_in_ya(text: str) -> bool:
    """Whether some word of `text` ends in `ى` or `ي` (so `swap_final_ya` changes it)."""
    return any(w.endswith("ى") or (w.endswith("ي") and len(w) > 2) for w in text.split(" "))


def has_compound(text: str) -> bool:
    return any(tail in text and not text.startswith(tail) for tail in _COMPOUND_TAILS)


def pdf_damage(rng: random.Random, text: str) -> tuple[str, str | None]:
    """Damage a written name the way PDF extraction does; returns it and what was done."""
    if "عبد الله" in text or "عبدالله" in text:
        return allah_as_extracted(text), "pdf_allah"
    if "عبد " in text and rng.random() < 0.5:
        return glue_abd(text), "pdf_glued_abd"
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 3]
    if not candidates:
        return text, None
    i = rng.choice(candidates)
    if rng.random() < 0.5:
        words[i] = lose_letter(words[i])
        return " ".join(words), "pdf_lost_letter"
    words[i] = split_letter(words[i])
    return " ".join(words), "pdf_split_letter"
