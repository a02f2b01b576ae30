"""Sweeps: executors agree, interrupted sweeps resume, ranges are respected."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.explore import Factor, Space, factor, measure, model_factors, sweep
from lmsdecide.influence import who_drives
from lmsdecide.registry import all_models
from lmsdecide.timing import simulate_schedule
from tests import explore_models as H
from tests.strategies import scenarios

ROOT = Path(__file__).resolve().parent.parent
FACTORS = ["departments.it.authority", "engagement.it", "simulate_schedule.rework_capacity"]
MEASURES = ["learning_share", "p80", "on_time_probability", "top_driver"]
SMALL = {"simulate_schedule": {"n": 200}}


@pytest.fixture(scope="module")
def it_led() -> L.Scenario:
    return L.example("it_led")


@pytest.fixture(scope="module")
def serial(it_led: L.Scenario) -> pd.DataFrame:
    return sweep(
        it_led, FACTORS, MEASURES, n=12, params=SMALL, executor="serial", chunk_size=4
    ).frame


def test_sweep_frame_is_tidy_and_matches_the_models(
    it_led: L.Scenario, serial: pd.DataFrame
) -> None:
    assert list(serial.columns) == ["variant", *FACTORS, *MEASURES]
    assert list(serial["variant"]) == list(range(12))
    row = serial.iloc[5]
    data = it_led.to_data()
    for dept in data["departments"]:
        if dept["id"] == "it":
            dept["authority"] = float(row["departments.it.authority"])
    data["engagement"]["it"] = row["engagement.it"]
    variant = L.validate_scenario(data)
    assert row["learning_share"] == who_drives(variant).learning_share
    schedule = simulate_schedule(
        variant, n=200, seed=0, rework_capacity=float(row["simulate_schedule.rework_capacity"])
    )
    assert row["p80"] == schedule.p80
    assert row["on_time_probability"] == schedule.on_time_probability
    assert row["top_driver"] == who_drives(variant).top_driver


def test_process_pool_gives_identical_results(it_led: L.Scenario, serial: pd.DataFrame) -> None:
    result = sweep(it_led, FACTORS, MEASURES, n=12, params=SMALL, chunk_size=4, max_workers=2)
    assert result.n_chunks == 3 and result.computed == (0, 1, 2)
    pd.testing.assert_frame_equal(result.frame, serial)


def test_any_executor_gives_identical_results(it_led: L.Scenario, serial: pd.DataFrame) -> None:
    with ThreadPoolExecutor(2) as pool:
        result = sweep(it_led, FACTORS, MEASURES, n=12, params=SMALL, chunk_size=5, executor=pool)
    pd.testing.assert_frame_equal(result.frame, serial)


def test_dask_local_cluster_gives_identical_results(
    it_led: L.Scenario, serial: pd.DataFrame
) -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = sweep(
            it_led,
            FACTORS,
            MEASURES,
            n=12,
            params=SMALL,
            chunk_size=4,
            executor=client.get_executor(),
        )
    pd.testing.assert_frame_equal(result.frame, serial)


def test_interrupted_sweep_resumes_without_recomputing(it_led: L.Scenario, tmp_path: Path) -> None:
    variants = pd.DataFrame({"departments.it.authority": np.linspace(0.5, 4.0, 10)})
    args = (it_led, ["departments.it.authority"], ["explore_test_counting.y"])
    kwargs = {"variants": variants, "executor": "serial", "chunk_size": 3, "out_dir": tmp_path}
    H.CALLS.clear()
    H.FAIL_AT["authority"] = float(variants.iloc[7, 0])  # in chunk 2 (rows 6-8)
    try:
        with pytest.raises(RuntimeError, match="interrupted"):
            sweep(*args, **kwargs)
    finally:
        H.FAIL_AT["authority"] = None
    assert sorted(p.name for p in tmp_path.glob("chunk_*.parquet")) == [
        "chunk_00000.parquet",
        "chunk_00001.parquet",
    ]
    H.CALLS.clear()
    resumed = sweep(*args, **kwargs)
    assert resumed.reused == (0, 1) and resumed.computed == (2, 3)
    assert list(variants.iloc[6:, 0]) == H.CALLS  # only the unfinished variants ran
    H.CALLS.clear()
    again = sweep(*args, **kwargs)  # everything on disk: nothing runs
    assert again.computed == () and H.CALLS == []
    fresh = sweep(*args, variants=variants, executor="serial", chunk_size=3)
    pd.testing.assert_frame_equal(resumed.frame, fresh.frame)
    pd.testing.assert_frame_equal(again.frame, fresh.frame)


def test_killed_process_sweep_resumes(it_led: L.Scenario, tmp_path: Path) -> None:
    """A sweep in another process is killed part-way; the rerun keeps its finished chunks."""
    script = textwrap.dedent(
        f"""
        import lmsdecide as L
        from lmsdecide.explore import sweep
        sweep(L.example("it_led"), {FACTORS!r}, ["p80", "learning_share"], n=60,
              params={{"simulate_schedule": {{"n": 2000}}}}, chunk_size=5,
              executor="serial", out_dir={str(tmp_path)!r}, seed=4)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob("chunk_*.parquet")) and time.monotonic() < deadline:
            if proc.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        proc.kill()
        proc.wait()
    done = {p.name for p in tmp_path.glob("chunk_*.parquet")}
    assert done, "the sweep wrote no chunk before it was stopped"
    resumed = sweep(
        it_led,
        FACTORS,
        ["p80", "learning_share"],
        n=60,
        params={"simulate_schedule": {"n": 2000}},
        chunk_size=5,
        executor="serial",
        out_dir=tmp_path,
        seed=4,
    )
    assert len(resumed.reused) == len(done) and len(resumed.reused) + len(resumed.computed) == 12
    fresh = sweep(
        it_led,
        FACTORS,
        ["p80", "learning_share"],
        n=60,
        params={"simulate_schedule": {"n": 2000}},
        chunk_size=5,
        executor="serial",
        seed=4,
    )
    pd.testing.assert_frame_equal(resumed.frame, fresh.frame)


