"""The page around the figures: one stylesheet and one small script for every dashboard.

Every dashboard (and the Workshop) puts one :class:`PageStyle` widget in its root and marks the
root with the ``lmsdecide`` class (:func:`styled_page`). The widget carries:

- :data:`CSS`, the only stylesheet of the dashboards. ipywidgets' own styles cut long text with an
  ellipsis (buttons, tabs, labels) and give boxes fixed widths; here rows of controls and panels
  wrap and stack when the space is narrow, text wraps instead of being cut, nothing is wider than
  the page, keyboard focus is always visible, and tab labels meet WCAG AA contrast. Sizes of the
  Workshop's projector type are multiplied by ``--lmsdecide-scale`` (:attr:`PageStyle.scale`).
- :data:`ESM`, what pure ipywidgets cannot express: the accessible name of a slider's handle (its
  description, as a screen reader must announce it), keyboard access to panels that scroll, and
  each figure exposed as a figure named by its title and described by its text alternative (the
  visually hidden :func:`alt_text` beside it, through ``aria-describedby``).

anywidget injects the stylesheet once per page and runs the script in JupyterLab, Voila and the
classic notebook alike; the page needs no network.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import anywidget
import ipywidgets as W
import traitlets

__all__ = [
    "BADGE_COLOURS",
    "CSS",
    "ESM",
    "FIGURES_COLUMN",
    "FINDINGS_HEIGHT",
    "FINDINGS_PANEL",
    "PageStyle",
    "alt_text",
    "badge",
    "contrast_ratio",
    "figure_box",
    "styled_page",
]

#: Focus ring: dark blue, visible on white and on the light greys used here (WCAG 2.4.7).
FOCUS = "#0B57D0"

#: Severity badge colours, background and text: each pair has a contrast of at least 4.5:1.
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "critical": ("#B2182B", "#FFFFFF"),
    "warning": ("#E69F00", "#000000"),
    "info": ("#4D4D4D", "#FFFFFF"),
}

#: Layout of a column of figures beside a panel of controls: it takes the width left, and goes
#: below the panel when less than 600 px would be left.
FIGURES_COLUMN: dict[str, str] = {"flex": "1 1 0%", "min_width": "min(100%, 600px)"}

#: Class of a panel beside the controls with a height of its own (see :data:`CSS`).
FINDINGS_PANEL = "lmsdecide-beside"

#: Height of the findings beside a dashboard's controls (they scroll inside it when longer).
FINDINGS_HEIGHT = "560px"

#: Text colours used by the page on white or near-white backgrounds (all at least 4.5:1).
TEXT_COLOURS: dict[str, str] = {
    "text": "#000000",
    "muted": "#444444",
    "error": "#B2182B",
    "ok": "#1B7837",
    "tab": "#1A1A1A",
}

CSS = f"""
.lmsdecide {{ --lmsdecide-scale: 1; max-width: 100%; min-width: 0; }}
/* Rows of controls and panels wrap; no box is wider than the space it is given. */
.lmsdecide .widget-hbox {{ flex-wrap: wrap; column-gap: 12px; row-gap: 4px; }}
.lmsdecide .widget-box, .lmsdecide .widget-hbox, .lmsdecide .widget-vbox,
.lmsdecide .widget-inline-hbox, .lmsdecide .widget-html, .lmsdecide .widget-tab,
.lmsdecide .jupyter-widget-Collapse, .lmsdecide .widget-accordion {{ max-width: 100%; }}
/* a panel in a row keeps a readable width (unless its own layout says otherwise), else it goes
   below the one before it */
