/**
 * The window tracker over the real fixture captures (fixtures/*.pcap*, truth in
 * <name>.truth.json), driven by test/analysis/window-driver.ts until the per-flow orchestrator
 * wires it, once with test-local SEG bits and once with the production classifier's. Oracles: the kernel's own TCP_INFO (`rcv_wscale`) in the truth files, the recorder's
 * configuration (keep-alive timers), and tshark's `tcp.analysis.*` flags on the same capture.
 *
 * Measured (kernel 6.18 captures, recorded by fixtures/recorder):
 * - slow-reader.client: the server (SO_RCVBUF 4096, scale 0) advertises window 0 twice (frames 11
 *   and 13, tshark agrees) for 1516.757 ms; the client sends 2 Linux persist probes (0 bytes at
 *   SND.NXT − 1, which tshark labels keep-alives), 215.979 ms after the zero window (about one RTO)
 *   and then 448.015 ms later: doubling. The client's data is window-limited ~99 % of the time.
 * - keepalive.client: 4 keep-alives 1023.99–1024.00 ms apart (TCP_KEEPINTVL = 1 s plus the
 *   kernel's timer rounding), the first 1027.028 ms after the last packet from the server
 *   (TCP_KEEPIDLE = 1 s); all 4 answered within 0.05 ms.
 * - no fixture (all Linux, which never shrinks its window) gives a `window_shrink`; bulk-loss-v6
 *   has ACKs reordered between the server and the capture point (same ACK, a later ACK shown
 *   first) that a naive right-edge check would flag.
 */
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { SEG } from '../../src/analysis/seg-flags.js';
import { FIXTURE_CAPTURES, captureStem, fixturePath } from '../helpers/fixture-captures.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tsharkFields } from '../synth/tshark.js';
import { driveWindows, type BitsSource, type DrivenFlow } from './window-driver.js';

interface TcpInfo { rcv_wscale?: number }
interface TruthConn {
  client: { ip: string; port: number };
  clientApp: { tcpInfo?: TcpInfo } | null;
  serverApp: { tcpInfo?: TcpInfo } | null;
}
interface Truth { description: string; guarantees: Record<string, unknown>; connections: TruthConn[] }

function truthOf(name: string): Truth {
  return JSON.parse(readFileSync(fixturePath(`${captureStem(name)}.truth.json`), 'utf8')) as Truth;
}

const TCP_FIXTURES = FIXTURE_CAPTURES.filter((f) => existsSync(fixturePath(`${captureStem(f)}.truth.json`)) && !f.startsWith('fragments'));
const section = (fl: DrivenFlow): Record<string, any> => fl.tracker.section() as Record<string, any>;

/** Run every check with the test-local SEG bits and with the production classifier's. */
const SOURCES: readonly BitsSource[] = ['test-local', 'classifier'];

