"""The influence network as a graph: a stable layout, edges, reachability and closed groups.

Layout is deterministic and depends only on the departments and which edges exist (never on the
edge weights, authority or susceptibility), so a dashboard redraws nodes in the same places when a
slider moves: ``circular`` places departments in scenario order on a circle (learning functions
first); ``spring`` is networkx's spring layout of the unweighted graph with a fixed seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lmsdecide._lazy import lazy_module
from lmsdecide.influence.drive import influence_matrix, raw_influence, who_drives
from lmsdecide.influence.network import closed_groups
from lmsdecide.params import ChoiceParam, ParamSet
from lmsdecide.registry import register_model
from lmsdecide.results import ArrayEq
from lmsdecide.scenario import LEARNING_FUNCTIONS, Scenario

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

__all__ = ["NETWORK_PARAMS", "NetworkResult", "influence_network"]

FloatArray = npt.NDArray[np.float64]

NETWORK_PARAMS = ParamSet(
    (
        ChoiceParam(
            name="layout",
            label="Network layout",
            default="circular",
            choices=("circular", "spring"),
            help=(
                "circular: departments on a circle in scenario order; spring: force-directed on "
                "which edges exist (fixed seed). Both stay put when weights change."
            ),
            source="layout choice, no effect on any number",
            group="Display",
        ),
    )
)


@dataclass(frozen=True, eq=False)
class NetworkResult(ArrayEq):
    """Nodes, positions and edges of the influence network.

    Attributes
    ----------
    departments, names, functions
        In scenario order.
    x, y
        Node positions (layout coordinates in [−1, 1]).
    share
        Drive share of each department (node size in the figure).
    edge_source, edge_target
        Indices: ``source`` listens to ``target`` (influence flows target → source).
    edge_weight
        Raw weight from the scenario.
    edge_normalised
        W[source, target]: the weight after row normalisation (share of source's listening).
    closed_groups
        Groups (department ids) that listen to nobody outside themselves.
    hears_learning
        Per department: can it hear learning (a learning or HR department) directly or through
        others? (a path source → … → learning in the "listens to" graph).
    """

    departments: tuple[str, ...]
    names: tuple[str, ...]
    functions: tuple[str, ...]
    x: FloatArray
    y: FloatArray
    share: FloatArray
    edge_source: npt.NDArray[np.intp]
    edge_target: npt.NDArray[np.intp]
    edge_weight: FloatArray
    edge_normalised: FloatArray
    closed_groups: tuple[tuple[str, ...], ...]
    hears_learning: npt.NDArray[np.bool_]

    def to_frame(self) -> pd.DataFrame:
        """Tidy edges: source, target (ids), raw weight, normalised weight."""
        return pd.DataFrame(
            {
                "source": [self.departments[i] for i in self.edge_source],
                "target": [self.departments[i] for i in self.edge_target],
                "weight": self.edge_weight,
                "normalised": self.edge_normalised,
            }
        )

    def node_frame(self) -> pd.DataFrame:
        """One row per department: id, function, x, y, share, hears_learning."""
        return pd.DataFrame(
            {
                "department": list(self.departments),
                "function": list(self.functions),
                "x": self.x,
                "y": self.y,
                "share": self.share,
                "hears_learning": self.hears_learning,
            }
        )


def _layout(ids: list[str], edges: list[tuple[int, int]], layout: str) -> FloatArray:
    n = len(ids)
    if n == 1:
        return np.zeros((1, 2))
    if layout == "circular":
        angle = np.pi / 2 - 2 * np.pi * np.arange(n) / n
        return np.column_stack([np.cos(angle), np.sin(angle)])
    import networkx as nx  # networkx loads on first use, not at import

    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_edges_from((i, j) for i, j in edges if i != j)
    pos = nx.spring_layout(G, seed=7)
    xy = np.array([pos[i] for i in range(n)], dtype=float)
    span = np.abs(xy).max()
    return xy / span if span > 0 else xy


@register_model(label="Influence network", area="influence", params=NETWORK_PARAMS)
def influence_network(scenario: Scenario, *, layout: str = "circular") -> NetworkResult:
    """The influence network with a stable layout, the drive share, closed groups and who can
    hear learning.

    Edges are the scenario's ``influence`` table (``from`` listens to ``to``); normalised weights
    are the rows of W (:func:`lmsdecide.influence.influence_matrix`). Reachability uses networkx.

    Source: graph view of the Friedkin–Johnsen network (Friedkin & Johnsen 1999).
    """
    ids = scenario.department_ids
    index = {d: i for i, d in enumerate(ids)}
    functions = tuple(d.function for d in scenario.departments)
    src = np.array([index[e.source] for e in scenario.influence], dtype=np.intp)
    tgt = np.array([index[e.target] for e in scenario.influence], dtype=np.intp)
    W = influence_matrix(scenario)
    R = raw_influence(scenario)
    xy = _layout(ids, list(zip(src.tolist(), tgt.tolist(), strict=True)), layout)

    import networkx as nx

    G = nx.DiGraph()
    G.add_nodes_from(range(len(ids)))
    G.add_edges_from((int(i), int(j)) for i, j in zip(src, tgt, strict=True) if R[i, j] > 0)
    learning = {i for i, f in enumerate(functions) if f in LEARNING_FUNCTIONS}
    hears = np.array(
        [bool(learning & (nx.descendants(G, i) | {i})) for i in range(len(ids))], dtype=bool
    )
    return NetworkResult(
        departments=tuple(ids),
        names=tuple(d.name for d in scenario.departments),
        functions=functions,
        x=xy[:, 0].copy(),
        y=xy[:, 1].copy(),
        share=who_drives(scenario).share,
        edge_source=src,
        edge_target=tgt,
        edge_weight=np.array([e.weight for e in scenario.influence], dtype=float),
        edge_normalised=W[src, tgt] if src.size else np.zeros(0),
        closed_groups=tuple(tuple(ids[i] for i in g) for g in closed_groups(W)),
        hears_learning=hears,
    )
