"""From a stored record to the flat row the linkage model compares (pure functions).

Name parts come from the record's own columns, or, where a list wrote only a full name, from its
tokens by position (given, father, [grandfather,] family). Each part gets the names module's key
(`sijill.names.keys.name_key`, finer) and a consonant skeleton (coarse, shared by both scripts).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import pyarrow as pa

from sijill.linkage.inventory import arabic_spelling, mark_case_names
from sijill.linkage.skeleton import skeleton
from sijill.names.arabic import arabic_tokens, join_compounds, mend_tokens
from sijill.names.damage import (
    drop_repeated_tail,
    ligature_ambiguous,
    ligature_reversed,
    mend_ligature,
    split_glued,
)
from sijill.names.keys import name_key, script_of, table_names
from sijill.names.latin import compound_tail, glued_compound
from sijill.names.sex import sex_of_given_name
from sijill.places import keys as place_words
from sijill.places.matching import split_place_string

PARTS = ("given", "father", "grandfather", "family")
#: Between the table names a name part may spell, in its row's ``n_<part>`` (one string).
NAMES_SEPARATOR = " | "
#: A short name (fewer than four words, read by position) may have left a name out: its word
#: in the father's place may be the grandfather's name, its last word the father's or the
#: grandfather's rather than the family name.
SHIFTS = {"father": ("grandfather",), "family": ("father", "grandfather")}
_SPLIT = re.compile(r"[\s,،]+")
_PARTICLES = {
    "al",
    "el",
    "ال",
    "abu",
    "abou",
    "abo",
    "أبو",
    "ابو",
    "abd",
    "abdul",
    "abdel",
    "abdal",
    "abdoul",
    "abi",
    "أبي",
    "عبد",
    "bin",
    "ibn",
    "بن",
}
_CONNECTIVES = {"bin", "ibn", "بن", "son", "of"}
_EPOCH = date(1970, 1, 1)
_ABU = {"أبو": "ابو", "إبن": "ابن", "أبن": "ابن"}  # the compounds' first words as joined


def name_words(text: str | None, *, mend: bool = False) -> list[str]:
    """Words of a name, keeping articles and particles with the word they belong to; Arabic
    script joined and mended as the names module joins compounds and mends PDF damage
    (`sijill.names.arabic.join_compounds`, spelling left as written), and with `mend`, the
    lam-alef ligature its list writes back to front restored
    (`sijill.names.damage.mend_ligature`)."""
    words = [w for w in _SPLIT.split((text or "").strip()) if w]
    if text and script_of(text) == "arabic":
        words = [_ABU.get(w, w) for w in words]
        words = [w for w in join_compounds(words) if w not in _CONNECTIVES]
        return [mend_ligature(w) for w in words] if mend else words
    merged: list[str] = []
    pending = ""
    for word in words:
        low = word.lower()
        if low in _CONNECTIVES:
            continue
        if low in _PARTICLES:
            pending = f"{pending} {word}".strip()
            continue
        word = f"{pending} {word}".strip() if pending else glued_compound(word)
        pending = ""
        if merged and compound_tail(word) and not merged[-1].lower().startswith("abd"):
            merged[-1] = f"{merged[-1]} {word}"  # "Nasr al-Din", "Saif ud-Din": one name
        else:
            merged.append(word)
    if pending:
        merged.append(pending)
    return merged


def full_name_words(full_name: str | None, *, mend: bool = False) -> list[str]:
    """The words of a full name, two names glued into one word (in any place but the last,
    where family names are) split apart (`sijill.names.damage.split_glued`), and a repeat of
    the father's and grandfather's names after the family name dropped."""
    words = name_words(full_name, mend=mend)
    if len(words) < 2 or script_of(full_name) != "arabic":
        return words
    words = drop_repeated_tail(words)
    return [piece for w in words[:-1] for piece in split_glued(w)] + words[-1:]


def split_parts(full_name: str | None, *, mend: bool = False) -> dict[str, str | None]:
    """Name parts by position: given, father, [grandfather,] family."""
    words = full_name_words(full_name, mend=mend)
    parts: dict[str, str | None] = dict.fromkeys(PARTS)
    if not words:
        return parts
    parts["given"] = words[0]
    if len(words) == 2:
        parts["family"] = words[1]
    elif len(words) == 3:
        parts["father"], parts["family"] = words[1], words[2]
    elif len(words) >= 4:
        parts["father"], parts["grandfather"] = words[1], words[2]
        # A fifth word is a great-grandfather or the first of two family words: the last
        # word is the family name either way.
        parts["family"] = words[-1]
    return parts


@lru_cache(maxsize=1 << 17)
def word_skeleton(text: str | None, *, fine: bool = False) -> str | None:
    """The skeleton of a (possibly compound) name part; None when nothing is left."""
    key = "".join(skeleton(w, fine=fine) for w in name_words(text))
    return key or None


@lru_cache(maxsize=1 << 17)
def place_key(text: str | None) -> str | None:
    """A script-agnostic key of a place name, ignoring words such as "district" or منطقة.

    Place names' vowels and endings move more between spellings than persons' names do: a
    final vowel or h is dropped from each word (جبلة / Jableh, الحفة / Haffeh, صدى / Sada), and
    the t of a word that leads another (خربة تأليف / Khirbat Ta'lif)."""
    words = [w for w in name_words(text) if not _kind_of_place(w)]
    keys = [k for k in (skeleton(w) for w in words) if k]
    folded = [
        (k.rstrip("AYWH").rstrip("T") if i < len(keys) - 1 else k.rstrip("AYWH")) or k
        for i, k in enumerate(keys)
    ]
    return " ".join(folded) or None


_KINDS_AR = place_words.ADMIN_WORDS_AR | place_words.NEIGHBOURHOOD_AR
_KINDS_LATIN = place_words.ADMIN_WORDS_LATIN | place_words.NEIGHBOURHOOD_LATIN


def _kind_of_place(word: str) -> bool:
    """A word that says what kind of place follows (قرية, Qaryat, district, حي), not which."""
    if place_words.is_arabic(word):
        tokens = place_words.arabic_tokens(word)
        return bool(tokens) and all(t in _KINDS_AR for t in tokens)
    tokens = place_words.latin_tokens(word)
    return bool(tokens) and all(t in _KINDS_LATIN for t in tokens)


@dataclass(frozen=True)
class PlaceFields:
    """What a record says of where: the village or town (a neighbourhood's town where the
    record names both), the area around it, and the neighbourhood if it names one."""

    place: str | None
    district: str | None
    neighbourhood: str | None


@lru_cache(maxsize=1 << 16)
def place_fields(place_of_death: str | None, district: str | None) -> PlaceFields:
    """Keys of a record's place at one grain, whatever the list wrote: ``X - Y`` (the place
    and its area), ``ريف X`` / ``X countryside`` (only the area is known), a neighbourhood
    ``حي X`` alone or with its town (`sijill.places.matching.split_place_string`)."""
    if not place_of_death or not place_of_death.strip():
        return PlaceFields(None, place_key(district), None)
    split = split_place_string(place_of_death)
    primary, context = split.primary, list(split.context)
    hood = None
    if split.neighbourhood:
        hood = place_key(primary)
        if context:  # "حي القصور - بانياس": the town is the place
            primary = context.pop(0)
    area = district if district and district.strip() else (context[0] if context else None)
    return PlaceFields(place_key(primary), place_key(area), hood)


_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,
        "'": None,
        "’": None,
        "-": " ",
    }
)
_HARAKAT = re.compile("[\u064b-\u0652\u0670]")