.lmsdecide .widget-hbox > .widget-box, .lmsdecide .widget-hbox > .widget-vbox,
.lmsdecide .widget-hbox > .widget-hbox {{ min-width: min(100%, 22em); }}
/* figures in a row share it, each at least 420 px wide: else each takes the whole row */
.lmsdecide .widget-hbox > .lmsdecide-figure {{
  flex: 1 1 0% !important; min-width: min(100%, 420px) !important;
}}
/* Text wraps rather than being cut: buttons, toggle buttons, labels, tabs, headings. */
.lmsdecide .jupyter-button, .lmsdecide .widget-button, .lmsdecide .widget-toggle-button,
.lmsdecide .widget-upload {{
  white-space: normal; overflow: visible; text-overflow: clip; height: auto;
  min-height: var(--jp-widgets-inline-height, 28px); line-height: 1.25;
  padding-top: 4px; padding-bottom: 4px; max-width: 100%; flex-shrink: 0;
}}
.lmsdecide .widget-button, .lmsdecide .widget-upload {{ width: auto; min-width: 6em; }}
.lmsdecide .widget-hbox > .widget-button {{ align-self: center; }}
.lmsdecide .widget-toggle-buttons .widget-toggle-button {{ width: auto; min-width: 4em; }}
/* a row of toggle buttons among other controls takes the room left and wraps inside */
.lmsdecide .widget-hbox > .widget-toggle-buttons {{ flex: 1 1 20em; min-width: min(100%, 20em); }}
.lmsdecide .widget-toggle-buttons {{ flex-wrap: wrap; height: auto; max-width: 100%; }}
.lmsdecide .widget-toggle-buttons .widget-toggle-button,
.lmsdecide .widget-toggle-buttons .btn-group {{ flex-wrap: wrap; max-width: 100%; }}
.lmsdecide .widget-label, .lmsdecide .widget-label-basic, .lmsdecide .widget-checkbox label,
.lmsdecide label {{
  white-space: normal; overflow: visible; text-overflow: clip; height: auto;
  line-height: 1.2; overflow-wrap: anywhere;
}}
.lmsdecide .widget-inline-hbox {{
  height: auto; min-height: var(--jp-widgets-inline-height, 28px); align-items: center;
}}
.lmsdecide .widget-readout {{ overflow: visible; min-width: 3.5em; }}
.lmsdecide h1, .lmsdecide h2, .lmsdecide h3, .lmsdecide h4 {{ overflow-wrap: anywhere; }}
.lmsdecide .widget-html-content {{ overflow-wrap: anywhere; white-space: normal; }}
.lmsdecide table {{ max-width: 100%; }}
.lmsdecide th, .lmsdecide td {{ white-space: normal; overflow-wrap: anywhere; }}
/* Tabs: the whole title, on two lines if needed; the tab bar wraps; dark text (WCAG AA). */
.lmsdecide .lm-TabBar {{ height: auto !important; min-height: 0 !important; overflow: visible; }}
.lmsdecide .lm-TabBar-content {{ flex-wrap: wrap; height: auto; }}
.lmsdecide .lm-TabBar-tab {{
  flex: 0 1 auto !important; max-width: 100% !important; min-width: 0; height: auto !important;
  min-height: 0 !important; line-height: 1.25 !important; padding: 6px 12px !important;
}}
.lmsdecide .lm-TabBar-tabLabel {{
  white-space: normal; overflow: visible; text-overflow: clip; color: {TEXT_COLOURS["tab"]};
}}
.lmsdecide .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel {{ font-weight: bold; }}
/* Accordion (Collapse) titles wrap too. */
.lmsdecide .jupyter-widget-Collapse-header, .lmsdecide .lm-AccordionPanel-title {{
  white-space: normal; height: auto; overflow: visible; text-overflow: clip;
}}
.lmsdecide .jupyter-widget-Collapse-header span, .lmsdecide .lm-AccordionPanel-titleLabel {{
  white-space: normal; overflow: visible; text-overflow: clip;
}}
/* Figures never wider than their box. */
.lmsdecide .js-plotly-plot, .lmsdecide .plot-container,
.lmsdecide .lmsdecide-figure {{ max-width: 100%; min-width: 0; }}
/* Keyboard focus is always visible, also on a figure's tool buttons (shown on hover only). */
.lmsdecide .js-plotly-plot .plotly .modebar:focus-within {{ opacity: 1 !important; }}
.lmsdecide :focus-visible, .lmsdecide .noUi-handle:focus {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px;
}}
/* Visually hidden, read by screen readers: the figures' text alternatives. */
.lmsdecide .lmsdecide-alt {{
  position: absolute !important; width: 1px !important; height: 1px !important; padding: 0;
  margin: -1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}}
.lmsdecide .lmsdecide-badge {{ padding: 0 5px; border-radius: 3px; font-weight: bold; }}
/* A panel beside the controls whose text arrives after a change (the findings, computed once
   the figures are out) has a height of its own, FINDINGS_HEIGHT or the controls' if taller, and
   scrolls inside it: its text never moves the figures below it. */
