"""The room's view: ratings from a form or a survey CSV, aggregated per department."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lmsdecide import example
from lmsdecide.room import aggregate_ratings, parse_ratings, read_ratings_csv, room_scenario

S = example("it_led")

CSV = """participant,department,power,interest,engage
ana,ld,5,5,Needs analysis
ben,ld,4,5,needs_analysis
cy,ld,3,4,requirements
ana,IT,4,3,requirements
ben,Information Technology,5,2,design
cy,it,,,
dee,ghost,3,3,design
eve,comms,seven,4,launch
fay,comms,2,6,build
gus,comms,2,3,3,extra
"""


def test_csv_medians_spread_and_problems() -> None:
    ratings = read_ratings_csv(S, CSV.encode(), scale="1-5")
    view = aggregate_ratings(S, ratings)
    frame = view.to_frame().set_index("department")
    # L&D: power 5, 4, 3 on 1-5 -> 1, 0.75, 0.5: median 0.75, quartiles 0.625 and 0.875
    assert frame.loc["ld", "power_median"] == pytest.approx(3 / 4)
    assert frame.loc["ld", "power_q25"] == pytest.approx((1 / 2 + 3 / 4) / 2)
    assert frame.loc["ld", "power_q75"] == pytest.approx((3 / 4 + 1) / 2)
    assert frame.loc["ld", "interest_median"] == pytest.approx(1.0)
    # phases 0, 0, 1: ordinal median is needs analysis
    assert frame.loc["ld", "engage_median"] == "Needs analysis"
    assert frame.loc["ld", "raters"] == 3
    # IT matched by id in any case and by name; the empty row is reported, not counted
    assert frame.loc["it", "raters"] == 2
    assert frame.loc["it", "power_median"] == pytest.approx(((4 - 1) / 4 + (5 - 1) / 4) / 2)
    # lower middle of phases 1 and 3
    assert frame.loc["it", "engage_median"] == "Requirements"
    # nobody rated finance: NaN medians, and the scenario's own values alongside
    assert math.isnan(frame.loc["finance", "power_median"])
    assert frame.loc["finance", "scenario_power"] == S.department("finance").power
    messages = [str(p) for p in ratings.problems]
    assert any(m.startswith("malformed line (6 fields)") and "extra" in m for m in messages)
    assert "row 7: no usable rating; row skipped" in messages
    assert "row 8: unknown department 'ghost'; row skipped" in messages
    assert "row 9: power is not a number, got 'seven'; value not counted" in messages
    assert "row 10: interest must be between 1 and 5, got '6'; value not counted" in messages


def test_semicolon_csv_and_decimal_commas() -> None:
    text = "department;power;interest;engage\nld;0,9;0,8;requirements\n"
    ratings = read_ratings_csv(S, text, scale="unit")
    assert ratings.ratings[0].power == pytest.approx(0.9)
    assert ratings.ratings[0].engage == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the ratings file is empty"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"name,score\nx,1\n", "needs a 'department' column"),
        (b"x" * (2 * 1024 * 1024 + 1), "over the 2,097,152 limit"),
    ],
)
def test_unreadable_files_say_why(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_ratings_csv(S, data)


def test_room_scenario_uses_the_medians() -> None:
    view = aggregate_ratings(S, read_ratings_csv(S, CSV, scale="1-5"))
    room = room_scenario(S, view)
    assert room.department("ld").power == pytest.approx(0.75)
    assert room.engagement["ld"] == "needs_analysis"
    assert room.engagement["it"] == "requirements"
    # unrated departments keep the scenario's values
    assert room.department("finance") == S.department("finance")
    assert room.engagement["finance"] == S.engagement["finance"]
    assert room.name.endswith("(the room's view)")


def test_form_rows_never_raise() -> None:
    rows = [{"department": "ld", "power": "0.5", "interest": None, "engage": "never"}, {}]
    ratings = parse_ratings(S, rows, scale="unit")
    assert ratings.ratings[0].engage == len(S.phases)
    assert [str(p) for p in ratings.problems] == ["row 2: no department given; row skipped"]


cells = st.one_of(
    st.none(), st.text(max_size=8), st.floats().map(str), st.integers(-2, 12).map(str)
)


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "department": st.sampled_from([*S.department_ids, "IT", "nobody", ""]),
                "power": cells,
                "interest": cells,
                "engage": st.sampled_from([*S.phase_ids, "never", "later", ""]),
            }
        ),
        max_size=30,
    ),
    st.sampled_from(["unit", "1-5", "1-10"]),
)
def test_random_rows_aggregate_within_range(rows: list[dict], scale: str) -> None:
    view = aggregate_ratings(S, parse_ratings(S, rows, scale=scale))
    for values in (view.power_median, view.interest_median, view.power_q25, view.power_q75):
        finite = values[~np.isnan(values)]
        assert np.all((finite >= 0) & (finite <= 1))
    assert np.all(
        view.power_q25[~np.isnan(view.power_q25)] <= view.power_median[~np.isnan(view.power_median)]
    )
    room_scenario(S, view)  # always a valid scenario
