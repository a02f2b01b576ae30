"""Figure-data helpers for live dashboards: a model result in, the data the builder would draw.

The figure builders (:mod:`lmsdecide.figures.influence`, :mod:`~lmsdecide.figures.timing`,
:mod:`~lmsdecide.figures.partner`) make a whole ``go.Figure``: tens of milliseconds of plotly
validation. A dashboard builds each figure once, then on every control change asks the helper
here for a :class:`FigureUpdate` (plain dicts, no plotly objects) and writes only the values that
move into its ``go.FigureWidget`` inside ``batch_update()`` (:func:`apply_update`).

Each helper mirrors one builder exactly: ``apply_update(builder(r0), helper(r1))`` leaves the
figure equal to ``builder(r1)`` whenever the two results have the same structure (same traces,
shapes and annotations). When the structure differs (another scenario, a function whose share
drops to zero), :func:`apply_update` returns False and the caller redraws with the builder
(:func:`replace_figure`). No model maths here: only the mapping of result fields to trace data.
The tests check every helper against its builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import plotly.graph_objects as go

from lmsdecide.figures.influence import bubble_size
from lmsdecide.figures.palette import PARTNER_TYPE_COLOURS, function_colour
from lmsdecide.figures.timing import PHASE_FILLS, _adoption_label
from lmsdecide.influence import (
    NetworkResult,
    PhaseDriveResult,
    PowerInterestResult,
    WhoDrivesResult,
)
from lmsdecide.partner.models import PartnerRanking, WhoseWeightsWin
from lmsdecide.scenario import FUNCTIONS, LEARNING_FUNCTIONS, NEVER
from lmsdecide.timing.adoption import Adoption
from lmsdecide.timing.late import LateEngagement
from lmsdecide.timing.plan import RecommendedPlan
from lmsdecide.timing.schedule import ScheduleRisk

__all__ = [
    "FigureUpdate",
    "adoption_update",
    "apply_update",
    "completion_update",
    "drive_share_update",
    "network_update",
    "phase_drive_update",
    "plan_update",
    "power_interest_update",
    "ranking_update",
    "replace_figure",
    "timeline_update",
    "tornado_update",
    "whose_weights_update",
]


@dataclass(frozen=True)
class FigureUpdate:
    """What changes in a figure when its result changes.

    Attributes
    ----------
    traces
        One dict per trace, in the builder's order: ``type`` and ``name`` identify the trace (they
        must match the figure's), the other keys are trace properties to set.
    layout
        Layout properties to set (``{"title": {"text": ...}}``).
    shapes, annotations
        Index -> properties of the builder's shapes and annotations to set.
    n_shapes, n_annotations
        How many shapes and annotations the builder draws (checked before updating).
    renamed
        Indices of traces whose ``name`` carries values (set, not matched).
    """

    traces: tuple[dict[str, Any], ...]
    layout: dict[str, Any] = field(default_factory=dict)
    shapes: dict[int, dict[str, Any]] = field(default_factory=dict)
    annotations: dict[int, dict[str, Any]] = field(default_factory=dict)
    n_shapes: int = 0
    n_annotations: int = 0
    renamed: frozenset[int] = frozenset()

    def signature_key(self) -> tuple[Any, ...]:
        """The structure as a value: trace types, names, shape and annotation counts."""
        return (
            tuple((t["type"], t["name"]) for t in self.traces),
            self.n_shapes,
            self.n_annotations,
        )

    def fits(self, fig: go.Figure) -> bool:
        """True when ``fig`` has the structure this update is for (traces, shapes, annotations)."""
        if len(fig.data) != len(self.traces):
            return False
        if len(fig.layout.shapes) != self.n_shapes:
            return False
        if len(fig.layout.annotations) != self.n_annotations:
            return False
        return all(
            trace.type == props["type"] and (i in self.renamed or trace.name == props["name"])
            for i, (trace, props) in enumerate(zip(fig.data, self.traces, strict=True))
        )


def _flat(props: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested property dicts as plotly paths (``{"marker": {"size": s}}`` -> ``marker.size``)."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def same_value(a: Any, b: Any) -> bool:
    """Exact equality of trace values: numbers (NaN equals NaN), strings, arrays, nested lists."""
    if a is b:
        return True
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "fiub" and b.dtype.kind in "fiub":
            return bool(np.array_equal(a, b, equal_nan=True))
    if isinstance(a, np.ndarray):
        a = a.tolist()
    if isinstance(b, np.ndarray):
        b = b.tolist()
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(u, v) for u, v in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and np.isnan(a) and np.isnan(b):
        return True
    try:
        return bool(type(a) is type(b) and a == b)
    except (TypeError, ValueError):
        return False


def _changes(new: dict[str, Any], old: dict[str, Any] | None) -> dict[str, Any]:
    flat_new = _flat(new)
    if old is None:
        return flat_new
    flat_old = _flat(old)
    return {
        k: v for k, v in flat_new.items() if k not in flat_old or not same_value(v, flat_old[k])
    }


def apply_update(
    fig: go.Figure, update: FigureUpdate, previous: FigureUpdate | None = None
) -> bool:
    """Write ``update`` into ``fig`` in one batch; False (nothing written) if the structure differs.

    Works on a ``go.FigureWidget`` (one message to the browser) and on a plain ``go.Figure``.
    With ``previous`` (the update the figure shows now), only the values that changed are
    written: plotly validates every value set, so this is what keeps a live update fast.
    """
    if not update.fits(fig):
        return False
    if previous is not None and previous.signature_key() != update.signature_key():
        previous = None
    with fig.batch_update():
        for i, (trace, props) in enumerate(zip(fig.data, update.traces, strict=True)):
            skip = ("type",) if i in update.renamed else ("type", "name")
            old = previous.traces[i] if previous is not None else None
            for path, value in _changes(props, old).items():
                if path not in skip:
                    trace[path] = value
        old_layout = previous.layout if previous is not None else None
        for path, value in _changes(update.layout, old_layout).items():
            fig.layout[path] = value
        before_shapes = previous.shapes if previous is not None else None
        before_notes = previous.annotations if previous is not None else None
        for items, drawn, before in (
            (update.shapes, fig.layout.shapes, before_shapes),
            (update.annotations, fig.layout.annotations, before_notes),
        ):
            for k, props in items.items():
                old_item = before.get(k) if before is not None else None
                for path, value in _changes(props, old_item).items():
                    drawn[k][path] = value
    return True


def replace_figure(target: go.Figure, source: go.Figure) -> None:
    """Replace every trace and the layout of ``target`` (a drawn FigureWidget) by ``source``'s.

    The slow path, for a change of structure (another scenario): the widget object stays the
    same, so whatever displays it keeps showing it.
    """
    with target.batch_update():
        target.data = ()
        target.layout = source.layout
    target.add_traces(list(source.data))


# ---------------------------------------------------------------------------------------------
# Who drives (lmsdecide.figures.influence)
# ---------------------------------------------------------------------------------------------


def _by_function(functions: tuple[str, ...]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, f in enumerate(functions):
        groups.setdefault(f, []).append(i)
    return {f: groups[f] for f in FUNCTIONS if f in groups}


def drive_share_update(drive: WhoDrivesResult) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.influence.drive_share_figure`."""
    order = np.argsort(-drive.share, kind="stable")
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "name": "department",
            "x": [drive.departments[i] for i in order],
            "y": drive.share[order],
            "marker": {"color": [function_colour(drive.functions[i]) for i in order]},
            "customdata": np.array(
                [[drive.departments[i], drive.functions[i]] for i in order], dtype=object
            ),
        }
    ]
    functions = [f for f in LEARNING_FUNCTIONS if drive.share_by_function.get(f, 0) > 0] + [
        f
        for f in FUNCTIONS
        if f not in LEARNING_FUNCTIONS and drive.share_by_function.get(f, 0) > 0
    ]
    for f in functions:
        traces.append({"type": "bar", "name": f, "y": [drive.share_by_function[f]]})
    verdict = "learning drives" if drive.learning_driven else "learning does not drive"
    t = drive.threshold
    return FigureUpdate(
        traces=tuple(traces),
        layout={
            "title": {
                "text": f"Share of the final decision: learning {drive.learning_share:.0%} "
                f"({verdict})"
            }
        },
        shapes={0: {"y0": t, "y1": t}},
        annotations={2: {"y": t, "text": f"learning-driven from {t:.0%}"}},
        n_shapes=1,
        n_annotations=3,
    )


