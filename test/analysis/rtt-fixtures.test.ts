/**
 * Oracle tests of the RTT tracker on the real-traffic fixtures (issue 5 §2): the handshake RTT
 * and the SRTT of the sender's data at the sender-side capture against the kernel's own
 * TCP_INFO in the truth files, the vantage point against the truth, and the ACK-matched samples
 * against tshark's `tcp.analysis.ack_rtt` and tcptrace's RTT statistics.
 *
 * Driven by test/analysis/rtt-driver.ts with its minimal retransmission rule (the segment
 * classifier's bits are not needed for sampling: Karn's rule works on sequence overlap).
 *
 * What "the kernel's value" is and why some rows are not within 25 %:
 * - TCP_INFO has no handshake RTT. It is known exactly where the endpoint's TCP_INFO shows a
 *   single sample (RFC 6298 / Linux first sample: rttvar = ⌊srtt / 2⌋): a server that sent no
 *   data measured only SYN/ACK → ACK. Those rows compare with SYN/ACK → ACK at the server-side
 *   capture.
 * - The kernel timestamps a segment when TCP hands it down and an ACK when TCP processes it;
 *   the capture sees both on the veth, in between. On these 20–70 µs paths that host-stack time
 *   (~10 µs per sample, more when ACKs wait in the socket backlog while the application is
 *   inside send()) is a large fraction: our samples are systematically smaller. Rows marked
 *   'host-stack' check exactly that: ours is below the kernel's, by less than 0.3 ms, and the
 *   kernel's smallest sample (min_rtt) is above our smallest.
 * - After a loss, Karn's rule leaves Linux only the TS echo, which it measures in its own 1 ms
 *   TS ticks with 0 counted as 1 tick (`tcp_ack_update_rtt`): a 1000 µs sample on a 50 µs path.
 *   With the default options tcpscope times those ACKs from the capture (far more accurate, and
 *   far from the kernel); `tsClock: 'sender-ticks'` and `ackSample: 'oldest'` reproduce the
 *   kernel's sampling, and the SRTT rows use them, fed with the packets captured before the
 *   application took its TCP_INFO snapshot.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { FIXTURE_CAPTURES, captureStem, fixturePath, hasTool } from '../helpers/fixture-captures.js';
import { HAS_TSHARK, NO_TSHARK_MSG, tsharkFields } from '../synth/tshark.js';
import { rttFile } from './rtt-driver.js';
import type { RttOptions } from '../../src/analysis/rtt.js';

interface TcpInfo { rtt: number; rttvar: number; min_rtt: number }
interface Truth {
  vantage: 'client' | 'server';
  connections: {
    clientApp: { tcpInfo?: TcpInfo; tcpInfoWhen?: string } | null;
    serverApp: { tcpInfo?: TcpInfo; tcpInfoWhen?: string } | null;
    events: { client: { t: number; what: string }[]; server: { t: number; what: string }[] };
  }[];
}

function truthOf(capture: string): Truth {
  return JSON.parse(readFileSync(fixturePath(`${captureStem(capture)}.truth.json`), 'utf8')) as Truth;
}

/** Epoch time of the app event just after its TCP_INFO snapshot ("before shutdown(SHUT_WR)" → shutdown_wr). */
function snapshotTime(t: Truth, side: 'client' | 'server'): number {
  const app = side === 'client' ? t.connections[0]!.clientApp : t.connections[0]!.serverApp;
  const when = app?.tcpInfoWhen ?? '';
  const what = when.includes('shutdown') ? 'shutdown_wr' : when.includes('close') ? 'close' : '';
  return t.connections[0]!.events[side].find((e) => e.what === what)?.t ?? Infinity;
}

const LINUX_LIKE: RttOptions = { ackSample: 'oldest', tsClock: 'sender-ticks', minRtoMs: 200 };

describe('handshake RTT vs the kernel (server TCP_INFO holding only its SYN/ACK → ACK sample)', () => {
  const rows = ['bulk-loss.server.pcap', 'rst-unread.server.pcap'];
  test.each(rows)('%s', (cap) => {
    const t = truthOf(cap);
    const k = t.connections[0]!.serverApp!.tcpInfo!;
    expect(k.rttvar).toBe(Math.floor(k.rtt / 2)); // a single sample
    const hs = rttFile(fixturePath(cap), {}, snapshotTime(t, 'server'))[0]!.rtt.summary(DIR.S2C).handshakeMs!;
    const kernel = k.rtt / 1000;
    // Within 25 %, or below the kernel by at most 10 µs of host-stack time (see the file comment).
    const ok = Math.abs(hs - kernel) <= 0.25 * kernel || (hs <= kernel && kernel - hs <= 0.01);
    expect({ hs, kernel, ok }).toMatchObject({ ok: true });
  });
});

