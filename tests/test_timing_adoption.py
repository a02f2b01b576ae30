"""Bass diffusion closed forms and the adoption links to the scenario."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import lmsdecide as L
from lmsdecide.timing import (
    adoption,
    bass_cumulative,
    bass_density,
    bass_peak_time,
    bass_time_to,
    communications_earliness,
)


def test_bass_cumulative_closed_form() -> None:
    # Bass (1969): F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}); with the average
    # coefficients of Sultan, Farley & Lehmann (1990), p = 0.03, q = 0.38 (per year):
    p, q = 0.03, 0.38
    e = np.exp(-0.41 * 5.0)
    assert bass_cumulative(p, q, 5.0) == pytest.approx((1 - e) / (1 + (0.38 / 0.03) * e))
    assert bass_cumulative(p, q, 0.0) == 0.0
    assert bass_cumulative(p, q, 1e4) == pytest.approx(1.0)
    # q = 0 is the exponential (pure innovation) model 1 - e^{-pt}
    assert bass_cumulative(0.2, 0.0, 3.0) == pytest.approx(1 - np.exp(-0.6))


def test_bass_peak_time_closed_form() -> None:
    p, q = 0.03, 0.38
    t_star = np.log(q / p) / (p + q)
    assert bass_peak_time(p, q) == pytest.approx(t_star)
    assert t_star == pytest.approx(6.19, abs=0.01)
    t = np.linspace(0, 20, 200_001)
    assert t[np.argmax(bass_density(p, q, t))] == pytest.approx(t_star, abs=1e-3)
    # F at the peak is 1/2 - p/(2q) (Mahajan, Muller & Bass 1990)
    assert bass_cumulative(p, q, t_star) == pytest.approx(0.5 - p / (2 * q))
    assert bass_peak_time(0.3, 0.1) == 0.0


@given(st.floats(0.001, 0.5), st.floats(0.0, 2.0), st.floats(0.01, 0.99))
def test_time_to_share_inverts_the_curve(p: float, q: float, share: float) -> None:
    t = bass_time_to(share, p, q)
    assert bass_cumulative(p, q, t) == pytest.approx(share, rel=1e-9, abs=1e-12)


@given(st.floats(0.001, 0.5), st.floats(0.0, 2.0))
def test_density_is_the_derivative(p: float, q: float) -> None:
    t = np.linspace(0.5, 30, 50)
    h = 1e-6
    numeric = (bass_cumulative(p, q, t + h) - bass_cumulative(p, q, t - h)) / (2 * h)
    np.testing.assert_allclose(bass_density(p, q, t), numeric, rtol=1e-5, atol=1e-9)


def test_bad_bass_inputs() -> None:
    with pytest.raises(ValueError, match="p: "):
        bass_cumulative(0.0, 0.3, 1.0)
    with pytest.raises(ValueError, match="q: "):
        bass_cumulative(0.1, -0.3, 1.0)
    with pytest.raises(ValueError, match="t: "):
        bass_cumulative(0.1, 0.3, -1.0)
    with pytest.raises(ValueError, match="share"):
        bass_time_to(1.0, 0.1, 0.3)


def test_earliness_of_communications() -> None:
    # engaged in requirements (index 1), launch phase index 6: (6 - 1) / 6
    assert communications_earliness(L.example("learning_led_late_it")) == pytest.approx(5 / 6)
    assert communications_earliness(L.example("it_led")) == 0.0  # both at launch


def test_adoption_links_are_the_declared_assumptions() -> None:
    s = L.example("it_led")
    a = adoption(s, learning_share_from_model=False, learning_share=0.3)
    assert a.p == pytest.approx(0.005)  # comms and marketing at launch: p_late
    # no technical concern is missing at go-live, so q is not slowed
    assert a.missing_technical == 0
    assert a.q == pytest.approx(0.03 + (0.12 - 0.03) * 0.3)
    assert a.learning_share_source == "parameter learning_share"
    # six concerns go-live goes without (five communications items, the managers' reports):
    # m = 0.85 (the scenario's voluntary ceiling) x 0.95**6
    assert len(a.missing) == 6 and "Launch campaign" in a.missing
    assert a.base_ceiling == 0.85
    assert a.ceiling == pytest.approx(0.85 * 0.95**6)
    np.testing.assert_allclose(a.share, a.ceiling * bass_cumulative(a.p, a.q, a.t))
    np.testing.assert_allclose(a.adopters, a.share * s.learners)
    assert a.t50 == pytest.approx(bass_time_to(0.5 / a.ceiling, a.p, a.q))
    assert a.t80 == np.inf  # the ceiling (0.63) is below 80 %
    assert a.t[-1] == 52.0
    assert a.assumptions["learning_share"] == 0.3
    frame = a.to_frame()
    assert list(frame.columns) == ["weeks", "share", "adopters"]


def test_earlier_communications_and_more_learning_drive_speed_adoption() -> None:
    s = L.example("it_led")
    late = adoption(s, learning_share_from_model=False)
    early_plan = dict(s.engagement, comms="needs_analysis", marketing="needs_analysis")
    early = adoption(s.with_changes(engagement=early_plan), learning_share_from_model=False)
    assert early.p == pytest.approx(0.03)
    assert early.t50 < late.t50 and early.ceiling > late.ceiling
    more = adoption(s, learning_share_from_model=False, learning_share=0.9)
    assert more.q > late.q and more.t50 < late.t50


def test_learning_share_comes_from_who_drives_when_it_exists() -> None:
    s = L.example("learning_led_early_engagement")
    a = adoption(s)
    try:
        from lmsdecide.influence import who_drives
    except ImportError:
        assert "not available" in a.learning_share_source
        assert a.learning_share == 0.5
    else:
        assert a.learning_share_source == "influence model (who_drives)"
        assert a.learning_share == pytest.approx(min(max(who_drives(s).learning_share, 0.0), 1.0))


def test_mandatory_use_with_nothing_missing_is_the_plain_bass_curve() -> None:
    s = L.example("learning_led_early_engagement").with_changes(
        mandatory_use=True, adoption_ceiling=None
    )
    a = adoption(s, horizon=520)
    assert a.missing == () and a.ceiling == 1.0
    np.testing.assert_allclose(a.share, bass_cumulative(a.p, a.q, a.t))
    assert a.share[-1] > 0.999


def test_voluntary_use_stays_below_its_ceiling() -> None:
    s = L.example("learning_led_early_engagement")
    a = adoption(s, horizon=520)
    assert a.ceiling == 0.85 and a.share.max() <= 0.85  # F(t) < 1 up to rounding
    # no ceiling in the file: the voluntary default
    b = adoption(s.with_changes(adoption_ceiling=None), voluntary_ceiling=0.7, horizon=520)
    assert b.ceiling == 0.7 and b.share.max() <= 0.7
    with pytest.raises(L.ScenarioError, match="adoption_ceiling: must be below 1"):
        s.with_changes(adoption_ceiling=1.0)


def test_a_missing_technical_concern_lowers_the_ceiling_and_slows_imitation() -> None:
    # cloud_no_integration: IT engaged at launch, its browser check (configuration, not
    # blocking) is missing at go-live: m = 0.85 x 0.95, q x (1 - 0.15)
    s = L.example("cloud_no_integration")
    a = adoption(s, learning_share_from_model=False, learning_share=0.5)
    assert a.missing == ("Browser and network check",) and a.missing_technical == 1
    assert a.ceiling == pytest.approx(0.85 * 0.95)
    assert a.q == pytest.approx((0.03 + 0.09 * 0.5) * 0.85)
