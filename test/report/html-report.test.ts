/**
 * The HTML report's data side: the plot recorder on real fixture captures (every packet a row,
 * relative sequence numbers, retransmission and zero-window rows equal to the JSON report's
 * counts, scaled windows), the point cap, sequence numbers unwrapped past 2^32, the derived
 * series, and the escaping of hostile capture content in the rendered HTML.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { buildReport, type ReportJson } from '../../src/report/report-json.js';
import { PlotRecorder } from '../../src/report/plot-recorder.js';
import { flowPlotJson, type FlowPlotJson } from '../../src/report/plot-data.js';
import { binWidth } from '../../src/report/plot-derive.js';
import { renderHtmlReport } from '../../src/report/html/render.js';
import { escapeHtml, inlineScript, jsonForScript } from '../../src/report/html/escape.js';
import { SEG, SEG_ANY_RETRANSMISSION } from '../../src/analysis/seg-flags.js';
import { TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { CLIENT, SynthCapture, fin, handshake, transfer } from '../../src/synth/tcp-script.js';
import { fixturePath } from '../helpers/fixture-captures.js';

async function recorded(file: string, maxPoints?: number): Promise<{ report: ReportJson; rec: PlotRecorder }> {
  const rec = new PlotRecorder(maxPoints === undefined ? {} : { maxPoints });
  const r = await analyzeCapture(file, { behaviour: { onSegment: rec.onSegment } });
  return { report: buildReport([r], false), rec };
}

function plotOf(rec: PlotRecorder, id: number): FlowPlotJson {
  const f = rec.flow(0, id);
  expect(f).toBeDefined();
  return flowPlotJson(f!);
}

/** Rows of direction `d` whose SEG bits match `mask`. */
function count(p: FlowPlotJson, d: number, mask: number): number {
  let n = 0;
  for (let i = 0; i < p.rows; i++) if (p.dir[i] === d && (p.seg[i]! & mask) !== 0) n++;
  return n;
}

function rowsOf(p: FlowPlotJson, d: number): number {
  return p.dir.filter((x) => x === d).length;
}

const HOSTILE_SCRIPT = '<script>window.__pwned=1</script>';
const HOSTILE_ATTR = '"><img src=x onerror=window.__pwned=1>';

describe('PlotRecorder on real captures', () => {
  test('bulk-loss.client: a row per packet, relative seq from the ISN, retransmissions as in the report', async () => {
    const { report, rec } = await recorded(fixturePath('bulk-loss.client.pcap'));
    expect(report.flows.length).toBeGreaterThan(0);
    for (const f of report.flows) {
      const p = plotOf(rec, f.id);
      expect(p.stopFrame).toBeNull();
      expect(p.rows).toBe(f.packets.c2s + f.packets.s2c);
      expect(rowsOf(p, 0)).toBe(f.packets.c2s);
      expect(rowsOf(p, 1)).toBe(f.packets.s2c);
      expect(count(p, 0, SEG_ANY_RETRANSMISSION)).toBe(f.retransmissions.c2s);
      expect(count(p, 1, SEG_ANY_RETRANSMISSION)).toBe(f.retransmissions.s2c);
    }
    const p = plotOf(rec, 0);
    expect(report.flows[0]!.retransmissions.c2s).toBeGreaterThan(0);
    // SYN at relative 0, the SYN/ACK acknowledges 1, the first data byte is 1.
    expect(p.flags[0]! & TCP_FLAG.SYN).not.toBe(0);
    expect(p.seq[0]).toBe(0);
    expect(p.ack[1]).toBe(1);
    const firstData = p.len.findIndex((l, i) => l > 0 && p.dir[i] === 0);
    expect(p.seq[firstData]).toBe(1);
    expect(p.origin).toEqual(['isn', 'isn']);
    // Both SYNs offered wscale 10 (README's tcpdump lines): raw win 63 → 64512 bytes.
    expect(p.scale).toEqual([10, 10]);
    expect(p.win[2]).toBe(63 * 1024);
    // Every data byte the client sent lies within the relative range its payload count allows.
    const maxEnd = Math.max(...p.seq.map((s, i) => (p.dir[i] === 0 && p.len[i]! > 0 ? s + p.len[i]! : 0)));
    expect(maxEnd).toBe(report.flows[0]!.payloadBytes.c2s + 1);
  });

  test('slow-reader.client: zero-window rows equal the report\'s zero_window count', async () => {
    const { report, rec } = await recorded(fixturePath('slow-reader.client.pcap'));
    let zw = 0;
    for (const f of report.flows) {
      const p = plotOf(rec, f.id);
      expect(p.rows).toBe(f.packets.c2s + f.packets.s2c);
      const n = count(p, 0, SEG.ZERO_WINDOW) + count(p, 1, SEG.ZERO_WINDOW);
      expect(n).toBe(f.anomalyCounts['zero_window'] ?? 0);
      zw += n;
      // A zero-window row advertises 0.
      for (let i = 0; i < p.rows; i++) if ((p.seg[i]! & SEG.ZERO_WINDOW) !== 0) expect(p.win[i]).toBe(0);
    }
    expect(zw).toBeGreaterThan(0);
  });

  test('derived series: RTT samples, bytes in flight and throughput are consistent with the rows', async () => {
    const { report, rec } = await recorded(fixturePath('bulk-loss.client.pcap'));
    const p = plotOf(rec, 0);
    const f = report.flows[0]!;
    expect(p.rtt.ms.length).toBeGreaterThan(0);
    for (const ms of p.rtt.ms) expect(ms).toBeGreaterThanOrEqual(0);
    // Karn: no more samples than the report's ACK samples of that direction plus the handshake.
    const c2sSamples = p.rtt.dir.filter((d) => d === 0).length;
    expect(c2sSamples).toBeLessThanOrEqual(f.rtt.c2s.samples + 1);
    for (const v of p.flight[0]) expect(v).toBeGreaterThanOrEqual(0);
    expect(Math.max(...p.flight[0])).toBeGreaterThan(0);
    const sent = p.len.reduce((a, l, i) => a + (p.dir[i] === 0 ? l : 0), 0);
    expect(p.tput.bytes[0].reduce((a, b) => a + b, 0)).toBe(sent);
    const good = p.tput.good[0].reduce((a, b) => a + b, 0);
    expect(good).toBe(f.payloadBytes.c2s);
    expect(good).toBeLessThan(sent); // retransmissions count in throughput, not in goodput
  });

  test('the point cap stops recording, counts the rest and the report says where each plot stops', async () => {
    const { report, rec } = await recorded(fixturePath('short-conns.client.pcap'), 25);
    expect(rec.pointsUsed).toBeLessThanOrEqual(25);
    const stopped = report.flows.map((f) => rec.flow(0, f.id)).filter((f) => f !== undefined && f.stopFrame >= 0);
    expect(stopped.length).toBeGreaterThan(0);
    for (const f of report.flows) {
      const r = rec.flow(0, f.id);
      if (r !== undefined) expect(r.total).toBe(f.packets.c2s + f.packets.s2c);
    }
    const html = renderHtmlReport(report, rec, {});
    const first = stopped[0]!;
    expect(html).toContain(`stop at frame ${first.stopFrame}: point cap reached`);
    expect(html).toContain('Point cap 25: reached');
  });
});

