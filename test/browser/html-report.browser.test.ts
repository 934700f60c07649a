/**
 * The HTML report in a real browser: headless Chromium (Debian package `chromium`) driven by
 * playwright-core. Checks that a real fixture's report loads with no console or page error and
 * draws its graphs (canvases with non-blank pixels), that a 200,000-segment flow is plotted in
 * full within the test timeout, and that a capture full of markup runs no script. Keeps a
 * screenshot in test-artifacts/html-report.png.
 *
 * Skipped, with a message, where /usr/bin/chromium or playwright-core is missing (CI installs
 * chromium: .ci/run). No timed assertions: only generous timeouts.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { buildReport, type ReportJson } from '../../src/report/report-json.js';
import { PlotRecorder } from '../../src/report/plot-recorder.js';
import { renderHtmlReport } from '../../src/report/html/render.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { CLIENT, SERVER, SynthCapture, fin, handshake, transfer } from '../../src/synth/tcp-script.js';
import { REPO, fixturePath } from '../helpers/fixture-captures.js';

const CHROMIUM = '/usr/bin/chromium';

async function loadPlaywright(): Promise<typeof import('playwright-core') | null> {
  try {
    return await import('playwright-core');
  } catch {
    return null;
  }
}

const pw = existsSync(CHROMIUM) ? await loadPlaywright() : null;
const SKIP = !existsSync(CHROMIUM)
  ? `${CHROMIUM} not found (apt-get install chromium)`
  : pw === null ? 'playwright-core not installed (npm ci)' : null;
if (SKIP !== null) console.warn(`HTML report browser tests skipped: ${SKIP}`);

const HOSTILE_SCRIPT = '<script>window.__pwned=1</script>';
const HOSTILE_ATTR = '"><img src=x onerror=window.__pwned=1>';
const TMP = mkdtempSync(join(tmpdir(), 'tcpscope-browser-'));

async function reportOf(files: string[]): Promise<{ report: ReportJson; rec: PlotRecorder }> {
  const rec = new PlotRecorder();
  const results = [];
  for (const [i, f] of files.entries()) {
    rec.beginCapture(i);
    results.push(await analyzeCapture(f, { behaviour: { onSegment: rec.onSegment } }));
  }
  return { report: buildReport(results, false), rec };
}

interface Opened {
  page: Page;
  errors: string[];
}

/** Open an HTML file, collecting console errors and uncaught page errors. */
async function open(browser: Browser, html: string, name: string): Promise<Opened> {
  const file = join(TMP, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
  return { page, errors };
}

/** Scroll a flow's section into view and wait until the page says its graphs are drawn. */
async function rendered(page: Page, key: string, timeout = 60_000): Promise<void> {
  const sel = `section.flow[data-key="${key}"]`;
  await page.locator(sel).scrollIntoViewIfNeeded({ timeout });
  await page.waitForSelector(`${sel}[data-rendered="1"], ${sel}[data-render-error]`, { timeout });
  expect(await page.locator(sel).getAttribute('data-render-error')).toBeNull();
}

/** Per canvas of the section: pixels that are neither transparent nor white. */
async function inkPerCanvas(page: Page, key: string): Promise<number[]> {
  return page.evaluate((k) => {
    const out: number[] = [];
    const canvases = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<unknown> } }).document
      .querySelectorAll(`section.flow[data-key="${k}"] canvas`);
    for (let i = 0; i < canvases.length; i++) {
      const c = canvases[i] as { width: number; height: number; getContext(t: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let p = 0; p < d.length; p += 4) if (d[p + 3]! > 0 && (d[p]! < 240 || d[p + 1]! < 240 || d[p + 2]! < 240)) ink++;
      out.push(ink);
    }
    return out;
  }, key);
}

