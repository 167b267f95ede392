"""Leaks to a viewer through persons (issue 19): a person's existence, displayed name and
access come only from the records the reader may read, in lists, searches, counts and pages.

Linkage names a person from all its records and makes it ``internal``; these persons are made
here the same way, from the fictional case of ``seed.py`` (both engines).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from sijill.names.keys import name_key
from sijill.store.engine import transaction
from sijill.store.models import Person, Record

HIDDEN_NAME = "Sirr Hidden-Name Fictional"


@pytest.fixture(scope="module")
def persons(web_url: str, seeded: dict[str, Any]) -> dict[str, int]:
    """``leaky``: internal, named from its only record, in the restricted list; ``mixed``:
    internal, an internal record and a restricted one, named from the restricted one."""
    with transaction(web_url) as session:
        by_id = {r.record_id: r for r in session.scalars(select(Record))}
        leaky = Person(
            display_name="Layla Mansour Fictional",
            name_latin="Layla Mansour Fictional",
            name_key=name_key("Layla Mansour Fictional"),
            is_victim=True,
            access="internal",
        )
        mixed = Person(
            display_name=HIDDEN_NAME,
            name_latin=HIDDEN_NAME,
            name_key=name_key(HIDDEN_NAME),
            is_victim=True,
            access="internal",
        )
        session.add_all([leaky, mixed])
        session.flush()
        by_id["r2"].person_id = leaky.id
        by_id["i2"].person_id = mixed.id
        session.add(
            Record(
                source_id=seeded["restricted"],
                record_id="r3-fictional",
                row_number=3,
                raw={},
                access="restricted",
                full_name=HIDDEN_NAME,
                name_key=name_key(HIDDEN_NAME),
                script="latin",
                person_id=mixed.id,
            )
        )
        return {"leaky": leaky.id, "mixed": mixed.id}


def test_person_known_only_from_restricted_records_does_not_exist_for_a_viewer(
    persons, seeded, bearer, login
) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer("viewer")
    listed = viewer.get("/api/persons", params={"limit": 500, "role": "victim"}).json()
    assert {p["id"] for p in listed["items"]} == {seeded["mohammad"], persons["mixed"]}
    assert listed["total"] == 2
    found = viewer.get("/api/persons", params={"q": "Layla Mansour"}).json()
    assert found["total"] == 0 and found["items"] == []
    assert viewer.get(f"/api/persons/{persons['leaky']}").status_code == 404
    assert viewer.get("/api/summary").json()["persons"] == 3  # and the seed's open actor
    page = login("viewer")
    assert page.get(f"/persons/{persons['leaky']}").status_code == 404
    for path in ("/persons", "/persons?q=Layla", "/"):
        response = page.get(path)
        assert response.status_code == 200 and "Mansour" not in response.text, path
    # Roles that read every level see the person as it is.
    analyst = bearer("analyst")
    assert analyst.get(f"/api/persons/{persons['leaky']}").json()["display_name"] == (
        "Layla Mansour Fictional"
    )
    assert analyst.get("/api/summary").json()["persons"] == 6  # and the seed's two actors


def test_person_name_and_access_come_only_from_readable_records(persons, bearer, login) -> None:  # type: ignore[no-untyped-def]
    viewer = bearer("viewer")
    detail = viewer.get(f"/api/persons/{persons['mixed']}").json()
    assert detail["display_name"] == detail["name_latin"] == "Khaled Omar Saleh"
    assert detail["name_ar"] is None and detail["access"] == "internal"
    assert detail["n_records"] == 1
    listed = viewer.get("/api/persons", params={"limit": 500}).json()
    (row,) = [p for p in listed["items"] if p["id"] == persons["mixed"]]
    assert (row["display_name"], row["access"]) == ("Khaled Omar Saleh", "internal")
    assert viewer.get("/api/persons", params={"q": "Sirr Hidden"}).json()["total"] == 0
    assert viewer.get("/api/persons", params={"q": "Khaled"}).json()["total"] == 1
    page = login("viewer")
    for path in (f"/persons/{persons['mixed']}", "/persons", "/persons?q=Khaled"):
        response = page.get(path)
        assert response.status_code == 200 and "Sirr" not in response.text, path
    analyst = bearer("analyst").get(f"/api/persons/{persons['mixed']}").json()
    assert analyst["display_name"] == HIDDEN_NAME and analyst["n_records"] == 2
