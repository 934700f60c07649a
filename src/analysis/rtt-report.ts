/**
 * The RTT tracker's report records (rtt.ts owns the tracker and its per-packet rules): the
 * per-direction `RttSummary` and its builder from the tracker's
 * state (layout in rtt-state.ts) — once per flow, off the per-packet path — and the shared,
 * frozen estimator bounds every summary references. Split out of rtt.ts, which re-exports the
 * public names.
 */
import { round3, secondsToMs3 as ms3 } from '../core/time.js';
import type { RttJson } from '../flow/analyzers.js';
import {
  DEFAULT_MAX_RTO_MS, EST_CLASSIC, EST_SRTT, EST_RTTVAR, EST_STATS, RFC6298_MIN_RTO_MS, ST_COUNT, ST_MAX, ST_MIN, ST_SUM,
  classicRtoMsOf, rto6298Ms, statsJson, type EstimatorBounds, type SampleStats,
} from './rtt-estimator.js';
import type { TimeoutLog, BackoffJson } from './rtt-timeouts.js';
import type { RttMeaning } from './rtt-vantage.js';
import {
  D_ACK_STATS, D_AMBIGUOUS, D_DSACKS, D_EST, D_FED_ACK, D_FED_SACK, D_FED_TS, D_HANDSHAKE, D_SACK_STATS, D_SPURIOUS,
  D_TIMEOUTS, D_TS_STATS, D_UNKNOWN,
} from './rtt-state.js';

/** Per-direction summary: the schema's `$defs/rtt` plus tcpscope's own fields. */
export interface RttSummary extends RttJson {
  estimator: 'rfc6298' | 'classic';
  meaning: RttMeaning;
  handshakeMs: number | null;
  rfc6298: { srttMs: number | null; rttvarMs: number | null; rtoMs: number };
  classic: { srttMs: number | null; rtoMs: number };
  bounds: { minRtoMs: number; maxRtoMs: number; granularityMs: number };
  ack: ReturnType<SampleStats['toJson']>;
  sack: ReturnType<SampleStats['toJson']>;
  ts: ReturnType<SampleStats['toJson']>;
  fed: { ack: number; sack: number; ts: number };
  ambiguous: number;
  unknownTiming: number;
  timeouts: number;
  timerMs: number[];
  backoff: BackoffJson[];
  backoffChains: number;
  spuriousRetransmissions: number;
  dsacks: number;
  limits: { mergedSegments: number; droppedTsvals: number };
}

/**
 * The estimator bounds as a frozen object shared by every tracker with the same options (the
 * last one made is kept): each flow's summaries reference it instead of holding copies.
 */
let lastBounds: Readonly<EstimatorBounds> = Object.freeze({ minRtoMs: RFC6298_MIN_RTO_MS, maxRtoMs: DEFAULT_MAX_RTO_MS, granularityMs: 0 });

export function boundsOf(minRtoMs: number, maxRtoMs: number, granularityMs: number): Readonly<EstimatorBounds> {
  const l = lastBounds;
  if (l.minRtoMs === minRtoMs && l.maxRtoMs === maxRtoMs && l.granularityMs === granularityMs) return l;
  return (lastBounds = Object.freeze({ minRtoMs, maxRtoMs, granularityMs }));
}

/** RTT summary of one direction's data from its state block at `o` of `f`. */
export function rttSummary(
  f: Float64Array, o: number, classicFills: boolean, bounds: Readonly<EstimatorBounds>, log: TimeoutLog | null,
  meaning: RttMeaning, mergedSegments: number, droppedTsvals: number,
): RttSummary {
  const e = o + D_EST;
  const srtt = f[e + EST_SRTT]!;
  const rttvar = f[e + EST_RTTVAR]!;
  const classicSrtt = f[e + EST_CLASSIC]!;
  const n = f[e + EST_STATS + ST_COUNT]!;
  const has = n > 0;
  const rfc = { srttMs: has ? ms3(srtt) : null, rttvarMs: has ? ms3(rttvar) : null, rtoMs: round3(rto6298Ms(srtt, rttvar, bounds)) };
  const classic = { srttMs: has ? ms3(classicSrtt) : null, rtoMs: round3(classicRtoMsOf(classicSrtt, bounds)) };
  const fill = classicFills ? { srttMs: classic.srttMs, rttvarMs: null, rtoMs: classic.rtoMs } : rfc;
  return {
    samples: n,
    minMs: n > 0 ? ms3(f[e + EST_STATS + ST_MIN]!) : null,
    meanMs: n > 0 ? ms3(f[e + EST_STATS + ST_SUM]! / n) : null,
    maxMs: n > 0 ? ms3(f[e + EST_STATS + ST_MAX]!) : null,
    srttMs: fill.srttMs,
    rttvarMs: fill.rttvarMs,
    rtoMs: has ? fill.rtoMs : null,
    observedRtoMs: log !== null ? log.observedMs() : [],
    estimator: classicFills ? 'classic' : 'rfc6298',
    meaning,
    handshakeMs: f[o + D_HANDSHAKE]! >= 0 ? ms3(f[o + D_HANDSHAKE]!) : null,
    rfc6298: rfc,
    classic,
    bounds: bounds,
    ack: statsJson(f, o + D_ACK_STATS),
    sack: statsJson(f, o + D_SACK_STATS),
    ts: statsJson(f, o + D_TS_STATS),
    fed: { ack: f[o + D_FED_ACK]!, sack: f[o + D_FED_SACK]!, ts: f[o + D_FED_TS]! },
    ambiguous: f[o + D_AMBIGUOUS]!,
    unknownTiming: f[o + D_UNKNOWN]!,
    timeouts: f[o + D_TIMEOUTS]!,
    timerMs: log !== null ? log.timerMs() : [],
    backoff: log !== null ? log.backoff() : [],
    backoffChains: log !== null ? log.chainCount : 0,
    spuriousRetransmissions: f[o + D_SPURIOUS]!,
    dsacks: f[o + D_DSACKS]!,
    limits: { mergedSegments, droppedTsvals },
  };
}