def test_out_dir_of_another_sweep_is_refused(it_led: L.Scenario, tmp_path: Path) -> None:
    sweep(it_led, ["departments.it.authority"], "learning_share", n=4, out_dir=tmp_path)
    with pytest.raises(ValueError, match="different sweep"):
        sweep(it_led, ["departments.it.authority"], "learning_share", n=5, out_dir=tmp_path)
    replaced = sweep(
        it_led, ["departments.it.authority"], "learning_share", n=5, out_dir=tmp_path, resume=False
    )
    assert replaced.computed == (0,) and len(replaced.frame) == 5


def test_grid_is_the_full_factorial(it_led: L.Scenario) -> None:
    result = sweep(
        it_led,
        {"departments.it.authority": (1.0, 3.0), "selected_partner": None},
        "chosen_partner",
        levels=3,
        executor="serial",
    )
    assert len(result.frame) == 3 * len(it_led.partners)
    assert sorted(set(result.frame["departments.it.authority"])) == [1.0, 2.0, 3.0]
    assert set(result.frame["selected_partner"]) == {p.id for p in it_led.partners}


def test_bad_requests_are_clear_errors(it_led: L.Scenario) -> None:
    with pytest.raises(ValueError, match="unknown department 'itt'"):
        sweep(it_led, ["departments.itt.authority"], "p80")
    with pytest.raises(ValueError, match="measure 'p90'"):
        sweep(it_led, ["departments.it.authority"], "p90")
    with pytest.raises(ValueError, match="no measure reads"):
        sweep(it_led, ["simulate_schedule.rework_capacity"], "learning_share", n=2)
    with pytest.raises(ValueError, match="between 0 and 1"):
        variants = pd.DataFrame({"departments.it.power": [0.5, 1.5]})
        sweep(it_led, ["departments.it.power"], "learning_share", variants=variants)
    with pytest.raises(ValueError, match="unknown choice"):
        factor(it_led, "engagement.it", choices=["design", "later"])
    with pytest.raises(ValueError, match="declared range"):
        factor(it_led, "who_drives.threshold", low=-0.5)


def test_findings_measure(it_led: L.Scenario) -> None:
    result = sweep(
        it_led,
        {"engagement.it": ["needs_analysis", "never"]},
        ["critical_findings", "findings"],
        params={"diagnose": {"n": 500}},
        executor="serial",
        levels=2,
    )
    late = result.frame.set_index("engagement.it")
    assert "IT_LATE" in late.loc["never", "findings"].split(";")
    assert late.loc["never", "critical_findings"] >= late.loc["needs_analysis", "critical_findings"]


# --- declared ranges are respected ----------------------------------------------------------


def _declared_factors() -> list[Factor]:
    out: list[Factor] = []
    for name in all_models():
        out += model_factors(name, exclude=())
    return out


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20))
def test_every_declared_parameter_maps_into_its_range(u: list[float]) -> None:
    for f in _declared_factors():
        spec = all_models()[str(f.model)].params[str(f.param)]
        for value in f.from_unit(u):
            spec.validate(value.item() if isinstance(value, np.generic) else value)