@lru_cache(maxsize=1 << 17)
def part_key(text: str | None) -> str | None:
    """The names module's key of a name part, after folding Arabic spelling variants."""
    if not text:
        return None
    return name_key(_HARAKAT.sub("", text.translate(_FOLD))) or None


@dataclass(frozen=True)
class RecordFacts:
    """What the linkage reads of one record (a plain value, independent of the database)."""

    id: int
    source_id: int
    full_name: str | None
    given_name: str | None
    father_name: str | None
    grandfather_name: str | None
    family_name: str | None
    nickname: str | None
    sex: str | None
    age_min: int | None
    age_max: int | None
    birth_year: int | None
    death_start: date | None
    death_end: date | None
    place_of_death: str | None
    district: str | None
    governorate: str | None
    date_of_birth: str | None = None  # ISO, possibly partial (YYYY or YYYY-MM)
    source_year: int | None = None  # the year its list was published, if it says


def age_at_death(facts: RecordFacts) -> int | None:
    """The (middle) age a record gives; None for none, or a range too wide to compare."""
    low = facts.age_min if facts.age_min is not None else facts.age_max
    high = facts.age_max if facts.age_max is not None else facts.age_min
    if low is None or high is None or high - low > 10:  # "adult" says too little
        return None
    return (low + high) // 2


