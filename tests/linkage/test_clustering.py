"""Clustering: namesakes are not chained, decisions are honoured, ids stay stable."""

from __future__ import annotations

from sijill.linkage.clustering import cluster
from sijill.linkage.conflicts import Identity, Spelling
from sijill.linkage.scoring import ScoredPair, ScoredPairs
from sijill.linkage.service import assign_people

NO_NAME = Spelling(None, None, None)


def _pairs(pairs: list[ScoredPair]) -> ScoredPairs:
    return ScoredPairs.from_columns(
        [p.a for p in pairs],
        [p.b for p in pairs],
        [p.probability for p in pairs],
        [p.weight for p in pairs],
    )


def _ali(i: int, father: str | None) -> Identity:
    skel = {"Hassan": "HSN", "Mahmoud": "MHMD", None: None}[father]
    return Identity(
        i,
        "latin",
        given=Spelling("ali", "LY", "LY"),
        father=Spelling(father and father.lower(), skel, skel),
        grandfather=NO_NAME,
        family=NO_NAME,
        sex="M",
        birth_year=None,
    )


def test_namesakes_are_not_chained_through_a_record_without_father() -> None:
    people = [_ali(1, "Hassan"), _ali(2, None), _ali(3, "Mahmoud")]
    pairs = [ScoredPair(1, 2, 0.97, 5.0), ScoredPair(2, 3, 0.96, 4.0)]
    result = cluster(people, _pairs(pairs), threshold=0.8)
    assert result.clusters == [[1, 2], [3]]
    assert result.held_back == [pairs[1]]


def test_must_link_and_cannot_link_are_honoured() -> None:
    people = [_ali(1, "Hassan"), _ali(2, "Hassan"), _ali(3, "Hassan")]
    pairs = [ScoredPair(1, 2, 0.99, 7.0), ScoredPair(2, 3, 0.2, -1.0)]
    result = cluster(people, _pairs(pairs), threshold=0.8, must_link=[(2, 3)], cannot_link=[(1, 2)])
    assert result.clusters == [[1], [2, 3]]


def test_clustering_is_deterministic() -> None:
    people = [_ali(i, "Hassan") for i in range(1, 8)]
    pairs = [ScoredPair(a, b, 0.9, 3.0) for a in range(1, 8) for b in range(a + 1, 8)]
    assert cluster(people, _pairs(pairs), threshold=0.8) == cluster(
        list(reversed(people)), _pairs(list(reversed(pairs))), threshold=0.8
    )


def test_each_cluster_keeps_the_person_it_overlaps_most() -> None:
    clusters = [[1, 2, 3], [4], [5, 6]]
    current = {1: 10, 2: 10, 3: 11, 4: 11, 5: None, 6: 12}
    kept, retired = assign_people(clusters, current)
    assert kept == [10, 11, 12]
    assert retired == {}
    # person 11 loses its only record to cluster 0: it is retired into person 10
    kept, retired = assign_people([[1, 2, 3, 4]], {1: 10, 2: 10, 3: 11, 4: 11})
    assert kept == [10] and retired == {11: 10}


def test_a_record_joins_a_person_only_if_it_fits_the_person_as_a_whole() -> None:
    """One weak link to one of a person's records is outweighed by the records it never matched;
    a strong link is not."""
    people = [_ali(i, "Hassan") for i in range(1, 5)]
    strong = [
        ScoredPair(1, 2, 0.999, 10.0),
        ScoredPair(1, 3, 0.999, 10.0),
        ScoredPair(2, 3, 0.999, 10.0),
    ]
    weak = ScoredPair(3, 4, 0.6, 0.6)
    assert cluster(people, _pairs([*strong, weak]), threshold=0.3).clusters == [[1, 2, 3], [4]]
    sure = ScoredPair(3, 4, 0.99, 6.0)
    assert cluster(people, _pairs([*strong, sure]), threshold=0.3).clusters == [[1, 2, 3, 4]]
