"""Resolve a place string to a gazetteer entry: pure logic over an in-memory index.

A string such as ``"al-Qabu, Hama countryside"`` is split into the place words (``al-Qabu``)
and an admin context (``Hama``); candidates come from exact keys of every name and variant,
then from fuzzy keys; the admin context (in the string or given beside it, e.g. a record's
governorate column) favours candidates inside it; a remembered manual mapping wins over all.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from sijill.places.keys import (
    COUNTRYSIDE_AR,
    COUNTRYSIDE_LATIN,
    NEIGHBOURHOOD_AR,
    NEIGHBOURHOOD_LATIN,
    arabic_tokens,
    is_arabic,
    keys_for,
    mapping_key,
)

ADMIN_TYPES = frozenset({"country", "governorate", "district", "subdistrict"})
TYPE_SPECIFICITY = {
    "country": 0,
    "governorate": 1,
    "district": 2,
    "subdistrict": 3,
    "town": 4,
    "village": 5,
    "neighbourhood": 6,
    "other": 4,
}
DEFAULT_THRESHOLD = 0.6
KIND_SCORE = {"primary": 0.95, "alias": 0.9}
SHARED_KEY_SCORE = 0.85
LITERAL_SCORE = 1.0
AMBIGUITY_MARGIN = 0.05  # a runner-up closer than this to the best leaves the string unresolved
FUZZY_CUTOFF = 82.0
_PARTS = re.compile(r"\s*(?:[,،;/()]|\s-\s)\s*")


@dataclass(frozen=True)
class GazetteerEntry:
    """What matching needs to know about one place."""

    id: int
    type: str
    parent_id: int | None
    names: tuple[tuple[str, str], ...]  # (name, kind): kind "primary" or "alias"


@dataclass(frozen=True)
class Candidate:
    place_id: int
    score: float
    method: str


@dataclass(frozen=True)
class Match:
    """The answer for one place string."""

    text: str
    place_id: int | None
    confidence: float
    method: str  # manual | exact | alias | shared-key | fuzzy | admin | ambiguous | none
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)

    @property
    def resolved(self) -> bool:
        return self.place_id is not None


@dataclass(frozen=True)
class SplitPlace:
    """A place string cut into the words naming the place and the admin context words."""

    primary: str
    context: tuple[str, ...]
    countryside: bool  # "ريف حماة" / "Hama countryside": the string names an area's countryside
    neighbourhood: bool = False  # "حي القصور - بانياس": the place words name a neighbourhood


def split_place_string(text: str) -> SplitPlace:
    """Cut ``"al-Qabu, Hama countryside"`` into ``al-Qabu`` and the context ``Hama``."""
    parts = [p for p in _PARTS.split(text.strip()) if p]
    primary_parts: list[str] = []
    context: list[str] = []
    countryside = False
    for index, part in enumerate(parts):
        words = part.split()
        plain = [w.lower() if not is_arabic(w) else " ".join(arabic_tokens(w)) or w for w in words]
        marker = next(
            (i for i, w in enumerate(plain) if w in COUNTRYSIDE_AR or w in COUNTRYSIDE_LATIN), None
        )
        if marker is not None:
            countryside = True
            before, after = words[:marker], words[marker + 1 :]
            if after and after[0].lower() == "of":
                after = after[1:]
            if is_arabic(part) or plain[marker] in {"rural", "rif", "reef"}:
                # "ريف حماة", "rural Hama": the area follows; words before name the place.
                if before and index == 0:
                    primary_parts.append(" ".join(before))
                context.append(" ".join(after))
            else:
                # "Hama countryside", "countryside of Hama".
                context.append(" ".join(after or before))
        elif index == 0:
            primary_parts.append(part)
        else:
            context.append(part)
    first = (primary_parts[0].split() or [""])[0] if primary_parts else ""
    plain_first = " ".join(arabic_tokens(first)) if is_arabic(first) else first.lower()
    return SplitPlace(
        " ".join(primary_parts),
        tuple(c for c in context if c),
        countryside,
        plain_first in NEIGHBOURHOOD_AR or plain_first in NEIGHBOURHOOD_LATIN,
    )


class PlaceIndex:
    """Every key of every name of every place, the hierarchy, and the manual mappings."""

    def __init__(
        self,
        entries: Iterable[GazetteerEntry],
        mappings: Mapping[str, int] | None = None,
    ) -> None:
        self.entries = {e.id: e for e in entries}
        self.mappings = dict(mappings or {})
        self._by_key: dict[str, dict[int, float]] = defaultdict(dict)
        self._literal: dict[str, set[int]] = defaultdict(set)
        for entry in self.entries.values():
            for name, kind in entry.names:
                self._literal[_literal(name)].add(entry.id)
                for key in keys_for(name):
                    score = SHARED_KEY_SCORE if key.startswith("n:") else KIND_SCORE.get(kind, 0.9)
                    if score > self._by_key[key].get(entry.id, 0.0):
                        self._by_key[key][entry.id] = score
        self._fuzzy_choices = {
            prefix: [k for k in self._by_key if k.startswith(prefix)] for prefix in ("a:", "l:")
        }
        self._ancestors: dict[int, frozenset[int]] = {}

    def ancestors(self, place_id: int) -> frozenset[int]:
        """The place's ancestors (not itself) up the admin hierarchy."""
        if place_id not in self._ancestors:
            seen: list[int] = []
            parent = self.entries[place_id].parent_id if place_id in self.entries else None
            while parent is not None and parent not in seen and parent in self.entries:
                seen.append(parent)
                parent = self.entries[parent].parent_id
            self._ancestors[place_id] = frozenset(seen)
        return self._ancestors[place_id]

    def candidates(self, text: str) -> dict[int, Candidate]:
        """Places whose names meet the text: exact keys first; fuzzy keys only when none do."""
        found: dict[int, Candidate] = {}
        for key in keys_for(text):
            for place_id, score in self._by_key.get(key, {}).items():
                method = (
                    "shared-key"
                    if key.startswith("n:")
                    else ("exact" if score >= KIND_SCORE["primary"] else "alias")
                )
                if place_id not in found or score > found[place_id].score:
                    found[place_id] = Candidate(place_id, score, method)
        for place_id in self._literal.get(_literal(text), ()):
            # The very string as the gazetteer writes it beats a shared key.
            found[place_id] = Candidate(place_id, LITERAL_SCORE, "exact")
        if found:
            return found
        key = keys_for(text)[0] if keys_for(text) else ""
        choices = self._fuzzy_choices.get(key[:2], [])
        if not key[2:] or not choices:
            return found
        for choice, ratio, _ in process.extract(
            key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=20
        ):
            score = round(0.9 * ratio / 100.0, 3)
            for place_id in self._by_key[choice]:
                if place_id not in found or score > found[place_id].score:
                    found[place_id] = Candidate(place_id, score, "fuzzy")
        return found

    def admin_areas(self, text: str) -> set[int]:
        """Admin areas (governorate, district, subdistrict) a context string can name."""
        return {
            c.place_id
            for c in self.candidates(text).values()
            if self.entries[c.place_id].type in ADMIN_TYPES and c.score >= 0.75
        }

    def match(
        self,
        text: str,
        context: Sequence[str | None] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Match:
        """Resolve one place string; ``context`` holds admin names given beside it."""
        text = (text or "").strip()
        if not text:
            return Match(text, None, 0.0, "none")
        manual = self.mappings.get(mapping_key(text))
        if manual is not None and manual in self.entries:
            return Match(text, manual, 1.0, "manual", (Candidate(manual, 1.0, "manual"),))
        split = split_place_string(text)
        areas: set[int] = set()
        for part in (*split.context, *(c for c in context if c)):
            areas |= self.admin_areas(part)
        if not split.primary:
            return self._countryside(text, split, threshold)
        found = self.candidates(split.primary)
        if areas:
            found = {pid: self._with_context(c, areas) for pid, c in found.items()}
        ranked = self._most_specific(sorted(found.values(), key=lambda c: -c.score))
        return _decide(text, ranked, threshold)

    def _countryside(self, text: str, split: SplitPlace, threshold: float) -> Match:
        """A string that only names an area's countryside resolves to that area, less surely."""
        found: dict[int, Candidate] = {}
        for part in split.context:
            for c in self.candidates(part).values():
                if self.entries[c.place_id].type in ADMIN_TYPES:
                    found[c.place_id] = Candidate(c.place_id, round(c.score * 0.8, 3), "admin")
        # The broadest area of that name is meant ("ريف حماة" is Hama governorate's countryside).
        ranked = sorted(
            found.values(),
            key=lambda c: (-c.score, TYPE_SPECIFICITY[self.entries[c.place_id].type]),
        )
        ranked = [c for c in ranked if not (self.ancestors(c.place_id) & found.keys())]
        return _decide(text, ranked, threshold)

    def _with_context(self, cand: Candidate, areas: set[int]) -> Candidate:
        inside = bool((self.ancestors(cand.place_id) | {cand.place_id}) & areas)
        score = min(1.0, cand.score + 0.05) if inside else cand.score * 0.6
        return Candidate(cand.place_id, round(score, 3), cand.method)

    def _most_specific(self, ranked: list[Candidate]) -> list[Candidate]:
        """Drop an area when a place nested in it carries the same name about as well."""
        keep = []
        for cand in ranked:
            nested_better = any(
                cand.place_id in self.ancestors(other.place_id) and other.score >= cand.score - 0.05
                for other in ranked
                if other is not cand
            )
            if not nested_better:
                keep.append(cand)
        return keep


def _literal(text: str) -> str:
    return " ".join(text.casefold().split())


def _decide(text: str, ranked: list[Candidate], threshold: float) -> Match:
    if not ranked:
        return Match(text, None, 0.0, "none")
    top = ranked[0]
    if len(ranked) > 1 and ranked[1].score > round(top.score - AMBIGUITY_MARGIN, 3):
        confidence = round(top.score * 0.5, 3)
        return Match(text, None, confidence, "ambiguous", tuple(ranked[:5]))
    if top.score < threshold:
        return Match(text, None, top.score, "weak", tuple(ranked[:5]))
    return Match(text, top.place_id, top.score, top.method, tuple(ranked[:5]))
