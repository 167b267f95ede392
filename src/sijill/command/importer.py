"""Import a command-structure document (FORMATS.md §3): validate all of it, then store all of it.

Organizations and persons are matched by their ids (updated when they exist); a dated fact that
is already stored exactly as written is not stored twice, so importing a file again changes
nothing. Incidents go into the one incident model (:mod:`sijill.incidents.service`): one stored
before is updated and what differed is named. Each source id a fact cites is a ``Source`` of the
case (by name), and a ``Citation`` of that fact; an unknown one refuses the file, naming the close
matches, unless ``create_sources`` (``--create-sources``) asks to create it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sijill.command import fields as F
from sijill.command.dates import BadDate, fact_bounds, normalize, parse_span
from sijill.command.models import (
    FACT_TABLES,
    Area,
    Composition,
    DatedFact,
    Membership,
    Organization,
    PersonDetails,
    Succession,
)
from sijill.errors import ImportRejected, RowProblem
from sijill.incidents.models import ALLEGATION_STATUS
from sijill.incidents.saving import CitationInput, IncidentInput, PerpetratorInput, save_incident
from sijill.store.changelog import log_change
from sijill.store.lookup import unknown
from sijill.store.merges import surviving
from sijill.store.models import Citation, Person, Source

DEFAULT_STATUS = "alleged"


@dataclass
class ImportCounts:
    """How many rows of each kind were stored (created or updated), and what was skipped."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(F.KINDS, 0))
    unchanged: int = 0
    citations: int = 0
    # Ids named by facts but declared nowhere: created with their id alone.
    undeclared: dict[str, list[str]] = field(default_factory=dict)
    # Incidents stored before that this import changed, with what differed.
    incidents_changed: list[dict[str, Any]] = field(default_factory=list)
    # The row ids of the dated facts this import added, by kind.
    added: dict[str, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            **self.counts,
            "citations": self.citations,
            "unchanged": self.unchanged,
        }
        if any(self.undeclared.values()):
            out["undeclared"] = self.undeclared
        if self.incidents_changed:
            out["incidents_changed"] = self.incidents_changed
        return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _confidence(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text else None


def _role(value: Any) -> str:
    """The role as written; the three FORMATS.md names whatever their case."""
    text = _text(value) or "member"
    return text.lower() if text.lower() in ("commander", "deputy", "member") else text


def _date(value: Any) -> str | None:
    return normalize(_text(value))


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return value
    return [value]


def _source_ref(item: Any) -> tuple[str, str | None]:
    """A cited source as ``(name, locator)``: a plain id, or ``{"id": ..., "locator": ...}``."""
    if isinstance(item, Mapping):
        name = _text(item.get("id") or item.get("source") or item.get("name"))
        return name or "", _text(item.get("locator"))
    return _text(item) or "", None


def validate(
    doc: Mapping[str, Any], known_orgs: set[str], known_persons: set[str]
) -> list[RowProblem]:
    """Every problem of the document; ``known_*`` are ids already in the case."""
    problems: list[RowProblem] = []
    if not isinstance(doc, Mapping):
        return [RowProblem(0, None, "the structure must be a JSON object")]
    orgs = set(known_orgs)
    persons = set(known_persons)
    for kind, key_set in (("organizations", orgs), ("persons", persons)):
        for row in _as_list(doc.get(kind)):
            if isinstance(row, Mapping) and _text(row.get("id")):
                key_set.add(str(row["id"]).strip())
    for kind in F.KINDS:
        rows = doc.get(kind)
        if rows is None:
            continue
        if not isinstance(rows, list):
            problems.append(RowProblem(0, kind, "must be a list"))
            continue
        for i, row in enumerate(rows, start=1):
            problems.extend(_row_problems(kind, i, row, orgs, persons))
    return problems


def undeclared(
    doc: Mapping[str, Any], known_orgs: set[str], known_persons: set[str]
) -> tuple[list[str], list[str]]:
    """Organization and person ids that facts name but neither the document nor the case
    declares, in the order first named. They are created with their id alone."""
    orgs = set(known_orgs) | {
        str(r["id"]).strip() for r in _as_list(doc.get("organizations")) if _text(r.get("id"))
    }
    persons = set(known_persons) | {
        str(r["id"]).strip() for r in _as_list(doc.get("persons")) if _text(r.get("id"))
    }
    new_orgs: dict[str, None] = {}
    new_persons: dict[str, None] = {}
    for kind in F.FACT_KINDS:
        for row in _as_list(doc.get(kind)):
            refs = [_text(row.get(k)) for k in F.ORG_REFS.get(kind, ())]
            refs += [_text(r) for r in _as_list(row.get("perpetrator_organization_ids"))]
            new_orgs.update((r, None) for r in refs if r and r not in orgs)
            person = _text(row.get("person_id")) if kind == "memberships" else None
            if person and person not in persons:
                new_persons[person] = None
    return list(new_orgs), list(new_persons)


def _row_problems(
    kind: str, i: int, row: Any, orgs: set[str], persons: set[str]
) -> Iterable[RowProblem]:
    if not isinstance(row, Mapping):
        yield RowProblem(i, kind, "each row must be a JSON object")
        return
    if kind in ("organizations", "persons", "incidents") and not _text(row.get("id")):
        yield RowProblem(i, f"{kind}.id", "missing id")
    for key in F.DATE_KEYS + ("founding_date", "dissolution_date"):
        if key in row:
            try:
                parse_span(row.get(key))
            except BadDate as exc:
                yield RowProblem(i, f"{kind}.{key}", str(exc))
    conf = _confidence(row.get("confidence"))
    if conf is not None and conf not in F.CONFIDENCES:
        yield RowProblem(i, f"{kind}.confidence", f"must be one of {', '.join(F.CONFIDENCES)}")
    for item in _as_list(row.get("sources")):
        if not _source_ref(item)[0]:
            yield RowProblem(i, f"{kind}.sources", "a cited source has no id")
    for key in F.ORG_REFS.get(kind, ()):
        ref = _text(row.get(key))
        if ref is None:
            yield RowProblem(i, f"{kind}.{key}", "missing organization id")
    if kind == "memberships":
        ref = _text(row.get("person_id"))
        if ref is None:
            yield RowProblem(i, "memberships.person_id", "missing person id")
    if kind == "areas" and not _text(row.get("place")):
        yield RowProblem(i, "areas.place", "missing place")
    if kind == "incidents":
        for ref in _as_list(row.get("perpetrator_organization_ids")):
            if _text(ref) is None:
                yield RowProblem(i, "incidents.perpetrator_organization_ids", "empty id")
        status = row.get("perpetrator_status")
        for value in status.values() if isinstance(status, Mapping) else [status]:
            if _text(value) is not None and _text(value) not in ALLEGATION_STATUS:
                yield RowProblem(
                    i,
                    "incidents.perpetrator_status",
                    f"{value!r} is not one of {', '.join(ALLEGATION_STATUS)}",
                )
    for key in ("merged_into",):
        ref = _text(row.get(key))
        if ref is not None and ref not in (orgs if kind == "organizations" else persons):
            yield RowProblem(i, f"{kind}.{key}", f"unknown id {ref!r}")
    if kind in F.FACT_KINDS:
        try:
            bounds = fact_bounds(*(row.get(k) for k in F.DATE_KEYS))
        except BadDate:
            return
        if (
            bounds.possible_start is not None
            and bounds.possible_end is not None
            and bounds.possible_start > bounds.possible_end
        ):
            yield RowProblem(i, f"{kind}.end_date", "ends before it starts")


class _Importer:
    """Holds the caches of one import (ids by external id, sources by name)."""

    def __init__(self, session: Session, origin: str, actor: str | None) -> None:
        self.session = session
        self.origin = origin
        self.actor = actor
        self.counts = ImportCounts()
        self.orgs: dict[str, Organization] = {
            o.external_id: o for o in session.scalars(select(Organization))
        }
        self.persons: dict[str, Person] = {}
        for p in session.scalars(
            select(Person).where(Person.is_actor.is_(True)).order_by(Person.id.desc())
        ):
            if p.external_id:
                self.persons[p.external_id] = p
        self.sources: dict[str, int] = {}

    # ------------------------------------------------------------------ lookups
    def org_id(self, external_id: Any) -> int:
        return surviving(self.session, self.orgs[str(external_id).strip()]).id

    def person_id(self, external_id: Any) -> int:
        return surviving(self.session, self.persons[str(external_id).strip()]).id

    def source_id(self, name: str) -> int:
        if name not in self.sources:
            found = self.session.scalars(select(Source.id).where(Source.name == name)).first()
            if found is None:
                src = Source(name=name, kind="structure-citation", notes=f"cited in {self.origin}")
                self.session.add(src)
                self.session.flush()
                found = src.id
            self.sources[name] = found
        return self.sources[name]

    # ------------------------------------------------------------------ entities
    def organizations(self, rows: list[Mapping[str, Any]]) -> None:
        updated = [self.orgs[k].id for k in {str(r["id"]).strip() for r in rows} if k in self.orgs]
        for chunk in range(0, len(updated), 5000):  # their citations are replaced below
            self.session.execute(
                delete(Citation).where(
                    Citation.claim_table == "command_organizations",
                    Citation.claim_id.in_([str(i) for i in updated[chunk : chunk + 5000]]),
                )
            )
        for row in rows:
            ext = str(row["id"]).strip()
            org = self.orgs.get(ext)
            if org is None:
                org = Organization(external_id=ext)
                self.session.add(org)
                self.orgs[ext] = org
            org.name = _text(row.get("name"))
            org.name_ar = _text(row.get("name_ar"))
            org.classification = _text(row.get("classification"))
            org.aliases = [str(a) for a in _as_list(row.get("aliases"))]
            org.founding_date = _date(row.get("founding_date"))
            org.dissolution_date = _date(row.get("dissolution_date"))
            org.confidence = _confidence(row.get("confidence"))
            org.extra = _extra("organizations", row)
            self.counts.counts["organizations"] += 1
        self.session.flush()
        for row in rows:
            target = _text(row.get("merged_into"))
            if target:
                self.orgs[str(row["id"]).strip()].merged_into_id = self.orgs[target].id
        self.session.flush()
        for row in rows:
            org = self.orgs[str(row["id"]).strip()]
            self._cite("command_organizations", org.id, row)

    def persons_(self, rows: list[Mapping[str, Any]]) -> None:
        details: dict[int, PersonDetails] = {
            d.person_id: d for d in self.session.scalars(select(PersonDetails))
        }
        for row in rows:
            ext = str(row["id"]).strip()
            person = self.persons.get(ext)
            if person is None:
                person = Person(external_id=ext, is_actor=True, is_victim=False)
                self.session.add(person)
                self.persons[ext] = person
            name = _text(row.get("name"))
            person.display_name = name or _text(row.get("name_ar"))
            person.name_latin = name
            person.name_ar = _text(row.get("name_ar"))
        self.session.flush()  # one flush gives every new person its id
        for row in rows:
            person = self.persons[str(row["id"]).strip()]
            detail = details.get(person.id)
            if detail is None:
                detail = PersonDetails(person_id=person.id)
                self.session.add(detail)
                details[person.id] = detail
            detail.aliases = [str(a) for a in _as_list(row.get("aliases"))]
            detail.extra = _extra("persons", row)
            self.counts.counts["persons"] += 1
        self.session.flush()
        for row in rows:
            target = _text(row.get("merged_into"))
            if target:
                self.persons[str(row["id"]).strip()].merged_into_id = self.persons[target].id

    # ------------------------------------------------------------------ facts
    def facts(self, kind: str, rows: list[Mapping[str, Any]]) -> None:
        if kind == "incidents":
            self.incidents(rows)
            return
        model = FACT_TABLES[kind]
        existing = {_stored_key(kind, fact) for fact in self.session.scalars(select(model))}
        added: list[tuple[Any, Mapping[str, Any]]] = []
        for row in rows:
            fact = self._build(kind, row)
            key = _stored_key(kind, fact)
            if key in existing:
                self.counts.unchanged += 1
                continue
            existing.add(key)
            added.append((fact, row))
        self.session.add_all([fact for fact, _ in added])
        self.session.flush()
        for fact, row in added:
            self._cite(fact.__tablename__, fact.id, row)
            self.counts.counts[kind] += 1
            self.counts.added.setdefault(kind, []).append(fact.id)

    def _build(self, kind: str, row: Mapping[str, Any]) -> DatedFact:
        dates = {k: _date(row.get(k)) for k in F.DATE_KEYS}
        bounds = fact_bounds(*dates.values())
        common: dict[str, Any] = {
            **dates,
            "sure_start": bounds.sure_start,
            "sure_end": bounds.sure_end,
            "possible_start": bounds.possible_start,
            "possible_end": bounds.possible_end,
            "confidence": _confidence(row.get("confidence")),
            "extra": _extra(kind, row),
        }
        if kind == "memberships":
            return Membership(
                person_id=self.person_id(row["person_id"]),
                organization_id=self.org_id(row["organization_id"]),
                role=_role(row.get("role")),
                title=_text(row.get("title")),
                rank=_text(row.get("rank")),
                **common,
            )
        if kind == "compositions":
            return Composition(
                parent_id=self.org_id(row["parent_id"]),
                child_id=self.org_id(row["child_id"]),
                classification=_text(row.get("classification")) or "command",
                **common,
            )
        if kind == "areas":
            return Area(
                organization_id=self.org_id(row["organization_id"]),
                place=_text(row.get("place")) or "",
                **common,
            )
        return Succession(
            predecessor_id=self.org_id(row["predecessor_id"]),
            successor_id=self.org_id(row["successor_id"]),
            kind=_text(row.get("kind")) or "absorbed",
            **common,
        )

    def incidents(self, rows: list[Mapping[str, Any]]) -> None:
        """Each incident into the one incident model: added, or updated with what differs."""
        for row in rows:
            saved = save_incident(
                self.session, self._incident(row), actor=self.actor or self.origin
            )
            if saved.state == "unchanged":
                self.counts.unchanged += 1
                continue
            self.counts.counts["incidents"] += 1
            if saved.state == "updated":
                self.counts.incidents_changed.append(
                    {"id": saved.incident.external_id, "changes": saved.changes}
                )

    def _incident(self, row: Mapping[str, Any]) -> IncidentInput:
        confidence = _confidence(row.get("confidence")) or "medium"
        citations = []
        for item in _as_list(row.get("sources")):
            name, locator = _source_ref(item)
            self.source_id(name)  # created (by name) when the import may create sources
            citations.append(CitationInput(name, locator, confidence))
        self.counts.citations += len(citations)
        status = row.get("perpetrator_status")
        perpetrators = []
        for ref in _as_list(row.get("perpetrator_organization_ids")):
            ext = str(ref).strip()
            this = status.get(ext) if isinstance(status, Mapping) else status
            perpetrators.append(
                PerpetratorInput(organization_ref=ext, status=_text(this) or DEFAULT_STATUS)
            )
        extra = {
            **{k: v for k in ("first_cited", "last_cited") if (v := _date(row.get(k)))},
            **(_extra("incidents", row) or {}),
        }
        title = _text(extra.pop("title", None))
        return IncidentInput(
            title=title,
            external_id=str(row["id"]).strip(),
            place=_text(row.get("place")),
            start_date=_date(row.get("start_date")),
            end_date=_date(row.get("end_date")),
            perpetrators=perpetrators,
            citations=citations,
            confidence=_confidence(row.get("confidence")),
            extra=extra or None,
        )

    def _cite(self, table: str, claim_id: int, row: Mapping[str, Any]) -> None:
        confidence = _confidence(row.get("confidence")) or "medium"
        for item in _as_list(row.get("sources")):
            name, locator = _source_ref(item)
            self.session.add(
                Citation(
                    source_id=self.source_id(name),
                    claim_table=table,
                    claim_id=str(claim_id),
                    locator=locator,
                    confidence=confidence,
                )
            )
            self.counts.citations += 1


def _extra(kind: str, row: Mapping[str, Any]) -> dict[str, Any] | None:
    extra = {k: v for k, v in row.items() if k not in F.KNOWN_KEYS[kind]}
    return extra or None


def _stored_key(kind: str, fact: Any) -> tuple[Any, ...]:
    """What makes two stored facts the same claim (dates as written included)."""
    dates = tuple(getattr(fact, k) for k in F.DATE_KEYS)
    if kind == "memberships":
        core: tuple[Any, ...] = (
            fact.person_id,
            fact.organization_id,
            fact.role,
            fact.title,
            fact.rank,
        )
    elif kind == "compositions":
        core = (fact.parent_id, fact.child_id, fact.classification)
    elif kind == "areas":
        core = (fact.organization_id, fact.place)
    else:
        core = (fact.predecessor_id, fact.successor_id, fact.kind)
    return (*core, *dates, fact.confidence)


def unknown_sources(doc: Mapping[str, Any], known: set[str]) -> list[RowProblem]:
    """A problem for each cited source id the case does not know, with the close matches."""
    problems: list[RowProblem] = []
    for kind in F.KINDS:
        for i, row in enumerate(_as_list(doc.get(kind)), start=1):
            if not isinstance(row, Mapping):
                continue
            for item in _as_list(row.get("sources")):
                name = _source_ref(item)[0]
                if name and name not in known:
                    error = unknown("source", name, known, CREATE_HINT)
                    problems.append(RowProblem(i, f"{kind}.sources", str(error)))
    return problems


CREATE_HINT = "register it, or import with --create-sources to create it"


def import_structure(
    session: Session,
    doc: Mapping[str, Any],
    origin: str = "structure",
    create_sources: bool = False,
    actor: str | None = None,
) -> ImportCounts:
    """Validate and store a whole structure document in the caller's transaction; with
    ``create_sources`` a cited source the case does not know is created (by name). ``actor``
    is who the change log names (default: the operating-system user).

    Raises ``ImportRejected`` naming every problem (kind, row, key) and stores nothing then.
    """
    known_orgs = set(session.scalars(select(Organization.external_id)))
    known_persons = {
        p for p in session.scalars(select(Person.external_id).where(Person.is_actor.is_(True))) if p
    }
    problems = validate(doc, known_orgs, known_persons)
    if not create_sources and isinstance(doc, Mapping):
        problems += unknown_sources(doc, set(session.scalars(select(Source.name))))
    if problems:
        raise ImportRejected(origin, problems)
    new_orgs, new_persons = undeclared(doc, known_orgs, known_persons)
    importer = _Importer(session, origin, actor)
    importer.organizations(list(doc.get("organizations") or []) + [{"id": ref} for ref in new_orgs])
    importer.persons_(list(doc.get("persons") or []) + [{"id": ref} for ref in new_persons])
    importer.counts.undeclared = {"organizations": new_orgs, "persons": new_persons}
    for kind in F.FACT_KINDS:
        importer.facts(kind, list(doc.get(kind) or []))
    session.flush()
    log_change(
        session,
        action="import",
        entity="command_structure",
        entity_id=origin,
        detail=importer.counts.as_dict(),
        actor=actor,
    )
    return importer.counts
