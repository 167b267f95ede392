"""The custody log's Merkle hashes and proofs against the published RFC 6962 test vectors
(transparency-dev/merkle ``testonly/constants.go`` and ``proof/verify_test.go``)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijill.evidence.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_inclusion,
    roots_at,
    tree_root,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
HASHES = [leaf_hash(x) for x in LEAVES]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
LEAF_HASHES = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]
# (leaf number counted from 1, tree size, proof) as published.
INCLUSION = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (3, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        2,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _hex(proof: list[bytes]) -> list[str]:
    return [p.hex() for p in proof]


def test_leaf_hashes_match_published_values() -> None:
    assert [h.hex() for h in HASHES] == LEAF_HASHES


@pytest.mark.parametrize("size", range(9))
def test_roots_match_published_values(size: int) -> None:
    assert tree_root(HASHES[:size]).hex() == ROOTS[size]


def test_node_hash_prefix() -> None:
    a, b = HASHES[0], HASHES[1]
    assert node_hash(a, b) == hashlib.sha256(b"\x01" + a + b).digest()
    assert (
        node_hash(a, b).hex() == "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
    )


@pytest.mark.parametrize(("leaf", "size", "proof"), INCLUSION)
def test_inclusion_proofs_match_vectors(leaf: int, size: int, proof: list[str]) -> None:
    assert _hex(inclusion_proof(leaf - 1, HASHES[:size])) == proof
    root = bytes.fromhex(ROOTS[size])
    assert verify_inclusion(
        leaf - 1, size, HASHES[leaf - 1], [bytes.fromhex(p) for p in proof], root
    )


@pytest.mark.parametrize(("leaf", "size", "proof"), INCLUSION[1:])
def test_corrupted_inclusion_proofs_fail(leaf: int, size: int, proof: list[str]) -> None:
    """The corruptions transparency-dev applies: wrong index, size, leaf, root, extra or
    missing or flipped components."""
    index, root, hashes = leaf - 1, bytes.fromhex(ROOTS[size]), [bytes.fromhex(p) for p in proof]
    leaf_h = HASHES[index]
    probes = [
        (index - 1, size, leaf_h, hashes, root),
        (index + 1, size, leaf_h, hashes, root),
        (index ^ 2, size, leaf_h, hashes, root),
        (index, size * 2, leaf_h, hashes, root),
        (index, size // 2, leaf_h, hashes, root),
        (index, size, b"WrongLeaf", hashes, root),
        (index, size, leaf_h, hashes, bytes.fromhex(ROOTS[0])),
        (index, size, leaf_h, hashes, SOME_HASH),
        (index, size, leaf_h, [*hashes, b""], root),
        (index, size, leaf_h, [*hashes, root], root),
        (index, size, leaf_h, [b"", *hashes], root),
        (index, size, leaf_h, [root, *hashes], root),
        (index, size, leaf_h, hashes[:-1], root),
        (index, size, leaf_h, [hashes[0], SOME_HASH, *hashes[1:]], root),
    ]
    for i in range(len(hashes)):
        flipped = list(hashes)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        probes.append((index, size, leaf_h, flipped, root))
    for idx, sz, lf, pr, rt in probes:
        if idx < 0:
            continue
        assert not verify_inclusion(idx, sz, lf, pr, rt), (idx, sz)


@pytest.mark.parametrize(("size1", "size2", "proof"), CONSISTENCY)
def test_consistency_proofs_match_vectors(size1: int, size2: int, proof: list[str]) -> None:
    assert _hex(consistency_proof(size1, HASHES[:size2])) == proof
    root1, root2 = bytes.fromhex(ROOTS[size1]), bytes.fromhex(ROOTS[size2])
    hashes = [bytes.fromhex(p) for p in proof]
    assert verify_consistency(size1, size2, root1, root2, hashes)
    if hashes:
        assert not verify_consistency(size1, size2, root2, root1, hashes)
        assert not verify_consistency(size1 + 1, size2, root1, root2, hashes)
        assert not verify_consistency(size1, size2 * 2, root1, root2, hashes)
        assert not verify_consistency(size1, size2, root1, root2, hashes[:-1])
        assert not verify_consistency(size1, size2, root1, root2, [])
        flipped = [bytes([hashes[0][0] ^ 16]) + hashes[0][1:], *hashes[1:]]
        assert not verify_consistency(size1, size2, root1, root2, flipped)


def test_consistency_edge_cases() -> None:
    empty = bytes.fromhex(ROOTS[0])
    assert verify_consistency(0, 0, empty, empty, [])
    assert verify_consistency(0, 1, empty, SOME_HASH, [])
    assert not verify_consistency(1, 0, empty, empty, [])
    assert not verify_consistency(1, 1, empty, SOME_HASH, [])
    assert not verify_consistency(1, 1, empty, empty, [empty])


@given(st.integers(min_value=1, max_value=70), st.data())
def test_generated_proofs_verify(size: int, data: st.DataObject) -> None:
    hashes = [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]
    root = tree_root(hashes)
    index = data.draw(st.integers(min_value=0, max_value=size - 1))
    proof = inclusion_proof(index, hashes)
    assert root_from_inclusion(index, size, hashes[index], proof) == root
    size1 = data.draw(st.integers(min_value=0, max_value=size))
    assert verify_consistency(
        size1, size, tree_root(hashes[:size1]), root, consistency_proof(size1, hashes)
    )


@given(st.integers(min_value=0, max_value=80), st.lists(st.integers(0, 80), max_size=6))
def test_roots_at_every_size_in_one_pass(n: int, sizes: list[int]) -> None:
    hashes = [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]
    asked = [min(s, n) for s in sizes] + [n]
    assert roots_at(hashes, asked) == {s: tree_root(hashes[:s]) for s in asked}


def test_roots_at_matches_published_roots() -> None:
    assert {k: v.hex() for k, v in roots_at(HASHES, range(9)).items()} == dict(enumerate(ROOTS))
