/**
 * Zero-window periods of one endpoint (the receiver that advertised them) and the persist
 * probes its peer sent meanwhile (RFC 9293 §3.8.6.1; RFC 1122 §4.2.2.17). Owned by
 * `WindowTracker`, one instance per endpoint; fed in capture order, allocation-free per packet.
 *
 * A period starts at the first segment of the endpoint that advertises a raw window of 0 (the
 * caller leaves out SYN, RST and FIN-with-zero segments) and ends at its first segment with a
 * non-zero window, or at the end of the flow. Per period:
 * - `zero_window_stall` (catalog) when it lasted >= the threshold: at the frame that ended it
 *   (the last frame of the flow when still open), detail `durationMs`, `probes`, `startFrame`,
 *   `endFrame` (null when still open at the end);
 * - `persist_backoff` when the peer sent >= 2 probes: detail `probes`, `firstProbeMs` (period
 *   start to the first probe), `intervalsMs` (probe to probe, the first `MAX_INTERVALS`),
 *   `doubling` (see `backoffDoubles`).
 * The summary (`ZeroWindowJson`) counts every period, also the short ones under the threshold.
 */
import { secondsToMs3 as ms } from '../core/time.js';
import type { Direction } from '../core/direction.js';
import { reverse } from '../core/direction.js';
import type { ZeroWindowJson } from '../flow/analyzers.js';
import { ANOMALY_INDEX } from './anomalies.js';
import type { EventLog } from './event-log.js';

/** Probe-to-probe intervals listed per period (all are checked for doubling). */
export const MAX_INTERVALS = 16;
/** Linux caps the persist (probe0) timer at TCP_RTO_MAX = 120 s. */
export const PERSIST_CAP_S = 120;


/**
 * One step of an exponential backoff: `cur` is about twice `prev` (ratio 1.5 .. 2.6, wide enough
 * for timer-wheel rounding), or the timer reached the cap (`cur` within 20 % of 120 s while
 * `2·prev` would pass it). Seconds.
 */
export function backoffDoubles(prev: number, cur: number): boolean {
  if (prev <= 0) return false;
  const r = cur / prev;
  if (r >= 1.5 && r <= 2.6) return true;
  return prev * 2 >= PERSIST_CAP_S * 0.8 && Math.abs(cur - PERSIST_CAP_S) <= PERSIST_CAP_S * 0.2;
}

/**
 * The summary of an endpoint that never advertised a zero window (what a fresh endpoint's `json`
 * says): one shared frozen object, since every flow's report keeps two of these to the end.
 */
export const NO_ZERO_WINDOW_JSON: Readonly<ZeroWindowJson> = Object.freeze({ count: 0, stalls: 0, stallMs: 0, probes: 0, longestMs: 0, openAtEnd: false });

export class ZeroWindowEndpoint {
  // ---- summary over the flow ----
  private zeroSegs = 0;
  private periods = 0;
  private totalSec = 0;
  private longestSec = 0;
  private probesAll = 0;
  private openAtEnd = false;

  // ---- the open period ----
  private open = false;
  private startT = 0;
  private startFrame = 0;
  /** Nothing of the peer's data was in flight at the start: the first probe then follows about one RTO later. */
  private leadValid = false;
  private probes = 0;
  private firstProbeT = 0;
  private lastProbeT = 0;
  /** Previous gap in the backoff chain (s), NaN when none yet. */
  private prevGap = NaN;
  /** Doubling verdict so far: 1 yes, 0 no, -1 not enough gaps. */
  private doubling = -1;
  private nIntervals = 0;
  private intervals: Float64Array | null = null;

  /**
   * @param endpoint the endpoint whose windows this watches; its packets travel in direction `endpoint`.
   * @param thresholdSec `zero_window_stall` is reported for periods at least this long.
   */
  constructor(
    private readonly log: EventLog,
    private readonly endpoint: Direction,
    private readonly thresholdSec: number,
  ) {}

  /** True while a zero-window period is open. */
  get inPeriod(): boolean {
    return this.open;
  }

  /**
   * A segment of the endpoint (no SYN/RST; no FIN with window 0) advertising raw window `win`.
   * `peerIdle`: none of the peer's data was outstanding once this segment's ACK was applied.
   */
  advertise(win: number, frame: number, t: number, peerIdle: boolean): void {
    if (win === 0) {
      this.zeroSegs++;
      if (!this.open) this.start(frame, t, peerIdle);
    } else if (this.open) {
      this.close(frame, t, frame);
    }
  }

  /** A zero-window probe from the peer (SEG.ZERO_WINDOW_PROBE on a packet of the other direction). */
  probe(t: number): void {
    if (!this.open) return;
    this.probesAll++;
    this.probes++;
    if (this.probes === 1) {
      this.firstProbeT = t;
      if (this.leadValid) this.prevGap = t - this.startT;
    } else {
      const gap = t - this.lastProbeT;
      if (this.nIntervals < MAX_INTERVALS) {
        const iv = (this.intervals ??= new Float64Array(MAX_INTERVALS));
        iv[this.nIntervals++] = gap;
      }
      if (this.prevGap === this.prevGap) {
        const ok = backoffDoubles(this.prevGap, gap);
        this.doubling = this.doubling === 0 || !ok ? 0 : 1;
      }
      this.prevGap = gap;
    }
    this.lastProbeT = t;
  }

  /** End of the flow: close an open period at `lastT` (its event at `lastFrame`, `endFrame` null). */
  finish(lastFrame: number, lastT: number): void {
    if (!this.open) return;
    this.openAtEnd = true;
    this.close(lastFrame, lastT, null);
  }

  /** The summary (report `zeroWindow.client` / `.server`). */
  json(): ZeroWindowJson {
    return {
      count: this.zeroSegs,
      stalls: this.periods,
      stallMs: ms(this.totalSec),
      probes: this.probesAll,
      longestMs: ms(this.longestSec),
      openAtEnd: this.openAtEnd,
    };
  }

  private start(frame: number, t: number, peerIdle: boolean): void {
    this.open = true;
    this.startT = t;
    this.startFrame = frame;
    this.leadValid = peerIdle;
    this.probes = 0;
    this.prevGap = NaN;
    this.doubling = -1;
    this.nIntervals = 0;
  }

  private close(frame: number, t: number, endFrame: number | null): void {
    this.open = false;
    const dur = Math.max(0, t - this.startT);
    this.periods++;
    this.totalSec += dur;
    if (dur > this.longestSec) this.longestSec = dur;
    const log = this.log;
    const dir = this.endpoint;
    if (dur >= this.thresholdSec && log.count(ANOMALY_INDEX.zero_window_stall)) {
      log.push('zero_window_stall', dir, frame, t, { durationMs: ms(dur), probes: this.probes, startFrame: this.startFrame, endFrame });
    }
    if (this.probes >= 2 && log.count(ANOMALY_INDEX.persist_backoff)) {
      const intervalsMs: number[] = [];
      for (let i = 0; i < this.nIntervals; i++) intervalsMs.push(ms(this.intervals![i]!));
      log.push('persist_backoff', reverse(dir), frame, t, {
        probes: this.probes,
        firstProbeMs: ms(this.firstProbeT - this.startT),
        intervalsMs,
        doubling: this.doubling < 0 ? null : this.doubling === 1,
      });
    }
  }
}
