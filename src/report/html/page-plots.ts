/**
 * Client-side plot builders of the HTML report (browser JavaScript, ES2017, kept as a string and
 * inlined by render.ts inside the page's IIFE, after page-script.ts's helpers are in scope).
 *
 * Why a string and not a compiled module: the project's tsconfig has no DOM library (adding it
 * would let Node code use browser globals unchecked), and a separate asset file would need a
 * copy step into dist/. The browser tests (test/browser/) are this code's type check: the page
 * must load with no console or page error.
 *
 * All plots use uPlot (canvas). The time-sequence graph draws data segments as vertical bars
 * seq..seq+len with its own path builder, merging bars that fall on the same pixel column so a
 * 200,000-segment flow draws in one pass without dropping any segment from view.
 */
export const PAGE_PLOTS = String.raw`
var COLORS = {
  data: '#1f77b4', retx: '#d62728', fast: '#ff7f0e', spurious: '#9467bd', ooo: '#e377c2',
  ack: '#2ca02c', rwnd: '#8c564b', sack: '#17becf', dupack: '#444444', zwin: '#bcbd22',
  flight: '#1f77b4', good: '#2ca02c'
};

/** Vertical bars from y(seq) to y(seq + len) for the non-null rows of the series. */
function barPaths(tops) {
  return function (u, si, i0, i1) {
    var xs = u.data[0], ys = u.data[si];
    var p = new Path2D();
    var lastX = -1, lo = 0, hi = 0;
    for (var i = i0; i <= i1; i++) {
      var y = ys[i];
      if (y == null) continue;
      var x = Math.round(u.valToPos(xs[i], 'x', true));
      var a = u.valToPos(y, 'y', true), b = u.valToPos(tops(i, y), 'y', true);
      var top = Math.min(a, b) - 1, bot = Math.max(a, b) + 1;
      if (x === lastX) { if (top < lo) lo = top; if (bot > hi) hi = bot; continue; }
      if (lastX >= 0) { p.moveTo(lastX, lo); p.lineTo(lastX, hi); }
      lastX = x; lo = top; hi = bot;
    }
    if (lastX >= 0) { p.moveTo(lastX, lo); p.lineTo(lastX, hi); }
    return { stroke: p, fill: null, clip: null, band: null, gaps: null, flags: 0 };
  };
}

/** SACK blocks of each row as vertical bars (several blocks per row). */
function sackPaths(f) {
  return function (u, si, i0, i1) {
    var xs = u.data[0], ys = u.data[si];
    var p = new Path2D();
    for (var i = i0; i <= i1; i++) {
      if (ys[i] == null) continue;
      var x = Math.round(u.valToPos(xs[i], 'x', true));
      for (var k = f.sackFirst[i]; k < f.sackFirst[i] + f.sackCount[i]; k++) {
        var a = u.valToPos(f.sack.l[k], 'y', true), b = u.valToPos(f.sack.r[k], 'y', true);
        p.moveTo(x + 2, Math.max(a, b)); p.lineTo(x + 2, Math.min(a, b) - 1);
      }
    }
    return { stroke: p, fill: null, clip: null, band: null, gaps: null, flags: 0 };
  };
}

function noPath() { return null; }

/** Tick labels with as many decimals as the tick spacing needs (uPlot's default drops them on a zoomed time axis). */
function tickValues(u, splits, ai, space, incr) {
  var dec = Math.max(0, Math.min(9, -Math.floor(Math.log10(incr) + 1e-9)));
  return splits.map(function (v) { return v.toFixed(dec); });
}

/** The x axis of every plot: seconds since the flow's first packet. */
var X_AXIS = { label: 's since flow start', values: tickValues };

function lineSeries(label, color, stepped) {
  var s = { label: label, stroke: color, width: 1.5, spanGaps: true, points: { show: false } };
  if (stepped) s.paths = uPlot.paths.stepped({ align: 1 });
  return s;
}

function markerSeries(label, color, size) {
  return { label: label, stroke: color, fill: color, width: 1, paths: noPath, points: { show: true, size: size, stroke: color, fill: color } };
}

function barSeries(label, color, tops) {
  return { label: label, stroke: color, width: 1.5, paths: barPaths(tops), points: { show: false } };
}

/** Data segments of direction d by kind, the peer's ACK, window, SACK, dup-ACK and zero-window rows. */
function timeSeqData(f, d) {
  var n = f.rows, S = DATA.seg;
  var cols = [];
  for (var k = 0; k < 10; k++) cols.push(new Array(n).fill(null));
  for (var i = 0; i < n; i++) {
    var s = f.seg[i];
    if (f.dir[i] === d) {
      if (f.len[i] === 0) continue;
      var c = (s & S.SPURIOUS_RETRANSMISSION) ? 4 : (s & S.FAST_RETRANSMISSION) ? 3 : (s & S.RETRANSMISSION) ? 2 : (s & S.OUT_OF_ORDER) ? 5 : 1;
      cols[c - 1][i] = f.seq[i];
      continue;
    }
    var a = f.ack[i];
    if (a == null) continue;
    cols[5][i] = a;
    cols[6][i] = a + f.win[i];
    if (f.sackCount[i] > 0) cols[7][i] = f.sack.l[f.sackFirst[i]];
    if (s & S.DUPLICATE_ACK) cols[8][i] = a;
    if (s & S.ZERO_WINDOW) cols[9][i] = a;
  }
  return [f.t].concat(cols);
}

function timeSeqOpts(f, d, width) {
  var top = function (i, y) { return y + f.len[i]; };
  return {
    title: 'Time-sequence (' + DIR_NAME[d] + ' data, relative sequence numbers)',
    width: width, height: 380,
    scales: { x: { time: false } },
    cursor: { drag: { x: true, y: true, uni: 30 } },
    axes: [X_AXIS, { label: 'relative seq', size: 80 }],
    series: [
      { label: 't (s)' },
      barSeries('data', COLORS.data, top),
      barSeries('retransmission', COLORS.retx, top),
      barSeries('fast retransmission', COLORS.fast, top),
      barSeries('spurious retransmission', COLORS.spurious, top),
      barSeries('out-of-order', COLORS.ooo, top),
      lineSeries('ACK', COLORS.ack, true),
      lineSeries('receive window (ack + win)', COLORS.rwnd, true),
      { label: 'SACK blocks', stroke: COLORS.sack, width: 2, paths: sackPaths(f), points: { show: false } },
      markerSeries('duplicate ACK', COLORS.dupack, 5),
      markerSeries('zero window', COLORS.zwin, 9)
    ]
  };
}

function rttData(f, d) {
  var r = f.rtt, xs = [], ys = [];
  for (var i = 0; i < r.t.length; i++) if (r.dir[i] === d) { xs.push(r.t[i]); ys.push(r.ms[i]); }
  return [xs, ys];
}

function rttOpts(d, width) {
  return {
    title: 'RTT samples (' + DIR_NAME[d] + ' data → ACK, Karn\'s rule)', width: width, height: 220,
    scales: { x: { time: false } },
    axes: [X_AXIS, { label: 'ms', size: 60 }],
    series: [{ label: 't (s)' }, markerSeries('RTT (ms)', COLORS.data, 4)]
  };
}

function flightData(f, d) {
  var n = f.rows, rw = new Array(n).fill(null);
  for (var i = 0; i < n; i++) if (f.dir[i] !== d) rw[i] = f.win[i];
  return [f.t, f.flight[d], rw];
}

function flightOpts(f, d, width) {
  var scaled = f.scale[1 - d] != null;
  return {
    title: 'Bytes in flight (' + DIR_NAME[d] + ') vs receive window' + (scaled ? '' : ' (window raw: scale unknown)'),
    width: width, height: 220, scales: { x: { time: false } },
    axes: [X_AXIS, { label: 'bytes', size: 80 }],
    series: [{ label: 't (s)' }, lineSeries('in flight', COLORS.flight, true), lineSeries('receive window', COLORS.rwnd, true)]
  };
}

function tputData(f) {
  var b = f.tput.bin, nb = f.tput.bytes[0].length, xs = new Array(nb), out = [xs];
  for (var i = 0; i < nb; i++) xs[i] = i * b;
  [f.tput.bytes[0], f.tput.good[0], f.tput.bytes[1], f.tput.good[1]].forEach(function (a) {
    out.push(a.map(function (v) { return v * 8 / b / 1e6; }));
  });
  return out;
}

function tputOpts(f, width) {
  return {
    title: 'Throughput and goodput (Mbit/s, ' + fmtSeconds(f.tput.bin) + ' bins)', width: width, height: 220,
    scales: { x: { time: false } },
    axes: [X_AXIS, { label: 'Mbit/s', size: 60 }],
    series: [
      { label: 't (s)' },
      lineSeries('c2s throughput', COLORS.data, true), lineSeries('c2s goodput', COLORS.good, true),
      lineSeries('s2c throughput', COLORS.fast, true), lineSeries('s2c goodput', COLORS.spurious, true)
    ]
  };
}
`;