def birth_year_estimate(facts: RecordFacts, age: int | None = None) -> int | None:
    """A birth year: from the date of birth, else the record's own, else the year of death
    (the record's, else its list's) less the age; None when no year of death is known."""
    if facts.date_of_birth and facts.date_of_birth[:4].isdigit():
        return int(facts.date_of_birth[:4])
    if facts.birth_year is not None:
        return facts.birth_year
    year = facts.death_start.year if facts.death_start else facts.source_year
    return year - age if year is not None and age is not None else None


def birth_day(text: str | None) -> int | None:
    """A full ISO date of birth as days since 1970 (partial dates say only a year)."""
    if not text or len(text) != 10:
        return None
    try:
        return (date.fromisoformat(text) - _EPOCH).days
    except ValueError:
        return None


def name_parts(
    facts: RecordFacts, *, mend: bool = False, family_first: bool = False
) -> tuple[dict[str, str | None], bool]:
    """A record's name parts (its own columns, else its full name read by position, in the
    order its list writes names: `ordered_full_name`), and whether they were read from a
    short full name (see `comparison_row`); with `mend`, the words of a list that writes the
    lam-alef ligature back to front are mended."""
    given = {
        "given": facts.given_name,
        "father": facts.father_name,
        "grandfather": facts.grandfather_name,
        "family": facts.family_name,
    }
    if any(given.values()):
        if mend:
            given = {k: " ".join(name_words(v, mend=True)) if v else v for k, v in given.items()}
        return given, False
    relational = relational_parts(facts.full_name, mend=mend)
    if relational is not None:
        return relational, False
    full = ordered_full_name(facts.full_name, family_first=family_first)
    return split_parts(full, mend=mend), 1 < len(full_name_words(full)) < 4


_CHILD_OF = frozenset({"ابن", "إبن", "ابنة", "ابنه", "بنت", "son", "daughter"})
_WIFE_OF = frozenset({"زوجة", "زوجه", "wife"})
_MOTHER_OF = frozenset({"أم", "ام", "umm", "um", "oum"})
_MALE_RELATION = frozenset({"ابن", "إبن", "son"})


def _relation(full_name: str | None) -> tuple[str, list[str]] | None:
    """A relational name's first word (lowered: ``son``, ``زوجة``, ``أم`` ...) and the words that
    name the relative, else None; a letter a PDF split off is put back first (``زوج ة``)."""
    words = (full_name or "").split()
    if full_name and script_of(full_name) == "arabic":
        words = mend_tokens(words)
    if len(words) < 2 or words[0].lower() not in _CHILD_OF | _WIFE_OF | _MOTHER_OF:
        return None
    rest = words[2:] if len(words) > 2 and words[1].lower() == "of" else words[1:]
    return words[0].lower(), rest


