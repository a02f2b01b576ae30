"""Figure builders for exploring uncertainty: the trace data equals the analysis output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

import lmsdecide as L
from lmsdecide.explore import (
    Factor,
    Space,
    SweepResult,
    discover,
    measure,
    morris,
    sobol,
    sweep,
    tornado,
)
from lmsdecide.figures import explore as F


def num(values: object) -> np.ndarray:
    return np.asarray(values, dtype=float)


def trace(fig: go.Figure, name: str) -> go.BaseTraceType:
    matches = [t for t in fig.data if t.name == name]
    assert matches, [t.name for t in fig.data]
    return matches[0]


SPACE = Space(
    (
        Factor("a", "float", 0.0, 1.0, label="A"),
        Factor("b", "float", 0.0, 1.0, label="B"),
        Factor("c", "choice", choices=("x", "y"), label="C"),
    )
)


def f(v: pd.DataFrame) -> np.ndarray:
    return (3 * v["a"] + v["a"] * v["b"] + (v["c"] == "y") * 0.5).to_numpy(dtype=float)


def test_morris_figure() -> None:
    result = morris(f, SPACE, trajectories=8)
    fig = F.morris_figure(result)
    points = trace(fig, "factors")
    np.testing.assert_allclose(num(points.x), result.mu_star)
    np.testing.assert_allclose(num(points.y), result.sigma)
    np.testing.assert_allclose(num(points.error_x.array), result.mu_star_conf)
    assert list(points.text) == ["A", "B", "C"]


def test_sobol_figure() -> None:
    result = sobol(f, SPACE, n=256)
    fig = F.sobol_figure(result)
    order = np.argsort(-result.st, kind="stable")[::-1]
    s1, st = trace(fig, "first order S1"), trace(fig, "total ST")
    assert list(s1.y) == [result.labels[i] for i in order]
    np.testing.assert_allclose(num(s1.x), result.s1[order])
    np.testing.assert_allclose(num(st.x), result.st[order])
    np.testing.assert_allclose(num(st.error_x.array), result.st_conf[order])


def test_tornado_figure() -> None:
    result = tornado(f, SPACE, {"a": 0.5, "b": 0.5, "c": "x"})
    fig = F.tornado_figure(result)
    frame = result.frame.iloc[::-1]
    low, high = trace(fig, "lowest"), trace(fig, "highest")
    assert list(low.y) == list(frame["label"])
    np.testing.assert_allclose(num(low.x) + result.base_output, frame["low"])
    np.testing.assert_allclose(num(high.x) + result.base_output, frame["high"])
    assert list(high.text) == list(frame["high_value"])


def _synthetic() -> SweepResult:
    rng = np.random.default_rng(1)
    n = 1000
    frame = pd.DataFrame({"variant": np.arange(n), "a": rng.random(n), "b": rng.random(n)})
    frame["c"] = rng.choice(["x", "y"], n)
    frame["p80"] = frame["a"] * 10 + (frame["c"] == "x")
    frame["bad"] = (frame["a"] > 0.6) & (frame["c"] == "x")
    return SweepResult(frame=frame, space=SPACE, measures=(measure("p80"),), seed=0)


def test_boxes_and_tradeoff_figures() -> None:
    found = discover(_synthetic(), "bad")
    fig = F.boxes_figure(found, 0)
    kept = trace(fig, "in the box")
    box = found.boxes[0]
    assert list(dict.fromkeys(kept.customdata)) == [r.text() for r in box.restrictions]
    a = next(r for r in box.restrictions if r.factor == "a")
    i = list(kept.y).index("A")
    assert num(kept.base)[i] == pytest.approx(a.low)  # range 0-1: position = value
    assert num(kept.base)[i] + num(kept.x)[i] == pytest.approx(1.0)
    j = list(kept.y).index("C")  # choice x is the first of two cells
    assert (num(kept.base)[j], num(kept.x)[j]) == (0.0, 0.5)
    assert kept.text[j] == "x"
    outside = trace(fig, "range")  # choice y is outside the box: a grey cell
    k = list(outside.text).index("y")
    assert (outside.y[k], num(outside.base)[k], num(outside.x)[k]) == ("C", 0.5, 0.5)
    with pytest.raises(ValueError, match="box"):
        F.boxes_figure(found, 7)
    t = F.tradeoff_figure(found)
    np.testing.assert_allclose(num(t.data[0].x), found.trajectory["coverage"])
    np.testing.assert_allclose(num(t.data[0].y), found.trajectory["density"])


def test_parallel_figure() -> None:
    scenario = L.example("it_led")
    result = sweep(
        scenario,
        ["departments.it.authority", "engagement.it"],
        ["learning_share", "top_driver"],
        n=20,
        executor="serial",
    )
    fig = F.parallel_figure(result, color="learning_share")
    dims = fig.data[0].dimensions
    assert [d.label for d in dims] == [
        result.space["departments.it.authority"].label,
        result.space["engagement.it"].label,
        "Learning share",
        "Top driver",
    ]
    np.testing.assert_allclose(num(dims[0].values), result.frame["departments.it.authority"])
    choices = list(result.space["engagement.it"].choices)
    np.testing.assert_allclose(
        num(dims[1].values), [choices.index(v) for v in result.frame["engagement.it"]]
    )
    assert list(dims[1].ticktext) == choices
    np.testing.assert_allclose(num(fig.data[0].line.color), result.frame["learning_share"])
    with pytest.raises(ValueError, match="color"):
        F.parallel_figure(result, color="nope")
