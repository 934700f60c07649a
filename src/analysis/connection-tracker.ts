/**
 * Per-connection state inference: feeds each TCP packet of one flow (in capture order, with its
 * direction relative to the flow's roles) to both endpoints' RFC 9293 state machines
 * (endpoint-state.ts: see there for the vantage-point rule), the Zeek vocabulary (history.ts,
 * conn-state.ts), the handshake facts (handshake.ts) and the close facts (close-facts.ts), and
 * emits the anomaly events `syn_retransmission`, `connection_refused`, `handshake_unanswered`,
 * `connection_reset`, `rst_on_close` and `data_after_close` (../shared/spec/anomalies.md).
 *
 * RST acceptance (RFC 9293 §3.10.7, RFC 5961 §3): a RST moves the states only when its sequence
 * number is plausible for its receiver R:
 *   - R in SYN_SENT (a RST answering a SYN): acceptable iff it has ACK and acknowledges R's SYN
 *     (RFC 9293 §3.10.7.3; RFC 5961 leaves SYN-SENT unchanged);
 *   - otherwise: acceptable when seq equals what R expects next (R's last ACK number, i.e. its
 *     RCV.NXT as last seen, or the sender's own next sequence number) — RFC 5961's exact match —
 *     or lies within R's last advertised window of it. RFC 5961 receivers answer an in-window
 *     but inexact RST with a challenge ACK and stay up; an observer cannot know which rule the
 *     receiver runs and its view of RCV.NXT may be stale (ACKs in flight), so tcpscope accepts
 *     it and says so in the event `detail.seqCheck: 'in-window'`;
 *   - nothing known about R's sequence space (mid-stream, R never seen): acceptable.
 *   An implausible RST (out of window: stale, from an older incarnation, or forged) changes no
 *   state and closes nothing; it still appears in the history string (Zeek does the same).
 *
 * Pure: no clocks or I/O; times are the packets' capture times. One instance per flow.
 */
import { round3 } from '../core/time.js';
import type { Direction } from '../core/direction.js';
import { DIR_NAME } from '../core/direction.js';
import type { DecodedPacket } from '../dissectors/decoded-packet.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import type { AnomalyCode, AnomalyDetail, AnomalyEvent } from './anomalies.js';
import { CloseFacts } from './close-facts.js';
import type { CloseSummary } from './close-facts.js';
import { ZEEK_QUIET, ZeekStates } from './conn-state.js';
import { EndpointMachine, TCP_STATE } from './endpoint-state.js';
import type { SegFacts, Transition } from './endpoint-state.js';
import { HandshakeTracker } from './handshake.js';
import type { HandshakeOptions } from './handshake.js';
import { HistoryBuilder, SCALED } from './history.js';
import { seqAdd, seqDiff, seqGt, seqLt } from '../core/seq.js';
import { TransitionLog } from './transition-log.js';

const { SYN, ACK, FIN, RST } = TCP_FLAG;

/**
 * Bits of `ConnectionTracker.bits`: every per-packet flag of the tracker in one small integer,
 * so what a packet reads of this object fits in its first cache line (the tracker is cold when
 * its flow's next packet comes). `<< dir` / `<< (dir * 2)` select the direction.
 */
/** History letters D and A already recorded: PLAIN_D/PLAIN_A << (dir * 2) (saves a history call per packet). */
const PLAIN_D = 1;
const PLAIN_A = 2;
/** ZEEK_QUIET bits << (ZEEK_SHIFT + dir * 2): which of `dir`'s packets without SYN/FIN/RST the Zeek states ignore from now on. */
const ZEEK_SHIFT = 4;
/** Mirror of `hs.complete`. */
const HS_COMPLETE = 1 << 8;
/** SYN_FROM << dir: a SYN (without RST) came from `dir`. */
const SYN_FROM = 1 << 9;
/** RST_FROM << dir: an accepted RST came from `dir` (mirrors `close.rstFrame`, read per data packet). */
const RST_FROM = 1 << 11;
/** A packet came from the server. */
const SERVER_SEEN = 1 << 13;
/** Options: count retransmissions (letter T) / zero windows (letter W) here. */
const AUTO_RTX = 1 << 14;
const AUTO_ZW = 1 << 15;

/** Options of a tracker. */
export interface ConnectionTrackerOptions {
  /**
   * Count a payload segment that starts below the sender's next sequence number as a
   * retransmission for the history letter T (default true). Set false when the caller feeds
   * `noteRetransmission` from its own classifier, so nothing is counted twice.
   */
  autoRetransmission?: boolean;
  /** Count window-0 segments (no SYN/FIN/RST) for the letter W (default true); false: caller uses `noteZeroWindow`. */
  autoZeroWindow?: boolean;
  /** Told of each event as it is raised (live capture), before it is counted and listed. */
  onEvent?: (e: AnomalyEvent) => void;
}

