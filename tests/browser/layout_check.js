// The layout of a page as a person sees it: text cut, sideways scroll, figure texts that do not
// fit their figure or overlap. Evaluated by Playwright with [scope selector, selector of parts to skip].
(args) => {
  const [scope, notOurs] = args;
  const root = document.querySelector(scope) || document.body;
  const ours = el => !(notOurs && el.closest(notOurs));
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const name = el => {
    const t = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ');
    return t.length > 60 ? t.slice(0, 57) + '...' : t;
  };
  const cut = [];
  const TEXT = 'button, .widget-button, .widget-toggle-button, .lm-TabBar-tab, .lm-TabBar-tabLabel,'
    + ' label, .widget-label, .widget-label-basic, .widget-readout, .widget-dropdown select,'
    + ' .jupyter-widget-Collapse-header, .p-Collapse-header, .lm-Widget.widget-html-content,'
    + ' h1, h2, h3, h4, h5, h6, th, summary, caption, figcaption';
  for (const el of root.querySelectorAll(TEXT)) {
    if (!shown(el) || !name(el)) continue;
    if (el.closest('.js-plotly-plot') || !ours(el)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      cut.push({text: name(el), tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 80),
                scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
    }
  }
  // horizontal scroll: the page, or any box in the content that scrolls sideways
  const scroll = [];
  const de = document.documentElement;
  if (de.scrollWidth > de.clientWidth + 1) scroll.push({where: 'page', scrollWidth: de.scrollWidth, clientWidth: de.clientWidth});
  const boxes = [root, ...root.querySelectorAll('*')];
  if (root.closest('.jp-WindowedPanel-outer')) boxes.push(root.closest('.jp-WindowedPanel-outer'));
  // a figure wider than the box that holds it (it did not follow its container): reported with
  // the figure's problems, not the page's
  const tooWide = new Map();
  for (const el of boxes) {
    if (el.closest('.js-plotly-plot') || !ours(el) || !shown(el)) continue;
    const s = getComputedStyle(el);
    if ((s.overflowX === 'auto' || s.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const inner = [...el.querySelectorAll('.js-plotly-plot .main-svg')].filter(
        svg => svg.getBoundingClientRect().width > el.clientWidth + 1);
      if (inner.length) {
        for (const svg of inner) {
          const plot = svg.closest('.js-plotly-plot');
          const over = Math.round(svg.getBoundingClientRect().width - el.clientWidth);
          tooWide.set(plot, Math.max(over, tooWide.get(plot) || 0));
        }
        continue;
      }
      scroll.push({where: el.tagName.toLowerCase() + '.' + String(el.className).split(' ').slice(0, 3).join('.'),
                   text: name(el).slice(0, 40), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth});
    }
  }
  // figures: titles, subtitles, annotations, axis titles and legend items
  const figures = [];
  const plots = [...root.querySelectorAll('.js-plotly-plot')].filter(shown);
  plots.forEach((plot, index) => {
    const svg = plot.querySelector('.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const title = (plot.layout && plot.layout.title && (plot.layout.title.text || '')) || '';
    const label = String(title).replace(/<[^>]+>/g, '') || ('figure ' + (index + 1));
    const host = plot.closest('.jp-OutputArea-output, .widget-box, section, div[id]');
    const texts = [];
    const add = (sel, kind) => plot.querySelectorAll(sel).forEach(t => {
      const r = t.getBoundingClientRect();
      const text = (t.textContent || '').trim();
      if (r.width > 0 && r.height > 0 && text) texts.push({kind, text, r: {left: r.left, right: r.right, top: r.top, bottom: r.bottom}});
    });
    add('.g-gtitle text.gtitle', 'title');
    add('.g-gtitle text.gtitle-subtitle, text.gtitle-subtitle', 'subtitle');
    add('.annotation .annotation-text', 'annotation');
    add('.g-xtitle text, .g-x2title text, .g-ytitle text, .g-y2title text', 'axis title');
    add('.legend .legendtext', 'legend');
    const problems = [];
    if (tooWide.has(plot)) {
      problems.push({kind: 'wider than the box that holds it', text: label, what: 'figure',
                     overflow: tooWide.get(plot)});
    }
    // the figure's own width (its box may be wider than the window: then it is cut too)
    const right = Math.min(box.right, document.documentElement.clientWidth);
    for (const t of texts) {
      if ((t.kind === 'title' || t.kind === 'subtitle' || t.kind === 'annotation')
          && (t.r.left < box.left - 1 || t.r.right > right + 1)) {
        problems.push({kind: 'wider than its figure', text: t.text, what: t.kind,
                       overflow: Math.round(Math.max(box.left - t.r.left, t.r.right - right))});
      }
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i], b = texts[j];
        if (a.kind === 'legend' && b.kind === 'legend') continue;  // items of one legend
        const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (w > 2 && h > 2) {
          problems.push({kind: 'overlap', text: a.text, what: a.kind, other: b.text, otherWhat: b.kind});
        }
      }
    }
    figures.push({figure: label, index, width: Math.round(box.width), problems,
                  host: host ? (host.id || String(host.className).slice(0, 40)) : ''});
  });
  return {cut, scroll, figures};
}