def relational_sex(full_name: str | None) -> str | None:
    """The sex a relational name says (``son of``: M; ``wife of``, ``ابنة``, ``أم``: F)."""
    relation = _relation(full_name)
    if relation is None:
        return None
    return "M" if relation[0] in _MALE_RELATION else "F"


def relative_of(full_name: str | None) -> str | None:
    """Whom a wife's or a mother's relational name names, as ``kind:name`` (``wife of Ghiath
    Harfoush`` → ``wife:Ghiath``; ``أم محمد`` → ``mother:محمد``): two wives of two husbands
    are two women. None for any other name (a child's father is already its father's name)."""
    relation = _relation(full_name)
    if relation is None or relation[0] in _CHILD_OF:
        return None
    kind = "wife" if relation[0] in _WIFE_OF else "mother"
    named = name_words(" ".join(relation[1]))
    return f"{kind}:{named[0]}" if named else None


def relational_parts(full_name: str | None, *, mend: bool = False) -> dict[str, str | None] | None:
    """The parts of a name that says who the person was to someone, else None: ``son of X
    Family`` / ``ابن X Family`` (X is the father), ``wife of X Family`` / ``زوجة X Family``
    and a kunya ``أم X Family`` (X is a husband or a child: only the family name is hers)."""
    relation = _relation(full_name)
    if relation is None:
        return None
    first, rest = relation
    named = name_words(" ".join(rest), mend=mend)
    parts: dict[str, str | None] = dict.fromkeys(PARTS)
    if len(named) > 1:
        parts["family"] = named[-1]
    if first in _CHILD_OF and named:
        parts["father"] = named[0]
        if len(named) > 2:
            parts["grandfather"] = named[1]
    return parts if any(parts.values()) else None


_BRACKETED = re.compile(r"[(\[{)][^()\[\]{}]*[)\]}(]")
_COMMA = re.compile(r"\s*[,،]\s*")


def ordered_full_name(full_name: str | None, *, family_first: bool = False) -> str | None:
    """A full name in the order given ... family: a nickname in brackets left out (also with
    brackets turned round, as PDFs of right-to-left text write them), ``Family, Given`` turned
    round, and the first word moved to the end in a list that writes the family name first."""
    if not full_name:
        return full_name
    text = _BRACKETED.sub(" ", full_name).strip() or full_name
    if _COMMA.search(text):
        head, tail = _COMMA.split(text, maxsplit=1)
        if head and tail:
            return f"{tail} {head}"
    if family_first:
        words = text.split()
        leading = next((i for i, w in enumerate(words) if not _capitals(w)), len(words))
        if 0 < leading < len(words):  # "EL HALABI Mohammad Fadi": the family is "EL HALABI"
            return " ".join([*words[leading:], *words[:leading]])
    return text


def _capitals(word: str) -> bool:
    """A word written in capitals (``HALABI``, ``AL-SAID``, ``EL``)."""
    return word.isupper() and any(c.isalpha() for c in word)


#: A Latin list whose full names start with an ALL-CAPS word (and are not all capitals) at
#: least this often writes the family name first (``HASSAN Ali``).
FAMILY_FIRST_SHARE = 0.5


def family_first_sources(facts: list[RecordFacts]) -> set[int]:
    """The lists that write ``FAMILY Given``: read from the lists themselves."""
    shouting: Counter[int] = Counter()
    latin: Counter[int] = Counter()
    for f in facts:
        full = f.full_name or ""
        words = full.split()
        if len(words) < 2 or "," in full or script_of(full) != "latin":
            continue
        latin[f.source_id] += 1
        first_caps = words[0].isupper() and len(words[0]) > 1
        shouting[f.source_id] += first_caps and not all(w.isupper() for w in words[1:])
    return {s for s, n in latin.items() if shouting[s] >= FAMILY_FIRST_SHARE * n}


#: Words of each list read to tell whether it writes the lam-alef ligature back to front.
LIGATURE_SAMPLE = 20_000