.lmsdecide .{FINDINGS_PANEL} {{ position: relative; min-height: {FINDINGS_HEIGHT}; }}
.lmsdecide .{FINDINGS_PANEL} > .widget-html {{ position: absolute; inset: 0; margin: 0; }}
.lmsdecide .{FINDINGS_PANEL} .widget-html-content {{ height: 100%; }}
.lmsdecide .{FINDINGS_PANEL} .lmsdecide-findings {{ height: 100%; box-sizing: border-box; }}

/* The Workshop's figures carry projector type: two share a row only when each keeps about 30
   characters of title type (600 px at scale 1), else each takes the whole row */
.lmsdecide-workshop .widget-hbox > .lmsdecide-figure {{
  min-width: min(100%, calc(620px * var(--lmsdecide-scale))) !important;
}}
/* The Workshop: projector type, multiplied by the scale the facilitator sets. */
.lmsdecide-workshop {{ font-size: calc(20px * var(--lmsdecide-scale)); color: #000;
  background: #fff; }}
.lmsdecide-workshop .widget-label, .lmsdecide-workshop .widget-readout,
.lmsdecide-workshop .widget-dropdown select, .lmsdecide-workshop .widget-text input,
.lmsdecide-workshop button, .lmsdecide-workshop .widget-toggle-button {{
  font-size: calc(18px * var(--lmsdecide-scale)) !important; color: #000;
}}
.lmsdecide-workshop .widget-dropdown select {{ height: auto; min-height: 1.8em; }}
.lmsdecide-workshop button {{ min-height: 1.9em; }}
.lmsdecide-workshop .lm-TabBar-tabLabel {{ font-size: calc(20px * var(--lmsdecide-scale)); }}
.lmsdecide-workshop h1 {{ font-size: calc(30px * var(--lmsdecide-scale)); line-height: 1.15; }}
.lmsdecide-workshop .tile {{ display: inline-block; min-width: 8em; margin: 4px 8px 4px 0;
  padding: 6px 10px; border: 3px solid #000; border-radius: 6px; background: #fff; }}
.lmsdecide-workshop .tile .v {{ font-size: calc(34px * var(--lmsdecide-scale)); font-weight: bold;
  line-height: 1.1; overflow-wrap: anywhere; }}
.lmsdecide-workshop .tile .k {{ font-size: calc(16px * var(--lmsdecide-scale)); }}
.lmsdecide-workshop .look {{ font-size: calc(22px * var(--lmsdecide-scale)); line-height: 1.35;
  padding: 8px 12px; border-left: 8px solid #D55E00; background: #FFF4EC; }}
.lmsdecide-workshop .msg {{ color: {TEXT_COLOURS["error"]}; font-weight: bold;
  font-size: calc(18px * var(--lmsdecide-scale)); }}
.lmsdecide-workshop .ok {{ color: {TEXT_COLOURS["ok"]}; font-weight: bold;
  font-size: calc(18px * var(--lmsdecide-scale)); }}
"""

ESM = """
const SLIDERS = '.widget-slider, .widget-hslider, .widget-vslider, .widget-hprogress';

function text(el) { return el ? (el.textContent || '').replace(/\\s+/g, ' ').trim() : ''; }

function label(root) {
  // a slider's handle is a div with role="slider": its name is the slider's description
  for (const slider of root.querySelectorAll(SLIDERS)) {
    const name = text(slider.querySelector(':scope > .widget-label'));
    for (const handle of slider.querySelectorAll('[role="slider"]')) {
      if (name && handle.getAttribute('aria-label') !== name) {
        handle.setAttribute('aria-label', name);
      }
    }
  }
  // a row of toggle buttons is one group, named by its description
  for (const group of root.querySelectorAll('.widget-toggle-buttons')) {
    const name = text(group.querySelector(':scope > .widget-label'));
    if (name && group.getAttribute('aria-label') !== name) {
      group.setAttribute('role', 'group');
      group.setAttribute('aria-label', name);
    }
  }
  // a panel that scrolls is reachable by keyboard (then arrow keys scroll it)
  for (const panel of root.querySelectorAll('.lmsdecide-scroll')) {
    if (!panel.hasAttribute('tabindex')) {
      panel.setAttribute('tabindex', '0');
      panel.setAttribute('role', 'region');
      panel.setAttribute('aria-label', panel.dataset.label || 'Scrolling panel');
    }
  }
  // a figure is named by its title and described by the text alternative beside it
  let n = 0;
  for (const plot of root.querySelectorAll('.js-plotly-plot')) {
    n += 1;
    const main = text(plot.querySelector('.g-gtitle .gtitle'));
    const sub = text(plot.querySelector('.g-gtitle .gtitle-subtitle'));
    const title = (main && sub ? main + ': ' + sub : main || sub) || 'Figure ' + n;
    if (plot.getAttribute('aria-label') !== title) {
      plot.setAttribute('role', 'figure');
      plot.setAttribute('aria-label', title);
    }
    const box = plot.closest('.lmsdecide-figure');
    const alt = box && box.querySelector('.lmsdecide-alt');
    if (alt) {
      if (!alt.id) alt.id = 'lmsdecide-alt-' + Math.random().toString(36).slice(2, 10);
      if (plot.getAttribute('aria-describedby') !== alt.id) {
        plot.setAttribute('aria-describedby', alt.id);
      }
    }
  }
}

function render({ model, el }) {
  let root = null;
  let queued = false;
  const run = () => {
    queued = false;
    root = root || el.closest('.lmsdecide');
    if (!root) { queue(); return; }
    root.style.setProperty('--lmsdecide-scale', String(model.get('scale')));
    label(root);
  };
  const queue = () => { if (!queued) { queued = true; requestAnimationFrame(run); } };
  const observer = new MutationObserver(queue);
  // the root is known once this view is in the page
  const start = () => {
    root = el.closest('.lmsdecide');
    if (!root) { setTimeout(start, 100); return; }
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    run();
  };
  start();
  model.on('change:scale', queue);
  return () => { observer.disconnect(); model.off('change:scale', queue); };
}

export default { render };
"""


class PageStyle(anywidget.AnyWidget):
    """The dashboards' stylesheet and accessibility script, carried by one invisible widget.

    ``scale`` multiplies the Workshop's projector type (1 = 20 px body text; 0.7 to 2).
    """

    _esm = ESM
    _css = CSS
    scale = traitlets.Float(1.0).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(layout=W.Layout(display="none"), **kwargs)

    @traitlets.validate("scale")
    def _check_scale(self, proposal: dict[str, Any]) -> float:
        value = float(proposal["value"])
        if not 0.7 <= value <= 2.0:
            raise traitlets.TraitError(f"scale: must be between 0.7 and 2, got {value}")
        return value


def styled_page(root: W.Box, *, style: PageStyle | None = None, workshop: bool = False) -> W.Box:
    """Mark ``root`` as a dashboard page and put its :class:`PageStyle` in it first.

    Returns ``root`` itself. ``workshop`` adds the projector type (scaled by ``style.scale``).
    """
    root.children = (style or PageStyle(), *root.children)
    root.add_class("lmsdecide")
    if workshop:
        root.add_class("lmsdecide-workshop")
    return root


def alt_text(text: str = "") -> W.HTML:
    """A figure's text alternative: visually hidden, read by screen readers (plain text)."""
    widget = W.HTML(value=escape(text))
    widget.add_class("lmsdecide-alt")
    return widget


def figure_box(figure: W.Widget, alt: W.HTML | None = None, **layout: Any) -> W.VBox:
    """A figure with its text alternative, in a box the page script links them in.

    The box is a column (``VBox``): a column stretches the figure across its width.
    """
    children = [figure] if alt is None else [figure, alt]
    box = W.VBox(children, layout=W.Layout(**layout)) if layout else W.VBox(children)
    box.add_class("lmsdecide-figure")
    return box


def badge(severity: str) -> str:
    """A severity badge (HTML): the word itself, in colours of at least 4.5:1 contrast."""
    background, foreground = BADGE_COLOURS.get(severity, BADGE_COLOURS["info"])
    return (
        f"<span class='lmsdecide-badge' style='color:{foreground};background:{background}'>"
        f"{escape(severity)}</span>"
    )


def _luminance(colour: str) -> float:
    if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
        raise ValueError(f"colour: expected #RRGGBB, got {colour!r}")
    value = colour[1:]
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2.x contrast ratio of two ``#RRGGBB`` colours, 1 to 21.

    Source: W3C, Web Content Accessibility Guidelines 2.1, definitions of "contrast ratio" and
    "relative luminance". AA asks for 4.5:1 for body text, 3:1 for large text.
    """
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)
