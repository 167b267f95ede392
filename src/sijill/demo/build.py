"""Build the demo case in a folder: every person, unit, village and deed in it is invented.

The case is flagged ``demo`` so that every page, export and report carries the
"synthetic demo data" mark. Steps: casualty lists (generated with ground truth, one of them a
restricted witness list with a sealed column), linkage, a command structure, incidents at the
demo gazetteer's invented villages (alleging the structure's units), a few evidence images
linked to incidents, and demo users.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from sijill.records.importer import import_list
from sijill.records.mapping import Mapping
from sijill.store.engine import get_engine, session_factory
from sijill.store.migrate import upgrade

DEMO_PEOPLE = 900
DEMO_LISTS = 4
DEMO_SEED = 20250307
DEMO_USERS = (
    ("demo", "admin"),
    ("reviewer", "investigator"),
    ("analyst", "analyst"),
    ("viewer", "viewer"),
)
# The alleged commander the demo's public report names: signed off by an investigator other
# than the one (``demo``) who entered the allegation.
DEMO_SIGNED_OFF = ("p-demo-2", "reviewer", "synthetic demo: corroborated by two fictional sources")
DEMO_PASSWORD = "synthetic-demo"  # printed by `make demo`; never use for a real case
DEMO_EVIDENCE_INCIDENTS = ("demo-i-01", "demo-i-04", "demo-i-08", "demo-i-01")  # by image


@dataclass
class DemoSummary:
    folder: str
    database: str
    records: int = 0
    people: int = 0
    incidents: int = 0
    evidence: int = 0
    users: list[str] = field(default_factory=list)
    password: str = DEMO_PASSWORD

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "mark": "synthetic demo data"}


def _village_names(session: Any) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from sijill.places.models import Place

    rows = session.execute(
        select(Place.name_ar, Place.name_latin).where(Place.type == "village").order_by(Place.id)
    ).all()
    return [(ar or lat, lat or ar) for ar, lat in rows]


def _relocate(
    lists: dict[str, list[dict[str, str]]], truth: dict[Any, Any], villages: list[tuple[str, str]]
) -> None:
    """Put each invented person's village onto one of the demo gazetteer's invented villages.

    The generator spells a village differently from list to list; each person keeps one
    gazetteer village (written in the script the list used), so the map and the linkage agree.
    """
    if not villages:
        return
    from sijill.linkage.features import place_key

    person_village: dict[Any, int] = {}
    village_index: dict[str, int] = {}
    for name in sorted(lists):
        for row in lists[name]:
            place = row.get("place_of_death") or ""
            person = truth.get((name, row.get("record_id")))
            if not place or person is None:
                continue
            if person not in person_village:
                key = place_key(place) or place
                person_village[person] = village_index.setdefault(
                    key, len(village_index) % len(villages)
                )
            arabic, latin = villages[person_village[person]]
            is_arabic = any("\u0600" <= c <= "\u06ff" for c in place)
            row["place_of_death"] = arabic if is_arabic else latin


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(c for c in row if c not in columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _demo_images(folder: Path) -> list[Path]:
    """A few invented pictures (text on colour), one of them a resized near-duplicate."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, colour in enumerate(((120, 40, 40), (40, 90, 120), (60, 110, 60))):
        image = Image.new("RGB", (640, 420), colour)
        draw = ImageDraw.Draw(image)
        for k in range(12):
            draw.ellipse(
                (20 + 45 * k, 60 + 20 * (k % 5), 80 + 45 * k, 120 + 20 * (k % 5)),
                outline=(240, 240, 240),
                width=3,
            )
        draw.text((20, 20), f"SYNTHETIC DEMO IMAGE {index + 1}", fill=(255, 255, 255))
        path = folder / f"demo-photo-{index + 1}.png"
        image.save(path)
        paths.append(path)
    near = Image.open(paths[0]).resize((480, 315))
    near_path = folder / "demo-photo-1-resized.jpg"
    near.save(near_path, quality=85)
    paths.append(near_path)
    return paths


