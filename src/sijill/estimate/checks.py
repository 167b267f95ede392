"""Warnings a statistician would give about the data before trusting an estimate."""

from __future__ import annotations

import itertools

from sijill.estimate.histories import CaptureTable, patterns_matrix

#: A stratum with fewer observed people than this gives a fragile estimate.
SMALL_STRATUM = 50


def data_warnings(table: CaptureTable) -> list[str]:
    """Too few lists, sparse cells, lists that never overlap, tiny lists or strata."""
    out: list[str] = []
    j = table.n_lists
    if j < 3:
        out.append(
            f"only {j} lists: the estimate assumes they are independent and nothing in the "
            "data can check it; use 3 or more lists"
        )
    cells = table.counts[1:]
    zero = int((cells == 0).sum())
    small = int(((cells > 0) & (cells < 5)).sum())
    if zero + small > len(cells) / 2:
        out.append(
            f"sparse table: {zero} of {len(cells)} capture patterns are empty and {small} have "
            "fewer than 5 people; interactions between lists are poorly determined"
        )
    pats = patterns_matrix(j)
    for a, b in itertools.combinations(range(j), 2):
        both = int(table.counts[(pats[:, a] == 1) & (pats[:, b] == 1)].sum())
        if both == 0:
            out.append(
                f"lists {table.lists[a]} and {table.lists[b]} have no one in common: "
                "their dependence cannot be estimated"
            )
    for name, total in table.list_totals().items():
        if total == 0:
            out.append(f"list {name} is empty")
    if 0 < table.observed < SMALL_STRATUM:
        out.append(f"only {table.observed} people observed: the estimate is fragile")
    return out


def estimate_warnings(observed: int, estimate: float, interval: tuple[float, float]) -> list[str]:
    """Estimates that say most people are unseen, or intervals without an upper end."""
    out: list[str] = []
    hi = interval[1]
    if hi != hi or hi == float("inf"):
        out.append("the interval has no finite upper end: the data cannot bound the total")
    elif observed > 0 and estimate > 5 * observed:
        out.append(
            f"the estimate is {estimate / observed:.1f} times the people observed: it rests "
            "mostly on the model, not on the overlaps"
        )
    return out
