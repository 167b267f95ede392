"""`sijill link`: read the case's records, score, cluster, write people; repeatable.

Only victims' records are linked. Unidentified rows and aggregate rows (``count`` > 1) are never
matched. Records a human attached to a person who is also an actor are left as they are: victims
and alleged perpetrators are never merged automatically. Person ids are stable: each cluster keeps
the existing person with which it shares most records; a person left without records is marked
``merged_into_id`` so that its old id still resolves.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sijill.errors import SijillError
from sijill.jobs.progress import Report, silent
from sijill.linkage.clustering import cluster
from sijill.linkage.conflicts import HARD, conflict, identities
from sijill.linkage.counts import published_years
from sijill.linkage.engines import ENGINES
from sijill.linkage.features import (
    RecordFacts,
    comparison_rows,
    comparison_table,
)
from sijill.linkage.models import LinkageRun, LinkDecision, ReviewPair
from sijill.linkage.scoring import ScoredPair, score
from sijill.linkage.stored_scores import store_scores
from sijill.security.users import get_setting
from sijill.store.base import utcnow
from sijill.store.changelog import default_actor, log_change
from sijill.store.models import Person, Record, Source

# LINK_THRESHOLD is where a pair's evidence breaks even in clustering (see `clustering`);
# pairs in [REVIEW_FLOOR, LINK_THRESHOLD) between different people, with no HARD conflict, go
# to the review queue (the case's settings may move the floor: `review_floor`), and so do
# pairs held apart although the model was at least REVIEW_HELD_ABOVE sure.
LINK_THRESHOLD = 0.3
REVIEW_FLOOR = 0.1
REVIEW_HELD_ABOVE = 0.95
#: The case setting (``/admin/settings``) that moves the review floor within these bounds.
REVIEW_FLOOR_SETTING = "linkage.review_floor"
REVIEW_FLOOR_BOUNDS = (0.01, LINK_THRESHOLD)


@dataclass(frozen=True)
class LinkResult:
    run_id: int
    records: int
    people: int
    unidentified: int
    aggregate_rows: int
    pairs_scored: int
    new_people: int
    records_changed: int
    people_retired: int
    review_open: int
    engine: str
    rules: dict[str, Any]  # the fields the case has, the prior and rules used (`rules.Plan`)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "people": self.people,
            "unidentified": self.unidentified,
            "aggregate_rows": self.aggregate_rows,
            "pairs_scored": self.pairs_scored,
            "new_people": self.new_people,
            "records_changed": self.records_changed,
            "people_retired": self.people_retired,
            "review_open": self.review_open,
            "engine": self.engine,
            "run_id": self.run_id,
            "rules": self.rules,
        }


def record_facts(record: Record, source_year: int | None = None) -> RecordFacts:
    """What the linkage reads of a stored record (`source_year`: when its list was published)."""
    return RecordFacts(
        id=record.id,
        source_id=record.source_id,
        full_name=record.full_name,
        given_name=record.given_name,
        father_name=record.father_name,
        grandfather_name=record.grandfather_name,
        family_name=record.family_name,
        nickname=record.nickname,
        sex=record.sex,
        age_min=record.age_min,
        age_max=record.age_max,
        birth_year=record.birth_year,
        death_start=record.death_start,
        death_end=record.death_end,
        place_of_death=record.place_of_death,
        district=record.district,
        governorate=record.governorate,
        date_of_birth=record.date_of_birth,
        source_year=source_year,
    )


def case_facts(session: Session, records: Iterable[Record]) -> list[RecordFacts]:
    """What the linkage reads of `records`, each with its list's year of publication (which
    turns an age into a birth year where the record gives no date of death): `link`, the
    estimate's re-formed people and the review page all read records this one way."""
    published = published_years(list(session.scalars(select(Source))))
    return [record_facts(r, published.get(r.source_id)) for r in records]


def review_floor(session: Session) -> float:
    """The case's review floor: its setting when it reads as a number within
    ``REVIEW_FLOOR_BOUNDS`` (the ceiling excluded), else ``REVIEW_FLOOR``."""
    written = get_setting(session, REVIEW_FLOOR_SETTING)
    try:
        floor = float(written) if written else REVIEW_FLOOR
    except ValueError:
        return REVIEW_FLOOR
    low, high = REVIEW_FLOOR_BOUNDS
    return floor if low <= floor < high else REVIEW_FLOOR


