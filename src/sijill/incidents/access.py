"""Who may read which incident: the one place every route (incident pages, the map, the command
report, careers after an incident) asks. An incident's access level governs its perpetrators,
allegations and citations everywhere; an incident the reader may not read is answered exactly as
one that does not exist. What an incident the reader may read refers to (citations and their
sources, evidence items, victims and their counts, record links, sub-incidents) is limited here
to what the reader's role may read, for the API, the pages, the map and the command report alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sijill.errors import NotFound
from sijill.incidents.models import Incident
from sijill.incidents.service import find_incident, list_incidents, show_incident
from sijill.security.audit import log_read
from sijill.security.roles import readable_levels
from sijill.security.users import Principal


def visible_incident(session: Session, user: Principal, ref: str | int) -> Incident:
    """The incident ``ref`` names (number or external id) if ``user`` may read it; reading a
    restricted one is logged. Otherwise NotFound, the same answer as for no such incident."""
    try:
        found = find_incident(session, ref)
    except NotFound:
        found = None
    if found is None or found.access not in readable_levels(user.role):
        raise NotFound(f"no incident {str(ref)!r}")
    if found.access == "restricted":
        log_read(session, user, entity="incidents", ids=[found.id])
    return found


def read_incident(session: Session, user: Principal, ref: str | int) -> dict[str, Any]:
    """The incident ``ref`` names as :func:`show_incident` describes it, if ``user`` may read
    it (else NotFound), with only the nested references ``user`` may read."""
    return show_incident(session, visible_incident(session, user, ref).id, reader=user.role)


def visible_incidents(session: Session, user: Principal) -> list[dict[str, Any]]:
    """Every incident ``user`` may read (as :func:`list_incidents` gives them, victim counts
    of what ``user`` may read); reading restricted ones is logged."""
    docs = list_incidents(session, readable_levels(user.role), reader=user.role)
    restricted = [d["id"] for d in docs if d["access"] == "restricted"]
    log_read(session, user, entity="incidents", ids=restricted)
    return docs
