"""Records entered by hand and corrected through the API (FORMATS.md §5): derived columns as an
import derives them, the earlier state kept with who, when and why, ``count --as-of`` reading a
record as it stood then, and every role's answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sijill.linkage.counts import BUILTIN_POLICIES, count
from sijill.store.base import utcnow
from sijill.store.engine import transaction
from sijill.store.models import ChangeLogEntry

Client = Callable[[str], TestClient]
NEW = {
    "source": "Fictional public list",
    "record_id": "hand-1",
    "full_name": "Yusuf Handentered Fictional",
    "sex": "ذكر",
    "age": "30-40",
    "date_of_death": "2025-03",
    "place_of_death": "Wadi Mithal (fictional)",
}


def _by_sex(url: str, as_of: Any = None) -> dict[str, int]:
    with transaction(url) as session:
        doc = count(session, "sex", BUILTIN_POLICIES["any-source"], as_of=as_of)
    return {g["key"]: g["reported"] for g in doc["groups"]}


def test_enter_and_correct_a_record(bearer: Client, web_url: str, seeded: dict[str, Any]) -> None:
    investigator = bearer("investigator")
    before_entry = utcnow()
    created = investigator.post("/api/records", json=NEW)
    assert created.status_code == 201, created.text
    record = created.json()
    # Derived as an import derives them: the sex word, the age range, the partial date.
    assert (record["sex"], record["age_min"], record["age_max"]) == ("M", 30, 40)
    assert record["date_of_death"] == "2025-03" and record["access"] == "public"
    assert record["raw"]["sex"] == "ذكر"  # the cell as written
    rid = record["id"]
    source = investigator.get(f"/api/sources/{seeded['public']}").json()
    assert source["record_count"] == 4

    after_entry = utcnow()
    refused = investigator.patch(f"/api/records/{rid}", json={"sex": "F"})
    assert refused.status_code == 422 and "why" in str(refused.json()["detail"][0]["loc"])
    corrected = investigator.patch(
        f"/api/records/{rid}", json={"sex": "أنثى", "why": "the family corrected the list"}
    )
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["sex"] == "F"

    versions = investigator.get(f"/api/records/{rid}/history").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["raw"]["sex"] == "ذكر" and versions[1]["raw"]["sex"] == "أنثى"
    assert versions[0]["by"] == "web:investigator" and versions[0]["why"] is None
    assert versions[1]["by"] == "web:investigator"
    assert versions[1]["why"] == "the family corrected the list" and versions[1]["current"]

    with transaction(web_url) as session:
        actions = {
            e.action: e.why
            for e in session.query(ChangeLogEntry).filter_by(entity="record", entity_id=str(rid))
        }
    assert actions == {"create": None, "correct": "the family corrected the list"}

    # count --as-of: before the entry it is not there; between, it is as it stood (M).
    now, earlier = _by_sex(web_url), _by_sex(web_url, after_entry)
    first = _by_sex(web_url, before_entry)
    assert now["F"] == earlier["F"] + 1 and earlier["M"] == now["M"] + 1
    assert first["M"] == earlier["M"] - 1 and first.get("F") == earlier.get("F")

    seen = bearer("viewer").get(f"/api/records/{rid}/history").json()
    assert [v["by"] for v in seen] == [None, None] and seen[1]["why"]  # who: analysts and above
    page = investigator.get(f"/records/{rid}")
    assert "the family corrected the list" in page.text
    assert page.text.count('data-testid="record-version"') == 2


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**NEW, "source": "Fictional publik list", "record_id": "x1"}, 422, "source"),
        ({**NEW, "record_id": "p1"}, 409, None),
        ({**NEW, "record_id": "x2", "colour": "red"}, 422, "colour"),
        ({**NEW, "record_id": "x3", "access": "secret"}, 422, "access"),
        ({**NEW, "record_id": ""}, 422, "record_id"),
    ],
)
def test_refused_entries_name_the_field(
    bearer: Client, body: dict[str, Any], status: int, field: str | None
) -> None:
    answer = bearer("admin").post("/api/records", json=body)
    assert answer.status_code == status, answer.text
    if field:
        assert answer.json()["detail"][0]["loc"][-1] == field
    if field == "source":
        assert "Fictional public list" in answer.json()["detail"][0]["msg"]  # a close match


def test_record_id_cannot_change(bearer: Client, seeded: dict[str, Any]) -> None:
    answer = bearer("admin").patch(
        f"/api/records/{seeded['internal_record']}", json={"record_id": "zz", "why": "typo"}
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["loc"][-1] == "record_id"
    missing = bearer("admin").patch("/api/records/999999", json={"sex": "M", "why": "x"})
    assert missing.status_code == 404


def test_a_mapped_list_is_corrected_in_its_own_column(
    bearer: Client, seeded: dict[str, Any]
) -> None:
    """The internal list keeps a sealed column: a correction changes the row as written and
    keeps the sealed cell."""
    admin = bearer("admin")
    rid = seeded["internal_record"]
    answer = admin.patch(
        f"/api/records/{rid}", json={"age": "36", "why": "age recomputed from the birth date"}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["age_min"] == 36 and answer.json()["raw"]["age"] == "36"
    assert answer.json()["sealed"]  # still readable: the sealed cell stayed as it was


@pytest.mark.parametrize("role", ["viewer", "analyst", "investigator", "admin"])
def test_who_may_write_records(
    role: str, bearer: Client, login: Client, seeded: dict[str, Any]
) -> None:
    body = {**NEW, "record_id": f"role-{role}"}
    created = bearer(role).post("/api/records", json=body)
    patched = bearer(role).patch(
        f"/api/records/{seeded['public_record']}", json={"notes": f"seen by {role}", "why": "x"}
    )
    client = login(role)
    form = client.get(f"/sources/{seeded['public']}/records/new")
    source_page = client.get(f"/sources/{seeded['public']}")
    record_page = client.get(f"/records/{seeded['public_record']}")
    csrf = client.csrf  # type: ignore[attr-defined]
    posted = client.post(
        f"/sources/{seeded['public']}/records/new",
        data={"csrf_token": csrf, "record_id": f"form-{role}", "full_name": "Form Fictional"},
    )
    if role in ("viewer", "analyst"):
        assert (created.status_code, patched.status_code) == (403, 403)
        assert (form.status_code, posted.status_code) == (403, 403)
        assert "record-add-link" not in source_page.text
        assert "record-correct-link" not in record_page.text
    else:
        assert (created.status_code, patched.status_code) == (201, 200)
        assert form.status_code == 200 and posted.status_code == 303
        assert "record-add-link" in source_page.text
        assert "record-correct-link" in record_page.text