def ligature_reversing_sources(facts: list[RecordFacts]) -> set[int]:
    """The lists whose names write ``لا`` as ``ال`` (`sijill.names.damage`)."""
    words: dict[int, list[str]] = defaultdict(list)
    for f in facts:
        sample = words[f.source_id]
        if len(sample) < LIGATURE_SAMPLE:
            for text in (f.full_name, f.given_name, f.father_name, f.family_name):
                if text and script_of(text) == "arabic":
                    sample.extend(arabic_tokens(text))
    return {source for source, sample in words.items() if ligature_reversed(sample)}


def comparison_rows(records: Iterable[RecordFacts]) -> list[dict[str, Any]]:
    """The rows of a whole case, with what the case as a whole teaches: the lists that damage
    the lam-alef ligature or write family names first, the districts of places some rows
    name without one (`fill_districts`), its default dates of birth and ages
    (`mark_placeholders`), and its own names (`inventory.mark_case_names`)."""
    rows: list[dict[str, Any]] = []
    spellings: list[dict[str, str | None]] = []
    facts_list = list(records)
    reversing = ligature_reversing_sources(facts_list)
    family_first = family_first_sources(facts_list)
    for facts in facts_list:
        parts, short = name_parts(
            facts,
            mend=facts.source_id in reversing,
            family_first=facts.source_id in family_first,
        )
        rows.append(_row(facts, parts, short, mended=facts.source_id in reversing))
        spellings.append({part: arabic_spelling(text) for part, text in parts.items()})
    fill_towns(rows, [place_fields(f.place_of_death, f.district).neighbourhood for f in facts_list])
    fill_districts(rows)
    mark_placeholders(rows)
    fill_birth_years(rows)
    mark_case_names(rows, spellings)
    return rows


def comparison_row(facts: RecordFacts) -> dict[str, Any]:
    """The flat row the model compares: keys of each name part, age, sex, date, place, list."""
    return _row(facts, *name_parts(facts))


def _row(
    facts: RecordFacts, given: dict[str, str | None], short: bool, *, mended: bool = False
) -> dict[str, Any]:
    """The row; `mended`: its list writes the lam-alef ligature back to front, so a part that
    is a name either way (``lig_<part>``) may also spell the other name."""
    composed = " ".join(v for v in given.values() if v)
    row: dict[str, Any] = {
        "unique_id": facts.id,
        "source_id": facts.source_id,
        "script": script_of(composed) if composed else None,
    }
    for part in PARTS:
        row[f"k_{part}"] = part_key(given[part])
        row[f"s_{part}"] = word_skeleton(given[part])
        row[f"f_{part}"] = word_skeleton(given[part], fine=True)
        names = table_names(given[part])
        other = _ligature_reading(given[part]) if mended else None
        if other is not None:
            names = names | table_names(other)
        row[f"lig_{part}"] = other is not None
        row[f"n_{part}"] = NAMES_SEPARATOR.join(sorted(names)) or None
    row["short_name"] = short
    tokens = sorted({k for k in (row[f"s_{p}"] for p in PARTS) if k})
    row["name_tokens"] = tokens or None
    row["k_nickname"] = word_skeleton(facts.nickname)
    row["sex"] = (
        facts.sex or relational_sex(facts.full_name) or sex_of_given_name(given["given"])
    )
    row["relative"] = None if facts.given_name else relative_of(facts.full_name)
    row["age"] = age_at_death(facts)
    row["birth_year"] = birth_year_estimate(facts, row["age"])
    row["birth_year_from_age"] = (
        row["birth_year"] is not None and birth_year_estimate(facts) is None
    )
    row["dob"] = birth_day(facts.date_of_birth)
    if facts.death_start and facts.death_end and (facts.death_end - facts.death_start).days <= 3:
        row["death_day"] = (facts.death_start - _EPOCH).days
    else:
        row["death_day"] = None
    where = place_fields(facts.place_of_death, facts.district)
    row["place"] = where.place
    row["district"] = where.district
    return row


