"""Records into people: constrained agglomeration over scored pairs (pure functions).

Human decisions come first: must-link pairs are joined, cannot-link pairs are never joined.
Then pairs at or above the threshold are joined, strongest first, unless joining would put two
records with conflicting names (father's or given name) or sexes into one person. That is what
keeps namesakes apart: "Ali son of Hassan" and "Ali son of Mahmoud" may each match an "Ali" with
no father's name, but they never end up as one person through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import Levenshtein

from sijill.linkage.scoring import ScoredPair, ScoredPairs
from sijill.names.keys import name_key
from sijill.names.lexicon import entries


@dataclass(frozen=True)
class Identity:
    """What the conflict check reads of a record."""

    id: int
    script: str | None
    k_given: str | None
    s_given: str | None
    f_given: str | None
    k_father: str | None
    s_father: str | None
    f_father: str | None
    sex: str | None
    birth_year: int | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Identity:
        """From a comparison row (see `features.comparison_row`)."""
        return cls(
            id=row["unique_id"],
            script=row["script"],
            k_given=row["k_given"],
            s_given=row["s_given"],
            f_given=row["f_given"],
            k_father=row["k_father"],
            s_father=row["s_father"],
            f_father=row["f_father"],
            sex=row["sex"],
            birth_year=row["birth_year"],
        )


# A pair the model is this sure of is joined even if one of its names looks like a conflict.
TRUST_PAIR_ABOVE = 0.97
# Two records of one person rarely put their births more years apart than this.
MAX_BIRTH_YEAR_GAP = 7


@lru_cache(maxsize=1)
def known_name_keys() -> frozenset[str]:
    """Keys of the names module's table of names: two different ones are two real names."""
    return frozenset(name_key(a) for entry in entries() for a in entry.arabic)


HARD, SOFT = "hard", "soft"


def _name_conflict(
    key: tuple[str | None, str | None],
    coarse: tuple[str | None, str | None],
    fine: tuple[str | None, str | None],
    scripts: tuple[str | None, str | None],
) -> str | None:
    """Could two spellings be one name? None if so; HARD for two different real names
    (Hassan / Hussein, محمد / محمود); SOFT for spellings too far apart for a slip of the pen
    when one of them is not a known name (often a typo: "Ahqad")."""
    if not coarse[0] or not coarse[1] or key[0] == key[1]:
        return None
    if fine[0] and fine[0] == fine[1]:
        return HARD if scripts[0] == scripts[1] == "arabic" else None
    known = known_name_keys()
    if key[0] in known and key[1] in known:
        return HARD
    return None if Levenshtein.distance(coarse[0], coarse[1]) <= 1 else SOFT


def conflict(x: Identity, y: Identity) -> str | None:
    """Why these two records cannot be one person: HARD (different sex, ages far apart, two
    different names), SOFT (a name spelled too differently), or None."""
    if x.sex and y.sex and x.sex != y.sex:
        return HARD
    if x.birth_year is not None and y.birth_year is not None:
        if abs(x.birth_year - y.birth_year) > MAX_BIRTH_YEAR_GAP:
            return HARD
    scripts = (x.script, y.script)
    kinds = {
        _name_conflict(
            (x.k_father, y.k_father), (x.s_father, y.s_father), (x.f_father, y.f_father), scripts
        ),
        _name_conflict(
            (x.k_given, y.k_given), (x.s_given, y.s_given), (x.f_given, y.f_given), scripts
        ),
    }
    return HARD if HARD in kinds else SOFT if SOFT in kinds else None


def compatible(x: Identity, y: Identity) -> bool:
    """Could these two records be one person? (No conflicting names, sexes or ages.)"""
    return conflict(x, y) is None


@dataclass
class _Components:
    parent: dict[int, int]
    members: dict[int, list[int]] = field(default_factory=dict)

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]) or (
            len(self.members[ra]) == len(self.members[rb]) and rb < ra
        ):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))


@dataclass(frozen=True)
class Clustering:
    clusters: list[list[int]]  # each sorted; clusters sorted by their smallest id
    held_back: list[ScoredPair]  # pairs above the threshold not joined because of a conflict


def cluster(
    identities: Iterable[Identity],
    pairs: ScoredPairs,
    *,
    threshold: float,
    must_link: Iterable[tuple[int, int]] = (),
    cannot_link: Iterable[tuple[int, int]] = (),
) -> Clustering:
    """Group records into people. Deterministic: the same input gives the same clusters."""
    by_id = {i.id: i for i in identities}
    comps = _Components(parent={i: i for i in by_id}, members={i: [i] for i in by_id})
    forbidden = {(min(a, b), max(a, b)) for a, b in cannot_link}
    for a, b in sorted(must_link):
        if a in by_id and b in by_id:
            comps.union(a, b)
    held: list[ScoredPair] = []
    for pair in pairs.within(threshold):
        if pair.a not in by_id or pair.b not in by_id:
            continue
        ra, rb = comps.find(pair.a), comps.find(pair.b)
        if ra == rb:
            continue
        if _blocked(comps.members[ra], comps.members[rb], pair, by_id, forbidden):
            held.append(pair)
            continue
        comps.union(ra, rb)
    clusters = sorted(sorted(m) for m in comps.members.values())
    return Clustering(clusters=clusters, held_back=held)


def _trusted(key: tuple[int, int], pair: ScoredPair) -> bool:
    """A near-certain pair outweighs one oddly spelled name (not two different names)."""
    return key == (pair.a, pair.b) and pair.probability >= TRUST_PAIR_ABOVE


def _blocked(
    left: list[int],
    right: list[int],
    pair: ScoredPair,
    by_id: dict[int, Identity],
    forbidden: set[tuple[int, int]],
) -> bool:
    for x in left:
        for y in right:
            key = (x, y) if x < y else (y, x)
            if key in forbidden:
                return True
            kind = conflict(by_id[x], by_id[y])
            if kind == HARD or (kind == SOFT and not _trusted(key, pair)):
                return True
    return False
