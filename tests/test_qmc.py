"""The quasi-random engine of simulate_schedule: table, points, standard errors, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import lmsdecide as L
from lmsdecide.cli import main
from lmsdecide.explore import sweep
from lmsdecide.params import ParamError
from lmsdecide.testing import check_model
from lmsdecide.timing import pert_mean, simulate_schedule
from lmsdecide.timing.chunked import simulate_long
from lmsdecide.timing.qmc import (
    PERT_TABLE_ERROR,
    pert_ppf,
    replicate_errors,
    rounded_draws,
    sobol_uniforms,
)
from tests.test_timing_schedule import due_plan

# dense probabilities, down to 1e-12 from either end (where a table on p alone fails)
TAIL = np.logspace(-12, -3, 400)
PROBS = np.concatenate([TAIL, np.linspace(0.0, 1.0, 20_001)[1:-1], 1.0 - TAIL])


def table_error(a: float, m: float, b: float) -> float:
    """Largest |table - scipy.stats.beta.ppf| on PROBS, as a share of the range b - a."""
    alpha, beta = 1 + 4 * (m - a) / (b - a), 1 + 4 * (b - m) / (b - a)
    exact = a + (b - a) * stats.beta.ppf(PROBS, alpha, beta)
    got = pert_ppf(PROBS[:, None], np.array([a]), np.array([m]), np.array([b]))[:, 0]
    return float(np.max(np.abs(got - exact)) / (b - a))


# --- the beta-PERT table -------------------------------------------------------------------------


@pytest.mark.parametrize("share", np.linspace(0.0, 1.0, 11))
def test_table_is_within_its_stated_bound_of_scipy_for_every_shape(share: float) -> None:
    # share = (m - a) / (b - a): 0 (m = a, alpha = 1) to 1 (m = b, alpha = 5)
    assert table_error(2.0, 2.0 + 8.0 * share, 10.0) <= PERT_TABLE_ERROR


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.0, 50.0),
    width=st.floats(0.01, 100.0),
    share=st.floats(0.0, 1.0),
)
def test_table_bound_holds_for_random_estimates(a: float, width: float, share: float) -> None:
    assert table_error(a, a + share * width, a + width) <= PERT_TABLE_ERROR


def test_table_maps_the_ends_to_the_range_and_keeps_a_certain_phase_certain() -> None:
    u = np.array([[0.0, 1e-15, 0.5, 1.0]]).T.repeat(2, axis=1)
    out = pert_ppf(u, np.array([3.0, 4.0]), np.array([5.0, 4.0]), np.array([9.0, 4.0]))
    assert out[0, 0] == 3.0 and out[-1, 0] == 9.0
    assert np.all(out[:, 1] == 4.0)  # a = m = b: no spread
    assert np.all(np.diff(out[:, 0]) >= 0)


# --- the points ----------------------------------------------------------------------------------


@pytest.mark.parametrize("k", [3, 8, 11])
def test_each_scramble_is_a_net_one_point_per_elementary_box(k: int) -> None:
    per = 2**k
    u = sobol_uniforms(6, per, 3, np.random.default_rng(k)).reshape(3, per, 6)
    assert u.min() > 0.0 and u.max() < 1.0
    for rep in u:
        # every coordinate: one point in each interval of width 2**-k
        for j in range(6):
            assert np.array_equal(np.sort(np.floor(rep[:, j] * per)), np.arange(per))
        # the first two coordinates: one point in each box of area 2**-k ((0, m, 2)-net)
        for bits in range(k + 1):
            cell = np.floor(rep[:, 0] * 2**bits) * 2 ** (k - bits) + np.floor(
                rep[:, 1] * 2 ** (k - bits)
            )
            assert np.unique(cell).size == per
    # the scrambles differ
    assert not np.allclose(u[0], u[1])


def test_scrambled_points_are_uniform_on_average() -> None:
    u = sobol_uniforms(4, 4096, 16, np.random.default_rng(0))
    assert np.abs(u.mean(axis=0) - 0.5).max() < 1e-3
    assert np.abs(u.var(axis=0) - 1 / 12).max() < 1e-3


def test_draws_round_up_to_replicates_times_a_power_of_two() -> None:
    assert rounded_draws(2000, 16) == 128 and rounded_draws(10_000, 16) == 1024
    assert rounded_draws(2048, 16) == 128 and rounded_draws(100, 64) == 2
    s = L.example("it_led")
    assert simulate_schedule(s, n=2000, seed=1, engine="qmc").n == 2048
    assert simulate_schedule(s, n=2000, seed=1, engine="qmc", replicates=10).n == 2560
    assert simulate_schedule(s, n=2000, seed=1).n == 2000  # Monte Carlo: as asked


# --- accuracy ------------------------------------------------------------------------------------


def test_mean_equals_the_sum_of_pert_means_far_tighter_than_monte_carlo() -> None:
    # no shared overrun, no black swan, nobody late: completion = the sum of the phases' PERTs,
    # mean 33.333 weeks (sd 2.44): Monte Carlo's standard error at 4,096 draws is 0.038 weeks
    # (a 4-SE tolerance 0.15); the quasi-random mean is within 0.002 (measured: at most 0.0008
    # over 20 seeds, the table's error included)
    s = L.example("learning_led_late_it")
    s = s.with_changes(engagement=due_plan(s))
    launch = s.launch_index + 1
    a, m, b = (
        [getattr(p.duration, f) for p in s.phases][:launch]
        for f in ("optimistic", "likely", "pessimistic")
    )
    expected = float(np.sum(pert_mean(a, m, b)))
    assert expected == pytest.approx(33.3333333)
    kw = {"partner_effects": False, "overrun_sigma": 0.0, "tail_probability": 0.0}
    errors = {}
    for engine in ("qmc", "mc"):
        errors[engine] = np.array(
            [
                simulate_schedule(s, n=4096, seed=i, engine=engine, **kw).mean - expected
                for i in range(8)
            ]
        )
    assert np.abs(errors["qmc"]).max() < 0.002
    assert np.abs(errors["mc"]).max() < 0.15  # 4 standard errors
    assert np.abs(errors["qmc"]).max() < np.abs(errors["mc"]).max() / 10


def test_qmc_spreads_less_than_mc_across_scrambles_at_the_same_n() -> None:
    s = L.example("learning_led_late_it")
    n, seeds = 2048, range(12)
    spread = {}
    for engine in ("qmc", "mc"):
        runs = [simulate_schedule(s, n=n, seed=i, engine=engine) for i in seeds]
        spread[engine] = {
            k: float(np.std([getattr(r, k) for r in runs], ddof=1)) for k in ("mean", "p80")
        }
    # measured over 48 seeds (bench_timing): mean 0.034 against 0.26, P80 0.19 against 0.41
    assert spread["qmc"]["mean"] < spread["mc"]["mean"] / 3
    assert spread["qmc"]["p80"] < spread["mc"]["p80"]


def test_replicate_standard_errors_match_the_spread_over_seeds() -> None:
    s = L.example("it_led")
    for engine in ("qmc", "mc"):
        runs = [simulate_schedule(s, n=4096, seed=i, engine=engine) for i in range(40)]
        spread = float(np.std([r.mean for r in runs], ddof=1))
        reported = float(np.mean([r.se_mean for r in runs]))
        assert 0.5 < reported / spread < 2.0, engine
    risk = runs[0]
    table = risk.precision().set_index("statistic")
    assert table.loc["p80", "estimate"] == risk.p80
    assert table.loc["p80", "standard_error"] == risk.se_p80 > 0


def test_replicate_errors_closed_form() -> None:
    # blocks with means 0 and 1 alternating: sd of the 4 block means = 0.5774, / sqrt(4)
    completion = np.repeat([0.0, 1.0, 0.0, 1.0], 5)
    errors = replicate_errors(completion, 0.5, 4)
    assert errors["mean"] == pytest.approx(np.std([0, 1, 0, 1], ddof=1) / 2)
    assert errors["on_time_probability"] == pytest.approx(errors["mean"])
    assert replicate_errors(np.ones(64), 2.0, 16)["p80"] == 0.0


def test_qmc_and_mc_agree_on_the_model() -> None:
    s = L.example("learning_led_late_it")
    q = simulate_schedule(s, n=65_536, seed=3, engine="qmc")
    m = simulate_schedule(s, n=200_000, seed=3)
    for k in ("mean", "p50", "p80", "on_time_probability"):
        se = np.hypot(getattr(q, f"se_{k}"), getattr(m, f"se_{k}"))
        assert abs(getattr(q, k) - getattr(m, k)) < 5 * se, k


# --- reproducibility, the contract, bad input ----------------------------------------------------


def test_same_seed_same_result_and_different_seed_differs() -> None:
    s = L.example("it_led")
    first = simulate_schedule(s, n=1000, seed=5, engine="qmc")
    assert first == simulate_schedule(s, n=1000, seed=5, engine="qmc")
    assert first.engine == "qmc" and first.assumptions["engine"] == "qmc"
    assert not np.array_equal(
        first.completion, simulate_schedule(s, n=1000, seed=6, engine="qmc").completion
    )
    generator = simulate_schedule(s, n=1000, seed=np.random.default_rng(5), engine="qmc")
    assert generator.p50 == pytest.approx(first.p50, abs=1.0)


def test_conformance_still_holds() -> None:
    check_model("simulate_schedule", [L.example("it_led")])


@settings(max_examples=30, deadline=None)
@given(engine=st.text(max_size=8).filter(lambda t: t not in ("mc", "qmc")))
def test_unknown_engine_is_rejected_naming_field_and_value(engine: str) -> None:
    with pytest.raises(ParamError, match=r"engine: must be one of mc, qmc") as info:
        simulate_schedule(L.example("it_led"), n=200, engine=engine)
    assert repr(engine) in str(info.value)


@settings(max_examples=30, deadline=None)
@given(
    n=st.one_of(
        st.integers(max_value=99),
        st.integers(min_value=2_000_001),
        st.floats(100.5, 1e4).filter(lambda x: not x.is_integer()),
    ),
    replicates=st.one_of(st.integers(max_value=1), st.integers(min_value=65)),
)
def test_bad_draws_and_replicates_are_rejected(n: float, replicates: int) -> None:
    s = L.example("it_led")
    with pytest.raises(ParamError, match=r"^n: |\bn: "):
        simulate_schedule(s, n=n, engine="qmc")
    with pytest.raises(ParamError, match=f"replicates: .*got {replicates}"):
        simulate_schedule(s, n=200, engine="qmc", replicates=replicates)


def test_sobol_rejects_a_size_that_is_not_a_power_of_two() -> None:
    with pytest.raises(ValueError, match="per_replicate: must be a power of two, got 100"):
        sobol_uniforms(3, 100, 2, np.random.default_rng(0))


# --- where the engine reaches ------------------------------------------------------------------


def test_sweep_fast_path_uses_the_engine() -> None:
    s = L.example("learning_led_late_it")
    frame = sweep(
        s,
        ["simulate_schedule.overrun_sigma"],
        ["p80"],
        n=3,
        params={"simulate_schedule": {"n": 512, "engine": "qmc"}},
        executor="serial",
    ).frame
    for _, row in frame.iterrows():
        expected = simulate_schedule(
            s,
            n=512,
            seed=0,
            engine="qmc",
            overrun_sigma=float(row["simulate_schedule.overrun_sigma"]),
        ).p80
        assert row["p80"] == pytest.approx(expected, rel=1e-12)


def test_command_line_engine_qmc_equals_the_model(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "it_led", "--engine", "qmc", "--draws", "1000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    risk = simulate_schedule(L.example("it_led"), n=1000, seed=0, engine="qmc")
    assert data["engine"] == "qmc" and data["draws"] == 1024
    assert data["p80"] == pytest.approx(risk.p80)
    assert data["se_p80"] == pytest.approx(risk.se_p80)
    assert main(["simulate", "it_led", "--engine", "halton"]) == 2
    assert "--engine: must be one of mc, qmc, got 'halton'" in capsys.readouterr().err


def test_long_qmc_runs_in_one_piece_and_rejects_too_many_draws() -> None:
    s = L.example("it_led")
    run = simulate_long(s, 3000, 2, engine="qmc")
    assert run.draws == 4096 and run.engine == "qmc"
    with pytest.raises(ValueError, match="n: must be between 100 and 2,000,000 with engine qmc"):
        simulate_long(s, 2_500_000, 2, engine="qmc")


def test_sobol_points_are_scipys_and_kept_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The unscrambled points are scipy.stats.qmc.Sobol's, computed once and read back from
    the cache folder (a dashboard's first screen then needs no scipy.stats); a malformed file
    is computed again and replaced, an unwritable folder only means nothing is kept."""
    from scipy.stats import qmc as scipy_qmc

    from lmsdecide.timing import qmc

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    qmc._sobol_integers.cache_clear()
    expected = np.rint(scipy_qmc.Sobol(5, scramble=False, bits=30).random_base2(4) * 2.0**30)
    got = qmc._sobol_integers(5, 4)
    assert got.dtype == np.uint32 and np.array_equal(got, expected) and not got.flags.writeable
    (kept,) = (tmp_path / "lmsdecide" / "sobol").glob("*.npy")
    assert kept.name.endswith("-d5-k4-b30.npy") and np.array_equal(np.load(kept), expected)
    # written under another name, then renamed: no temporary file is left beside it
    assert [p.name for p in kept.parent.iterdir()] == [kept.name]

    qmc._sobol_integers.cache_clear()
    np.save(kept, np.zeros((16, 5), dtype=np.uint32))  # read back as it is on disk
    assert not qmc._sobol_integers(5, 4).any()

    for bad in (b"not an array", None):
        qmc._sobol_integers.cache_clear()
        if bad is None:
            np.save(kept, np.zeros((8, 5), dtype=np.uint32))  # the wrong shape
        else:
            kept.write_bytes(bad)
        assert np.array_equal(qmc._sobol_integers(5, 4), expected)
        assert np.array_equal(np.load(kept), expected)  # replaced

    blocked = tmp_path / "file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))  # its lmsdecide/ cannot be made
    qmc._sobol_integers.cache_clear()
    assert np.array_equal(qmc._sobol_integers(5, 4), expected)
    qmc._sobol_integers.cache_clear()


