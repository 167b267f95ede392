"""How the total moves with the linkage: estimates on the people as other linkage would form them.

Missed links make false singletons, and multiple systems estimation reads them as people seen by
one list only, so the total is only as good as the linkage. ``sijill link`` stores every pair it
scored (``linkage.stored_scores``); from those, the people are re-formed by the linkage's own
clustering (``linkage.clustering.cluster``, with the reviewers' decisions) at a stricter and a
looser match threshold, and at the link threshold with the open review queue's uncertain pairs
taken as the same person and as different people. The estimate is re-run on each (LCMCR's
chains at a fixed length, not to convergence; people formed as before are not re-run); when the
estimates spread wider than the interval, that comes first among the warnings, since the interval
itself says nothing of linkage error. A second warning counts the people seen by one list only
who have a near match (scored at least at the review band's floor) on another list.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from sijill.estimate.api import EstimateOptions, estimate
from sijill.estimate.from_case import CaseLists, capture_data, read_case
from sijill.estimate.histories import CaptureData
from sijill.estimate.result import EstimateResult
from sijill.linkage.clustering import cluster
from sijill.linkage.conflicts import Identity, identities
from sijill.linkage.models import ReviewPair
from sijill.linkage.scoring import ScoredPairs
from sijill.linkage.service import (
    LINK_THRESHOLD,
    REVIEW_FLOOR,
    current_decisions,
    linkable_rows,
)
from sijill.linkage.stored_scores import load_scores
from sijill.store.models import Record
from sijill.store.settings import DEMO_MARK, is_demo

STRICTER = 0.6  # match probability a pair needs to join a person, beside LINK_THRESHOLD (0.3)
LOOSER = 0.15  # ... and looser (the scores are stored from 0.05, the review band starts at 0.1)
NEAR_MATCH_SHARE = 0.02  # share of one-list people with a near match that earns a warning
AS_LINKED = "as linked"


@dataclass(frozen=True)
class LinkageState:
    """What re-forming people needs: the records' identities, the stored scores, the reviewers'
    decisions and the open review queue's uncertain pairs."""

    identities: list[Identity]
    pairs: ScoredPairs
    decisions: dict[tuple[int, int], str]
    queue: list[tuple[int, int]]


def read_linkage(session: Session) -> LinkageState | None:
    """The linkage as stored; None when no run of ``sijill link`` stored its scores."""
    pairs = load_scores(session)
    if len(pairs) == 0:
        return None
    _, rows = linkable_rows(session, session.scalars(select(Record).order_by(Record.id)))
    queue = session.execute(
        select(ReviewPair.record_a_id, ReviewPair.record_b_id).where(
            ReviewPair.status == "open", ReviewPair.reason == "uncertain"
        )
    )
    return LinkageState(
        identities=identities(rows),
        pairs=pairs,
        decisions=current_decisions(session),
        queue=[(min(a, b), max(a, b)) for a, b in queue],
    )


def people_at(state: LinkageState, threshold: float, queue_as: str | None = None) -> dict[int, int]:
    """Record id -> person (cluster index) at ``threshold``, with the review queue's pairs taken
    as "same" or "different" people, or left to the scores (None)."""
    must = [pair for pair, decision in state.decisions.items() if decision == "same"]
    cannot = [pair for pair, decision in state.decisions.items() if decision == "different"]
    undecided = [pair for pair in state.queue if pair not in state.decisions]
    if queue_as == "same":
        must += undecided
    elif queue_as == "different":
        cannot += undecided
    clusters = cluster(
        state.identities, state.pairs, threshold=threshold, must_link=must, cannot_link=cannot
    ).clusters
    return {record: index for index, members in enumerate(clusters) for record in members}


def near_matches(
    case: CaseLists, pairs: ScoredPairs, floor: float = REVIEW_FLOOR
) -> tuple[int, int]:
    """(people seen by one list only who have a pair scored at least ``floor`` with a record of
    another person on another list, people seen by one list only)."""
    person = {r.record_id: r.person_id for r in case.records}
    column = {r.record_id: r.column for r in case.records}
    lists_of: dict[int, set[int]] = defaultdict(set)
    for r in case.records:
        lists_of[r.person_id].add(r.column)
    alone = {p for p, cols in lists_of.items() if len(cols) == 1}
    near: set[int] = set()
    keep = pairs.probability >= floor
    for a, b in zip(pairs.a[keep].tolist(), pairs.b[keep].tolist(), strict=True):
        if a not in person or b not in person or person[a] == person[b]:
            continue
        if column[a] != column[b]:
            near.update(p for p in (person[a], person[b]) if p in alone)
    return len(near), len(alone)


def _tables(data: CaptureData) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each stratum's counts: all an estimate reads of the people."""
    return tuple((name, tuple(table.counts.tolist())) for name, table in data.strata.items())


def _row(setting: str, result: EstimateResult) -> dict[str, Any]:
    doc = result.as_dict()
    return {
        "setting": setting,
        "observed": result.observed,
        "estimate": doc["estimate"],
        "interval": doc["interval"],
    }