describe('SRTT of the sender’s data at the sender-side capture vs TCP_INFO rtt', () => {
  const rows: { cap: string; side: 'client' | 'server'; expect: 'within-25%' | 'host-stack' }[] = [
    { cap: 'bulk-loss.client.pcap', side: 'client', expect: 'within-25%' },
    { cap: 'rate-limited.client.pcap', side: 'client', expect: 'within-25%' },
    { cap: 'slow-reader.client.pcap', side: 'client', expect: 'within-25%' },
    { cap: 'syn-retrans.client.pcap', side: 'client', expect: 'within-25%' },
    { cap: 'http-chunked.server.pcap', side: 'server', expect: 'within-25%' },
    { cap: 'bulk-loss-v6.client.pcapng', side: 'client', expect: 'host-stack' },
    { cap: 'half-close.server.pcapng', side: 'server', expect: 'host-stack' },
  ];
  test.each(rows)('$cap ($expect)', ({ cap, side, expect: want }) => {
    const t = truthOf(cap);
    const k = (side === 'client' ? t.connections[0]!.clientApp : t.connections[0]!.serverApp)!.tcpInfo!;
    const dir = side === 'client' ? DIR.C2S : DIR.S2C;
    const s = rttFile(fixturePath(cap), LINUX_LIKE, snapshotTime(t, side))[0]!.rtt.summary(dir);
    const kernel = k.rtt / 1000;
    const ours = s.srttMs!;
    if (want === 'within-25%') {
      expect({ ours, kernel, ratio: ours / kernel }).toMatchObject({ ratio: expect.toSatisfy((r: number) => r >= 0.75 && r <= 1.25) });
    } else {
      expect(ours).toBeLessThan(kernel);
      expect(kernel - ours).toBeLessThan(0.3);
      expect(s.minMs!).toBeLessThan(k.min_rtt / 1000);
    }
  });

  test('syn-retrans: the kernel SRTT is its 1 ms TS-tick sample of the re-sent SYN, smoothed once (7/8·1000 + 1/8·~24 µs)', () => {
    const t = truthOf('syn-retrans.client.pcap');
    const kernel = t.connections[0]!.clientApp!.tcpInfo!.rtt / 1000;
    const until = snapshotTime(t, 'client');
    const capture = rttFile(fixturePath('syn-retrans.client.pcap'), { minRtoMs: 200 }, until)[0]!.rtt.summary(DIR.C2S);
    const linux = rttFile(fixturePath('syn-retrans.client.pcap'), LINUX_LIKE, until)[0]!.rtt.summary(DIR.C2S);
    expect(capture.handshakeMs!).toBeLessThan(0.1); // SYN (the third copy) → SYN/ACK on the wire, via its TS echo
    expect(capture.srttMs! / kernel).toBeLessThan(0.25);
    expect(linux.handshakeMs).toBe(1); // the sender's view: 0 ticks counted as 1 ms
    expect(Math.abs(linux.srttMs! / kernel - 1)).toBeLessThan(0.25);
  });
});

describe('vantage point', () => {
  test.each(FIXTURE_CAPTURES.filter((c) => existsSync(fixturePath(`${captureStem(c)}.truth.json`))))('%s', (cap) => {
    const t = truthOf(cap);
    for (const c of rttFile(fixturePath(cap))) {
      const v = c.rtt.vantage();
      if (v.basis === 'none') continue; // e.g. UDP-only or handshake-less
      expect(v).toMatchObject({ position: t.vantage, basis: 'ttl' });
    }
  });
});

describe('ACK-matched samples vs tshark and tcptrace (bulk-loss.client)', () => {
  const cap = fixturePath('bulk-loss.client.pcap');
  test.skipIf(!HAS_TSHARK)(`every sample equals tshark's ack_rtt; tshark's others are ACKs of re-sent data (${NO_TSHARK_MSG})`, () => {
    const c = rttFile(cap)[0]!;
    const rows = tsharkFields(cap, ['frame.number', 'tcp.srcport', 'tcp.analysis.ack_rtt']);
    const fromServer = new Set(rows.filter((r) => r[1] === '5001').map((r) => Number(r[0])));
    const tshark = new Map(rows.filter((r) => r[1] === '5001' && r[2] !== '').map((r) => [Number(r[0]), Number(r[2])]));
    // The server's ACKs time the client's data (c2s); the SYN/ACK (frame 2) times the SYN.
    const c2s = [...c.ackSamples.keys()].filter((f) => fromServer.has(f));
    for (const frame of c2s) expect(Math.abs(c.ackSamples.get(frame)! - tshark.get(frame)!)).toBeLessThan(1e-6);
    const summary = c.rtt.summary(DIR.C2S);
    expect(c2s.length).toBe(summary.ack.samples);
    expect(tshark.size - c2s.length).toBe(summary.ambiguous); // tshark has no Karn's rule
  });

  test.skipIf(!hasTool('tcptrace'))('sample count equals tcptrace -r (a→b "RTT samples")', () => {
    const out = spawnSync('tcptrace', ['-r', '-l', '-n', cap], { encoding: 'utf8' }).stdout;
    const m = /RTT samples:\s+(\d+)\s+RTT samples:\s+(\d+)/.exec(out);
    expect(m).not.toBeNull();
    const s = rttFile(cap)[0]!.rtt.summary(DIR.C2S);
    expect(s.ack.samples).toBe(Number(m![1]));
  });
});