def network_update(net: NetworkResult) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.influence.network_figure`."""
    traces: list[dict[str, Any]] = []
    arrows: dict[int, dict[str, Any]] = {}
    for k, (i, j) in enumerate(zip(net.edge_source, net.edge_target, strict=True)):
        if i == j:
            continue
        w = float(net.edge_normalised[k])
        traces.append(
            {
                "type": "scatter",
                "name": "edge",
                "x": [net.x[j], net.x[i]],
                "y": [net.y[j], net.y[i]],
                "line": {"width": 0.5 + 6.0 * w},
                "text": f"{net.departments[i]} listens to {net.departments[j]} ({w:.0%})",
                "customdata": [[net.departments[i], net.departments[j], w]] * 2,
            }
        )
        arrows[len(arrows)] = {
            "x": 0.8 * net.x[i] + 0.2 * net.x[j],
            "y": 0.8 * net.y[i] + 0.2 * net.y[j],
            "ax": net.x[j],
            "ay": net.y[j],
            "arrowwidth": 0.5 + 2.0 * w,
        }
    for function, idx in _by_function(net.functions).items():
        traces.append(
            {
                "type": "scatter",
                "name": function,
                "x": net.x[idx],
                "y": net.y[idx],
                "customdata": np.array(
                    [[net.departments[i], net.share[i], bool(net.hears_learning[i])] for i in idx],
                    dtype=object,
                ),
                "marker": {"size": bubble_size(net.share[idx], base=14.0)},
            }
        )
    return FigureUpdate(
        traces=tuple(traces), annotations=arrows, n_shapes=0, n_annotations=len(arrows)
    )


def power_interest_update(
    grid: PowerInterestResult, drive: WhoDrivesResult | None = None
) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.influence.power_interest_figure`."""
    share = drive.share if drive is not None else np.full(len(grid.departments), 0.1)
    traces = tuple(
        {
            "type": "scatter",
            "name": function,
            "x": grid.interest[idx],
            "y": grid.power[idx],
            "customdata": np.array(
                [[grid.departments[i], share[i], grid.quadrant[i]] for i in idx], dtype=object
            ),
            "marker": {"size": bubble_size(share[idx])},
        }
        for function, idx in _by_function(grid.functions).items()
    )
    pt, it = grid.power_threshold, grid.interest_threshold
    corners = (
        (it / 2, (1 + pt) / 2 + 0.45 * (1 - pt)),
        ((1 + it) / 2, (1 + pt) / 2 + 0.45 * (1 - pt)),
        (it / 2, 0.05 * pt),
        ((1 + it) / 2, 0.05 * pt),
    )
    return FigureUpdate(
        traces=traces,
        shapes={0: {"y0": pt, "y1": pt}, 1: {"x0": it, "x1": it}},
        annotations={k: {"x": x, "y": y} for k, (x, y) in enumerate(corners)},
        n_shapes=2,
        n_annotations=4,
    )


def phase_drive_update(by_phase: PhaseDriveResult) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.influence.phase_drive_figure`."""
    by_function = by_phase.share_by_function()
    x = list(by_phase.phase_names)
    order = [f for f in LEARNING_FUNCTIONS] + [f for f in FUNCTIONS if f not in LEARNING_FUNCTIONS]
    traces: list[dict[str, Any]] = []
    for f in order:
        col = by_function[:, FUNCTIONS.index(f)]
        if not np.any(np.nan_to_num(col) > 0):
            continue
        traces.append({"type": "scatter", "name": f, "x": x, "y": col})
    traces.append(
        {"type": "scatter", "name": "learning share", "x": x, "y": by_phase.learning_share}
    )
    t = by_phase.threshold
    return FigureUpdate(
        traces=tuple(traces),
        shapes={0: {"y0": t, "y1": t}},
        annotations={0: {"y": t, "text": f"learning-driven from {t:.0%}"}},
        n_shapes=1,
        n_annotations=1,
    )


