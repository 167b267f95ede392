"""Records into people: average-linkage agglomeration of scored pairs under conflicts (pure).

Every pair of records in one person counts for or against that person: a scored pair by the
model's evidence (its match weight, shifted so that the link threshold is the break-even
point), a pair the model never compared by a small penalty, a pair with a SOFT conflict by a
larger one, and a HARD conflict or a reviewer's cannot-link forbids the grouping outright.
Clusters grow greedily: the two clusters whose pairs carry the most evidence *on average* are
joined first, while that average is positive. Unlike joining pairs one by one (single linkage),
a record is only added to a person if it fits the person's records as a whole, so one namesake
pair cannot chain two families together; and unlike summing the evidence, a record that says
little (an "Ali" with no father's name) is not drawn to whichever namesake has the most records.

Human decisions come first: must-link pairs are joined before anything else. The work is done
one connected component of the above-threshold graph at a time, which keeps memory small at a
million records.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from sijill.linkage.conflicts import HARD, SOFT, Identity, conflict
from sijill.linkage.scoring import ScoredPair, ScoredPairs

#: Evidence (bits) counted for a pair in one cluster that the model did not score: it was not
#: a candidate, or scored too low to keep.
UNSCORED_BITS = -1.0
#: ... and for such a pair with a SOFT conflict.
SOFT_CONFLICT_BITS = -3.0
_FORBIDDEN = -math.inf


@dataclass(frozen=True)
class Clustering:
    clusters: list[list[int]]  # each sorted; clusters sorted by their smallest id
    held_back: list[ScoredPair]  # pairs at or above the threshold left in different clusters


class _UnionFind:
    def __init__(self, items: Iterable[int]) -> None:
        self.parent = {i: i for i in items}

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


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
    ids = np.fromiter(by_id, dtype=np.int64, count=len(by_id))
    known = np.isin(pairs.a, ids) & np.isin(pairs.b, ids)
    a, b = pairs.a[known], pairs.b[known]
    bits = pairs.weight[known] - math.log2(threshold / (1 - threshold))
    must = [(x, y) for x, y in sorted(must_link) if x in by_id and y in by_id]
    forbidden = {(min(x, y), max(x, y)) for x, y in cannot_link}
    # Components of what could be joined at all: above-threshold pairs and decisions.
    components = _UnionFind(by_id)
    for x, y in zip(a[bits > 0].tolist(), b[bits > 0].tolist(), strict=True):
        components.union(x, y)
    for x, y in must:
        components.union(x, y)
    root_of_pair = np.fromiter(
        (components.find(x) for x in a.tolist()), dtype=np.int64, count=len(a)
    )
    same = root_of_pair == np.fromiter(
        (components.find(y) for y in b.tolist()), dtype=np.int64, count=len(b)
    )
    members: dict[int, list[int]] = defaultdict(list)
    for record in sorted(by_id):
        members[components.find(record)].append(record)
    order = np.argsort(root_of_pair[same], kind="stable")
    inside_a, inside_b = a[same][order], b[same][order]
    inside_bits, inside_root = bits[same][order], root_of_pair[same][order]
    starts = np.searchsorted(inside_root, sorted(members), side="left")
    ends = np.searchsorted(inside_root, sorted(members), side="right")
    clusters: list[list[int]] = []
    for root, start, end in zip(sorted(members), starts.tolist(), ends.tolist(), strict=True):
        records = members[root]
        if len(records) == 1:
            clusters.append(records)
            continue
        edges = {
            (x, y): w
            for x, y, w in zip(
                inside_a[start:end].tolist(),
                inside_b[start:end].tolist(),
                inside_bits[start:end].tolist(),
                strict=True,
            )
        }
        clusters.extend(_contract(records, edges, by_id, must, forbidden))
    clusters.sort()
    where = {record: i for i, records in enumerate(clusters) for record in records}
    held = [
        pair
        for pair in pairs.within(threshold)
        if pair.a in where and pair.b in where and where[pair.a] != where[pair.b]
    ]
    return Clustering(clusters=clusters, held_back=held)


def _contract(
    records: list[int],
    edges: dict[tuple[int, int], float],
    by_id: dict[int, Identity],
    must: list[tuple[int, int]],
    forbidden: set[tuple[int, int]],
) -> list[list[int]]:
    """Average-linkage agglomeration of one component's records (see the module)."""

    known: dict[tuple[int, int], float] = {}  # each pair is weighed once, however often asked

    def evidence(x: int, y: int) -> float:
        key = (x, y) if x < y else (y, x)
        found = known.get(key)
        if found is None:
            kind = conflict(by_id[x], by_id[y])
            if key in forbidden or kind == HARD:
                found = _FORBIDDEN
            else:
                scored = edges.get(key)
                if scored is not None:
                    found = scored
                else:
                    found = SOFT_CONFLICT_BITS if kind == SOFT else UNSCORED_BITS
            known[key] = found
        return found

    groups = _UnionFind(records)
    inside = set(records)
    for x, y in must:
        if x in inside:
            groups.union(x, y)
    cluster_of: dict[int, list[int]] = defaultdict(list)
    for record in records:
        cluster_of[groups.find(record)].append(record)
    neighbours: dict[int, set[int]] = defaultdict(set)
    for (x, y), w in edges.items():
        rx, ry = groups.find(x), groups.find(y)
        if w > 0 and rx != ry:
            neighbours[rx].add(ry)
            neighbours[ry].add(rx)

    def between(p: int, q: int) -> float:
        """The mean evidence of the pairs across two clusters (-inf if one is forbidden)."""
        total = 0.0
        for x in cluster_of[p]:
            for y in cluster_of[q]:
                total += evidence(x, y)
                if total == _FORBIDDEN:
                    return total
        return total / (len(cluster_of[p]) * len(cluster_of[q]))

    version: dict[int, int] = defaultdict(int)
    heap: list[tuple[float, int, int, int, int]] = []

    def offer(p: int, q: int) -> None:
        p, q = min(p, q), max(p, q)
        gain = between(p, q)
        if gain > 0:
            heapq.heappush(heap, (-gain, p, q, version[p], version[q]))

    for p in sorted(neighbours):
        for q in sorted(neighbours[p]):
            if p < q:
                offer(p, q)
    while heap:
        _, p, q, vp, vq = heapq.heappop(heap)
        if p not in cluster_of or q not in cluster_of or (version[p], version[q]) != (vp, vq):
            continue  # one of them has grown or gone since this was offered
        cluster_of[p].extend(cluster_of.pop(q))
        version[p] += 1
        around = (neighbours.pop(p, set()) | neighbours.pop(q, set())) - {p, q}
        for n in around:
            neighbours[n].discard(q)
            neighbours[n].add(p)
        neighbours[p] = around
        for n in sorted(around):
            offer(p, n)
    return [sorted(group) for group in cluster_of.values()]