describe.skipIf(SKIP !== null)('HTML report in headless Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await pw!.chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  test('a real capture: loads without errors, every graph draws, screenshot kept', async () => {
    const { report, rec } = await reportOf([fixturePath('bulk-loss.client.pcap'), fixturePath('slow-reader.client.pcap')]);
    const { page, errors } = await open(browser, renderHtmlReport(report, rec, { title: 'bulk-loss + slow-reader' }), 'fixtures.html');
    expect(await page.locator('table.flows tbody tr').count()).toBe(report.flows.length);
    for (const key of ['0:0', '1:0']) {
      await rendered(page, key);
      const ink = await inkPerCanvas(page, key);
      expect(ink.length).toBe(4); // time-sequence, RTT, in flight, throughput
      for (const n of ink) expect(n).toBeGreaterThan(200);
    }
    // The direction switch redraws the graphs.
    await page.locator('section.flow[data-key="0:0"] select.dir').selectOption('1');
    await rendered(page, '0:0');
    expect((await inkPerCanvas(page, '0:0')).length).toBe(4);
    mkdirSync(join(REPO, 'test-artifacts'), { recursive: true });
    await page.locator('section.flow[data-key="1:0"] select.dir').selectOption('0');
    await page.locator('section.flow[data-key="1:0"]').screenshot({ path: join(REPO, 'test-artifacts', 'html-report.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  test('a flow of 200,000 data segments is plotted in full and draws', async () => {
    const file = join(TMP, 'bulk.pcap');
    // One flow, bulk data with an ACK every other segment: 310,000 packets, ~203,000 data segments.
    await writeBenchCapture(file, { packets: 310_000, flows: 1, snaplen: 128 });
    const { report, rec } = await reportOf([file]);
    const { page, errors } = await open(browser, renderHtmlReport(report, rec, {}), 'big.html');
    await rendered(page, '0:0', 240_000);
    const counts = await page.evaluate(() => {
      const p = (globalThis as unknown as { __tcpscope: { data: { flows: { plot: { rows: number; len: number[] } }[] } } }).__tcpscope.data.flows[0]!.plot;
      return { rows: p.rows, data: p.len.filter((l) => l > 0).length };
    });
    expect(counts.rows).toBe(310_000);
    expect(counts.data).toBeGreaterThanOrEqual(200_000);
    const ink = await inkPerCanvas(page, '0:0');
    for (const n of ink) expect(n).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  test('a hostile capture runs no script: markup in payload, HTTP URI, file name, headline and event detail stays text', async () => {
    const cap = new SynthCapture({ seed: 9 });
    const c = cap.connection();
    handshake(c);
    const request = `GET /${HOSTILE_SCRIPT} HTTP/1.1\r\nHost: ${HOSTILE_ATTR}\r\n\r\n`;
    transfer(c, CLIENT, request.length, { data: new TextEncoder().encode(request) });
    transfer(c, SERVER, 3000, { lose: [{ offset: 0 }] });
    fin(c, CLIENT, { peerFin: true });
    const { bytes } = await cap.write('pcap');
    const file = join(TMP, `${HOSTILE_ATTR}.pcap`);
    writeFileSync(file, bytes!);
    const { report, rec } = await reportOf([file]);
    expect(report.captures[0]!.source).toContain(HOSTILE_ATTR);
    // What later analyzers will copy from payloads (HTTP URIs, TLS SNI) lands in these fields.
    const f = report.flows[0]!;
    (f['diagnosis'] as { headline: string }).headline = `GET /${HOSTILE_SCRIPT} ${HOSTILE_ATTR}`;
    f.anomalies.unshift({ code: 'retransmission', frame: 1, ts: f.firstTs, dir: 'c2s', detail: { uri: HOSTILE_SCRIPT, host: HOSTILE_ATTR } });
    const { page, errors } = await open(browser, renderHtmlReport(report, rec, { title: `${HOSTILE_ATTR} ${HOSTILE_SCRIPT}` }), 'hostile.html');
    await rendered(page, '0:0');
    // The HTTP parser's URI reaches the page's requests table as text.
    expect(await page.locator('section.flow[data-key="0:0"] .app table.http td.uri').first().textContent()).toBe(`/${HOSTILE_SCRIPT}`);
    await page.locator('section.flow[data-key="0:0"] details.events summary').click();
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('section.flow .headline').textContent()).toContain(HOSTILE_SCRIPT);
    expect(await page.locator('section.flow .events .detail').first().textContent()).toContain(HOSTILE_SCRIPT);
    expect(await page.locator('header ul.captures').textContent()).toContain(HOSTILE_ATTR);
    expect(await page.title()).toContain(HOSTILE_SCRIPT);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
