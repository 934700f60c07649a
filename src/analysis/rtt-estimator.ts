/**
 * Retransmission-timer estimators run over one direction's RTT samples: the RFC 6298 estimator
 * (SRTT, RTTVAR, RTO) and the classic RFC 793 §3.7 estimator (SRTT only, RTO = β·SRTT), side by
 * side, plus the plain sample statistics (count, min, mean, max). Pure arithmetic on seconds; no
 * allocation per sample. Owned by one direction of one `RttTracker` (rtt.ts).
 */
import { secondsToMs3 as ms3 } from '../core/time.js';

/** RFC 6298 §2.3: α, the SRTT gain (1/8). */
export const RFC6298_ALPHA = 1 / 8;
/** RFC 6298 §2.3: β, the RTTVAR gain (1/4). */
export const RFC6298_BETA = 1 / 4;
/** RFC 6298 §2.2/2.3: K, the RTTVAR multiplier in the RTO (4). */
export const RFC6298_K = 4;
/** RFC 6298 §2.4: "RTO SHOULD be rounded up to 1 second" (the default floor, ms). */
export const RFC6298_MIN_RTO_MS = 1000;
/** Linux's floor (`TCP_RTO_MIN`, 200 ms), offered as an option. */
export const LINUX_MIN_RTO_MS = 200;
/** RFC 6298 §2.5: a maximum "MAY be placed on RTO provided it is at least 60 seconds" (ms). */
export const DEFAULT_MAX_RTO_MS = 60_000;
/** RFC 6298 §2.1: the RTO before any sample (1 s; the SYN timer). */
export const RFC6298_INITIAL_RTO_MS = 1000;

/**
 * RFC 793 §3.7 classic estimator: SRTT = α·SRTT + (1 − α)·R with the RFC's example α = 0.9
 * (range .8–.9), so each sample weighs 0.1; RTO = min(UBOUND, max(LBOUND, β·SRTT)) with
 * β = 2 (range 1.3–2.0). LBOUND/UBOUND are the same floor and cap as RFC 6298's (options).
 */
export const CLASSIC_ALPHA = 0.9;
export const CLASSIC_BETA = 2;

/** Options shared by both estimators (milliseconds). */
export interface EstimatorBounds {
  /** Floor of the RTO (RFC 6298 §2.4: 1000; Linux: 200). */
  minRtoMs: number;
  /** Cap of the RTO (RFC 6298 §2.5: at least 60000). */
  maxRtoMs: number;
  /** Clock granularity G of RFC 6298 §2.2/2.3 in ms (0: the capture clock is far finer than an RTT). */
  granularityMs: number;
}

/**
 * Flat layout of the statistics and estimator state in a caller's Float64Array (rtt.ts keeps each
 * direction's state in one array so the per-packet path touches no boxed doubles): statistics are
 * 4 slots at `o` (count, min, max, sum); an estimator is 7 slots at `o` (srtt, rttvar,
 * classicSrtt, then its statistics).
 */
export const ST_COUNT = 0;
export const ST_MIN = 1;
export const ST_MAX = 2;
export const ST_SUM = 3;
export const ST_SLOTS = 4;
export const EST_SRTT = 0;
export const EST_RTTVAR = 1;
export const EST_CLASSIC = 2;
export const EST_STATS = 3;
export const EST_SLOTS = EST_STATS + ST_SLOTS;

/** Initial statistics at `o`. */
export function statsInit(f: Float64Array, o: number): void {
  f[o + ST_COUNT] = 0;
  f[o + ST_MIN] = Infinity;
  f[o + ST_MAX] = -Infinity;
  f[o + ST_SUM] = 0;
}

/** Record one sample `r` (seconds) in the statistics at `o` (as `SampleStats.note`). */
export function statsNote(f: Float64Array, o: number, r: number): void {
  f[o + ST_COUNT] = f[o + ST_COUNT]! + 1;
  if (r < f[o + ST_MIN]!) f[o + ST_MIN] = r;
  if (r > f[o + ST_MAX]!) f[o + ST_MAX] = r;
  f[o + ST_SUM] = f[o + ST_SUM]! + r;
}

/** What `statsJson` says without samples: one shared frozen object (every flow's report keeps several to the end). */
const NO_SAMPLES_JSON = Object.freeze({ samples: 0, minMs: null, meanMs: null, maxMs: null });

/** `{samples, minMs, meanMs, maxMs}` of the statistics at `o` (as `SampleStats.toJson`). */
export function statsJson(f: Float64Array, o: number): { samples: number; minMs: number | null; meanMs: number | null; maxMs: number | null } {
  const n = f[o + ST_COUNT]!;
  if (n === 0) return NO_SAMPLES_JSON;
  return {
    samples: n,
    minMs: n > 0 ? ms3(f[o + ST_MIN]!) : null,
    meanMs: n > 0 ? ms3(f[o + ST_SUM]! / n) : null,
    maxMs: n > 0 ? ms3(f[o + ST_MAX]!) : null,
  };
}

