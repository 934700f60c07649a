/**
 * `predictable_isn` (anomalies.md; issue 5 §5): a capture-level check of the initial sequence
 * numbers each host chose across its connections — a client's SYN ISNs, a server's SYN/ACK ISNs.
 * RFC 6528 §3 asks for ISN = M + F(local, remote, secret): a clock M plus a keyed hash of the
 * four-tuple, so an off-path attacker cannot guess the ISN of a new connection from others.
 *
 * Samples. One ISN per distinct four-tuple (the first connection of each): RFC 6528 makes the
 * ISNs of *one* four-tuple follow the clock on purpose (TIME_WAIT reuse, Linux's short-conns
 * fixture), so only ISNs of different four-tuples must look unrelated. At most `maxSamples`
 * per host (the first ones), `maxHosts` hosts (later hosts are counted, not tested).
 *
 * Patterns, tested in this order on the samples in time order (at least `minConnections`):
 *   - constant: every ISN equal;
 *   - fixed-increment: every difference between consecutive ISNs equal (mod 2^32), e.g. the
 *     classic +64000 per connection;
 *   - constant with a `spread`: all ISNs within `tolerance` of each other;
 *   - time-linear: ISNs proportional to time — the unwrapped ISNs fit a least-squares line
 *     isn = a + rate·t (rate > 0) with every residual within ±`tolerance` (2^16) — a bare
 *     clock such as RFC 793's 4 µs (250 kHz) counter without the RFC 6528 hash.
 * Criterion: with random 32-bit ISNs every difference is uniform on [0, 2^32). All n−1
 * differences equal has probability 2^(−32(n−2)) (2^−64 for n = 4), all n ISNs within 2^16 of
 * each other below (2^17 / 2^32)^(n−1); n points within ±2^16 of a
 * line fitted through them has probability about (2^17 / 2^32)^(n−2) ≈ 10^−9 for n = 4. So a
 * hit is not chance, and a real stack with RFC 6528 hashing is never flagged (the time-linear
 * test assumes fewer than one 2^32 wrap between consecutive samples: ≥ 4.7 h apart at 250 kHz,
 * 275 s at Linux's 64 ns clock, may be missed).
 *
 * Not on the per-packet path: the lead feeds it once per flow, at flow end. Pure, no I/O.
 */
import { seqDiff } from '../core/seq.js';

export type IsnPattern = 'constant' | 'fixed-increment' | 'time-linear';

export interface IsnFinding {
  /** Formatted IP of the host that chose the ISNs. */
  host: string;
  /** Connections seen from the host (all), and the distinct four-tuples tested. */
  connections: number;
  samples: number;
  pattern: IsnPattern;
  /** constant: `isn`; fixed-increment: `increment` (signed); time-linear: `ratePerSecond`, `maxResidual`, `spanS`. */
  detail: Record<string, number>;
  /** Flow ids of the tested samples (the first 10). */
  flows: number[];
}

export interface IsnOptions {
  minConnections?: number;
  maxSamples?: number;
  maxHosts?: number;
  tolerance?: number;
}

export const ISN_DEFAULTS: Readonly<Required<IsnOptions>> = { minConnections: 4, maxSamples: 256, maxHosts: 100_000, tolerance: 65_536 };

interface HostSamples {
  connections: number;
  tuples: Set<string>;
  isn: number[];
  t: number[];
  flows: number[];
}

export class IsnAnalyzer {
  private readonly hosts = new Map<string, HostSamples>();
  private readonly o: Required<IsnOptions>;
  /** Hosts past `maxHosts`, not tested. */
  hostsNotTested = 0;

  constructor(opts: IsnOptions = {}) {
    this.o = { ...ISN_DEFAULTS, ...opts };
  }

  /**
   * One connection's ISN chosen by `host` (formatted IP) at `t` (epoch s, the SYN's time).
   * `tuple`: the connection's four-tuple as any stable string (e.g. "peer|localPort|peerPort");
   * without it every connection counts as its own four-tuple.
   */
  add(host: string, isn: number, t: number, flowId: number, tuple?: string): void {
    let h = this.hosts.get(host);
    if (h === undefined) {
      if (this.hosts.size >= this.o.maxHosts) {
        this.hostsNotTested++;
        return;
      }
      h = { connections: 0, tuples: new Set(), isn: [], t: [], flows: [] };
      this.hosts.set(host, h);
    }
    h.connections++;
    const key = tuple ?? `#${flowId}`;
    if (h.tuples.has(key) || h.isn.length >= this.o.maxSamples) return;
    h.tuples.add(key);
    h.isn.push(isn >>> 0);
    h.t.push(t);
    h.flows.push(flowId);
  }

  /** Hosts whose ISNs follow a pattern, in order of first connection. */
  findings(): IsnFinding[] {
    const out: IsnFinding[] = [];
    for (const [host, h] of this.hosts) {
      if (h.isn.length < this.o.minConnections) continue;
      const order = h.t.map((_, i) => i).sort((a, b) => h.t[a]! - h.t[b]! || a - b);
      const isn = order.map((i) => h.isn[i]!);
      const t = order.map((i) => h.t[i]!);
      const hit = classify(isn, t, this.o.tolerance);
      if (hit === null) continue;
      out.push({ host, connections: h.connections, samples: isn.length, ...hit, flows: order.slice(0, 10).map((i) => h.flows[i]!) });
    }
    return out;
  }
}

/** The pattern of ISNs `isn` chosen at times `t` (time order), or null when they look random. */
export function classify(isn: readonly number[], t: readonly number[], tolerance: number): { pattern: IsnPattern; detail: Record<string, number> } | null {
  const n = isn.length;
  const first = isn[0]!;
  if (isn.every((x) => x === first)) return { pattern: 'constant', detail: { isn: first } };
  const inc = seqDiff(isn[1]!, first);
  let fixed = true;
  for (let i = 1; i < n; i++) if (seqDiff(isn[i]!, isn[i - 1]!) !== inc) fixed = false;
  if (fixed) return { pattern: 'fixed-increment', detail: { increment: inc } };
  let lo = 0;
  let hi = 0;
  for (const x of isn) {
    const d = seqDiff(x, first);
    if (d < lo) lo = d;
    if (d > hi) hi = d;
  }
  if (hi - lo <= tolerance) return { pattern: 'constant', detail: { isn: first, spread: hi - lo } };
  // time-linear: unwrap with forward differences, least-squares line, largest residual
  const u: number[] = [0];
  for (let i = 1; i < n; i++) u.push(u[i - 1]! + ((isn[i]! - isn[i - 1]!) >>> 0));
  const mt = t.reduce((a, b) => a + b, 0) / n;
  const mu = u.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (t[i]! - mt) ** 2;
    sxy += (t[i]! - mt) * (u[i]! - mu);
  }
  if (sxx <= 0) return null;
  const rate = sxy / sxx;
  if (!(rate > 0)) return null;
  let maxRes = 0;
  for (let i = 0; i < n; i++) maxRes = Math.max(maxRes, Math.abs(u[i]! - (mu + rate * (t[i]! - mt))));
  if (maxRes > tolerance) return null;
  return { pattern: 'time-linear', detail: { ratePerSecond: Math.round(rate), maxResidual: Math.round(maxRes), spanS: Math.round((t[n - 1]! - t[0]!) * 1e3) / 1e3 } };
}