def estimate_case(
    case: CaseLists,
    state: LinkageState | None,
    options: EstimateOptions | None = None,
    *,
    sensitivity: bool = True,
    on_stratum: Callable[[str], None] | None = None,
) -> EstimateResult:
    """The estimate on the people as linked, with the linkage sensitivity when ``state`` holds
    the stored scores (pure: no database)."""
    options = options or EstimateOptions()
    data = capture_data(case)
    result = estimate(data, options, on_stratum=on_stratum)
    notes = list(case.notes)
    if state is None:
        if sensitivity:
            notes.append(
                "no linkage scores are stored (run `sijill link` again): the estimate's "
                "sensitivity to the linkage was not measured"
            )
        result.warnings[:0] = notes
        return result
    found, alone = near_matches(case, state.pairs)
    if alone and found / alone >= NEAR_MATCH_SHARE:
        notes.append(
            f"{found:,} of the {alone:,} people seen by one list only ({found / alone:.0%}) have "
            f"a near match (model probability ≥ {REVIEW_FLOOR:g}) on another list: if they are "
            "the same people, the total is too high; review them (`sijill review`)"
        )
    if not sensitivity:
        result.warnings[:0] = notes
        return result
    # The re-runs are compared with the estimate, not read alone: no prior check, and LCMCR's
    # chains of a fixed length (--samples) rather than run to convergence. People who come out
    # as counted before (as linked, or by an earlier setting) are not estimated again.
    quiet = replace(options, prior_check=False, lcmcr=replace(options.lcmcr, max_samples=0))
    settings = [
        (f"stricter match threshold {STRICTER:g}", STRICTER, None),
        (f"looser match threshold {LOOSER:g}", LOOSER, None),
        ("review queue taken as same", LINK_THRESHOLD, "same"),
        ("review queue taken as different", LINK_THRESHOLD, "different"),
    ]
    rows = [_row(AS_LINKED, result)]
    done = {_tables(data): rows[0]}
    for label, threshold, queue_as in settings:
        formed = capture_data(case, people_at(state, threshold, queue_as))
        key = _tables(formed)
        if key not in done:
            done[key] = _row(label, estimate(formed, quiet))
        rows.append({**done[key], "setting": label})
    result.linkage_sensitivity = rows
    estimates = [r["estimate"] for r in rows if r["estimate"] is not None]
    lo, hi = result.interval
    spread = max(estimates) - min(estimates)
    if spread > hi - lo:
        notes.insert(
            0,
            f"the linkage moves the total more than its interval is wide: "
            f"{min(estimates):,.0f} to {max(estimates):,.0f} across linkage settings, against "
            f"the {result.level:.0%} interval {lo:,.0f}–{hi:,.0f}, which leaves linkage error out",
        )
        result.linkage_spread = True
    result.warnings[:0] = notes
    return result


def case_to_estimate(
    session: Session,
    *,
    lists: Sequence[str] | None = None,
    merge: Sequence[Sequence[str]] = (),
    merge_dependent: bool = True,
    stratum: str | None = None,
    sensitivity: bool = True,
) -> tuple[CaseLists, LinkageState | None]:
    """What :func:`estimate_case` needs from the database: the case's lists (with the demo
    mark among its notes when the case is the demo; the linkage's spread, if any, stays first)
    and the stored linkage when the sensitivity is asked for."""
    case = read_case(
        session, lists=lists, merge=merge, merge_dependent=merge_dependent, stratum=stratum
    )
    if is_demo(session):
        case.notes.insert(0, f"{DEMO_MARK}: every list in this case is invented")
    return case, read_linkage(session) if sensitivity else None


def estimate_from_case(
    session: Session,
    options: EstimateOptions | None = None,
    *,
    lists: Sequence[str] | None = None,
    merge: Sequence[Sequence[str]] = (),
    merge_dependent: bool = True,
    stratum: str | None = None,
    sensitivity: bool = True,
) -> EstimateResult:
    """Estimate the total from the linked case, with its sensitivity to the linkage."""
    case = read_case(
        session, lists=lists, merge=merge, merge_dependent=merge_dependent, stratum=stratum
    )
    state = read_linkage(session) if sensitivity else None
    return estimate_case(case, state, options, sensitivity=sensitivity)


def estimate_job(
    sessions: sessionmaker[Session], params: dict[str, Any], report: Callable[[float, str], None]
) -> dict[str, Any]:
    """The work of an ``estimate`` job (:mod:`sijill.jobs`): ``estimate --from-case`` with the
    ``method``, ``stratum`` and ``seed`` of ``params``; its result is FORMATS.md §4's JSON with
    the posterior figure (``plot_png``, base64)."""
    from sijill.estimate.plots import posterior_png  # matplotlib loads only here

    options = EstimateOptions(method=params.get("method") or "lcmcr", seed=params.get("seed"))
    options.validate()
    report(0.05, "reading the case")
    with sessions() as session:
        case, state = case_to_estimate(session, stratum=params.get("stratum") or None)
    strata = max(1, len({r.stratum for r in case.records}))
    seen: list[str] = []

    def on_stratum(name: str) -> None:
        seen.append(name)
        report(0.1 + 0.5 * (len(seen) - 1) / strata, f"estimating {name}")

    result = estimate_case(case, state, options, on_stratum=on_stratum)
    report(0.95, "drawing the figure")
    doc = result.as_dict()
    doc["plot_png"] = base64.b64encode(posterior_png(result)).decode("ascii")
    return doc
