"""Places of the realistic synthetic lists, written at the grains real lists use (SYNTHETIC).

Every village comes from the demo's fictional gazetteer (`places/data/demo_coast.csv`), so each
place is invented; its district and governorate are the gazetteer's. A list writes a person's
place as the village, the district's countryside (`ريف جبلة`), a `village - district` pair, a
neighbourhood of a town (invented: `حي السراب`), or the village in the other script; and the
governorate with or without `محافظة` / `Governorate`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from sijill.linkage.lexicon import NEIGHBOURHOODS, Spelled
from sijill.linkage.synthetic_text import romanised
from sijill.places.loaders import read_demo_gazetteer


@dataclass(frozen=True)
class Locality:
    """A gazetteer village or town with its district and governorate."""

    village: Spelled
    district: Spelled
    governorate: Spelled
    town: bool


@dataclass(frozen=True)
class PlaceStyle:
    """How often one list writes places at each grain (its script and transliteration are the
    source's own: `write_place` takes them)."""

    countryside_rate: float
    pair_rate: float
    neighbourhood_rate: float  # of records of town residents
    other_script_rate: float
    prefixed_governorate_rate: float
    with_district: bool


def _latin(text: str) -> bool:
    """A Latin spelling of the name itself (not `... Governorate`, not Arabic script)."""
    if any(word in text for word in ("Governorate", "District")):
        return False
    return not any("\u0600" <= ch <= "\u06ff" for ch in text)


@cache
def localities() -> tuple[Locality, ...]:
    """The gazetteer's villages and towns (all invented), in file order."""
    places = read_demo_gazetteer()
    by_id = {p.external_id: p for p in places}

    def spelled(external_id: str) -> Spelled:
        p = by_id[external_id]
        latin = [p.name_latin or ""] + [a for a, _ in p.aliases if _latin(a)]
        return Spelled(p.name_ar or latin[0], tuple(latin))

    out = []
    for p in places:
        if p.type not in {"village", "town"} or p.parent_external_id is None:
            continue
        district = by_id[p.parent_external_id]
        assert district.parent_external_id is not None
        out.append(
            Locality(
                village=spelled(p.external_id),
                district=spelled(district.external_id),
                governorate=spelled(district.parent_external_id),
                town=p.type == "town",
            )
        )
    return tuple(out)


def neighbourhood_of(rng: random.Random, locality: Locality) -> Spelled | None:
    """A town resident's neighbourhood (invented); villagers have none."""
    return rng.choice(NEIGHBOURHOODS) if locality.town else None


def _name(name: Spelled, arabic: bool, scheme: int, rng: random.Random) -> str:
    return name.arabic if arabic else romanised(rng, name, scheme)


def write_place(
    rng: random.Random,
    locality: Locality,
    neighbourhood: Spelled | None,
    style: PlaceStyle,
    arabic: bool,
    scheme: int,
) -> tuple[dict[str, str], list[str]]:
    """The place columns one record gets from a list in that script (and, in Latin letters, that
    transliteration scheme), and the grain phenomena used (tags)."""
    tags: list[str] = []
    if rng.random() < style.other_script_rate:
        arabic = not arabic
        tags.append("place_other_script")
    village = _name(locality.village, arabic, scheme, rng)
    district = _name(locality.district, arabic, scheme, rng)
    draw = rng.random()
    if neighbourhood is not None and rng.random() < style.neighbourhood_rate:
        hood = _name(neighbourhood, arabic, scheme, rng)
        place = hood if rng.random() < 0.5 else f"{hood} - {village}"
        tags.append("place_neighbourhood")
    elif draw < style.countryside_rate:
        place = f"ريف {district}" if arabic else f"{district} countryside"
        tags.append("place_countryside")
    elif draw < style.countryside_rate + style.pair_rate:
        place = f"{village} - {district}"
        tags.append("place_pair")
    else:
        place = village
    governorate = _name(locality.governorate, arabic, scheme, rng)
    if rng.random() < style.prefixed_governorate_rate:
        governorate = f"محافظة {governorate}" if arabic else f"{governorate} Governorate"
        tags.append("governorate_prefixed")
    columns = {"place_of_death": place, "governorate": governorate}
    if style.with_district:
        columns["district"] = district
    return columns, tags