# ---------------------------------------------------------------------------------------------
# When each department engages (lmsdecide.figures.timing)
# ---------------------------------------------------------------------------------------------


def timeline_update(late: LateEngagement) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.timing.engagement_timeline`."""
    phases = late.phases
    start = phases["start"].to_numpy()
    end = start + phases["mean_duration"].to_numpy()
    after = float(end[-1])

    def x_of(index: int) -> float:
        return float(start[index]) if 0 <= index < len(start) else after

    def mid_of(index: int) -> float:
        return float((start[index] + end[index]) / 2) if 0 <= index < len(start) else after

    depts = late.departments
    names = dict(zip(depts["department"], depts["name"], strict=True))
    order = list(depts["name"])[::-1]
    engaged = depts[depts["engaged_index"] >= 0]
    concerns = late.concerns
    late_rows = concerns[concerns["late"]]
    xs: list[float | None] = []
    ys: list[str | None] = []
    for _, row in late_rows.iterrows():
        xs += [x_of(int(row["due_index"])), mid_of(int(row["surfaces_index"])), None]
        ys += [names[row["department"]]] * 2 + [None]
    traces = (
        {
            "type": "bar",
            "name": "phases",
            "y": ["Phases"] * len(phases),
            "base": start,
            "x": phases["mean_duration"].to_numpy(),
            "text": list(phases["name"]),
            "marker": {"color": [PHASE_FILLS[i % 2] for i in range(len(phases))]},
        },
        {
            "type": "scatter",
            "name": "engaged",
            "x": [x_of(int(i)) for i in engaged["engaged_index"]],
            "y": list(engaged["name"]),
            "marker": {"color": [function_colour(f) for f in engaged["function"]]},
            "text": list(engaged["engaged"]),
        },
        {
            "type": "scatter",
            "name": "concern due",
            "x": [x_of(int(i)) for i in concerns["due_index"]],
            "y": [names[d] for d in concerns["department"]],
            "text": list(concerns["concern"]),
        },
        {"type": "scatter", "name": "late by", "x": xs, "y": ys},
        {
            "type": "scatter",
            "name": "surfaces late",
            "x": [mid_of(int(i)) for i in late_rows["surfaces_index"]],
            "y": [names[d] for d in late_rows["department"]],
            "customdata": np.column_stack(
                [
                    late_rows["surfaces"],
                    late_rows["multiplier"],
                    late_rows["expected_rework"],
                    late_rows["kind"],
                    late_rows["cap"],
                ]
            )
            if len(late_rows)
            else None,
            "text": list(late_rows["concern"]),
        },
    )
    golive = float(end[late.launch_index])
    return FigureUpdate(
        traces=traces,
        layout={
            "title": {
                "text": f"When each department engages: {late.expected_rework:.1f} person-weeks "
                f"of expected rework, {late.expected_delay:.1f} weeks of go-live delay"
            },
            "yaxis": {"categoryarray": [*order, "Phases"]},
            "height": max(360, 32 * (len(order) + 2)),
        },
        shapes={0: {"x0": golive, "x1": golive}},
        annotations={0: {"x": golive}},
        n_shapes=1,
        n_annotations=1,
    )


def completion_update(risk: ScheduleRisk) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.timing.completion_figure`."""
    marks = ((risk.p50, "P50"), (risk.p80, "P80"), (risk.launch_target, "target"))
    return FigureUpdate(
        traces=({"type": "histogram", "name": "completion", "x": risk.completion},),
        layout={
            "title": {
                "text": f"Go-live: P50 {risk.p50:.1f}, P80 {risk.p80:.1f} weeks; "
                f"{risk.on_time_probability:.0%} chance of meeting the "
                f"{risk.launch_target:g}-week target"
            }
        },
        shapes={k: {"x0": v, "x1": v} for k, (v, _) in enumerate(marks)},
        annotations={k: {"x": v, "text": f"{label} {v:.1f}"} for k, (v, label) in enumerate(marks)},
        n_shapes=3,
        n_annotations=3,
    )


def tornado_update(risk: ScheduleRisk) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.timing.tornado_figure`."""
    t = risk.tornado.iloc[::-1]
    return FigureUpdate(
        traces=(
            {
                "type": "bar",
                "name": "P50 change",
                "x": t["p50_change"].to_numpy(),
                "y": list(t["name"]),
                "marker": {"color": [function_colour(f) for f in t["function"]]},
                "customdata": np.column_stack([t["engaged"], t["engage_at"]]),
            },
        )
    )


