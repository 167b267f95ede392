"""Read gazetteers: GeoNames dumps, a plain CSV of places, the OpenSyria JSON files, the demo.

Each reader turns its file into :class:`PlaceInput` values (pure); :mod:`sijill.places.store`
writes them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from sijill.errors import ImportRejected, RowProblem
from sijill.places.models import PLACE_TYPES


@dataclass
class PlaceInput:
    """One place as a gazetteer file gives it."""

    external_id: str
    type: str
    name_ar: str | None = None
    name_latin: str | None = None
    parent_external_id: str | None = None
    pcode: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    aliases: list[tuple[str, str | None]] = field(default_factory=list)  # (name, lang)
    synthetic: bool = False


DEMO_GAZETTEER = "demo_coast.csv"

# ---------------------------------------------------------------- OpenSyria


def read_opensyria(path: Path) -> list[PlaceInput]:
    """The OpenSyria ``governorates.json``, ``districts.json``, ``subdistricts.json`` of a folder.

    ``path`` is the folder or any one of the three files in it.
    """
    folder = path if path.is_dir() else path.parent
    out: list[PlaceInput] = []
    for file_name, kind, parent_field in (
        ("governorates.json", "governorate", None),
        ("districts.json", "district", "governorateId"),
        ("subdistricts.json", "subdistrict", "districtId"),
    ):
        file = folder / file_name
        if not file.exists():
            raise ImportRejected(str(file), reason="OpenSyria file missing")
        for entry in json.loads(file.read_text(encoding="utf-8")):
            centroid = entry.get("centroid") or {}
            out.append(
                PlaceInput(
                    external_id=f"opensyria:{entry['id']}",
                    type=kind,
                    name_ar=entry["name"].get("ar"),
                    name_latin=entry["name"].get("en"),
                    parent_external_id=(
                        f"opensyria:{entry[parent_field]}" if parent_field else None
                    ),
                    pcode=(entry.get("externalIds") or {}).get("ochaPcode")
                    or entry.get("iso31662"),
                    latitude=centroid.get("latitude"),
                    longitude=centroid.get("longitude"),
                    aliases=[(a["value"], a.get("language")) for a in entry.get("aliases", [])],
                )
            )
    return out


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = ("id", "name_ar", "name_latin", "type", "parent_id", "pcode", "latitude", "longitude")


def read_places_csv(path: Path, prefix: str = "csv") -> list[PlaceInput]:
    """A CSV of places: ``id,name_ar,name_latin,type,parent_id,pcode,latitude,longitude``
    plus optional ``aliases`` (separated by ``|``) and ``synthetic`` (``1``/``true``).
    Lines starting with ``#`` are comments."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return _places_from_rows(csv.DictReader(lines), str(path), prefix)


def read_demo_gazetteer() -> list[PlaceInput]:
    """The bundled, visibly fictional gazetteer of villages on the coast (marked synthetic)."""
    text = resources.files("sijill.places").joinpath("data", DEMO_GAZETTEER).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return _places_from_rows(csv.DictReader(lines), DEMO_GAZETTEER, "demo")


def _places_from_rows(rows: csv.DictReader, label: str, prefix: str) -> list[PlaceInput]:
    missing = [c for c in ("id", "type") if c not in (rows.fieldnames or [])]
    if missing:
        raise ImportRejected(label, reason=f"missing column(s): {', '.join(missing)}")
    out: list[PlaceInput] = []
    problems: list[RowProblem] = []
    for number, row in enumerate(rows, start=2):
        kind = (row.get("type") or "").strip().lower()
        if kind not in PLACE_TYPES:
            problems.append(RowProblem(number, "type", f"unknown place type {kind!r}"))
            continue
        if not (row.get("name_ar") or row.get("name_latin")):
            problems.append(RowProblem(number, "name_latin", "a place needs a name"))
            continue
        try:
            lat, lon = _float(row.get("latitude")), _float(row.get("longitude"))
        except ValueError:
            problems.append(RowProblem(number, "latitude", "not a number"))
            continue
        parent = (row.get("parent_id") or "").strip()
        out.append(
            PlaceInput(
                external_id=f"{prefix}:{row['id'].strip()}",
                type=kind,
                name_ar=(row.get("name_ar") or "").strip() or None,
                name_latin=(row.get("name_latin") or "").strip() or None,
                parent_external_id=f"{prefix}:{parent}" if parent else None,
                pcode=(row.get("pcode") or "").strip() or None,
                latitude=lat,
                longitude=lon,
                aliases=[
                    (a.strip(), None) for a in (row.get("aliases") or "").split("|") if a.strip()
                ],
                synthetic=(row.get("synthetic") or "").strip().lower() in {"1", "true", "yes"},
            )
        )
    if problems:
        raise ImportRejected(label, problems)
    return out