/** Report `handshake`. */
export interface HandshakeSummary {
  complete: boolean;
  rttMs: number | null;
  synRetransmissions: number;
  synIntervalsMs: number[];
  synAckRetransmissions: number;
  options: { client: HandshakeOptions | null; server: HandshakeOptions | null };
}

/** What `finish()` returns: plain JSON-safe data, owned by the caller. */
export interface ConnectionSummary {
  state: { client: string; server: string; connState: string; history: string; transitions: Transition[] };
  close: CloseSummary;
  handshake: HandshakeSummary;
  anomalies: AnomalyEvent[];
  /** Every event counted by code (the list above stops at MAX_EVENTS). */
  anomalyCounts: Record<string, number>;
}

/**
 * The facts of the packet being processed. One scratch for all trackers: `onPacket` fills it
 * and every use ends before it returns (nothing keeps a reference), so a tracker never sees
 * another's values, and the object stays in cache across flows.
 */
const SEG: SegFacts = { flags: 0, seq: 0, ack: 0, len: 0, window: 0, frame: 0, ts: 0 };

/** Tracks one TCP connection. */
export class ConnectionTracker {
  /**
   * True when the packet just given to `onPacket` carried an RST this tracker judged implausible
   * (sequence number far outside what the receiver accepts; see `rstCheck`): the flow and the
   * reassemblers must not end the connection on it either.
   */
  lastRstImplausible = false;

  // Fields in the order V8 lays them out: what every packet reads first, together.
  /** PLAIN_*, ZEEK_*, HS_COMPLETE, SYN_FROM, RST_FROM, SERVER_SEEN, AUTO_* bits (see there). */
  private bits = 0;
  /** The client's and the server's state machines. */
  private readonly ep0: EndpointMachine;
  private readonly ep1: EndpointMachine;
  private readonly zeek = new ZeekStates();
  private readonly history = new HistoryBuilder();
  private readonly hs = new HandshakeTracker();
  private readonly close = new CloseFacts();
  /** Both endpoints' transitions in order, compact until `finish`. */
  private readonly transitions = new TransitionLog();
  /** Events listed (at most MAX_EVENTS; a pathological flow must not grow memory per packet) and all counted; allocated with the first. */
  private events: AnomalyEvent[] | null = null;
  private eventCounts: Record<string, number> | null = null;
  private firstSyn: { frame: number; ts: number } | null = null;
  private resetReported = false;
  private finished: ConnectionSummary | null = null;
  private readonly onEvent: ((e: AnomalyEvent) => void) | undefined;

  constructor(opts: ConnectionTrackerOptions = {}) {
    this.bits = (opts.autoRetransmission ?? true ? AUTO_RTX : 0) | (opts.autoZeroWindow ?? true ? AUTO_ZW : 0);
    this.onEvent = opts.onEvent;
    this.ep0 = new EndpointMachine('client', this.transitions);
    this.ep1 = new EndpointMachine('server', this.transitions);
  }

  /** One TCP packet of this flow, in capture order; dir relative to the flow's roles. */
  onPacket(pkt: DecodedPacket, dir: Direction, frame: number, tsSec: number, tsNsec: number): void {
    const s = SEG;
    this.lastRstImplausible = false;
    s.flags = pkt.tcpFlags;
    s.seq = pkt.seq;
    s.ack = pkt.ack;
    s.len = pkt.payloadWireLen;
    s.window = pkt.window;
    s.frame = frame;
    s.ts = tsSec + tsNsec / 1e9;
    if (dir !== 0) this.bits |= SERVER_SEEN;
    const me = dir === 0 ? this.ep0 : this.ep1;
    const peer = dir === 0 ? this.ep1 : this.ep0;
    this.vocabulary(pkt, dir, me);
    // data_after_close needs an own FIN or a peer RST first: skip the check otherwise
    if (s.len > 0 && (me.finSent || (this.bits & (RST_FROM << (1 - dir))) !== 0)) this.checkDataAfterClose(dir, me);
    if ((s.flags & RST) !== 0) {
      this.onRst(dir, me, peer);
      return;
    }
    if ((s.flags & FIN) !== 0) this.close.onFin(dir, frame, (s.flags & ACK) !== 0 && peer.finAckedBy(s.ack));
    me.onSend(s, peer);
    peer.deliver(s, me);
  }