describe('sequence numbers across the 2^32 wrap', () => {
  test('a transfer whose ISN is just below 2^32 plots a monotone relative range', async () => {
    const cap = new SynthCapture({ seed: 5 });
    const c = cap.connection({ client: { isn: 0xffffff00 } });
    handshake(c);
    transfer(c, CLIENT, 40_000);
    fin(c, CLIENT, { peerFin: true });
    const { bytes } = await cap.write('pcap');
    const dir = mkdtempSync(join(tmpdir(), 'tcpscope-html-'));
    const file = join(dir, 'wrap.pcap');
    writeFileSync(file, bytes!);
    const { rec } = await recorded(file);
    const p = plotOf(rec, 0);
    let hi = 0;
    for (let i = 0; i < p.rows; i++) {
      if (p.dir[i] !== 0) continue;
      expect(p.seq[i]).toBeGreaterThanOrEqual(0);
      if (p.len[i]! > 0) hi = Math.max(hi, p.seq[i]! + p.len[i]!);
    }
    expect(hi).toBe(40_001);
    const acks = p.ack.filter((a, i): a is number => a !== null && p.dir[i] === 1);
    expect(Math.max(...acks)).toBe(40_002); // data + FIN acknowledged
  });
});

describe('HTML escaping', () => {
  test('escapeHtml, jsonForScript and inlineScript neutralise markup', () => {
    expect(escapeHtml(HOSTILE_ATTR)).toBe('&quot;&gt;&lt;img src=x onerror=window.__pwned=1&gt;');
    expect(escapeHtml(`'&`)).toBe('&#39;&amp;');
    const j = jsonForScript({ s: HOSTILE_SCRIPT + '<!--' });
    expect(j).not.toMatch(/[<>]/);
    expect(JSON.parse(j)).toEqual({ s: HOSTILE_SCRIPT + '<!--' });
    expect(inlineScript('var s = "</script>";')).toBe('var s = "<\\/script>";');
  });

  test('hostile file names, headlines and anomaly details never reach the HTML as markup', async () => {
    const { report, rec } = await recorded(fixturePath('bulk-loss.client.pcap'));
    report.captures[0]!.source = `${HOSTILE_ATTR}.pcap`;
    const f = report.flows[0]!;
    (f['diagnosis'] as { headline: string }).headline = `${HOSTILE_SCRIPT} ${HOSTILE_ATTR}`;
    f.anomalies.push({ code: 'retransmission', frame: 1, ts: 0, dir: 'c2s', detail: { note: HOSTILE_SCRIPT, x: HOSTILE_ATTR } });
    const html = renderHtmlReport(report, rec, { title: HOSTILE_ATTR });
    expect(html).not.toContain(HOSTILE_SCRIPT);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('onerror=window.__pwned=1>');
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  test('the page is self-contained: no external script, style or link', async () => {
    const { report, rec } = await recorded(fixturePath('short-conns.client.pcap'));
    const html = renderHtmlReport(report, rec, {});
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/https?:\/\/[^"' ]*\.(js|css)\b/i);
    expect(html).toContain('uPlot');
    expect(html).toContain('Content-Security-Policy" content="default-src &#39;none&#39;');
    expect(html.match(/<section class="flow"/g)?.length).toBe(report.flows.length);
  });
});

test('bin widths are 1-2-5 steps', () => {
  expect(binWidth(0.3, 500)).toBe(0.001);
  expect(binWidth(1e-3, 500)).toBe(2e-6);
  expect(binWidth(2e-3, 500)).toBe(5e-6);
  expect(binWidth(100, 500)).toBe(0.2);
});

test('flows of each capture are recorded under their capture index', async () => {
  const rec = new PlotRecorder();
  rec.beginCapture(0);
  await analyzeCapture(fixturePath('short-conns.client.pcap'), { behaviour: { onSegment: rec.onSegment } });
  rec.beginCapture(1);
  await analyzeCapture(fixturePath('bulk-loss.client.pcap'), { behaviour: { onSegment: rec.onSegment } });
  expect(rec.flow(1, 0)?.total).toBeGreaterThan(200);
  expect(rec.flow(0, 0)?.total).toBe(10);
});