/** Initial estimator state at `o`. */
export function estInit(f: Float64Array, o: number): void {
  f[o + EST_SRTT] = -1;
  f[o + EST_RTTVAR] = -1;
  f[o + EST_CLASSIC] = -1;
  statsInit(f, o + EST_STATS);
}

/** Feed one RTT measurement `r` (seconds, ≥ 0) to the estimator at `o` (as `RttEstimator.add`). */
export function estAdd(f: Float64Array, o: number, r: number): void {
  statsNote(f, o + EST_STATS, r);
  const srtt = f[o + EST_SRTT]!;
  if (srtt < 0) {
    // RFC 6298 §2.2: the first measurement R: SRTT <- R, RTTVAR <- R/2.
    f[o + EST_SRTT] = r;
    f[o + EST_RTTVAR] = r / 2;
    f[o + EST_CLASSIC] = r;
    return;
  }
  // RFC 6298 §2.3: RTTVAR first (it uses the old SRTT), then SRTT.
  f[o + EST_RTTVAR] = (1 - RFC6298_BETA) * f[o + EST_RTTVAR]! + RFC6298_BETA * Math.abs(srtt - r);
  f[o + EST_SRTT] = (1 - RFC6298_ALPHA) * srtt + RFC6298_ALPHA * r;
  f[o + EST_CLASSIC] = CLASSIC_ALPHA * f[o + EST_CLASSIC]! + (1 - CLASSIC_ALPHA) * r;
}

/** RFC 6298 RTO in ms from SRTT/RTTVAR (seconds; SRTT < 0: none yet). */
export function rto6298Ms(srtt: number, rttvar: number, b: EstimatorBounds): number {
  if (srtt < 0) return clamp(RFC6298_INITIAL_RTO_MS, b);
  return clamp(srtt * 1000 + Math.max(b.granularityMs, RFC6298_K * rttvar * 1000), b);
}

/** Classic RTO in ms from its SRTT (seconds; < 0: none yet). */
export function classicRtoMsOf(classicSrtt: number, b: EstimatorBounds): number {
  if (classicSrtt < 0) return clamp(RFC6298_INITIAL_RTO_MS, b);
  return clamp(CLASSIC_BETA * classicSrtt * 1000, b);
}

/** Count, min, max and sum of a stream of samples (seconds). */
export class SampleStats {
  count = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;

  /** Record one sample `r` (seconds). */
  note(r: number): void {
    this.count++;
    if (r < this.min) this.min = r;
    if (r > this.max) this.max = r;
    this.sum += r;
  }

  /** `{samples, minMs, meanMs, maxMs}` (ms, 3 decimals; nulls without samples). */
  toJson(): { samples: number; minMs: number | null; meanMs: number | null; maxMs: number | null } {
    const n = this.count;
    return {
      samples: n,
      minMs: n > 0 ? ms3(this.min) : null,
      meanMs: n > 0 ? ms3(this.sum / n) : null,
      maxMs: n > 0 ? ms3(this.max) : null,
    };
  }
}

/**
 * Both estimators over one stream of samples, plus the samples' statistics. Units: seconds
 * internally (samples are given in seconds), milliseconds in the RTO getters.
 */
export class RttEstimator extends SampleStats {
  /** RFC 6298 state, seconds; -1 before the first sample. */
  srtt = -1;
  rttvar = -1;
  /** Classic state, seconds; -1 before the first sample. */
  classicSrtt = -1;

  constructor(private readonly b: EstimatorBounds) {
    super();
  }

  /** Feed one RTT measurement `r` (seconds, ≥ 0). */
  add(r: number): void {
    this.note(r);
    if (this.srtt < 0) {
      // RFC 6298 §2.2: the first measurement R: SRTT <- R, RTTVAR <- R/2.
      this.srtt = r;
      this.rttvar = r / 2;
      this.classicSrtt = r;
      return;
    }
    // RFC 6298 §2.3: RTTVAR first (it uses the old SRTT), then SRTT.
    this.rttvar = (1 - RFC6298_BETA) * this.rttvar + RFC6298_BETA * Math.abs(this.srtt - r);
    this.srtt = (1 - RFC6298_ALPHA) * this.srtt + RFC6298_ALPHA * r;
    this.classicSrtt = CLASSIC_ALPHA * this.classicSrtt + (1 - CLASSIC_ALPHA) * r;
  }

  /** RFC 6298 RTO in ms: SRTT + max(G, K·RTTVAR) (§2.2/2.3), floored (§2.4) and capped (§2.5); the initial 1 s (§2.1) before any sample. */
  rtoMs(): number {
    return rto6298Ms(this.srtt, this.rttvar, this.b);
  }

  /** Classic RTO in ms: min(UBOUND, max(LBOUND, β·SRTT)); the initial 1 s before any sample. */
  classicRtoMs(): number {
    return classicRtoMsOf(this.classicSrtt, this.b);
  }
}

function clamp(ms: number, b: EstimatorBounds): number {
  return Math.min(b.maxRtoMs, Math.max(b.minRtoMs, ms));
}