  /** History letters, Zeek states, handshake facts and SYN retransmissions. */
  private vocabulary(pkt: DecodedPacket, dir: Direction, me: EndpointMachine): void {
    const s = SEG;
    const f = s.flags;
    if ((f & (SYN | FIN | RST)) !== 0) {
      this.history.onSegment(dir, f, s.seq, s.len);
      this.noteZeek(dir, this.zeek.onSegment(dir, f, s.len));
    } else { // data (D) or a pure ACK (A): once per direction, so skip the history once it has the letter
      const bit = (s.len > 0 ? PLAIN_D : (f & ACK) !== 0 ? PLAIN_A : 0) << (dir * 2);
      if (bit !== 0 && (this.bits & bit) === 0) {
        this.bits |= bit;
        this.history.onSegment(dir, f, s.seq, s.len);
      }
      if ((this.bits & ((s.len > 0 ? ZEEK_QUIET.ALL : ZEEK_QUIET.EMPTY) << (ZEEK_SHIFT + dir * 2))) === 0) this.noteZeek(dir, this.zeek.onSegment(dir, f, s.len));
    }
    // an ACK matters to the handshake only while incomplete and once the peer's SYN was seen
    const bits = this.bits;
    if ((f & SYN) !== 0 || ((f & ACK) !== 0 && (bits & (HS_COMPLETE | (SYN_FROM << (1 - dir)))) === SYN_FROM << (1 - dir))) this.handshakeSegment(pkt, dir);
    if ((bits & AUTO_ZW) !== 0 && s.window === 0 && (f & (SYN | FIN | RST)) === 0) this.history.countAt(dir, SCALED.W);
    if ((bits & AUTO_RTX) !== 0 && s.len > 0 && (f & (SYN | RST)) === 0 && me.sendsBelowNext(s.seq)) this.history.countAt(dir, SCALED.T);
  }

  /** Keep `dir`'s ZEEK_QUIET bits as they are now (a SYN, FIN or RST may change them either way). */
  private noteZeek(dir: Direction, quiet: number): void {
    const shift = ZEEK_SHIFT + dir * 2;
    this.bits = (this.bits & ~(3 << shift)) | (quiet << shift);
  }

  /** A SYN, or an ACK before the handshake completed: handshake facts, SYN retransmissions. */
  private handshakeSegment(pkt: DecodedPacket, dir: Direction): void {
    const s = SEG;
    if (dir === 0 && (s.flags & (SYN | ACK | RST)) === SYN && this.firstSyn === null) this.firstSyn = { frame: s.frame, ts: s.ts };
    if ((s.flags & (SYN | RST)) === SYN) this.bits |= SYN_FROM << dir;
    const copy = this.hs.onSegment(pkt, dir, s.ts);
    if (this.hs.complete) this.bits |= HS_COMPLETE;
    else this.bits &= ~HS_COMPLETE;
    if (copy !== null) this.emit('syn_retransmission', dir, { intervalMs: round3(copy.intervalMs), n: copy.n, synAck: (s.flags & ACK) !== 0 });
  }

  /** `data_after_close`: payload beyond the sender's own FIN, or sent to an endpoint that reset. */
  private checkDataAfterClose(dir: Direction, me: EndpointMachine): void {
    const s = SEG;
    const end = seqAdd(s.seq, s.len);
    if (me.finSeq >= 0 && seqGt(end, me.finSeq)) {
      this.emit('data_after_close', dir, { reason: 'after-own-fin', bytes: Math.min(s.len, seqDiff(end, me.finSeq)) });
    } else if (this.close.rstFrame((1 - dir) as Direction) >= 0) {
      this.emit('data_after_close', dir, { reason: 'to-reset-endpoint', bytes: s.len });
    }
  }

  /** A RST from `dir`: plausibility, then states, close facts and events. */
  private onRst(dir: Direction, me: EndpointMachine, peer: EndpointMachine): void {
    const s = SEG;
    const check = this.rstCheck(me, peer);
    if (check === 'implausible') {
      this.lastRstImplausible = true;
      return;
    }
    const refused = peer.state === TCP_STATE.SYN_SENT && me.isn < 0;
    const unacked = (s.flags & ACK) !== 0 && peer.nextSeq >= 0 && seqLt(s.ack, peer.nextSeq) ? seqDiff(peer.nextSeq, s.ack) : 0;
    const finBefore = this.close.anyFin;
    const firstRst = !this.close.anyRst;
    this.close.onRst(dir, s.frame);
    this.bits |= RST_FROM << dir;
    me.sendRst(s);
    peer.deliverRst(s, me);
    if (!firstRst || this.resetReported) return;
    this.resetReported = true;
    const by = dir === 0 ? 'client' : 'server';
    if (refused) this.emit('connection_refused', dir, { by, seqCheck: check });
    else if (finBefore || unacked > 0) {
      this.emit('rst_on_close', dir, { by, reason: finBefore ? 'after-fin' : 'unacknowledged-data', unackedBytes: unacked, seqCheck: check });
    } else if (me.synchronized || peer.synchronized) this.emit('connection_reset', dir, { by, seqCheck: check });
  }