def adoption_update(
    a: Adoption, b: Adoption, labels: tuple[str, str] = ("current plan", "recommended plan")
) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.timing.adoption_figure`.

    The first trace of each plan is named after its p and q, so its name is set here rather than
    matched (``renamed``).
    """
    traces: list[dict[str, Any]] = []
    for result, label in zip((a, b), labels, strict=True):
        traces.append(
            {
                "type": "scatter",
                "name": _adoption_label(label, result),
                "x": result.t,
                "y": result.share,
            }
        )
        traces.append(
            {
                "type": "scatter",
                "name": f"{label}: 50% / 80%",
                "x": [result.t50, result.t80],
                "y": [0.5, 0.8],
            }
        )
    src = a.assumptions
    return FigureUpdate(
        traces=tuple(traces),
        layout={
            "title": {
                "text": f"Adoption after launch (Bass 1969): 50% by week {a.t50:.1f} vs "
                f"{b.t50:.1f}, 80% by week {a.t80:.1f} vs {b.t80:.1f}"
            }
        },
        annotations={
            0: {
                "text": f"assumptions: p_late={src['p_late']:g}, p_early={src['p_early']:g}, "
                f"q_low={src['q_low']:g}, q_high={src['q_high']:g}; learning share from "
                f"{a.learning_share_source}"
            }
        },
        n_shapes=0,
        n_annotations=1,
        renamed=frozenset({0, 2}),
    )


def plan_update(plan: RecommendedPlan) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.timing.plan_figure`."""
    table = plan.table.iloc[::-1]
    xs: list[str | None] = []
    ys: list[str | None] = []
    for _, row in table[table["changed"]].iterrows():
        xs += [row["current"], row["recommended"], None]
        ys += [row["name"], row["name"], None]
    return FigureUpdate(
        traces=(
            {"type": "scatter", "name": "move", "x": xs, "y": ys},
            {
                "type": "scatter",
                "name": "current",
                "x": list(table["current"]),
                "y": list(table["name"]),
            },
            {
                "type": "scatter",
                "name": "recommended",
                "x": list(table["recommended"]),
                "y": list(table["name"]),
                "marker": {"color": [function_colour(f) for f in table["function"]]},
                "customdata": table["saving"].to_numpy(),
            },
        ),
        layout={
            "title": {
                "text": f"Recommended plan: saves {plan.effort_saving:.1f} person-weeks net "
                f"({plan.rework_saving:.1f} of rework); P50 {plan.p50_current:.1f} -> "
                f"{plan.p50_recommended:.1f} weeks, P80 {plan.p80_current:.1f} -> "
                f"{plan.p80_recommended:.1f}"
            },
            "xaxis": {"categoryarray": [*plan.phase_ids, NEVER]},
        },
    )


# ---------------------------------------------------------------------------------------------
# Partner choice (lmsdecide.figures.partner)
# ---------------------------------------------------------------------------------------------

_METHOD_LABEL = {"topsis": "TOPSIS closeness", "weighted_sum": "weighted-sum score"}
DISQUALIFIED_COLOUR = "#CCCCCC"


def _type_colour(kind: str) -> str:
    return PARTNER_TYPE_COLOURS.get(kind, DISQUALIFIED_COLOUR)


def ranking_update(ranking: PartnerRanking) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.partner.ranking_figure`."""
    order = np.argsort(ranking.ranks)[::-1]
    labels = []
    for k in order:
        label = ranking.partner_names[k]
        if ranking.partner_ids[k] == ranking.selected:
            label += " ★"
        labels.append(label)
    method = _METHOD_LABEL.get(ranking.method, "score")
    weights = ", ".join(
        f"{c} {w:.2f}" for c, w in zip(ranking.criterion_ids, ranking.weights, strict=True)
    )
    return FigureUpdate(
        traces=(
            {
                "type": "bar",
                "name": method,
                "y": labels,
                "x": [
                    0.0 if np.isnan(ranking.scores[k]) else float(ranking.scores[k]) for k in order
                ],
                "marker": {
                    "color": [
                        _type_colour(ranking.partner_types[k])
                        if ranking.qualified[k]
                        else DISQUALIFIED_COLOUR
                        for k in order
                    ]
                },
                "text": [
                    f"{ranking.scores[k]:.3f}"
                    if ranking.qualified[k]
                    else "disqualified: " + ", ".join(ranking.failed[k])
                    for k in order
                ],
                "customdata": [[ranking.partner_types[k], int(ranking.ranks[k])] for k in order],
            },
        ),
        layout={
            "title": {
                "text": f"Partner ranking ({_METHOD_LABEL.get(ranking.method, ranking.method)}, "
                f"{ranking.weights_from} weights)<br><sup>{weights}</sup>"
            },
            "xaxis": {"title": {"text": method}},
        },
        renamed=frozenset({0}),
    )


