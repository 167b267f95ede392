"""A unit's ancestors and descendants as a GraphML graph, for yEd, Gephi or Cytoscape.

Nodes are organizations (the node id is the unit's id; ``node_label`` and ``name`` its name);
edges go from parent to child, one per pair of units, with ``edge_label`` giving the
relation's dates as written, in the form of Security Force Monitor's own drawings
(``2016-08-31 (N) to 2018-07-12 (Y)``: first cited date and start flag, last cited date and
open flag; several relations of one pair are joined by ``; ``), and its ``classification``.

On a day (``at``) only the compositions that hold or may hold that day are followed, and an edge
that only possibly holds carries ``possible = true``. Without a day every relation the unit, its
ancestors and its descendants ever had is followed (the ancestors' other children are not drawn).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from io import BytesIO
from typing import Any

import networkx as nx  # type: ignore[import-untyped]

from sijill.command import fields as F
from sijill.command.dates import fact_bounds
from sijill.command.sfm import RELATION, date_label
from sijill.errors import NotFound


def unit_graph(doc: Mapping[str, Any], unit: str, at: date | None = None) -> nx.DiGraph:
    """The graph around ``unit`` in a §3 structure document (see the module's docstring)."""
    orgs = {str(o["id"]): o for o in doc.get("organizations") or []}
    if unit not in orgs:
        raise NotFound(f"no organization with id {unit!r}")
    up: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    down: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for comp in doc.get("compositions") or []:
        up[str(comp["child_id"])].append(comp)
        down[str(comp["parent_id"])].append(comp)

    possible: set[int] = set()

    def holds(comp: Mapping[str, Any]) -> bool:
        """The composition is followed: every one without a day, else those that may hold."""
        if at is None:
            return True
        bounds = fact_bounds(*(comp.get(k) for k in F.DATE_KEYS))
        if not bounds.surely_on(at):
            possible.add(id(comp))
        return bounds.possibly_on(at)

    edges: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for links, far in ((up, "parent_id"), (down, "child_id")):
        seen, todo = {unit}, [unit]
        while todo:
            for comp in links[todo.pop()]:
                if not holds(comp):
                    continue
                pair = (str(comp["parent_id"]), str(comp["child_id"]))
                if comp not in edges[pair]:
                    edges[pair].append(comp)
                if str(comp[far]) not in seen:
                    seen.add(str(comp[far]))
                    todo.append(str(comp[far]))

    graph = nx.DiGraph()
    for node in sorted({unit, *(n for pair in edges for n in pair)}):
        name = str(orgs.get(node, {}).get("name") or node)
        graph.add_node(node, node_label=name, name=name)
    for (parent, child), comps in sorted(edges.items()):
        attrs: dict[str, Any] = {
            "edge_label": "; ".join(date_label(RELATION, c) for c in comps),
            "classification": "; ".join(str(c.get("classification") or "command") for c in comps),
        }
        if at is not None:
            attrs["possible"] = all(id(c) in possible for c in comps)
        graph.add_edge(parent, child, **attrs)
    return graph


def graphml_bytes(graph: nx.DiGraph) -> bytes:
    """The graph as a GraphML document (UTF-8)."""
    buffer = BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
