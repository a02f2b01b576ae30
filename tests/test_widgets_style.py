"""The dashboards' page style: contrast of its colours, the projector scale, text alternatives."""

from __future__ import annotations

import re

import pytest
import traitlets
from hypothesis import given
from hypothesis import strategies as st

from lmsdecide.widgets import WhoDrives
from lmsdecide.widgets.style import (
    BADGE_COLOURS,
    CSS,
    TEXT_COLOURS,
    PageStyle,
    alt_text,
    badge,
    contrast_ratio,
    figure_box,
    styled_page,
)

colours = st.from_regex(r"#[0-9A-F]{6}", fullmatch=True)


def test_contrast_ratio_published_values() -> None:
    # WCAG 2.x: black on white is 21:1, a colour on itself 1:1; #767676 on white is the
    # lightest grey meeting 4.5:1 (4.54:1), #777777 just fails it (4.48:1).
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@given(colours, colours)
def test_contrast_ratio_is_symmetric_and_bounded(a: str, b: str) -> None:
    ratio = contrast_ratio(a, b)
    assert 1.0 <= ratio <= 21.0
    assert ratio == pytest.approx(contrast_ratio(b, a))


@pytest.mark.parametrize("bad", ["red", "#12345", "#GGGGGG", ""])
def test_contrast_ratio_refuses_what_is_not_a_colour(bad: str) -> None:
    with pytest.raises(ValueError, match="colour"):
        contrast_ratio(bad, "#FFFFFF")


@pytest.mark.parametrize("severity", sorted(BADGE_COLOURS))
def test_badges_meet_wcag_aa(severity: str) -> None:
    background, foreground = BADGE_COLOURS[severity]
    assert contrast_ratio(foreground, background) >= 4.5
    html = badge(severity)
    assert severity in html  # the word, never the colour alone
    assert background in html and foreground in html


@pytest.mark.parametrize("name", sorted(TEXT_COLOURS))
def test_text_colours_meet_wcag_aa_on_the_page_backgrounds(name: str) -> None:
    # white pages, the findings panel (#FAFAFA), the tab bar (#EEEEEE)
    for background in ("#FFFFFF", "#FAFAFA", "#EEEEEE"):
        assert contrast_ratio(TEXT_COLOURS[name], background) >= 4.5, (name, background)


def test_every_colour_in_the_stylesheet_on_white_meets_aa_for_text() -> None:
    # text colours set by the stylesheet (color: ...), on the white page
    for colour in re.findall(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", CSS):
        assert contrast_ratio(colour, "#FFFFFF") >= 4.5, colour


def test_page_style_scale_is_checked() -> None:
    style = PageStyle(scale=1.5)
    assert style.scale == 1.5
    with pytest.raises(traitlets.TraitError, match=r"scale: must be between 0\.7 and 2, got 3"):
        style.scale = 3.0
    assert style.scale == 1.5


def test_styled_page_puts_one_style_first_and_marks_the_root() -> None:
    import ipywidgets as W

    inner = W.HTML("x")
    root = styled_page(W.VBox([inner]), workshop=True)
    assert isinstance(root.children[0], PageStyle)
    assert root.children[1] is inner
    assert {"lmsdecide", "lmsdecide-workshop"} <= set(root._dom_classes)


def test_alt_text_is_plain_text() -> None:
    alt = alt_text("<b>60%</b> & more")
    assert alt.value == "&lt;b&gt;60%&lt;/b&gt; &amp; more"
    assert "lmsdecide-alt" in alt._dom_classes
    box = figure_box(_figure(), alt)
    assert "lmsdecide-figure" in box._dom_classes and box.children[1] is alt


def _figure() -> object:
    """A stand-in widget for a figure."""
    import ipywidgets as W

    return W.HTML("figure")


def test_dashboard_figures_carry_their_catalogue_text_and_follow_changes() -> None:
    dash = WhoDrives("it_led")
    live = dash.live
    assert set(live.alts) == set(live.figures)
    before = {name: alt.value for name, alt in live.alts.items()}
    assert all(before.values()), before
    for name, entry in live.entries.items():
        from html import escape

        assert before[name] == escape(entry.describe(*entry.args(dash.results)))
    # the page holds each figure with its text in one box, the style widget first
    assert isinstance(dash.widget.children[0], PageStyle)
    authority = dash.controls["authority"]
    dash.set("authority", authority.max if authority.value != authority.max else authority.min)
    after = {name: alt.value for name, alt in live.alts.items()}
    assert after != before
