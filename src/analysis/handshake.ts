/**
 * Handshake facts of one connection: completion, handshake RTT at the capture point, SYN and
 * SYN/ACK retransmissions (same ISN) with their intervals, and what each side offered in its
 * SYN (RFC 9293 §3.7.1 MSS, RFC 7323 window scale and timestamps, RFC 2018 SACK-permitted).
 *
 * Handshake RTT: from the client's MOST RECENT SYN (the copy that got answered, when SYNs were
 * retransmitted) to the first client segment without SYN that acknowledges the server's SYN
 * (the ACK completing the three-way handshake), both as seen at the capture point. That is the
 * same interval wherever the capture sits (it spans one trip each way) and matches, as far as
 * we know, tshark's `tcp.analysis.initial_rtt` (which also measures from the most recent SYN to
 * the first ACK after the SYN/ACK). Simultaneous open: to the packet that makes both SYNs
 * acknowledged. Owned by one tracker.
 */
import type { Direction } from '../core/direction.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { TCP_FLAG, TCP_OPT } from '../dissectors/decoded-packet.js';
import { seqAdd, seqLe } from '../core/seq.js';

const { SYN, ACK, RST } = TCP_FLAG;

/** RFC 7323 §2.3: shifts above 14 are treated as 14. */
export const MAX_WSCALE = 14;

/** What one side offered in its SYN or SYN/ACK. Plain JSON-safe data. */
export interface HandshakeOptions {
  /** MSS option value in bytes, or null when absent. */
  mss: number | null;
  /** Window-scale shift in effect, clamped to 14 (RFC 7323 §2.3), or null when not offered. */
  wscale: number | null;
  /** The raw shift when it was above 14 (then `wscale` is 14), else absent. */
  wscaleRaw?: number;
  sackPermitted: boolean;
  timestamps: boolean;
}

/** A SYN (re)transmission to report. */
export interface SynCopy {
  dir: Direction;
  /** Interval since the previous copy, ms. */
  intervalMs: number;
  /** 1 for the first retransmission, ... */
  n: number;
}

/** Per-side SYN bookkeeping. */
interface SideSyn {
  isn: number;
  /** Time of the most recent copy, s. */
  lastTs: number;
  copies: number;
  opts: HandshakeOptions | null;
}

/**
 * Option sets seen so far, shared and frozen: a capture's SYNs carry a handful of distinct sets,
 * and two objects per flow (~290 bytes) add up over thousands of flows held at once. Keyed by
 * the packed (mss, wscale, SACK, timestamps); up to MAX_SHARED sets, later ones built per SYN.
 */
const shared = new Map<number, HandshakeOptions>();
const MAX_SHARED = 4096;

function optionsOf(p: DecodedPacket): HandshakeOptions {
  const key = ((p.mss + 1) * 512 + (p.wscale + 1)) * 4 + (p.tcpOptFlags & TCP_OPT.SACK_PERM ? 2 : 0) + (p.tcpOptFlags & TCP_OPT.TIMESTAMP ? 1 : 0);
  const known = shared.get(key);
  if (known !== undefined) return known;
  const o = newOptions(p);
  if (shared.size < MAX_SHARED) shared.set(key, Object.freeze(o));
  return o;
}

function newOptions(p: DecodedPacket): HandshakeOptions {
  const o: HandshakeOptions = {
    mss: p.mss >= 0 ? p.mss : null,
    wscale: p.wscale >= 0 ? Math.min(p.wscale, MAX_WSCALE) : null,
    sackPermitted: (p.tcpOptFlags & TCP_OPT.SACK_PERM) !== 0,
    timestamps: (p.tcpOptFlags & TCP_OPT.TIMESTAMP) !== 0,
  };
  if (p.wscale > MAX_WSCALE) o.wscaleRaw = p.wscale;
  return o;
}

/** SYN retransmission intervals listed per flow (more are counted, not listed). */
const MAX_SYN_INTERVALS = 64;
const NO_INTERVALS: readonly number[] = Object.freeze([]);

/** Follows the handshake of one connection. */
export class HandshakeTracker {
  /** The client's / the server's SYN, when seen (fields, not an array: one object less per flow). */
  private side0: SideSyn | null = null;
  private side1: SideSyn | null = null;
  /** Both SYNs acknowledged (three-way or simultaneous open completed at the capture point). */
  complete = false;
  rttMs: number | null = null;
  /** Allocated on the first SYN retransmission. */
  private intervals: number[] | null = null;
  private synRetransmitted = 0;
  synAckRetransmissions = 0;
  /** Bit 1 << dir: `dir`'s SYN was acknowledged. */
  private synAcked = 0;

  /** Intervals between the client's SYN copies, ms (the first MAX_SYN_INTERVALS). */
  get synIntervalsMs(): readonly number[] {
    return this.intervals ?? NO_INTERVALS;
  }

  /** One segment; returns a retransmitted SYN copy to report, or null. */
  onSegment(p: DecodedPacket, dir: Direction, ts: number): SynCopy | null {
    const f = p.tcpFlags;
    let copy: SynCopy | null = null;
    if ((f & SYN) !== 0 && (f & RST) === 0) copy = this.onSyn(p, dir, ts);
    if ((f & ACK) !== 0 && !this.complete) this.onAck(p, dir, ts);
    return copy;
  }

  /** Options offered by the client / server (null when its SYN was not captured). */
  options(dir: Direction): HandshakeOptions | null {
    return (dir === 0 ? this.side0 : this.side1)?.opts ?? null;
  }

  /** Client SYN retransmissions (all counted; `synIntervalsMs` lists the first MAX_SYN_INTERVALS). */
  get synRetransmissions(): number {
    return this.synRetransmitted;
  }

  /** True when the client sent a SYN. */
  get clientSynSeen(): boolean {
    return this.side0 !== null;
  }

  private onSyn(p: DecodedPacket, dir: Direction, ts: number): SynCopy | null {
    const s = dir === 0 ? this.side0 : this.side1;
    if (s === null || s.isn !== p.seq) { // first SYN of this side (or a new ISN: start over)
      const side: SideSyn = { isn: p.seq, lastTs: ts, copies: 1, opts: optionsOf(p) };
      if (dir === 0) this.side0 = side;
      else this.side1 = side;
      return null;
    }
    const intervalMs = (ts - s.lastTs) * 1000;
    s.lastTs = ts;
    s.copies += 1;
    if ((p.tcpFlags & ACK) !== 0) this.synAckRetransmissions += 1;
    else if (dir === 0) {
      this.synRetransmitted += 1;
      const list = (this.intervals ??= []);
      if (list.length < MAX_SYN_INTERVALS) list.push(intervalMs);
    }
    return { dir, intervalMs, n: s.copies - 1 };
  }

  private onAck(p: DecodedPacket, dir: Direction, ts: number): void {
    const peer = dir === 0 ? this.side1 : this.side0;
    if (peer === null || !seqLe(seqAdd(peer.isn, 1), p.ack)) return;
    this.synAcked |= 1 << (1 - dir);
    if (this.synAcked !== 3) return;
    this.complete = true;
    const client = this.side0;
    if (client !== null) this.rttMs = (ts - client.lastTs) * 1000;
  }
}