  /** RFC 5961-minded acceptance of the RST in `SEG` from `me` to `peer` (see module doc). */
  private rstCheck(me: EndpointMachine, peer: EndpointMachine): 'exact' | 'in-window' | 'unverifiable' | 'implausible' {
    const s = SEG;
    if (peer.state === TCP_STATE.SYN_SENT) return (s.flags & ACK) !== 0 && peer.synAckedBy(s.ack) ? 'exact' : 'implausible';
    const expected = peer.lastAck >= 0 ? peer.lastAck : me.nextSeq;
    if (expected < 0) return 'unverifiable';
    if (s.seq === expected || s.seq === me.nextSeq) return 'exact';
    const win = Math.max(peer.window, 0) * 2 ** 14; // scale unknown here: the widest RFC 7323 window
    const d = seqDiff(s.seq, expected);
    return d >= 0 && d < Math.max(win, 65535) ? 'in-window' : 'implausible';
  }

  private emit(code: AnomalyCode, dir: Direction, detail?: AnomalyDetail): void {
    const e: AnomalyEvent = { code, frame: SEG.frame, ts: SEG.ts, dir: DIR_NAME[dir] };
    if (detail !== undefined) e.detail = detail;
    this.record(e);
  }

  private record(e: AnomalyEvent): void {
    if (this.onEvent !== undefined) this.onEvent(e);
    const counts = (this.eventCounts ??= {});
    counts[e.code] = (counts[e.code] ?? 0) + 1;
    const events = (this.events ??= []);
    if (events.length < MAX_EVENTS) events.push(e);
  }


  // ---------------------------------------------------------------- facts fed by others

  /** A retransmission found by the caller's classifier (history letter T, log-scaled). */
  noteRetransmission(dir: Direction, frame?: number): void {
    void frame;
    this.history.countAt(dir, SCALED.T);
  }

  /** A zero-window advertisement (letter W); use with `autoZeroWindow: false`. */
  noteZeroWindow(dir: Direction): void {
    this.history.countAt(dir, SCALED.W);
  }

  /** A content gap in `dir`'s stream (letter G). */
  noteGap(dir: Direction): void {
    this.history.countAt(dir, SCALED.G);
  }

  /** A packet from `dir` whose checksum does not verify (letter C). */
  noteBadChecksum(dir: Direction): void {
    this.history.countAt(dir, SCALED.C);
  }

  /**
   * Both endpoints' states right now (receipts still waiting for evidence not applied: see the
   * vantage-point rule in endpoint-state.ts). For live views and tests; `finish()` has the final word.
   */
  currentStates(): { client: string; server: string } {
    return { client: this.ep0.state, server: this.ep1.state };
  }

  /** The flow has closed: give back the transition list's spare capacity (called again on later packets; cheap). */
  condense(): void {
    this.transitions.trim();
  }

  // ---------------------------------------------------------------- end

  /** End of capture or flow expiry: the summary (plain JSON-safe data). Idempotent. */
  finish(): ConnectionSummary {
    if (this.finished !== null) return this.finished;
    const c = this.ep0;
    const sv = this.ep1;
    c.flushAll(sv);
    sv.flushAll(c);
    if (this.firstSyn !== null && (this.bits & SERVER_SEEN) === 0) {
      const { frame, ts } = this.firstSyn;
      this.record({ code: 'handshake_unanswered', frame, ts, dir: 'c2s', detail: { syns: this.hs.synRetransmissions + 1 } });
    }
    const history = this.history.toString();
    this.finished = {
      state: { client: c.state, server: sv.state, connState: this.zeek.connState(history), history, transitions: this.transitions.toArray() },
      close: this.close.summary(),
      handshake: {
        complete: this.hs.complete, rttMs: this.hs.rttMs === null ? null : round3(this.hs.rttMs),
        synRetransmissions: this.hs.synRetransmissions, synIntervalsMs: this.hs.synIntervalsMs.map(round3),
        synAckRetransmissions: this.hs.synAckRetransmissions,
        options: { client: this.hs.options(0), server: this.hs.options(1) },
      },
      anomalies: (this.events ?? []).sort((a, b) => a.frame - b.frame),
      anomalyCounts: { ...this.eventCounts },
    };
    return this.finished;
  }
}

/** Events a tracker lists; more are only counted. */
const MAX_EVENTS = 256;