for (const src of SOURCES) {
  describe(`every real fixture [${src}]`, () => {
    test.each(TCP_FIXTURES)('%s: scale = the kernel rcv_wscale, no window_shrink, zero windows = ZERO_WINDOW bits', (name) => {
      const truth = truthOf(name);
      const flows = driveWindows(fixturePath(name), {}, src);
      expect(flows.length).toBe(truth.connections.length);
      for (const fl of flows) {
        expect(fl.log.events.filter((e) => e.code === 'window_shrink')).toEqual([]);
        if (src === 'classifier') {
          // zero-window segments per sender = the classifier's ZERO_WINDOW bits
          const bits = [0, 0];
          for (const [f, seg] of fl.seg) if ((seg & SEG.ZERO_WINDOW) !== 0) bits[fl.dir.get(f)!]!++;
          const zw = fl.tracker.zeroWindow();
          expect([zw.client.count, zw.server.count]).toEqual(bits);
        }
        const t = truth.connections.find((c) => `${c.client.ip}:${c.client.port}` === fl.client);
        const s = section(fl);
        const ci = t?.clientApp?.tcpInfo?.rcv_wscale;
        const si = t?.serverApp?.tcpInfo?.rcv_wscale;
        if (ci === undefined || si === undefined) {
          // closed-port: no SYN/ACK, so the scale is unknown, never assumed
          expect([s['client'].scale, s['server'].scale]).toEqual(['unknown', 'unknown']);
          continue;
        }
        expect([s['client'].scale, s['server'].scale]).toEqual([ci, si]);
        expect([s['client'].unit, s['server'].unit]).toEqual(['bytes', 'bytes']);
      }
    });
  });

  describe(`slow-reader.client: zero-window stall, Linux persist probes [${src}]`, () => {
    const name = 'slow-reader.client.pcap';
    const [fl] = driveWindows(fixturePath(name), {}, src);
    const truth = truthOf(name);

    test('one stall by the server with the probes inside and a doubling backoff', () => {
      expect(truth.guarantees['zeroWindowFrom']).toBe('server');
      const zw = fl!.tracker.zeroWindow();
      expect(zw.client).toMatchObject({ count: 0, stalls: 0, probes: 0 });
      expect(zw.server).toMatchObject({ count: 2, stalls: 1, probes: 2, openAtEnd: false });
      expect(zw.server.probes).toBeGreaterThanOrEqual(truth.guarantees['zeroWindowProbesMin'] as number);
      const stall = fl!.log.events.find((e) => e.code === 'zero_window_stall')!;
      expect(stall).toMatchObject({ dir: 's2c', frame: 15, detail: { probes: 2, startFrame: 11, endFrame: 15, durationMs: 1516.757 } });
      expect(zw.server.stallMs).toBe(1516.757);
      const backoff = fl!.log.events.find((e) => e.code === 'persist_backoff')!;
      expect(backoff).toMatchObject({ dir: 'c2s', detail: { probes: 2, doubling: true } });
      const d = backoff.detail!;
      // Linux: the first probe about one RTO (>= 200 ms) after the zero window, then twice that
      expect(d['firstProbeMs'] as number).toBeGreaterThan(200);
      expect((d['intervalsMs'] as number[]).length).toBe(1);
      expect((d['intervalsMs'] as number[])[0]! / (d['firstProbeMs'] as number)).toBeGreaterThan(1.8);
    });

    test('receiver-limited: the client fills the window most of the time; no keep-alives (probes are not keep-alives)', () => {
      const s = section(fl!);
      expect(s['inFlight'].c2s.windowFullFraction).toBeGreaterThan(0.9);
      expect(s['inFlight'].c2s.maxBytes).toBe(2896); // SO_RCVBUF 4096 → window 2896 bytes, scale 0
      expect(s['server']).toMatchObject({ scale: 0, min: 0, max: 2896, synWindow: 2896 });
      expect(s['keepAlive'].client.sent).toBe(0);
    });

    test.skipIf(!HAS_TSHARK)(`zero windows = tshark tcp.analysis.zero_window; probes = the keep-alive-shaped frames tshark flags inside the period (${NO_TSHARK_MSG})`, () => {
      const rows = tsharkFields(fixturePath(name), ['frame.number', 'tcp.analysis.zero_window', 'tcp.analysis.keep_alive']);
      const zeroFrames = rows.filter((r) => r[1] !== '').map((r) => Number(r[0]));
      const kaFrames = rows.filter((r) => r[2] !== '').map((r) => Number(r[0]));
      expect(fl!.tracker.zeroWindow().server.count).toBe(zeroFrames.length);
      expect(zeroFrames.every((f) => fl!.dir.get(f) === DIR.S2C)).toBe(true);
      const stall = fl!.log.events.find((e) => e.code === 'zero_window_stall')!.detail!;
      const inside = kaFrames.filter((f) => f > (stall['startFrame'] as number) && f < (stall['endFrame'] as number));
      expect(inside.length).toBe(stall['probes']);
      expect(stall['startFrame']).toBe(zeroFrames[0]);
    });
  });

  describe(`keepalive.client: keep-alive interval = the configured TCP_KEEPINTVL [${src}]`, () => {
    const name = 'keepalive.client.pcap';
    const [fl] = driveWindows(fixturePath(name), {}, src);
    const truth = truthOf(name);
    const idleS = Number(/TCP_KEEPIDLE=(\d+)/.exec(truth.description)![1]);
    const intvlS = Number(/TCP_KEEPINTVL=(\d+)/.exec(truth.description)![1]);

    test('count, answers, interval and idle time', () => {
      const k = section(fl!)['keepAlive'];
      expect(k.client.sent).toBeGreaterThanOrEqual(truth.guarantees['keepAlivesMin'] as number);
      expect(k.client.answered).toBe(k.client.sent);
      expect(k.client.runs).toBe(1);
      // Linux timers run on jiffies with wheel rounding: up to a few % late, never early
      expect(k.client.minIntervalMs).toBeGreaterThanOrEqual(intvlS * 1000);
      expect(k.client.maxIntervalMs).toBeLessThan(intvlS * 1000 * 1.05);
      expect(k.client.idleBeforeMs[0]).toBeGreaterThanOrEqual(idleS * 1000);
      expect(k.client.idleBeforeMs[0]).toBeLessThan(idleS * 1000 * 1.05);
      expect(k.server.sent).toBe(0);
      expect(fl!.tracker.zeroWindow().client.count + fl!.tracker.zeroWindow().server.count).toBe(0);
    });

    test.skipIf(!HAS_TSHARK)(`keep-alives and their ACKs = tshark's (${NO_TSHARK_MSG})`, () => {
      const rows = tsharkFields(fixturePath(name), ['frame.number', 'tcp.analysis.keep_alive', 'tcp.analysis.keep_alive_ack']);
      const k = section(fl!)['keepAlive'];
      expect(k.client.listed.map((e: { frame: number }) => e.frame)).toEqual(rows.filter((r) => r[1] !== '').map((r) => Number(r[0])));
      expect(k.client.listed.map((e: { answeredFrame: number }) => e.answeredFrame)).toEqual(rows.filter((r) => r[2] !== '').map((r) => Number(r[0])));
    });
  });

  describe(`bulk transfers: in flight and no false shrink [${src}]`, () => {
    test.each(['bulk-loss.client.pcap', 'bulk-loss.server.pcap', 'bulk-loss-v6.client.pcapng', 'rate-limited.client.pcap'])('%s', (name) => {
      const [fl] = driveWindows(fixturePath(name), {}, src);
      const s = section(fl!);
      expect(fl!.log.events.filter((e) => e.code === 'window_shrink')).toEqual([]);
      expect([s['client'].shrinks, s['server'].shrinks]).toEqual([0, 0]);
      // the client's data in flight never exceeds the largest window the server advertised
      expect(s['inFlight'].c2s.maxBytes).toBeGreaterThan(10_000);
      expect(s['inFlight'].c2s.maxBytes).toBeLessThanOrEqual(s['server'].max);
      expect(s['server'].timeline.points.length).toBeLessThanOrEqual(1000);
    });

    test.skipIf(!HAS_TSHARK)(`sender-side captures: max in flight (SACK-aware) <= tshark's max tcp.analysis.bytes_in_flight (${NO_TSHARK_MSG})`, () => {
      for (const name of ['bulk-loss.client.pcap', 'rate-limited.client.pcap']) {
        const [fl] = driveWindows(fixturePath(name), {}, src);
        const max = Math.max(...tsharkFields(fixturePath(name), ['tcp.analysis.bytes_in_flight']).map((r) => Number(r[0] || 0)));
        expect(section(fl!)['inFlight'].c2s.maxBytes).toBeLessThanOrEqual(max);
        expect(section(fl!)['inFlight'].c2s.maxBytes).toBeGreaterThan(max * 0.9);
      }
    });
  });
}
