/**
 * The whole behaviour analysis (analysis/flow-behaviour.ts) through the real pipeline
 * (`analyzeCapture`) on the real fixtures, against what the fixtures were built to show
 * (fixtures/README.md, *.truth.json):
 *
 * - slow-reader: the receiver stops reading → zero-window stall with Linux persist probes
 *   (0-byte, keep-alive shaped: zero_window_probe per the catalog) → limited by the receiver window.
 * - keepalive: 100 bytes, then idle with TCP keep-alives every TCP_KEEPINTVL = 1 s (Linux sends the
 *   first after TCP_KEEPIDLE = 1 s of silence; both are jiffy-rounded to ~1024 ms here) → application
 *   limited.
 * - rate-limited: a token bucket on the path queues and then drops → network limited (loss while
 *   the queue overflows, congestion window while it fills; the RTT rises with the queue).
 * - bulk-loss-v6 (random drops on the path) → loss limited. The IPv4 bulk-loss captures are *not*
 *   loss limited, and that is right: the transfer lasts 5.6 ms on a 60 µs path, each recovery
 *   costs tens of µs, and the sending peer paused 2.7 ms between two writes with nothing
 *   outstanding and the window open (frames 75-76 of the client capture) — longer than all
 *   recoveries together; asserted below so the reasoning stays checked.
 * - syn-retrans: two SYN copies (same ISN) reported as syn_retransmission.
 */
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { fixturePath } from '../helpers/fixture-captures.js';

async function flows(name: string): Promise<FlowSummary[]> {
  return (await analyzeCapture(fixturePath(name))).flows;
}

interface Diag {
  limitedBy: string;
  fractions: Record<string, number>;
  headline: string;
  direction: string | null;
}

const diag = (f: FlowSummary): Diag => f['diagnosis'] as Diag;
const events = (f: FlowSummary, code: string) => f.anomalies.filter((a) => a.code === code);

