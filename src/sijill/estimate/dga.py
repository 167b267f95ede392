"""Bayesian model averaging over decomposable graphical models (Madigan & York 1997; R dga).

Lists are vertices; a decomposable (chordal) graph says which lists depend on each other. Under a
hyper-Dirichlet prior with ``delta`` prior people per cell of the full 2**J table, the marginal
likelihood of the completed table (observed counts plus n0 unseen) factorizes over the graph:
with a perfect ordering of the vertices, ``Π_i ML(family_i) / ML(parents_i)``, where each ML is
the Dirichlet–multinomial likelihood of a marginal table whose cells have prior weight
``delta · 2**(J − |S|)``. The joint posterior of (graph, n0) is that likelihood times the
multinomial coefficient ``N! / (n0! Π y!)`` times the prior on N (default ∝ 1/N, as in dga) and a
uniform prior over graphs; the posterior of N sums over graphs. n0 runs over a grid from 0 that
is extended until the posterior has no mass left at its end.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln, logsumexp

from sijill.errors import SijillError
from sijill.estimate.histories import CaptureTable, patterns_matrix

Edge = tuple[int, int]


def _mcs_order(n: int, edges: set[Edge]) -> list[int]:
    adj: dict[int, set[int]] = {v: set() for v in range(n)}
    for i, j in edges:
        adj[i].add(j)
        adj[j].add(i)
    order: list[int] = []
    weight = dict.fromkeys(range(n), 0)
    while len(order) < n:
        v = max((u for u in range(n) if u not in order), key=lambda u: (weight[u], -u))
        order.append(v)
        for u in adj[v]:
            if u not in order:
                weight[u] += 1
    return order


def perfect_families(n: int, edges: set[Edge]) -> list[tuple[frozenset, frozenset]] | None:
    """(family, parents) per vertex in a perfect ordering, or None if the graph is not chordal."""
    order = _mcs_order(n, edges)
    adj: dict[int, set[int]] = {v: set() for v in range(n)}
    for i, j in edges:
        adj[i].add(j)
        adj[j].add(i)
    out = []
    for idx, v in enumerate(order):
        parents = frozenset(u for u in order[:idx] if u in adj[v])
        if any(b not in adj[a] for a, b in itertools.combinations(sorted(parents), 2)):
            return None
        out.append((parents | {v}, parents))
    return out


@dataclass(frozen=True)
class Graph:
    """One decomposable graph and its factorization."""

    edges: tuple[Edge, ...]
    families: tuple[tuple[frozenset, frozenset], ...]

    def name(self, lists: tuple[str, ...]) -> str:
        if not self.edges:
            return "independent"
        return ", ".join(f"{lists[i]}–{lists[j]}" for i, j in self.edges)


def decomposable_graphs(n: int) -> list[Graph]:
    """Every decomposable graph on ``n`` labelled vertices."""
    pairs = list(itertools.combinations(range(n), 2))
    graphs = []
    for mask in range(1 << len(pairs)):
        edges = {p for b, p in enumerate(pairs) if mask >> b & 1}
        fam = perfect_families(n, edges)
        if fam is not None:
            graphs.append(Graph(tuple(sorted(edges)), tuple(fam)))
    return graphs


@dataclass
class DgaPosterior:
    """The posterior over (graph, N)."""

    graphs: list[Graph]
    n_grid: np.ndarray  # N values
    weights: np.ndarray  # (graphs, grid) posterior probabilities, sum 1
    delta: float
    truncated: bool = False  # the grid hit its cap with posterior mass still at its end

    @property
    def posterior_n(self) -> np.ndarray:
        return self.weights.sum(axis=0)

    @property
    def model_weights(self) -> np.ndarray:
        return self.weights.sum(axis=1)

    def quantile(self, q: float) -> float:
        """The smallest N whose posterior cumulative probability reaches ``q``."""
        cdf = np.cumsum(self.posterior_n)
        return float(self.n_grid[min(int(np.searchsorted(cdf, q)), len(cdf) - 1)])

    @property
    def mean(self) -> float:
        return float(np.sum(self.n_grid * self.posterior_n))

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of N (for summing strata)."""
        p = self.posterior_n / self.posterior_n.sum()
        return rng.choice(self.n_grid, size=size, p=p).astype(float)


def _log_weights(
    table: CaptureTable, graphs: list[Graph], unseen: np.ndarray, delta: float
) -> np.ndarray:
    j = table.n_lists
    pats = patterns_matrix(j)
    y = table.counts.astype(float)
    n_obs = y[1:].sum()
    total = n_obs + unseen
    a_total = delta * 2**j
    norm = gammaln(a_total) - gammaln(total + a_total)
    g: dict[frozenset, np.ndarray] = {frozenset(): np.zeros_like(unseen)}
    for size in range(1, j + 1):
        for subset in itertools.combinations(range(j), size):
            alpha = delta * 2 ** (j - size)
            codes = (pats[:, list(subset)] << np.arange(size)).sum(axis=1)
            marginal = np.bincount(codes, weights=y, minlength=2**size)
            fixed = np.sum(gammaln(marginal[1:] + alpha)) - (2**size) * gammaln(alpha)
            g[frozenset(subset)] = fixed + gammaln(marginal[0] + unseen + alpha) + norm
    coef = gammaln(total + 1.0) - gammaln(unseen + 1.0) - np.sum(gammaln(y[1:] + 1.0))
    prior = -np.log(total)
    rows = [
        sum((g[fam] - g[par] for fam, par in graph.families), np.zeros_like(unseen))
        for graph in graphs
    ]
    return np.array(rows) + coef + prior


def posterior(
    table: CaptureTable, delta: float | None = None, *, max_unseen: int | None = None
) -> DgaPosterior:
    """Model-averaged posterior of N for 3 to 5 lists (``delta`` defaults to 2**-J)."""
    j = table.n_lists
    if not 3 <= j <= 5:
        raise SijillError(f"dga averages over graphs on 3 to 5 lists; these data have {j}")
    if table.observed == 0:
        raise SijillError("dga: no one is observed")
    delta = 2.0**-j if delta is None else float(delta)
    if delta <= 0:
        raise SijillError("dga: delta must be positive")
    graphs = decomposable_graphs(j)
    limit = max_unseen or max(1000, 4 * table.observed)
    while True:
        unseen = np.arange(0, limit + 1, dtype=float)
        logw = _log_weights(table, graphs, unseen, delta)
        col = logsumexp(logw, axis=0)
        tail = col[-1] - logsumexp(col)
        # the mass beyond the grid is about (grid length) × (mass at its end) for tails ∝ N^-2
        enough = tail + math.log(len(unseen)) < math.log(1e-7)
        if max_unseen is not None or enough or limit >= 200 * table.observed + 100_000:
            break
        limit *= 2
    weights = np.exp(logw - logsumexp(logw))
    truncated = max_unseen is None and not enough
    return DgaPosterior(graphs, table.observed + unseen, weights, delta, truncated)
