"""RFC 6962 / RFC 9162 Merkle trees: roots, inclusion proofs and consistency proofs.

Verification lives in :mod:`sijill.evidence.verify_bundle` (standard library only, shipped in
every bundle) and is re-exported here, so Sijill and the offline script share one implementation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from sijill.evidence.verify_bundle import (
    leaf_hash,
    node_hash,
    root_from_inclusion,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion",
    "roots_at",
    "tree_root",
    "verify_consistency",
    "verify_inclusion",
]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def _split(n: int) -> int:
    """The largest power of two strictly below ``n`` (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes (already hashed); the empty tree hashes to SHA-256('')."""
    if not leaves:
        return EMPTY_ROOT
    level = list(leaves)
    # Fold pairwise from the left; an odd node at the end is carried up unchanged, which yields
    # exactly the RFC 6962 shape (left subtrees are the largest powers of two).
    while len(level) > 1:
        nxt = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0]


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]): the audit path for leaf ``index`` in the tree over ``leaves``."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"leaf {index} is outside a tree of {len(leaves)}")
    path: list[bytes] = []
    lo, hi, m = 0, len(leaves), index
    while hi - lo > 1:
        k = _split(hi - lo)
        if m < k:
            path.append(tree_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(tree_root(leaves[lo : lo + k]))
            lo, m = lo + k, m - k
    return path[::-1]


def consistency_proof(size1: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): the first ``size1`` leaves form a prefix of the tree over ``leaves``."""
    n = len(leaves)
    if not 0 <= size1 <= n:
        raise ValueError(f"cannot prove a tree of {size1} inside one of {n}")
    if size1 in (0, n):
        return []
    proof: list[bytes] = []
    lo, hi, m, complete = 0, n, size1, True
    while m != hi - lo:
        k = _split(hi - lo)
        if m <= k:
            proof.append(tree_root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            proof.append(tree_root(leaves[lo : lo + k]))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        proof.append(tree_root(leaves[lo:hi]))
    return proof[::-1]


def roots_at(leaves: Sequence[bytes], sizes: Iterable[int]) -> dict[int, bytes]:
    """MTH of every prefix size asked for, in one pass over the leaves (O(n + k log n)).

    Keeps the roots of the perfect subtrees of the prefix read so far (its compact range); the
    prefix's root folds them from the right.
    """
    wanted = sorted(set(sizes))
    if wanted and (wanted[0] < 0 or wanted[-1] > len(leaves)):
        raise ValueError("a size is outside the log")
    roots: dict[int, bytes] = {}
    stack: list[tuple[int, bytes]] = []  # (height, hash), heights strictly decreasing
    position = 0
    for size in wanted:
        while position < size:
            height, node = 0, leaves[position]
            while stack and stack[-1][0] == height:
                node = node_hash(stack.pop()[1], node)
                height += 1
            stack.append((height, node))
            position += 1
        if not stack:
            roots[size] = EMPTY_ROOT
            continue
        root = stack[-1][1]
        for _height, node in reversed(stack[:-1]):
            root = node_hash(node, root)
        roots[size] = root
    return roots
