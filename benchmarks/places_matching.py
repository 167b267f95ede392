"""Place matching quality: Sijill's matcher vs exact case-insensitive name lookup (baseline).

Gazetteer: the OpenSyria governorates, districts and sub-districts (../shared/data/geo, CC BY 4.0).
Queries: for every district and sub-district, its aliases (formal names, romanizations) and
generated variant spellings — article added or dropped (al-/el-/ال), transliteration variants
(ou/u, ee/i, e/a, q/k, y/i, doubled letters, -eh/-ah endings), one-letter typos, Arabic letter
variants (ة/ه, أ/ا, article), each also with its governorate as admin context
("X, Latakia", "X، ريف اللاذقية"). Two gazetteer settings: with every alias loaded, and with
primary names only (aliases held out, so they must be found through keys, not looked up).

A query is correct when it resolves to its place, or to a place nested with it under the same
name (a district and its central sub-district, e.g. Baniyas district / Markaz Baniyas).
Precision = correct / resolved; recall = correct / all queries.

Run: .venv/bin/python benchmarks/places_matching.py [--write]
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from machine import describe as machine
from machine import write_section as _write_section

from sijill.places.keys import place_key
from sijill.places.loaders import PlaceInput, read_opensyria
from sijill.places.matching import TYPE_SPECIFICITY, GazetteerEntry, PlaceIndex

REPO = Path(__file__).resolve().parents[1]
GEO = REPO.parent / "shared" / "data" / "geo"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
SECTION = "Places: place-string matching (places_matching.py)"


@dataclass(frozen=True)
class Query:
    text: str
    truth: int
    kind: str
    context: tuple[str, ...] = ()


def build_entries(places: list[PlaceInput], with_aliases: bool) -> list[GazetteerEntry]:
    ids = {p.external_id: i for i, p in enumerate(places)}
    return [
        GazetteerEntry(
            i,
            p.type,
            ids.get(p.parent_external_id or ""),
            tuple(
                [(n, "primary") for n in (p.name_ar, p.name_latin) if n]
                + ([(a, "alias") for a, _ in p.aliases] if with_aliases else [])
            ),
        )
        for i, p in enumerate(places)
    ]


# ---------------------------------------------------------------- variant generators

_LATIN_SWAPS = [
    ("ou", "u"),
    ("u", "ou"),
    ("ee", "i"),
    ("i", "ee"),
    ("e", "a"),
    ("a", "e"),
    ("q", "k"),
    ("y", "i"),
    ("i", "y"),
    ("kh", "kh"),
    ("ss", "s"),
    ("s", "ss"),
]
_AR_SWAPS = [("ة", "ه"), ("ه", "ة"), ("أ", "ا"), ("إ", "ا"), ("ى", "ي"), ("ي", "ى")]


def drop_or_add_article(name: str) -> str:
    lower = name.lower()
    for art in ("al-", "el-", "al ", "el ", "as-", "ash-", "ad-", "ar-", "az-", "at-", "an-"):
        if lower.startswith(art):
            return name[len(art) :]
    if name.startswith("ال"):
        return name[2:]
    return ("ال" + name) if any("\u0600" <= c <= "\u06ff" for c in name) else "el-" + name


def transliterate(name: str, rng: random.Random) -> str:
    swaps = [(a, b) for a, b in (_AR_SWAPS if _is_ar(name) else _LATIN_SWAPS) if a in name.lower()]
    if not swaps:
        return name
    out = name
    for a, b in rng.sample(swaps, k=min(2, len(swaps))):
        idx = out.lower().find(a)
        if idx >= 0:
            out = out[:idx] + b + out[idx + len(a) :]
    if not _is_ar(out) and out.endswith(("ah", "eh")):
        out = out[:-2] + rng.choice(["a", "eh", "ah", "e"])
    return out


def typo(name: str, rng: random.Random) -> str:
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 5:
        return name
    i = rng.choice(letters[1:-1])
    op = rng.choice(["drop", "swap", "double"])
    if op == "drop":
        return name[:i] + name[i + 1 :]
    if op == "swap" and i + 1 < len(name):
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name[:i] + name[i] + name[i:]


def _is_ar(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def build_queries(places: list[PlaceInput], seed: int = 11) -> list[Query]:
    rng = random.Random(seed)
    govs = {p.external_id: p for p in places if p.type == "governorate"}
    by_id = {p.external_id: p for p in places}
    out: list[Query] = []
    for i, p in enumerate(places):
        if p.type not in ("district", "subdistrict"):
            continue
        gov = _governorate(p, by_id, govs)
        names = [n for n in (p.name_latin, p.name_ar) if n]
        for alias, _ in p.aliases:
            out.append(Query(alias, i, "alias"))
        for name in names:
            script = "arabic" if _is_ar(name) else "latin"
            out.append(Query(drop_or_add_article(name), i, f"article ({script})"))
            out.append(Query(transliterate(name, rng), i, f"spelling ({script})"))
            out.append(Query(typo(name, rng), i, f"typo ({script})"))
            variant = rng.choice(
                [drop_or_add_article, lambda n: transliterate(n, rng), lambda n: typo(n, rng)]
            )(name)
            if gov is not None:
                if script == "arabic":
                    ctx = f"{variant}، ريف {gov.name_ar}"
                else:
                    ctx = f"{variant}, {gov.name_latin} countryside"
                out.append(Query(ctx, i, f"variant + admin context ({script})"))
    return out


def _governorate(
    p: PlaceInput, by_id: dict[str, PlaceInput], govs: dict[str, PlaceInput]
) -> PlaceInput | None:
    node: PlaceInput | None = p
    while node is not None and node.external_id not in govs:
        node = by_id.get(node.parent_external_id or "")
    return node


# ---------------------------------------------------------------- matchers


def baseline_matcher(entries: list[GazetteerEntry]) -> Callable[[Query], int | None]:
    """Exact, case-insensitive lookup of the whole string among all names; the most specific
    place wins when several share the name; a tie stays unresolved."""
    table: dict[str, set[int]] = defaultdict(set)
    kinds = {e.id: e.type for e in entries}
    for e in entries:
        for name, _ in e.names:
            table[name.strip().casefold()].add(e.id)

    def match(q: Query) -> int | None:
        found = table.get(q.text.strip().casefold(), set())
        if not found:
            return None
        best = max(TYPE_SPECIFICITY[kinds[i]] for i in found)
        top = [i for i in found if TYPE_SPECIFICITY[kinds[i]] == best]
        return top[0] if len(top) == 1 else None

    return match


def sijill_matcher(entries: list[GazetteerEntry]) -> Callable[[Query], int | None]:
    index = PlaceIndex(entries)
    return lambda q: index.match(q.text, q.context).place_id


def equivalents(entries: list[GazetteerEntry]) -> dict[int, set[int]]:
    """Each place with the places nested with it under the same name key."""
    parents = {e.id: e.parent_id for e in entries}
    keys = {e.id: {place_key(n) for n, _ in e.names} for e in entries}
    out = {e.id: {e.id} for e in entries}
    for e in entries:
        parent = parents[e.id]
        while parent is not None:
            if keys[e.id] & keys[parent]:
                out[e.id].add(parent)
                out[parent].add(e.id)
            parent = parents[parent]
    return out


def evaluate(
    matcher: Callable[[Query], int | None], queries: list[Query], same: dict[int, set[int]]
) -> dict[str, dict[str, float]]:
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # total, resolved, correct
    start = time.perf_counter()
    for q in queries:
        got = matcher(q)
        for group in (q.kind, "all"):
            stats[group][0] += 1
            if got is not None:
                stats[group][1] += 1
                stats[group][2] += got in same[q.truth]
    seconds = time.perf_counter() - start
    out = {
        group: {
            "n": n,
            "precision": (c / r) if r else 1.0,
            "recall": c / n,
        }
        for group, (n, r, c) in stats.items()
    }
    out["all"]["per_second"] = len(queries) / seconds
    return out


def main() -> None:
    places = read_opensyria(GEO)
    queries = build_queries(places)
    rows = []
    summary: dict[str, dict[str, dict[str, dict[str, float]]]] = {}
    for setting, with_aliases in (("aliases loaded", True), ("primary names only", False)):
        entries = build_entries(places, with_aliases)
        same = equivalents(entries)
        ours = evaluate(sijill_matcher(entries), queries, same)
        base = evaluate(baseline_matcher(entries), queries, same)
        summary[setting] = {"sijill": ours, "baseline": base}
        for group in sorted(ours, key=lambda g: (g != "all", g)):
            o, b = ours[group], base[group]
            rows.append(
                f"| {setting} | {group} | {o['n']} | {o['precision']:.3f} | {o['recall']:.3f} | "
                f"{b['precision']:.3f} | {b['recall']:.3f} | "
                f"{(o['recall'] / b['recall']) if b['recall'] else float('inf'):.2f} |"
            )
    table = "\n".join(
        [
            "| gazetteer | query kind | n | Sijill precision | Sijill recall | baseline precision "
            "| baseline recall | recall ratio |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    )
    speed = summary["aliases loaded"]
    body = (
        f"Machine: {machine()}.\n\n"
        f"{len(queries)} place strings (Arabic and Latin) with known answers, built from the "
        f"{sum(p.type in ('district', 'subdistrict') for p in places)} OpenSyria districts and "
        "sub-districts (aliases + generated variants; see the script's docstring). Baseline: exact "
        "case-insensitive lookup of the whole string. A wrong answer counts against precision; an "
        "ambiguous or unknown string is left unresolved (counts against recall only).\n\n"
        f"{table}\n\n"
        f"Throughput (aliases loaded): Sijill "
        f"{speed['sijill']['all']['per_second']:,.0f} strings/s, "
        f"baseline {speed['baseline']['all']['per_second']:,.0f} strings/s.\n"
    )
    print(body)
    if "--write" in sys.argv:
        write_section(body)
    print(
        json.dumps({k: {m: v["all"] for m, v in d.items()} for k, d in summary.items()}, indent=1)
    )


def write_section(body: str) -> None:
    _write_section(SECTION, body)


if __name__ == "__main__":
    main()
