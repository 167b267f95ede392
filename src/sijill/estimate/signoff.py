"""The sign-off that lets an estimate of the undocumented toll into a public output.

As naming sign-offs work: an investigator or admin records who, when and why; the sign-off
keeps the estimate as it stood then (``estimate --from-case`` with the report's seed: method,
lists, total, interval, warnings, linkage sensitivity) and the case's digest, so a public report
shows what was signed off, not a later figure nobody checked. A revocation is recorded on the
row (who, when, why); a public report built ``--as-of`` a moment reads the sign-off in force
then.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sijill.errors import NotFound, SijillError
from sijill.estimate.models import EstimateSignoff
from sijill.report.digest import case_digest
from sijill.security.roles import can_edit
from sijill.security.users import get_user
from sijill.store.base import utcnow
from sijill.store.changelog import log_change

SHOWN = ("method", "observed", "estimate", "interval", "level", "lists", "warnings")
TABLE = "estimate_signoffs"


def shown(full: dict[str, Any], seed: int) -> dict[str, Any]:
    """An estimate's result (``EstimateResult.as_dict``) as a report shows it."""
    return {
        "included": True,
        "seed": seed,
        **{k: full.get(k) for k in SHOWN},
        "linkage_sensitivity": full.get("linkage_sensitivity") or [],
    }


def current(session: Session, as_of: datetime | None = None) -> EstimateSignoff | None:
    """The sign-off in force (at ``as_of``, if given): the latest not revoked by then."""
    stmt = select(EstimateSignoff).order_by(EstimateSignoff.id.desc()).limit(1)
    if as_of is None:
        return session.scalar(stmt.where(EstimateSignoff.revoked_at.is_(None)))
    return session.scalar(
        stmt.where(
            EstimateSignoff.signed_at <= as_of,
            or_(EstimateSignoff.revoked_at.is_(None), EstimateSignoff.revoked_at > as_of),
        )
    )


def _signer(session: Session, by: str, why: str) -> str:
    if not why.strip():
        raise SijillError("a sign-off needs a reason (--why)")
    user = get_user(session, by)
    if not can_edit(user.role):
        raise SijillError(
            f"{user.name} is {user.role}: only an investigator or an admin may sign off an "
            "estimate"
        )
    return user.name


def sign_off(session: Session, by: str, why: str, seed: int) -> EstimateSignoff:
    """Estimate the toll from the case now (seeded) and record the sign-off that lets it into
    public outputs; refused when one is in force already (revoke it first)."""
    from sijill.estimate.api import EstimateOptions  # numba and splink load only here
    from sijill.estimate.linkage import estimate_from_case

    name = _signer(session, by, why)
    if current(session) is not None:
        raise SijillError("an estimate is signed off already (revoke it first)")
    result = estimate_from_case(session, EstimateOptions(seed=seed))
    row = EstimateSignoff(
        signed_by=name,
        why=why.strip(),
        case_digest=case_digest(session),
        result=shown(result.as_dict(), seed),
    )
    session.add(row)
    session.flush()
    log_change(session, action="estimate.sign_off", entity=TABLE, entity_id=row.id,
               why=row.why, actor=name)  # fmt: skip
    return row


def revoke(session: Session, by: str, why: str) -> EstimateSignoff:
    """Withdraw the sign-off in force (kept, marked revoked): public outputs leave the
    estimate out again."""
    name = _signer(session, by, why)
    row = current(session)
    if row is None:
        raise NotFound("no estimate is signed off")
    row.revoked_by, row.revoked_at, row.revoked_why = name, utcnow(), why.strip()
    log_change(session, action="estimate.revoke", entity=TABLE, entity_id=row.id,
               why=row.revoked_why, actor=name)  # fmt: skip
    session.flush()
    return row


def describe(row: EstimateSignoff) -> dict[str, Any]:
    """A sign-off as a document."""
    return {
        "id": row.id,
        "signed_by": row.signed_by,
        "signed_at": row.signed_at.isoformat(timespec="seconds"),
        "why": row.why,
        "case_digest": row.case_digest,
        "estimate": row.result,
        "revoked_by": row.revoked_by,
        "revoked_at": row.revoked_at.isoformat(timespec="seconds") if row.revoked_at else None,
        "revoked_why": row.revoked_why,
    }


def list_signoffs(session: Session) -> list[dict[str, Any]]:
    """Every estimate sign-off, oldest first, revoked ones too."""
    rows = session.scalars(select(EstimateSignoff).order_by(EstimateSignoff.id))
    return [describe(r) for r in rows]