def current_decisions(session: Session) -> dict[tuple[int, int], str]:
    """The latest decision for each pair of records."""
    latest: dict[tuple[int, int], str] = {}
    rows = session.execute(
        select(LinkDecision.record_a_id, LinkDecision.record_b_id, LinkDecision.decision).order_by(
            LinkDecision.at, LinkDecision.id
        )
    )
    for a, b, decision in rows:
        latest[(min(a, b), max(a, b))] = decision
    return latest


def link(
    session: Session,
    *,
    engine: str = "duckdb",
    actor: str | None = None,
    progress: Report | None = None,
) -> LinkResult:
    """Match every linkable record into people and store the result in `session`;
    `progress(fraction, message)` hears each stage."""
    if engine not in ENGINES:
        raise SijillError(f"unknown linkage engine {engine!r} (use one of {', '.join(ENGINES)})")
    say = progress or silent
    actor = actor or default_actor()
    say(0.02, "reading records")
    records = list(session.scalars(select(Record).order_by(Record.id)))
    unidentified = sum(1 for r in records if r.unidentified and r.count <= 1)
    aggregates = sum(1 for r in records if r.count > 1)
    linkable, rows = linkable_rows(session, records)
    identified = identities(rows)
    fingerprint = _fingerprint(rows, decisions := current_decisions(session))
    table = comparison_table(rows)
    del rows
    say(0.1, f"scoring {len(identified):,} records ({engine})")
    scored = score(table, engine=engine)
    say(0.6, f"clustering {len(scored.pairs):,} candidate pairs")
    clustering = cluster(
        identified,
        scored.pairs,
        threshold=LINK_THRESHOLD,
        must_link=[p for p, d in decisions.items() if d == "same"],
        cannot_link=[p for p, d in decisions.items() if d == "different"],
    )
    say(0.8, "writing people")
    run = LinkageRun(
        engine=engine,
        actor=actor,
        threshold=LINK_THRESHOLD,
        fingerprint=fingerprint,
        model=scored.model,
        summary={},
    )
    session.add(run)
    session.flush()
    new_people, changed, retired = _write_people(session, linkable, clustering.clusters, actor)
    store_scores(session, scored.pairs)  # for re-forming people later without scoring again
    by_id = {identity.id: identity for identity in identified}
    review_open = _refresh_queue(
        session,
        [
            pair
            for pair in scored.pairs.within(review_floor(session), LINK_THRESHOLD)
            if conflict(by_id[pair.a], by_id[pair.b]) != HARD
        ],
        clustering.held_back,
        clustering.clusters,
        decisions,
        run.id,
    )
    result = LinkResult(
        run_id=run.id,
        records=len(linkable),
        people=len(clustering.clusters),
        unidentified=unidentified,
        aggregate_rows=aggregates,
        pairs_scored=len(scored.pairs),
        new_people=new_people,
        records_changed=changed,
        people_retired=retired,
        review_open=review_open,
        engine=engine,
        rules=scored.plan.as_dict() if scored.plan else {},
    )
    run.records, run.people, run.summary = result.records, result.people, result.as_dict()
    run.finished_at = utcnow()
    log_change(
        session,
        action="link",
        entity="linkage_run",
        entity_id=run.id,
        detail=result.as_dict(),
        actor=actor,
    )
    return result


def linkable_rows(
    session: Session, records: Iterable[Record]
) -> tuple[list[Record], list[dict[str, Any]]]:
    """The records `link` matches among ``records`` (not unidentified, not aggregate, not
    attached to an actor) and their comparison rows, read as :func:`case_facts` reads them:
    whatever re-forms people from the stored scores must read them the same way."""
    actor_people = set(session.scalars(select(Person.id).where(Person.is_actor.is_(True))))
    linkable = [
        r
        for r in records
        if not r.unidentified and r.count <= 1 and r.person_id not in actor_people
    ]
    return linkable, comparison_rows(case_facts(session, linkable))


