/**
 * What `tcpscope live` shows while it captures, with real Linux TCP on loopback (root: CI runs as
 * root; skipped with the reason otherwise):
 * - in a real terminal (the built CLI in tmux, 80 and 160 columns): a row for a flow while its
 *   traffic runs, the zero-window stall line while the receiver is still not reading, the
 *   RST-on-close line, no line wider than the terminal, and on Ctrl-C the final report and exit 0;
 * - off a terminal (NDJSON): `event` lines before the capture ends, `stats` lines, then the flow
 *   lines and the summary; the `-w` file gives the same flow records offline.
 * And `cap` absent (any user): the exact message and exit 2, for `live` and `interfaces`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, test } from 'vitest';
import { runLive } from '../../src/cli/live.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { loadCap } from '../../src/capture/live.js';
import { fakeIo } from '../helpers/fake-cli-io.js';
import { REPO } from '../helpers/fixture-captures.js';
import { bulkServer, rudeServer, sendAndClose, sleep, slowServer, streamFor } from '../helpers/loopback-traffic.js';

const BIN = join(REPO, 'dist', 'bin', 'tcpscope.js');
const HIDE_CAP = join(REPO, 'test', 'live', 'hide-cap.cjs');

function capAvailable(): boolean {
  try {
    loadCap();
    return true;
  } catch {
    return false;
  }
}
const isRoot = process.getuid?.() === 0;
const canCapture = isRoot && capAvailable();
const hasTmux = spawnSync('sh', ['-c', 'command -v tmux'], { stdio: 'ignore' }).status === 0;
if (!canCapture) console.log(`live view tests skipped: ${isRoot ? "the 'cap' binding is not available" : 'capturing needs root'}`);

/** Polls `check` every 200 ms for up to `ms`; true once it held. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) if (check()) return true;
  return check();
}

describe.skipIf(!canCapture || !hasTmux || !existsSync(BIN))('live view in a real terminal (tmux)', () => {
  test.each([80, 160])('%i columns', async (cols) => {
    const bulk = await bulkServer();
    const slow = await slowServer(2500);
    const rude = await rudeServer(300);
    const filter = `tcp port ${bulk.port} or tcp port ${slow.port} or tcp port ${rude.port}`;
    const session = `tcpscope-live-${process.pid}-${cols}`;
    const tmux = (...a: string[]): string => spawnSync('tmux', ['-L', session, ...a], { encoding: 'utf8' }).stdout;
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
    delete env['NO_COLOR'];
    const cmd = `cd ${REPO} && node ${BIN} live -i lo -f '${filter}' --top 5; echo __RC=$?__; sleep 60`;
    expect(spawnSync('tmux', ['-L', session, '-f', '/dev/null', 'new-session', '-d', '-s', session, '-x', String(cols), '-y', '50', cmd], { env }).status).toBe(0);
    const pane = (): string => stripVTControlCharacters(tmux('capture-pane', '-p', '-J', '-S', '-1000', '-t', session));
    try {
      // The view is drawn once the capture is open.
      expect(await until(() => /^tcpscope lo · /m.test(pane()), 15_000)).toBe(true);
      let bulkRunning = true;
      const bulkDone = streamFor(bulk.port, 4000).then(() => {
        bulkRunning = false;
      });
      const slowDone = sendAndClose(slow.port, 8_000_000);
      await sleep(300);
      // Data, FIN, and the server closes without reading: RST after the FIN.
      const rudeDone = sendAndClose(rude.port, 100_000);
      // A view row: id, then the endpoints (whole, or the client's port only at 80 columns).
      const bulkRow = new RegExp(`^\\s*\\d+ .*127\\.0\\.0\\.1:${bulk.port}\\b.*ESTAB`, 'm');
      let rowWhileRunning = false;
      let stallLineAt = 0;
      let rstLine = false;
      await until(() => {
        const p = pane();
        if (bulkRunning && bulkRow.test(p)) rowWhileRunning = true;
        if (stallLineAt === 0 && /flow \d+.*: zero-window stall: server advertises window 0/.test(p)) stallLineAt = Date.now();
        if (/flow \d+.*: RST on close by server \(after FIN\)/.test(p)) rstLine = true;
        return rowWhileRunning && stallLineAt > 0 && rstLine && slow.resumedAt() > 0;
      }, 20_000);
      await Promise.all([bulkDone, slowDone, rudeDone]);
      expect(rowWhileRunning, 'a row for the bulk flow while it ran').toBe(true);
      expect(rstLine, 'the RST-on-close line').toBe(true);
      expect(stallLineAt, 'the zero-window stall line').toBeGreaterThan(0);
      expect(stallLineAt, 'the stall line came while the receiver was still not reading').toBeLessThan(slow.resumedAt());
      await until(() => /zero-window stall ended: server reopened after \d+\.\d+ s/.test(pane()), 5_000);
      // Ctrl-C: the view goes, the final report (as analyze prints it) comes, exit 0.
      tmux('send-keys', '-t', session, 'C-c');
      expect(await until(() => pane().includes('__RC='), 15_000)).toBe(true);
      const final = pane();
      expect(final).toContain('__RC=0__');
      expect(final).toMatch(/│ format\s+│ live/);
      expect(final).toMatch(/^flows: \d+$/m);
      expect(final).toMatch(/zero-window stall ended: server reopened after/);
      expect(final).not.toMatch(/^tcpscope lo · /m);
      // The view, the finding lines and the report fit; stderr status lines (`tcpscope: ...`) are plain log lines.
      const wide = final.split('\n').filter((l) => !l.startsWith('tcpscope: ') && [...l.trimEnd()].length > cols);
      expect(wide).toEqual([]);
    } finally {
      spawnSync('tmux', ['-L', session, 'kill-server']);
      bulk.close();
      slow.close();
      rude.close();
    }
  }, 90_000);
});

interface Line {
  type: string;
  code?: string;
  phase?: string;
  flow?: number;
  server?: { port: number };
  final?: boolean;
  packets?: number;
  kernel?: unknown;
}

describe.skipIf(!canCapture)('NDJSON off a terminal', () => {
  test('event lines as findings happen (before the capture ends), stats lines, then flows and the summary', async () => {
    const slow = await slowServer(2000);
    const rude = await rudeServer(300);
    let stop!: () => void;
    const stopped = new Promise<void>((r) => (stop = r));
    const io = fakeIo();
    const file = join(mkdtempSync(join(tmpdir(), 'tcpscope-live-')), 'events.pcapng');
    const run = runLive({ device: 'lo', filter: `tcp port ${slow.port} or tcp port ${rude.port}`, format: 'ndjson', quiet: true, stop: stopped, writeFile: file }, io);
    const lines = (): Line[] =>
      io
        .out()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Line);
    await until(() => lines().some((l) => l.type === 'stats'), 5000);
    const slowDone = sendAndClose(slow.port, 8_000_000);
    await sleep(200);
    const rudeDone = sendAndClose(rude.port, 100_000);
    let stallBeforeResume = false;
    const seen = await until(() => {
      const ls = lines();
      if (slow.resumedAt() === 0 && ls.some((l) => l.code === 'zero_window_stall' && l.phase === 'start')) stallBeforeResume = true;
      return ls.some((l) => l.code === 'rst_on_close') && ls.some((l) => l.code === 'zero_window_stall' && l.phase === 'end');
    }, 15_000);
    await Promise.all([slowDone, rudeDone]);
    expect(seen, 'RST-on-close and stall-end event lines while capturing').toBe(true);
    expect(stallBeforeResume, 'the stall-start line while the receiver was still not reading').toBe(true);
    stop();
    expect(await run).toBe(0);
    slow.close();
    rude.close();
    const all = lines();
    const types = all.map((l) => l.type);
    expect(types.at(-1)).toBe('summary');
    // Events and stats come before the flow lines here (no flow finished before the stop).
    expect(types.lastIndexOf('event')).toBeLessThan(types.indexOf('flow'));
    expect(all.filter((l) => l.type === 'flow')).toHaveLength(2);
    const rst = all.find((l) => l.code === 'rst_on_close')!;
    expect(rst).toMatchObject({ type: 'event', severity: 'warning', dir: 's2c', server: { port: rude.port }, detail: { by: 'server', reason: 'after-fin' } });
    const finalStats = all.filter((l) => l.type === 'stats').at(-1)!;
    expect(finalStats).toMatchObject({ final: true, kernel: null, skipped: 0, via: 'cap' });
    expect(finalStats.packets).toBe((all.at(-1) as unknown as { captures: { packets: number }[] }).captures[0]!.packets);
    // Watching findings changes nothing in the analysis: the -w file gives the same flow records offline.
    const offline = await analyzeCapture(file);
    const strip = (f: object): object => {
      const { type: _t, capture: _c, ...rest } = f as Record<string, unknown>;
      return rest;
    };
    expect(JSON.parse(JSON.stringify(offline.flows)).map(strip)).toEqual(all.filter((l) => l.type === 'flow').map(strip));
  }, 40_000);
});

describe.skipIf(!existsSync(BIN))('cap absent (the optional dependency hidden from the built CLI)', () => {
  test.each([
    [['live', '-i', 'lo'], undefined, "tcpscope: live capture needs the optional dependency 'cap', which is not installed (install libpcap-dev, then npm install cap)"],
    [['interfaces'], undefined, "tcpscope: live capture needs the optional dependency 'cap', which is not installed (install libpcap-dev, then npm install cap)"],
    [['live', '-i', 'lo', '--via', 'cap'], 'libpcap', "tcpscope: the 'cap' binding cannot load libpcap (install libpcap0.8 / libpcap-dev): libpcap.so.0.8: cannot open shared object file: No such file or directory"],
  ])('%j (%s): exit 2 with the reason', (argv, mode, message) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (mode !== undefined) env['HIDE_CAP'] = mode;
    const r = spawnSync(process.execPath, ['--require', HIDE_CAP, BIN, ...argv], { encoding: 'utf8', env, timeout: 20_000 });
    expect(r.stderr.trim()).toBe(message);
    expect(r.status).toBe(2);
  });
});
