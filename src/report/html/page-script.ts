/**
 * Client-side application of the HTML report (browser JavaScript, a string for the reasons in
 * page-plots.ts): reads the data block, decodes each flow's plot data, fills every flow section
 * when it scrolls into view (IntersectionObserver: a report with many flows does not build all
 * plots at load), wires the direction switch, the zoom/pan gestures and the x-axis sync between
 * one flow's plots, and lists the flow's events.
 *
 * Safety: the page builds every element from data with createElement/textContent, never
 * innerHTML; the data block is JSON read with JSON.parse, never evaluated.
 *
 * For tests: a flow section gets `data-rendered="1"` once its plots are drawn (or
 * `data-render-error` with the message), and `window.__tcpscope` exposes the plots.
 */
export const PAGE_APP = String.raw`
var DIR_NAME = ['c2s', 's2c'];
var plotsByKey = {};
window.__tcpscope = { plots: plotsByKey, data: DATA };

function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = String(text);
  return e;
}

function fmtSeconds(s) {
  if (s >= 1) return s + ' s';
  if (s >= 1e-3) return Math.round(s * 1e6) / 1e3 + ' ms';
  return Math.round(s * 1e9) / 1e3 + ' µs';
}

/** Undo plot-data.ts's encoding: times and frames from deltas, SACK blocks indexed per row. */
function decodeFlow(p) {
  var n = p.rows, t = new Float64Array(n), fr = new Float64Array(n), acc = 0, accF = 0;
  for (var i = 0; i < n; i++) { acc += p.dt[i]; t[i] = acc / 1e6; accF += p.dframe[i]; fr[i] = accF; }
  p.t = t; p.frame = fr;
  p.sackFirst = new Uint32Array(n); p.sackCount = new Uint8Array(n);
  for (var k = p.sack.row.length - 1; k >= 0; k--) { var r = p.sack.row[k]; p.sackFirst[r] = k; p.sackCount[r]++; }
  return p;
}

/** Zoom and pan beyond uPlot's drag-to-zoom: Ctrl/⌘/Alt + wheel zooms around the cursor, Shift + drag pans. */
function gestures(u, bothAxes) {
  var over = u.over;
  function zoomScale(key, pos, factor) {
    var sc = u.scales[key];
    if (sc.min == null || sc.max == null) return;
    var v = u.posToVal(pos, key);
    u.setScale(key, { min: v - (v - sc.min) * factor, max: v + (sc.max - v) * factor });
  }
  over.addEventListener('wheel', function (e) {
    if (!(e.ctrlKey || e.metaKey || e.altKey)) return;
    e.preventDefault();
    var f = e.deltaY < 0 ? 0.75 : 1 / 0.75;
    zoomScale('x', e.offsetX, f);
    if (bothAxes) zoomScale('y', e.offsetY, f);
  }, { passive: false });
  over.addEventListener('mousedown', function (e) {
    if (!e.shiftKey) return;
    e.stopPropagation(); e.preventDefault();
    var x0 = e.clientX, y0 = e.clientY, sx = u.scales.x, sy = u.scales.y;
    var xr = [sx.min, sx.max], yr = [sy.min, sy.max];
    function move(ev) {
      var dx = (ev.clientX - x0) / over.clientWidth * (xr[1] - xr[0]);
      u.setScale('x', { min: xr[0] - dx, max: xr[1] - dx });
      if (bothAxes) {
        var dy = (ev.clientY - y0) / over.clientHeight * (yr[1] - yr[0]);
        u.setScale('y', { min: yr[0] + dy, max: yr[1] + dy });
      }
    }
    function up() { document.removeEventListener('mousemove', move); document.removeEventListener('mouseup', up); }
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
  }, true);
}

/** One flow's plots zoom together on x. */
function syncX(list) {
  var busy = false;
  list.forEach(function (u) {
    u.hooks.setScale = u.hooks.setScale || [];
    u.hooks.setScale.push(function (self, key) {
      if (key !== 'x' || busy) return;
      busy = true;
      var min = self.scales.x.min, max = self.scales.x.max;
      list.forEach(function (o) { if (o !== self) o.setScale('x', { min: min, max: max }); });
      busy = false;
    });
  });
}

function addPlot(list, opts, data, host, bothAxes) {
  var box = el('div', 'plot');
  host.appendChild(box);
  opts.cursor = opts.cursor || {};
  opts.cursor.sync = { key: host.id || 'x' };
  var u = new uPlot(opts, data, box);
  gestures(u, bothAxes);
  list.push(u);
  return u;
}

function destroyPlots(key) {
  (plotsByKey[key] || []).forEach(function (u) { u.destroy(); });
  plotsByKey[key] = [];
}

function drawFlow(flow, section) {
  var host = section.querySelector('.plots');
  var d = Number(section.querySelector('select.dir').value);
  destroyPlots(flow.key);
  while (host.firstChild) host.removeChild(host.firstChild);
  var f = flow.plot, w = Math.max(400, host.clientWidth - 8), list = plotsByKey[flow.key];
  addPlot(list, timeSeqOpts(f, d, w), timeSeqData(f, d), host, true);
  addPlot(list, rttOpts(d, w), rttData(f, d), host, false);
  addPlot(list, flightOpts(f, d, w), flightData(f, d), host, false);
  addPlot(list, tputOpts(f, w), tputData(f), host, false);
  syncX(list);
}

function renderEvents(flow, section) {
  var box = section.querySelector('.events');
  if (!box || !flow.anomalies.length) return;
  var list = el('ul');
  flow.anomalies.forEach(function (a) {
    var li = el('li');
    li.appendChild(el('span', 'frame', 'frame ' + a.frame));
    li.appendChild(el('span', 'code', a.code));
    li.appendChild(el('span', 'dir', a.dir));
    if (a.detail !== undefined) li.appendChild(el('span', 'detail', JSON.stringify(a.detail)));
    list.appendChild(li);
  });
  box.appendChild(list);
}

/** The flow's application layer: HTTP requests as a table, other protocols' labels; textContent only. */
function renderApp(flow, section) {
  var box = section.querySelector('.app');
  if (!box || !flow.app) return;
  var http = flow.app.http;
  if (http) {
    box.appendChild(el('h3', null, 'HTTP: ' + http.requests + ' request(s), ' + http.responses + ' response(s)' +
      (http.notListed ? ', ' + http.notListed + ' more not listed' : '')));
    if (http.tunnel) box.appendChild(el('p', 'note', http.tunnel));
    var t = el('table', 'http'), head = el('tr');
    HTTP_COLUMNS.forEach(function (c) { head.appendChild(el('th', null, c)); });
    var thead = el('thead'); thead.appendChild(head); t.appendChild(thead);
    var body = el('tbody');
    http.rows.forEach(function (r) {
      var tr = el('tr');
      r.forEach(function (v, i) {
        var td = el('td', i === 2 ? 'uri' : i === 8 ? 'sha' : null, v === null ? '–' : v);
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    t.appendChild(body);
    box.appendChild(t);
  }
  flow.app.labels.forEach(function (l) { box.appendChild(el('p', null, l[0] + ': ' + l[1])); });
}

function renderFlow(flow, section) {
  if (section.getAttribute('data-rendered')) return;
  section.setAttribute('data-rendered', 'pending');
  try {
    renderApp(flow, section);
    renderEvents(flow, section);
    if (flow.plot) {
      decodeFlow(flow.plot);
      var sel = section.querySelector('select.dir');
      sel.value = String(flow.dataDir);
      sel.addEventListener('change', function () { drawFlow(flow, section); });
      section.querySelector('button.reset').addEventListener('click', function () { drawFlow(flow, section); });
      drawFlow(flow, section);
    }
    section.setAttribute('data-rendered', '1');
  } catch (e) {
    section.setAttribute('data-render-error', String(e && e.message || e));
    section.querySelector('.plots').appendChild(el('p', 'note', 'These graphs could not be drawn: ' + String(e && e.message || e)));
    throw e;
  }
}

function main() {
  var byKey = {};
  DATA.flows.forEach(function (f) { byKey[f.key] = f; });
  var sections = document.querySelectorAll('section.flow');
  var pending = function (s) { var f = byKey[s.getAttribute('data-key')]; if (f) renderFlow(f, s); };
  if ('IntersectionObserver' in window) {
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { if (e.isIntersecting) { io.unobserve(e.target); pending(e.target); } });
    }, { rootMargin: '300px' });
    sections.forEach(function (s) { io.observe(s); });
  } else sections.forEach(pending);
  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(plotsByKey).forEach(function (k) {
        var host = document.querySelector('section.flow[data-key="' + k + '"] .plots');
        if (!host) return;
        var w = Math.max(400, host.clientWidth - 8);
        plotsByKey[k].forEach(function (u) { u.setSize({ width: w, height: u.height }); });
      });
    }, 150);
  });
}
`;