def build_demo(
    folder: Path, *, log: Callable[[str], None] = print, report: bool = False
) -> DemoSummary:
    """Create the demo case in ``folder`` (a fresh SQLite database, vault and key files); with
    ``report``, its investigation reports too (``report/``: the team's and the public one, in
    English and Arabic), which the web app serves."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("sijill.db", "sijill.db-wal", "sijill.db-shm"):
        (folder / name).unlink(missing_ok=True)
    os.environ.setdefault("SIJILL_KEY_FILE", str(folder / "sijill.key"))
    url = f"sqlite:///{folder / 'sijill.db'}"
    engine = get_engine(url)
    upgrade(engine)
    summary = DemoSummary(folder=str(folder), database=url)
    factory = session_factory(engine)

    from sijill.incidents.demo import build_demo_incidents, ensure_demo_gazetteer
    from sijill.incidents.saving import link_evidence
    from sijill.incidents.service import find_incident
    from sijill.linkage.synthetic import generate_lists
    from sijill.security.users import create_user, set_setting

    log("demo: gazetteer and case settings")
    with factory.begin() as session:
        set_setting(session, "demo", "1")
        ensure_demo_gazetteer(session)
        villages = _village_names(session)

    log(f"demo: generating {DEMO_LISTS} casualty lists of {DEMO_PEOPLE} invented people")
    lists, truth = generate_lists(DEMO_PEOPLE, DEMO_LISTS, DEMO_SEED)
    _relocate(lists, truth, villages)
    list_dir = folder / "lists"
    list_dir.mkdir(exist_ok=True)
    for number, (name, rows) in enumerate(sorted(lists.items())):
        path = list_dir / f"{name}.csv"
        _write_csv(path, rows)
        with factory.begin() as session:
            result = import_list(
                session,
                path,
                source=f"{name} (synthetic)",
                access="public" if number == 0 else "internal",
                actor="demo",
                publisher="Demo documentation group (fictional)",
            )
            summary.records += result.imported
    witness = list_dir / "witness-interviews.csv"
    _write_csv(
        witness,
        [
            {
                "record_id": "w1",
                "full_name": "مجهول",
                "date_of_death": "2025-03-08",
                "place_of_death": villages[5][0] if len(villages) > 5 else "",
                "count": "3",
                "witness_contact": "+000 0000 0001 (fictional)",
            },
            {
                "record_id": "w2",
                "full_name": "Witness-reported victim (fictional)",
                "date_of_death": "2025-03-09",
                "witness_contact": "Fictional Witness B, phone withheld",
            },
        ],
    )
    with factory.begin() as session:
        import_list(
            session,
            witness,
            source="Witness interviews (synthetic, restricted)",
            mapping=Mapping(sensitive={"witness_contact"}),
            access="restricted",
            actor="demo",
        )
        summary.records += 2

    log("demo: linking records into people")
    from sijill.linkage.service import link

    with factory.begin() as session:
        summary.people = link(session, actor="demo").people

    log("demo: consent per record")
    from sijill.demo.consent import build_demo_record_consent

    with factory.begin() as session:
        build_demo_record_consent(session)

    log("demo: command structure and incidents")
    with factory.begin() as session:
        summary.incidents = len(build_demo_incidents(session))

    log("demo: accountability proceedings")
    from sijill.accountability.demo import build_demo_proceedings

    with factory.begin() as session:
        build_demo_proceedings(session)

    log("demo: other organisations' published figures")
    from sijill.demo.figures import build_demo_figures

    with factory.begin() as session:
        build_demo_figures(session, folder)

    log("demo: evidence vault")
    from sijill.evidence import custody
    from sijill.evidence.intake import Collection, add_files

    vault = folder / "vault"
    with factory.begin() as session:
        added, checkpoint = add_files(
            session,
            vault,
            _demo_images(folder / "media"),
            Collection(
                source="Demo report (synthetic)",
                collector="demo collector (fictional)",
                access="internal",
                url="https://example.invalid/demo-post/1",
                platform="example",
            ),
        )
        summary.evidence = len(added)
        for item, incident in zip(added, DEMO_EVIDENCE_INCIDENTS, strict=False):
            link_evidence(session, find_incident(session, incident), item.id, "demo")
    if checkpoint is not None:  # the vault's copy and the witness, as every vault command does
        custody.publish_checkpoint(vault, checkpoint)

    log("demo: users")
    with factory.begin() as session:
        for name, role in DEMO_USERS:
            create_user(session, name, role, DEMO_PASSWORD, actor="demo")
            summary.users.append(f"{name} ({role})")

    from sijill.accountability.naming import sign_off

    with factory.begin() as session:
        sign_off(session, *DEMO_SIGNED_OFF)
    if report:
        from sijill.report.build import report_path, write_report
        from sijill.report.figures import ReportOptions

        for public in (False, True):
            estimated = None  # the Arabic report takes the English one's estimate
            for lang in ("en", "ar"):
                log(f"demo: {'public' if public else 'team'} report ({lang})")
                with factory.begin() as session:
                    made = write_report(
                        session,
                        report_path(folder / "report", public, lang),
                        ReportOptions(public=public, lang=lang),
                        estimated=estimated,
                    )
                estimated = made["estimate"]
    return summary