def _float(value: str | None) -> float | None:
    return float(value) if value not in (None, "") else None


# ---------------------------------------------------------------- GeoNames

GEONAMES_TYPES = {
    "ADM1": "governorate",
    "ADM2": "district",
    "ADM3": "subdistrict",
    "PCLI": "country",
    "PPLC": "town",
    "PPLA": "town",
    "PPLA2": "town",
    "PPLA3": "town",
    "PPLX": "neighbourhood",
}


def read_geonames(
    path: Path, alternate_names: Path | None = None, country: str | None = None
) -> list[PlaceInput]:
    """A GeoNames dump (``SY.txt`` / ``allCountries.txt``, tab-separated, 19 columns).

    Admin areas (feature class A) and populated places (class P) are read; parents follow the
    admin1/admin2/admin3 codes. ``alternate_names`` (``alternateNamesV2.txt`` or the older
    ``alternateNames.txt``) adds names per language, Arabic ones becoming ``name_ar``.
    ``country`` (ISO code, e.g. ``SY``) keeps one country of ``allCountries.txt``.
    """
    rows = [r for r in _geonames_rows(path) if country is None or r[8] == country.upper()]
    admin_ids: dict[tuple[str, ...], str] = {}
    for row in rows:
        code = row[7]
        if code in ("ADM1", "ADM2", "ADM3"):
            depth = int(code[-1])
            admin_ids[(row[8], *row[10 : 10 + depth])] = row[0]
    alt = _alternate_names(alternate_names, {r[0] for r in rows}) if alternate_names else {}
    out = []
    for row in rows:
        code = row[7]
        kind = GEONAMES_TYPES.get(code) or ("village" if row[6] == "P" else None)
        if kind is None:
            continue
        parent = _geonames_parent(row, admin_ids)
        names = alt.get(row[0], [])
        arabic = next((n for n, lang, preferred in names if lang == "ar" and preferred), None)
        arabic = arabic or next((n for n, lang, _ in names if lang == "ar"), None)
        aliases: list[tuple[str, str | None]] = [(n, lang) for n, lang, _ in names]
        aliases += [(n, None) for n in row[3].split(",") if n]
        if row[2] and row[2] != row[1]:
            aliases.append((row[2], "en"))
        out.append(
            PlaceInput(
                external_id=f"geonames:{row[0]}",
                type=kind,
                name_ar=arabic,
                name_latin=row[1],
                parent_external_id=f"geonames:{parent}" if parent else None,
                latitude=_float(row[4]),
                longitude=_float(row[5]),
                aliases=aliases,
            )
        )
    return out


def _geonames_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            row = line.rstrip("\n").split("\t")
            if len(row) < 15:
                raise ImportRejected(
                    str(path), [RowProblem(number, None, f"{len(row)} columns, GeoNames has 19")]
                )
            if row[6] in ("A", "P"):
                yield row


def _geonames_parent(row: list[str], admin_ids: dict[tuple[str, ...], str]) -> str | None:
    depth = {"ADM1": 0, "ADM2": 1, "ADM3": 2}.get(row[7], 3)
    for level in range(depth, 0, -1):
        found = admin_ids.get((row[8], *row[10 : 10 + level]))
        if found and found != row[0]:
            return found
    return None


def _alternate_names(path: Path, wanted: set[str]) -> dict[str, list[tuple[str, str, bool]]]:
    out: dict[str, list[tuple[str, str, bool]]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 4 or cols[1] not in wanted:
                continue
            lang = cols[2]
            if lang in ("link", "wkdt", "post", "iata", "icao", "faac", "unlc", "abbr"):
                continue
            preferred = len(cols) > 4 and cols[4] == "1"
            out.setdefault(cols[1], []).append((cols[3], lang, preferred))
    return out