def test_pert_table_is_scipys_beta_ppf() -> None:
    """betaincinv (scipy.special) gives beta.ppf's quantiles on the table's grid."""
    from lmsdecide.timing.qmc import PERT_TABLE_CELLS, _t_to_p, pert_table

    p = _t_to_p(np.linspace(0.0, 1.0, PERT_TABLE_CELLS + 1))
    for alpha, beta in [(1.0, 1.0), (1.5, 4.5), (4.0, 2.0), (5.0, 1.0), (2.2, 3.8)]:
        expected = stats.beta.ppf(p, alpha, beta)
        expected[0], expected[-1] = 0.0, 1.0
        np.testing.assert_allclose(pert_table(alpha, beta), expected, rtol=0, atol=1e-14)


def test_sobol_points_written_by_many_threads_at_once_are_whole(tmp_path: Path) -> None:
    """Writers computing the same points at once (the findings' thread and the loop) each
    write a file of their own and rename it: the kept file is one writer's whole array."""
    import threading

    from lmsdecide.timing.qmc import _keep

    path = tmp_path / "sobol" / "points.npy"
    arrays = [np.full((4096, 12), i, dtype=np.uint32) for i in range(8)]
    threads = [threading.Thread(target=_keep, args=(path, a)) for a in arrays]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    kept = np.load(path)
    assert kept.shape == (4096, 12) and len(np.unique(kept)) == 1  # one writer's, whole
    assert [p.name for p in path.parent.iterdir()] == [path.name]