describe('behaviour analysis on the real fixtures', () => {
  test('slow-reader: one zero-window stall of ~1.5 s with doubling persist probes; receiver-window limited', async () => {
    const [f] = await flows('slow-reader.client.pcap');
    expect(f).toBeDefined();
    const z = f!.zeroWindow!;
    expect(z.server.stalls).toBe(1);
    expect(z.server.count).toBe(2); // tshark tcp.analysis.zero_window frames 11 and 13
    expect(z.server.probes).toBe(2);
    expect(z.server.stallMs).toBeGreaterThan(1400);
    expect(z.client.count).toBe(0);
    const [stall] = events(f!, 'zero_window_stall');
    expect(stall?.detail).toMatchObject({ probes: 2, startFrame: 11, endFrame: 15 });
    expect(events(f!, 'persist_backoff')[0]?.detail).toMatchObject({ probes: 2, doubling: true });
    // The probes: Wireshark says keep_alive, the catalog says zero_window_probe (Linux shape).
    expect(f!.anomalyCounts['zero_window_probe']).toBe(2);
    expect(f!.anomalyCounts['keep_alive'] ?? 0).toBe(0);
    const d = diag(f!);
    expect(d.limitedBy).toBe('receiver_window');
    expect(d.fractions['receiver_window']).toBeGreaterThan(0.9);
    expect(d.headline).toMatch(/^receiver window limited/);
  });

  test('keepalive: 4 answered keep-alives ~1024 ms apart; application limited', async () => {
    const [f] = await flows('keepalive.client.pcap');
    const ka = (f!['windows'] as { keepAlive: { client: { sent: number; answered: number; minIntervalMs: number; maxIntervalMs: number } } }).keepAlive.client;
    expect(ka.sent).toBe(4);
    expect(ka.answered).toBe(4);
    expect(ka.minIntervalMs).toBeGreaterThan(1000);
    expect(ka.maxIntervalMs).toBeLessThan(1050);
    expect(f!.anomalyCounts['keep_alive']).toBe(4);
    expect(f!.anomalyCounts['keep_alive_ack']).toBe(4);
    expect(diag(f!).limitedBy).toBe('sender_application');
  });

  test('rate-limited: network limited (loss + congestion window), RTT rising with the queue', async () => {
    const [f] = await flows('rate-limited.client.pcap');
    const d = diag(f!);
    expect(d.limitedBy).toBe('network_loss');
    expect((d.fractions['network_loss'] ?? 0) + (d.fractions['congestion_window'] ?? 0)).toBeGreaterThan(0.9);
    expect(f!.retransmissions.c2s).toBeGreaterThan(0);
    expect(f!.rtt.c2s.maxMs!).toBeGreaterThan(50 * f!.rtt.c2s.minMs!);
  });

  test('bulk-loss-v6: loss limited; IPv4 bulk-loss: application limited by a 2.7 ms write pause', async () => {
    const [v6] = await flows('bulk-loss-v6.client.pcapng');
    expect(diag(v6!).limitedBy).toBe('network_loss');
    for (const name of ['bulk-loss.client.pcap', 'bulk-loss.server.pcap']) {
      const [f] = await flows(name);
      const d = diag(f!) as Diag & { evidence: { idle: { longestGapMs: number } } };
      expect(d.limitedBy, name).toBe('sender_application');
      expect(f!.retransmissions.c2s, name).toBeGreaterThan(0);
      expect(d.headline, name).toMatch(/longest 2\.\d ms/);
    }
  });

  test('RTT: Karn-filtered samples at the sender, RFC 6298 floor, both estimators reported', async () => {
    const [f] = await flows('bulk-loss.client.pcap');
    const r = f!.rtt.c2s as FlowSummary['rtt']['c2s'] & { ambiguous: number; classic: { srttMs: number }; meaning: string };
    expect(r.samples).toBeGreaterThan(10);
    expect(r.ambiguous).toBeGreaterThan(0); // ACKs of re-sent data give no sample
    expect(r.rtoMs).toBe(1000); // sub-ms SRTT: the RFC's 1 s floor
    expect(r.classic.srttMs).toBeGreaterThan(0);
    expect(r.meaning).toBe('path');
    expect((f!.rtt.s2c as unknown as { meaning: string }).meaning).toBe('ack-delay');
    const linux = (await analyzeCapture(fixturePath('bulk-loss.client.pcap'), { behaviour: { minRtoMs: 200 } })).flows[0]!;
    expect(linux.rtt.c2s.rtoMs).toBe(200);
  });

  test('two-pass: a TSecr echoing the original proves the tail-loss-probe resend spurious (Eifel)', async () => {
    // slow-reader frame 8 re-sends frame 7's segment 6.8 ms later (Linux tail loss probe); the ACK
    // in frame 9 echoes frame 7's TSval, so the original had arrived: the resend was unnecessary.
    const one = (await flows('slow-reader.client.pcap'))[0]!;
    expect(one.anomalies.find((a) => a.frame === 8 && a.code === 'retransmission')).toBeDefined();
    expect(one['revisions']).toEqual({ count: 1, applied: false, list: [{ frame: 9, retransmittedFrame: 8, dir: 'c2s', evidence: 'tsecr' }] });
    const two = (await analyzeCapture(fixturePath('slow-reader.client.pcap'), { behaviour: { twoPass: true } })).flows[0]!;
    const e = two.anomalies.find((a) => a.frame === 8 && a.code === 'spurious_retransmission');
    expect(e?.detail).toMatchObject({ revised: true, revisedFrom: 'retransmission', evidence: 'tsecr', evidenceFrame: 9, of: 7 });
    expect(two.anomalyCounts['retransmission'] ?? 0).toBe((one.anomalyCounts['retransmission'] ?? 0) - 1);
    expect(two.anomalyCounts['spurious_retransmission']).toBe((one.anomalyCounts['spurious_retransmission'] ?? 0) + 1);
    expect(two.retransmissions).toEqual(one.retransmissions); // still a retransmission, just an unnecessary one
  });

  test('syn-retrans: two SYN copies reported as syn_retransmission', async () => {
    const [f] = await flows('syn-retrans.client.pcap');
    expect(f!.handshake.synRetransmissions).toBe(2);
    expect(f!.anomalyCounts['syn_retransmission']).toBe(2);
  });
});