@given(st.integers(1, 40), st.integers(0, 2**32 - 1), st.sampled_from(["lhs", "sobol", "random"]))
def test_samples_stay_inside_the_ranges(n: int, seed: int, method: str) -> None:
    scenario = L.example("reseller_partner")
    space = Space.of(
        scenario,
        {
            "departments.ld.power": (0.2, 0.6),
            "engagement.it": ["requirements", "design", "never"],
            "simulate_schedule.n": (100, 300),
            "simulate_schedule.partner_effects": None,
            "launch_target": None,
        },
    )
    variants = space.sample(n, method=method, seed=seed)
    space.check(variants)  # raises when a value leaves its factor
    assert variants["departments.ld.power"].between(0.2, 0.6).all()
    assert set(variants["engagement.it"]) <= {"requirements", "design", "never"}
    assert variants["simulate_schedule.n"].between(100, 300).all()
    target = scenario.launch_target
    assert variants["launch_target"].between(0.5 * target, 1.5 * target).all()


def test_measure_of_any_registered_model() -> None:
    m = measure("explore_test_linear.y")
    assert (m.model, m.attribute) == ("explore_test_linear", "y")


def test_vectorised_drive_share_equals_the_model(it_led: L.Scenario) -> None:
    factors = {
        "departments.it.authority": None,
        "departments.ld.susceptibility": (0.5, 1.0),  # includes 1: the model's own path
        "influence.exec.it": None,
        "influence.ld.comms": (0.0, 1.0),  # an edge the scenario lacks
        "departments.hr.position": None,
        "who_drives.threshold": (0.2, 0.6),
    }
    measures = ["learning_share", "learning_driven", "top_driver", "who_drives.group_position"]
    variants = Space.of(it_led, factors).sample(200, seed=5)
    variants.loc[:9, "departments.ld.susceptibility"] = 1.0
    fast = sweep(it_led, factors, measures, variants=variants, executor="serial", chunk_size=64)
    slow = sweep(
        it_led,
        factors,
        measures,
        variants=variants,
        executor="serial",
        chunk_size=64,
        vectorise=False,
    )
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=False, rtol=1e-12)


@given(scenarios(max_departments=6), st.integers(0, 1000))
def test_vectorised_equals_the_model_on_random_scenarios(scenario: L.Scenario, seed: int) -> None:
    first = scenario.department_ids[0]
    last = scenario.department_ids[-1]
    factors = {
        f"departments.{first}.authority": None,
        f"departments.{last}.susceptibility": None,
        f"influence.{last}.{first}": None,
    }
    measures = ["learning_share", "learning_driven", "top_driver"]
    space = Space.of(scenario, factors)
    variants = space.sample(6, seed=seed)
    others = sum(d.authority for d in scenario.departments[1:])
    if others == 0:  # keep the total authority above zero (the scenario rule)
        variants[f"departments.{first}.authority"] = variants[
            f"departments.{first}.authority"
        ].clip(lower=1e-3)
    before = scenario.to_data()
    fast = sweep(scenario, space, measures, variants=variants, executor="serial")
    slow = sweep(scenario, space, measures, variants=variants, executor="serial", vectorise=False)
    pd.testing.assert_frame_equal(fast.frame, slow.frame, check_exact=False, rtol=1e-9, atol=1e-12)
    assert scenario.to_data() == before  # the base scenario is never modified


def test_lean_schedule_path_equals_the_model(it_led: L.Scenario) -> None:
    # shared draws per set of phase durations: the duration factor makes several sets
    factors = {
        "engagement.it": None,
        "selected_partner": None,
        "simulate_schedule.rework_capacity": (1.0, 10.0),
        "simulate_schedule.partner_effects": None,
        "phases.build.duration_scale": (0.8, 1.2),
        "launch_target": None,
    }
    measures = ["p50", "p80", "late_p80", "on_time_probability", "mean_completion"]
    variants = Space.of(it_led, factors).sample(40, seed=9)
    variants.loc[20:, "phases.build.duration_scale"] = 1.0  # repeated durations: cached draws
    kwargs = {"variants": variants, "params": {"simulate_schedule": {"n": 300}}}
    lean = sweep(it_led, factors, measures, executor="serial", chunk_size=15, **kwargs)
    model = sweep(it_led, factors, measures, executor="serial", vectorise=False, **kwargs)
    pd.testing.assert_frame_equal(lean.frame, model.frame, check_exact=True)


def test_a_grid_too_large_is_refused(it_led: L.Scenario) -> None:
    space = Space.of(it_led, [f"engagement.{d}" for d in it_led.department_ids])
    with pytest.raises(ValueError, match="full grid would hold 3,486,784,401 variants"):
        space.grid()


def test_model_factors_leave_out_numerical_settings() -> None:
    from lmsdecide.explore import model_factors
    from lmsdecide.timing import SCHEDULE_PARAMS

    names = {f.name.split(".", 1)[1] for f in model_factors("simulate_schedule")}
    # every declared assumption is a factor; the draws, engine and replicates are not guesses
    assert names == set(SCHEDULE_PARAMS.names) - {"n", "engine", "replicates"}
    assert "engine" in {
        f.name.split(".", 1)[1] for f in model_factors("simulate_schedule", exclude=())
    }