def _ligature_reading(text: str | None) -> str | None:
    """The other reading of a name part with a word that is a name either way, else None."""
    words = name_words(text)
    others = [ligature_ambiguous(w) for w in words]
    if not any(others):
        return None
    return " ".join(o or w for o, w in zip(others, words, strict=True))


def fill_towns(rows: list[dict[str, Any]], neighbourhoods: list[str | None]) -> None:
    """Put rows that name only a neighbourhood in its town, learnt from the case's rows that
    name both (``حي القصور - بانياس``): the majority town wins (ties: the smallest key)."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for row, hood in zip(rows, neighbourhoods, strict=True):
        if hood and row["place"] and row["place"] != hood:
            seen[hood][row["place"]] += 1
    for row, hood in zip(rows, neighbourhoods, strict=True):
        if hood and row["place"] == hood and seen.get(hood):
            row["place"] = sorted(seen[hood].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


#: Two district keys name one district (two spellings, two scripts) when at least this share
#: of the places each is written with is written with the other too, and at least
#: `SAME_DISTRICT_PLACES` places are.
SAME_DISTRICT_SHARE = 0.6
SAME_DISTRICT_PLACES = 2


def fill_districts(rows: list[dict[str, Any]]) -> None:
    """Give one district key per district, and a district to rows that name only a place,
    from the case's own rows naming both.

    Two keys written with mostly the same places are one district spelt two ways (اللاذقية /
    Latakia): the one more rows write stands for both, also in rows naming only the area
    (``ريف اللاذقية``). A governorate written where other lists write a district shares only
    a part of its places with each district and stays apart. A list that writes "village,
    district" then teaches which district each village is in; rows of other lists naming the
    same village compare at the "same district" level too, which is what tells a neighbouring
    village from a far one. The majority district wins (ties: the smallest key), so the result
    does not depend on row order.
    """
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row["place"] and row["district"]:
            seen[row["place"]][row["district"]] += 1
    alias = _district_aliases(seen, Counter(r["district"] for r in rows if r["district"]))
    for row in rows:
        if row["district"] in alias:
            row["district"] = alias[row["district"]]
    merged: dict[str, Counter[str]] = defaultdict(Counter)
    for place, counts in seen.items():
        for district, n in counts.items():
            merged[place][alias.get(district, district)] += n
    districts = {
        place: sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        for place, counts in merged.items()
    }
    for row in rows:
        if row["place"] and not row["district"]:
            row["district"] = districts.get(row["place"])


def _district_aliases(seen: dict[str, Counter[str]], rows_of: Counter[str]) -> dict[str, str]:
    """District keys that name one district, each to the key more rows write (see above)."""
    places_of: dict[str, set[str]] = defaultdict(set)
    for place, counts in seen.items():
        for district in counts:
            places_of[district].add(place)
    shared: Counter[tuple[str, str]] = Counter()
    for counts in seen.values():
        for a in counts:
            for b in counts:
                if a < b:
                    shared[(a, b)] += 1
    parent: dict[str, str] = {}

    def root(d: str) -> str:
        while parent.get(d, d) != d:
            d = parent[d]
        return d

    for (a, b), n in sorted(shared.items()):
        if n >= SAME_DISTRICT_PLACES and min(n / len(places_of[a]), n / len(places_of[b])) >= (
            SAME_DISTRICT_SHARE
        ):
            ra, rb = root(a), root(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=lambda d: (-rows_of[d], d))
                parent[drop] = keep
    return {d: root(d) for d in parent}


#: A date of birth written this often in one list is a default, not a birthday ...
PLACEHOLDER_DATE_AT_LEAST = 5
#: ... and an age written this many times more often than the ages around it.
PLACEHOLDER_AGE_RATIO = 3.0


def mark_placeholders(rows: list[dict[str, Any]]) -> None:
    """Drop the values each list writes by default, which would otherwise pass for agreement.

    Per list: a date of birth on 1 January (the day unknown; its year is kept) or one date
    shared by `PLACEHOLDER_DATE_AT_LEAST` records or more (its year too is a default: the
    ages at death are compared instead); an age written `PLACEHOLDER_AGE_RATIO`
    times more often than the ages two years either side (a default such as 20: the age, and
    the birth year worked out from it, are left unknown).
    """
    by_source: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_source[row["source_id"]].append(row)
    for members in by_source.values():
        dates = Counter(r["dob"] for r in members if r["dob"] is not None)
        ages = Counter(r["age"] for r in members if r["age"] is not None)
        default_ages = {
            age
            for age, n in ages.items()
            if n >= PLACEHOLDER_DATE_AT_LEAST
            and n > PLACEHOLDER_AGE_RATIO * _neighbours_mean(ages, age)
        }
        for row in members:
            day = row["dob"]
            if day is not None and dates[day] >= PLACEHOLDER_DATE_AT_LEAST:
                row["dob"] = row["birth_year"] = None  # a default: its year says nothing
            elif day is not None and _first_of_january(day):
                row["dob"] = None
            if row["age"] in default_ages:
                row["age"] = None
                if row["birth_year_from_age"]:
                    row["birth_year"] = None


def fill_birth_years(rows: list[dict[str, Any]]) -> None:
    """Births and ages worked out from each other: the age at death of a row that gives a
    birth year and a day of death; and a birth year for a row that gives an age but no year
    of death: the year its list's other rows died in most often (else the case's), less the
    age. Where no row of the case gives a day of death, no birth year is filled: no year is
    assumed."""
    years: dict[int, Counter[int]] = defaultdict(Counter)
    for row in rows:
        if row["death_day"] is not None:
            year = _year_of(row["death_day"])
            years[row["source_id"]][year] += 1
            if row["age"] is None and row["birth_year"] is not None:
                row["age"] = max(0, year - row["birth_year"])
    case_years = sum(years.values(), Counter())
    for row in rows:
        if row["birth_year"] is not None or row["age"] is None:
            continue
        seen = years.get(row["source_id"]) or case_years
        if seen:
            row["birth_year"] = seen.most_common(1)[0][0] - row["age"]
            row["birth_year_from_age"] = True


def _year_of(day: int) -> int:
    return date.fromordinal(_EPOCH.toordinal() + day).year


def _neighbours_mean(counts: Counter[int], age: int) -> float:
    around = [counts.get(a, 0) for a in (age - 2, age - 1, age + 1, age + 2) if a >= 0]
    return sum(around) / len(around)


def _first_of_january(day: int) -> bool:
    d = date.fromordinal(_EPOCH.toordinal() + day)
    return d.month == 1 and d.day == 1


_NAME_COLUMNS = [
    (f"{kind}_{part}", pa.bool_() if kind == "lig" else pa.string())
    for part in PARTS
    for kind in ("k", "s", "f", "lig", "n")
]
#: The columns of a comparison row, typed (a column no row fills still has its type).
SCHEMA = pa.schema(
    [
        ("unique_id", pa.int64()),
        ("source_id", pa.int64()),
        ("script", pa.string()),
        *_NAME_COLUMNS,
        ("short_name", pa.bool_()),
        ("name_tokens", pa.list_(pa.string())),
        ("k_nickname", pa.string()),
        ("sex", pa.string()),
        ("relative", pa.string()),
        ("age", pa.int64()),
        ("birth_year", pa.int64()),
        ("birth_year_from_age", pa.bool_()),
        ("dob", pa.int64()),
        ("death_day", pa.int64()),
        ("place", pa.string()),
        ("district", pa.string()),
    ]
)


def comparison_table(rows: list[dict[str, Any]]) -> pa.Table:
    """The comparison rows as an Arrow table of `SCHEMA` (what the engines register)."""
    return pa.Table.from_pylist(rows, schema=SCHEMA)
