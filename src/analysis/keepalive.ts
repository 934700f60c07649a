/**
 * TCP keep-alives one endpoint sent (RFC 1122 §4.2.3.6), whether its peer answered them, and the
 * keep-alive timing the capture shows. Owned by `WindowTracker`, one instance per sending
 * endpoint; fed every packet of the flow in capture order, allocation-free per packet.
 *
 * Input is the classifier's bits: SEG.KEEP_ALIVE on the endpoint's packets, SEG.KEEP_ALIVE_ACK
 * on the peer's (a Linux persist probe has the same shape but is labelled ZERO_WINDOW_PROBE, so
 * it is not counted here). Definitions:
 * - a *run* is a sequence of keep-alives with nothing in between but keep-alives and their ACKs;
 *   any other packet of either side ends it;
 * - `idleBeforeMs`: for the first keep-alive of a run, the time since the last packet the sender
 *   received from its peer (what Linux measures against TCP_KEEPIDLE); listed per run;
 * - `intervalsMs`: time between successive keep-alives of one run (Linux: TCP_KEEPINTVL while
 *   unanswered, TCP_KEEPIDLE again after an answer; both show here as the probe period);
 * - a keep-alive is *answered* by the first KEEP_ALIVE_ACK of the peer after it and before the next
 *   keep-alive; `answerMs` is that delay.
 */
import { SEG } from './seg-flags.js';
import { secondsToMs3 as ms } from '../core/time.js';

/** Keep-alives listed with their answer, intervals and idle times listed (all are counted). */
export const KEEPALIVES_LISTED = 16;

/** One listed keep-alive (report `windows.keepAlive.<endpoint>.listed[]`). */
export interface KeepAliveJsonEntry {
  frame: number;
  ts: number;
  answeredFrame: number | null;
  answerMs: number | null;
}

/**
 * The report object of an endpoint that sent no keep-alive (what a fresh endpoint's `json` says):
 * one shared frozen object instead of an object and three arrays per endpoint of every flow.
 */
export const NO_KEEPALIVE_JSON: Readonly<Record<string, unknown>> = Object.freeze({
  sent: 0,
  answered: 0,
  unanswered: 0,
  runs: 0,
  idleBeforeMs: Object.freeze([]),
  intervalsMs: Object.freeze([]),
  intervals: 0,
  minIntervalMs: null,
  meanIntervalMs: null,
  maxIntervalMs: null,
  listed: Object.freeze([]),
});

export class KeepAliveEndpoint {
  private sent = 0;
  private answered = 0;
  private runs = 0;
  /** Time of the previous keep-alive of the current run, NaN outside a run. */
  private runLastT = NaN;
  /** A keep-alive still waiting for its answer: its time and listing slot (-1 unlisted), or NaN. */
  private pendingT = NaN;
  private pendingSlot = -1;
  /** Last packet received from the peer, NaN none. */
  private lastPeerT = NaN;
  private ivMin = Infinity;
  private ivMax = 0;
  private ivSum = 0;
  private ivN = 0;
  /** Listed keep-alives: frame, ts, answered frame (0 none), answer delay s. */
  private listed: Float64Array | null = null;
  private nListed = 0;
  private intervals: Float64Array | null = null;
  private idles: Float64Array | null = null;
  private nIdles = 0;

  /** @param lastPeerT time of the last packet received from the peer before this one is created (NaN none): the owner creates it at the endpoint's first keep-alive. */
  constructor(lastPeerT = NaN) {
    this.lastPeerT = lastPeerT;
  }

  /** A packet this endpoint sent, with its SEG bits. */
  own(seg: number, frame: number, t: number): void {
    if ((seg & SEG.KEEP_ALIVE) === 0) {
      this.runLastT = NaN;
      return;
    }
    this.sent++;
    if (this.runLastT === this.runLastT) {
      const gap = t - this.runLastT;
      if (this.ivN < KEEPALIVES_LISTED) (this.intervals ??= new Float64Array(KEEPALIVES_LISTED))[this.ivN] = gap;
      this.ivN++;
      this.ivSum += gap;
      if (gap < this.ivMin) this.ivMin = gap;
      if (gap > this.ivMax) this.ivMax = gap;
    } else {
      this.runs++;
      if (this.nIdles < KEEPALIVES_LISTED) {
        (this.idles ??= new Float64Array(KEEPALIVES_LISTED))[this.nIdles++] = this.lastPeerT === this.lastPeerT ? t - this.lastPeerT : NaN;
      }
    }
    this.runLastT = t;
    this.pendingT = t;
    this.pendingSlot = -1;
    if (this.nListed < KEEPALIVES_LISTED) {
      const l = (this.listed ??= new Float64Array(KEEPALIVES_LISTED * 4));
      const o = this.nListed * 4;
      l[o] = frame;
      l[o + 1] = t;
      l[o + 2] = 0;
      l[o + 3] = 0;
      this.pendingSlot = this.nListed++;
    }
  }

  /** A packet the peer sent, with its SEG bits. */
  peer(seg: number, frame: number, t: number): void {
    this.lastPeerT = t;
    if ((seg & SEG.KEEP_ALIVE_ACK) === 0) {
      this.runLastT = NaN;
      return;
    }
    if (this.pendingT !== this.pendingT) return;
    this.answered++;
    if (this.pendingSlot >= 0) {
      const o = this.pendingSlot * 4;
      this.listed![o + 2] = frame;
      this.listed![o + 3] = t - this.pendingT;
    }
    this.pendingT = NaN;
    this.pendingSlot = -1;
  }

  /** The report object (JSON-safe; durations in ms). */
  json(): Record<string, unknown> {
    const listed: KeepAliveJsonEntry[] = [];
    for (let i = 0; i < this.nListed; i++) {
      const o = i * 4;
      const l = this.listed!;
      const af = l[o + 2]!;
      listed.push({ frame: l[o]!, ts: l[o + 1]!, answeredFrame: af > 0 ? af : null, answerMs: af > 0 ? ms(l[o + 3]!) : null });
    }
    const iv: number[] = [];
    for (let i = 0; i < Math.min(this.ivN, KEEPALIVES_LISTED); i++) iv.push(ms(this.intervals![i]!));
    const idle: (number | null)[] = [];
    for (let i = 0; i < this.nIdles; i++) {
      const v = this.idles![i]!;
      idle.push(v === v ? ms(v) : null);
    }
    return {
      sent: this.sent,
      answered: this.answered,
      unanswered: this.sent - this.answered,
      runs: this.runs,
      idleBeforeMs: idle,
      intervalsMs: iv,
      intervals: this.ivN,
      minIntervalMs: this.ivN > 0 ? ms(this.ivMin) : null,
      meanIntervalMs: this.ivN > 0 ? ms(this.ivSum / this.ivN) : null,
      maxIntervalMs: this.ivN > 0 ? ms(this.ivMax) : null,
      listed,
    };
  }
}
