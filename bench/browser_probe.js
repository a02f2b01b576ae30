// Installed in the page before its own scripts (Playwright add_init_script) by bench_browser.py.
// Records, on the page's clock (performance.now()):
//  - every websocket frame in and out: size, Jupyter message type, comm method and state keys,
//    the kernel's own timestamp (header.date), and how long the page spent on an incoming frame
//    (from its arrival to the next task: decoding, the widget models, plotly.js);
//  - plotly_afterplot events per figure, and when each figure's data or layout last changed
//    (checked in the animation frame after each redraw);
//  - the first input event (key, pointer, change) after arm(): the person's action.
(() => {
  const S = (window.__lms = {
    frames: [], afterplots: [], action: null, armed: false, changed: {}, prints: {},
    lastActivity: 0, sent: new Set(), idle: new Set(),
  });
  const decoder = new TextDecoder();
  const parseJSON = (text) => { try { return JSON.parse(text); } catch (e) { return null; } };
  function describe(data) {
    // v1.kernel.websocket.jupyter.org (binary) or the legacy JSON protocol
    let channel = null, header = null, parent = null, content = null, size = 0, nbuf = 0;
    if (typeof data === 'string') {
      size = data.length;
      const msg = parseJSON(data);
      if (msg) ({ channel, header, parent_header: parent, content } = msg);
    } else {
      const buf = data instanceof ArrayBuffer ? data : data.buffer;
      size = buf.byteLength;
      const view = new DataView(buf);
      const n = Number(view.getBigUint64(0, true));
      const off = [];
      for (let i = 0; i < n; i++) off.push(Number(view.getBigUint64(8 * (i + 1), true)));
      const part = (i) => decoder.decode(new Uint8Array(buf, off[i], (i + 1 < n ? off[i + 1] : size) - off[i]));
      if (n >= 5) {
        channel = part(0); header = parseJSON(part(1)); parent = parseJSON(part(2));
        content = parseJSON(part(4)); nbuf = Math.max(0, n - 5);
      }
    }
    const d = (content && content.data) || {};
    return {
      size, nbuf, channel,
      type: header && header.msg_type, id: header && header.msg_id, date: header && header.date,
      parent: parent && parent.msg_id, state: content && content.execution_state,
      comm: content && content.comm_id, method: d.method,
      keys: d.state ? Object.keys(d.state) : [],
    };
  }
  const channel = new MessageChannel();
  const pending = [];
  channel.port1.onmessage = () => { const rec = pending.shift(); if (rec) rec.end = performance.now(); };
  const Native = window.WebSocket;
  class Probe extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const rec = { t: performance.now(), dir: 'in', ...describe(e.data) };
        S.frames.push(rec); S.lastActivity = rec.t;
        if (rec.type === 'status' && rec.state === 'idle' && S.sent.has(rec.parent)) S.idle.add(rec.parent);
        pending.push(rec); channel.port2.postMessage(0);
      });
    }
    send(data) {
      const rec = { t: performance.now(), dir: 'out', ...describe(data) };
      S.frames.push(rec); S.lastActivity = rec.t;
      if (S.action !== null && rec.type === 'comm_msg') S.sent.add(rec.id);
      return super.send(data);
    }
  }
  window.WebSocket = Probe;
  for (const kind of ['keydown', 'pointerdown', 'mousedown', 'input', 'change']) {
    window.addEventListener(kind, (e) => {
      if (S.armed && S.action === null) S.action = { t: e.timeStamp, kind };
    }, true);
  }
  const plots = () => [...document.querySelectorAll('.js-plotly-plot')];
  const print = (el) => {
    try { return JSON.stringify([el.data, el.layout], (k, v) => (ArrayBuffer.isView(v) ? Array.from(v) : v)); }
    catch (e) { return null; }
  };
  const dirty = new Set();
  S.hook = () => plots().forEach((el, i) => {
    if (el.__lmsHooked || typeof el.on !== 'function') return;
    el.__lmsHooked = true;
    el.on('plotly_afterplot', () => {
      const t = performance.now();
      S.afterplots.push({ t, plot: plots().indexOf(el) }); S.lastActivity = t; dirty.add(el);
    });
  });
  const tick = () => {
    if (S.armed) {
      for (const el of dirty) {
        const i = plots().indexOf(el), now = print(el);
        if (now !== null && now !== S.prints[i]) { S.prints[i] = now; S.changed[i] = performance.now(); }
      }
    }
    dirty.clear();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  S.arm = () => {
    S.hook();
    S.frames = []; S.afterplots = []; S.action = null; S.changed = {}; S.sent = new Set(); S.idle = new Set();
    S.prints = {}; plots().forEach((el, i) => { S.prints[i] = print(el); });
    S.initial = { ...S.prints };
    S.armedAt = performance.now(); S.lastActivity = S.armedAt; S.armed = true;
  };
  // settled: the action's comm messages were all answered (kernel idle) and nothing moved for quietMs
  S.settled = (quietMs) => S.action !== null && S.sent.size > 0 && S.idle.size === S.sent.size
    && performance.now() - S.lastActivity > quietMs;
  S.quiet = (quietMs) => performance.now() - S.lastActivity > quietMs;
  // a figure the served loader left to draw when it comes into view (scrolled away, closed tab)
  const stale = (el) => !!(el.__lmsdecideView && el.__lmsdecideView.__lmsdecideStale);
  S.collect = () => {
    S.armed = false;
    const final = plots().map((el) => print(el));
    return {
      action: S.action, frames: S.frames, afterplots: S.afterplots, changed: S.changed,
      moved: final.map((p, i) => p !== S.initial[i]), armedAt: S.armedAt,
      stale: plots().map(stale), inView: plots().map((el, i) => S.inView(i)),
    };
  };
  // an action made by script (no input event of its own): its time is now
  S.mark = () => { if (S.armed && S.action === null) S.action = { t: performance.now(), kind: 'script' }; };
  // scroll figure i to the middle of the window: ms until it holds the figure the kernel sent
  // (its first redraw, then the animation frame in which its data or layout differ)
  S.lookAt = (i) => new Promise((resolve) => {
    const el = plots()[i];
    const before = print(el), wasStale = stale(el), t0 = performance.now();
    let drawn = false;
    if (wasStale) el.once('plotly_afterplot', () => { drawn = true; });
    el.scrollIntoView({ block: 'center' });
    if (!wasStale) { resolve(null); return; }
    const check = () => {
      const now = print(el);
      if (!stale(el) && now !== null && (drawn || now !== before)) resolve(performance.now() - t0);
      else if (performance.now() - t0 > 10000) resolve(-1);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
  // the figures' tabs (CompareScenarios): the tabs not open, and tab k's figure drawn once
  // opened (the caller clicks the tab): S.opened holds the ms from watchTab, or -1 after 10 s
  const figureTabs = () => document.querySelector('.lmsdecide-figure-tabs');
  const tabBar = (t) => [...t.querySelectorAll(':scope > .lm-TabBar .lm-TabBar-tab')];
  S.closedTabs = () => {
    const t = figureTabs();
    return t ? tabBar(t).map((b, k) => (b.classList.contains('lm-mod-current') ? -1 : k))
      .filter((k) => k >= 0) : [];
  };
  S.currentTab = () => { const t = figureTabs(); return t ? tabBar(t).findIndex((b) => b.classList.contains('lm-mod-current')) : -1; };
  S.watchTab = (k) => {
    const panel = figureTabs().querySelector(':scope > .widget-tab-contents').children[k];
    const find = () => panel.querySelector('.js-plotly-plot, [data-lmsdecide-draw]');
    const before = find() ? print(find()) : null, armed = performance.now();
    let t0 = null;  // the person's click on the tab: its pointerdown
    window.addEventListener('pointerdown', (e) => { t0 = e.timeStamp; }, { capture: true, once: true });
    S.opened = null;
    const check = () => {
      const el = find(), now = el ? print(el) : null;
      const ready = t0 !== null && el && el.getClientRects().length && el.data && !stale(el)
        && !el.dataset.lmsdecideDraw && el.querySelector('.main-svg');
      if (ready && now !== null && now !== before) S.opened = performance.now() - t0;
      else if (performance.now() - armed > 10000) S.opened = -1;
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  };
  S.inView = (i) => {
    const r = plots()[i].getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.width > 0;
  };
})();