def _fingerprint(rows: list[dict[str, Any]], decisions: dict[tuple[int, int], str]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    digest.update(json.dumps(sorted(decisions.items())).encode())
    return digest.hexdigest()


def assign_people(
    clusters: list[list[int]], current: dict[int, int | None]
) -> tuple[list[int | None], dict[int, int]]:
    """Which existing person each cluster keeps (None: a new one) and where retired ones went.

    A cluster keeps the person with which it shares most records (ties: the older id); each
    person goes to at most one cluster. A person no cluster keeps is retired into the person of
    the cluster that took most of its records. Pure function, deterministic.
    """
    overlap: Counter[tuple[int, int]] = Counter()
    for index, members in enumerate(clusters):
        for record_id in members:
            person = current.get(record_id)
            if person is not None:
                overlap[(index, person)] += 1
    kept: list[int | None] = [None] * len(clusters)
    taken: set[int] = set()
    for (index, person), _n in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if kept[index] is None and person not in taken:
            kept[index] = person
            taken.add(person)
    retired: dict[int, int] = {}
    shares: dict[int, Counter[int]] = defaultdict(Counter)
    for (index, person), n in overlap.items():
        if person not in taken:
            shares[person][index] += n
    for person, by_cluster in shares.items():
        best = sorted(by_cluster.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        if kept[best] is not None:
            retired[person] = kept[best]  # type: ignore[assignment]
    return kept, retired


def _write_people(
    session: Session, linkable: list[Record], clusters: list[list[int]], actor: str
) -> tuple[int, int, int]:
    by_id = {r.id: r for r in linkable}
    kept, retired = assign_people(clusters, {r.id: r.person_id for r in linkable})
    wanted = {p for p in kept if p is not None} | set(retired)
    persons = {
        p.id: p
        for p in session.scalars(select(Person).where(Person.is_victim.is_(True)))
        if p.id in wanted
    }
    persons |= {
        pid: p for pid in wanted - set(persons) if (p := session.get(Person, pid)) is not None
    }
    fresh = [Person(is_victim=True, access="internal") for p in kept if p is None]
    session.add_all(fresh)
    session.flush()  # gives the new people their ids
    new_ids = iter(fresh)
    changed = 0
    for index, members in enumerate(clusters):
        kept_id = kept[index]
        person = persons[kept_id] if kept_id is not None else next(new_ids)
        records = [by_id[m] for m in members]
        _describe(person, records)
        for record in records:
            if record.person_id != person.id:
                record.person_id = person.id
                changed += 1
    for old, new in retired.items():
        retiring = persons.get(old)
        if retiring is not None and retiring.merged_into_id != new and not retiring.is_actor:
            retiring.merged_into_id = new
            log_change(
                session,
                action="merge",
                entity="person",
                entity_id=old,
                detail={"merged_into": new, "by": "link"},
                actor=actor,
            )
    return len(fresh), changed, len(retired)


def _describe(person: Person, records: list[Record]) -> None:
    """Names of a person from their records (first Arabic and first Latin spelling)."""
    arabic = next((r.full_name for r in records if r.script == "arabic" and r.full_name), None)
    latin = next((r.full_name for r in records if r.script == "latin" and r.full_name), None)
    display = arabic or latin or next((r.full_name for r in records if r.full_name), None)
    key = next((r.name_key for r in records if r.name_key), None)
    values = {"is_victim": True, "merged_into_id": None, "name_ar": arabic, "name_latin": latin}
    values |= {"display_name": display, "name_key": key[:200] if key else None}
    for attr, value in values.items():
        if getattr(person, attr) != value:
            setattr(person, attr, value)


def _refresh_queue(
    session: Session,
    uncertain: list[ScoredPair],
    held_back: list[ScoredPair],
    clusters: list[list[int]],
    decisions: dict[tuple[int, int], str],
    run_id: int,
) -> int:
    """Open questions: uncertain pairs between different people (that nothing rules out), and
    pairs the model was sure of but that were held apart."""
    cluster_of = {rid: i for i, members in enumerate(clusters) for rid in members}
    wanted: dict[tuple[int, int], tuple[ScoredPair, str]] = {}
    for pair in uncertain:
        if cluster_of.get(pair.a) != cluster_of.get(pair.b):
            wanted[(pair.a, pair.b)] = (pair, "uncertain")
    for pair in held_back:
        if pair.probability >= REVIEW_HELD_ABOVE:
            wanted[(pair.a, pair.b)] = (pair, "conflict")
    for key in decisions:
        wanted.pop(key, None)
    existing = {
        (q.record_a_id, q.record_b_id): q
        for q in session.scalars(select(ReviewPair).where(ReviewPair.status == "open"))
    }
    for key, stale in existing.items():
        if key not in wanted:
            session.delete(stale)
    for key, (pair, reason) in sorted(wanted.items()):
        question = existing.get(key)
        if question is None:
            session.add(
                ReviewPair(
                    record_a_id=pair.a,
                    record_b_id=pair.b,
                    probability=round(pair.probability, 6),
                    weight=round(pair.weight, 4),
                    reason=reason,
                    status="open",
                    run_id=run_id,
                )
            )
        elif question.reason != reason:
            question.reason = reason
    session.flush()
    return len(wanted)