def whose_weights_update(result: WhoseWeightsWin) -> FigureUpdate:
    """Data of :func:`~lmsdecide.figures.partner.whose_weights_figure`."""
    edges = np.concatenate(([0.0], result.breakpoints, [1.0]))
    shapes: dict[int, dict[str, Any]] = {}
    for k, top in enumerate(result.segment_tops):
        if top is None:
            continue
        kind = result.partner_types[result.partner_ids.index(top)]
        shapes[len(shapes)] = {
            "x0": float(edges[k]),
            "x1": float(edges[k + 1]),
            "fillcolor": _type_colour(kind),
        }
    traces = tuple(
        {
            "type": "scatter",
            "name": result.partner_names[k],
            "x": result.curve_shares,
            "y": result.curve_scores[:, k],
        }
        for k in range(len(result.partner_ids))
    )
    shapes[len(shapes)] = {"x0": result.share, "x1": result.share}
    annotations: dict[int, dict[str, Any]] = {
        0: {"x": result.share, "text": f"now: {result.share:.2f}"}
    }
    if result.flip_share is not None:
        shapes[len(shapes)] = {"x0": result.flip_share, "x1": result.flip_share}
        annotations[1] = {"x": result.flip_share, "text": f"flip: {result.flip_share:.2f}"}
    return FigureUpdate(
        traces=traces,
        layout={
            "title": {"text": f"Whose weights win<br><sup>{result.summary}</sup>"},
            "yaxis": {"title": {"text": _METHOD_LABEL.get(result.method, "score")}},
        },
        shapes=shapes,
        annotations=annotations,
        n_shapes=len(shapes),
        n_annotations=len(annotations),
    )
