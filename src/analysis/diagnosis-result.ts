/**
 * The diagnosis verdict (`diagnosis` in the report): the class vocabulary and thresholds, the
 * report's record types, and the builder that turns a finished diagnosis state (diagnosis.ts,
 * layout in diagnosis-state.ts) into that record — once per flow, off the per-packet path.
 * Split out of diagnosis.ts, which re-exports the public names.
 */
import { secondsToMs3 as ms } from '../core/time.js';
import { DIR, DIR_NAME, type Direction } from '../core/direction.js';
import type { CongestionTracker } from './congestion.js';
import {
  APP, CWND, DF, G_HS_RTT, G_LIFE_END, G_LIFE_START, G_TAIL, LOSS, RWND, X_DATA_SEGMENTS, X_FIRST_DATA_T, X_IDLE_GAPS,
  X_KEEP_ALIVES, X_LAST_COMMIT_T, X_LONGEST_IDLE, X_NEW_BYTES, X_RWND_AT_LIMIT, X_RWND_MAX, X_SRTT_MAX, X_SRTT_MIN, X_STARTED,
  X_TIME, X_ZW_LONGEST, X_ZW_STALLS, X_ZW_TOTAL,
} from './diagnosis-state.js';
// Circular on purpose and safe: diagnosis-text.ts reads this module's constants only when called.
import { flatten, headline } from './diagnosis-text.js';

export const LIMIT_CLASSES = ['receiver_window', 'sender_application', 'network_loss', 'congestion_window'] as const;
export type LimitClass = (typeof LIMIT_CLASSES)[number];
export type LimitedBy = LimitClass | 'handshake_only' | 'too_short';
/** Who each class blames: the dominant class is the largest one of the side with the largest total. */
export type LimitSide = 'receiver' | 'sender' | 'network';
export const LIMIT_SIDE: Readonly<Record<LimitClass, LimitSide>> = {
  receiver_window: 'receiver', sender_application: 'sender', network_loss: 'network', congestion_window: 'network',
};

/** Fewer data segments than this in the main direction: too short to tell. */
export const MIN_DATA_SEGMENTS = 4;
/** A transfer shorter than this many path RTTs: too short to tell. */
export const MIN_TRANSFER_RTTS = 3;
/** A too-short transfer in a connection kept open idle this long (s) and for this share of its life is application-limited. */
export const IDLE_FLOW_MIN_S = 1;
export const IDLE_FLOW_SHARE = 0.5;

/** One direction's verdict. */
export interface DirectionVerdict {
  limitedBy: LimitedBy;
  /** Side of `limitedBy` (null for handshake_only / too_short). */
  side: LimitSide | null;
  fractions: Record<LimitClass, number>;
  transferMs: number;
  dataBytes: number;
  dataSegments: number;
}

/** The report's `diagnosis` object. */
export interface DiagnosisJson extends DirectionVerdict {
  direction: 'c2s' | 's2c' | null;
  evidence: DiagnosisEvidence;
  headline: string;
  directions: { c2s: DirectionVerdict | null; s2c: DirectionVerdict | null };
}

/** The facts behind the verdict, for the main direction (times in ms). */
export interface DiagnosisEvidence {
  handshakeRttMs: number | null;
  srttMinMs: number | null;
  srttMaxMs: number | null;
  rwndMaxBytes: number | null;
  /** Largest window advertised while in flight was at it. */
  rwndWhenLimitedBytes: number | null;
  zeroWindow: { stalls: number; longestMs: number; totalMs: number };
  loss: { episodes: number; fastRetransmit: number; timeout: number; mixed: number; retransmittedBytes: number; longestMs: number; totalMs: number };
  cwnd: { maxBytes: number | null; meanBytes: number | null; slowStartPhases: number; congestionAvoidancePhases: number };
  idle: { gaps: number; longestMs: number; tailMs: number; connectionIdleMs: number; keepAlives: number };
  lifetimeMs: number;
}

/** The verdict from a finished diagnosis state at offset `b` of `st` (Diagnosis.result). */
export function diagnosisResult(st: Float64Array, b: number, congestion: CongestionTracker): DiagnosisJson {
  const c = verdict(st, b, DIR.C2S);
  const s = verdict(st, b, DIR.S2C);
  const dcStarted = st[b + X_STARTED] === 1;
  const dsStarted = st[b + DF + X_STARTED] === 1;
  const dcNew = st[b + X_NEW_BYTES]!;
  const dsNew = st[b + DF + X_NEW_BYTES]!;
  const main: Direction = dsNew > dcNew || (dsNew === dcNew && st[b + DF + X_DATA_SEGMENTS]! > st[b + X_DATA_SEGMENTS]!) ? DIR.S2C : DIR.C2S;
  const directions = { c2s: dcStarted ? c : null, s2c: dsStarted ? s : null };
  let v = main === DIR.C2S ? c : s;
  const evidence = directionEvidence(st, b, congestion, main);
  if (!dcStarted && !dsStarted) v = { limitedBy: 'handshake_only', side: null, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments };
  else if (v.limitedBy === 'too_short') {
    const life = evidence.lifetimeMs / 1e3;
    const idle = evidence.idle.connectionIdleMs / 1e3;
    if (idle >= IDLE_FLOW_MIN_S && idle >= IDLE_FLOW_SHARE * life) v = idleVerdict(st, b, main, life, idle, v);
  }
  const direction = dcStarted || dsStarted ? DIR_NAME[main] : null;
  // Listed fields, no object spread: spread is far slower in V8 and this runs once per flow.
  const out: DiagnosisJson = { limitedBy: v.limitedBy, side: v.side, fractions: v.fractions, transferMs: v.transferMs, dataBytes: v.dataBytes, dataSegments: v.dataSegments, direction, evidence, headline: '', directions };
  out.headline = flatten(headline(out));
  return out;
}

/** `dir`'s time per class (a copy). */
function classTimes(st: Float64Array, b: number, dir: Direction): Float64Array {
  const o = b + dir * DF + X_TIME;
  return st.slice(o, o + 4);
}

/** `dir`'s verdict from its time per class. */
function verdict(st: Float64Array, b: number, dir: Direction): DirectionVerdict {
  const x = b + dir * DF;
  const time = classTimes(st, b, dir);
  const total = time[0]! + time[1]! + time[2]! + time[3]!;
  const fractions = fractionsOf(time, total);
  let limitedBy: LimitedBy = 'too_short';
  const rtt = Math.max(st[b + G_HS_RTT]!, st[x + X_SRTT_MIN]!);
  const dataSegments = st[x + X_DATA_SEGMENTS]!;
  const short = dataSegments < MIN_DATA_SEGMENTS || total <= 0 || (rtt > 0 && total < MIN_TRANSFER_RTTS * rtt);
  if (st[x + X_STARTED] === 0) limitedBy = 'handshake_only';
  else if (!short) limitedBy = dominant(time);
  const side = limitedBy === 'handshake_only' || limitedBy === 'too_short' ? null : LIMIT_SIDE[limitedBy];
  return { limitedBy, side, fractions, transferMs: ms(total), dataBytes: st[x + X_NEW_BYTES]!, dataSegments };
}

/** A too-short transfer in a connection mostly kept open idle: the application's choice. */
function idleVerdict(st: Float64Array, b: number, dir: Direction, life: number, idle: number, v: DirectionVerdict): DirectionVerdict {
  const times = classTimes(st, b, dir);
  times[APP] = times[APP]! + idle;
  const total = Math.max(life, times[0]! + times[1]! + times[2]! + times[3]!);
  return { limitedBy: 'sender_application', side: 'sender', fractions: fractionsOf(times, total), transferMs: ms(total), dataBytes: v.dataBytes, dataSegments: v.dataSegments };
}

/** The facts behind `dir`'s verdict. */
function directionEvidence(st: Float64Array, b: number, congestion: CongestionTracker, dir: Direction): DiagnosisEvidence {
  const x = b + dir * DF;
  const cg = congestion.sender(dir);
  const lifeStart = st[b + G_LIFE_START]!;
  const life = lifeStart >= 0 ? Math.max(0, st[b + G_LIFE_END]! - lifeStart) : 0;
  let spanStart = Infinity;
  let spanEnd = -Infinity;
  for (let i = 0; i < 2; i++) {
    const y = b + i * DF;
    if (st[y + X_STARTED] === 0) continue;
    spanStart = Math.min(spanStart, st[y + X_FIRST_DATA_T]!);
    spanEnd = Math.max(spanEnd, st[y + X_LAST_COMMIT_T]!);
  }
  const span = spanEnd > spanStart ? spanEnd - spanStart : 0;
  const msOrNull = (s: number): number | null => (s > 0 ? ms(s) : null);
  const rwndMax = st[x + X_RWND_MAX]!;
  const rwndAtLimit = st[x + X_RWND_AT_LIMIT]!;
  return {
    handshakeRttMs: msOrNull(st[b + G_HS_RTT]!),
    srttMinMs: msOrNull(st[x + X_SRTT_MIN]!),
    srttMaxMs: msOrNull(st[x + X_SRTT_MAX]!),
    rwndMaxBytes: rwndMax >= 0 ? rwndMax : null,
    rwndWhenLimitedBytes: rwndAtLimit >= 0 ? rwndAtLimit : null,
    zeroWindow: { stalls: st[x + X_ZW_STALLS]!, longestMs: ms(st[x + X_ZW_LONGEST]!), totalMs: ms(st[x + X_ZW_TOTAL]!) },
    loss: {
      episodes: cg.episodes, fastRetransmit: cg.fastEpisodes, timeout: cg.timeoutEpisodes, mixed: cg.mixedEpisodes,
      retransmittedBytes: cg.retxBytes, longestMs: ms(cg.maxLossS), totalMs: ms(cg.lossS),
    },
    cwnd: {
      maxBytes: cg.rounds > 0 ? cg.maxCwnd : null, meanBytes: cg.rounds > 0 ? Math.round(cg.sumCwnd / cg.rounds) : null,
      slowStartPhases: cg.ssPhases, congestionAvoidancePhases: cg.caPhases,
    },
    idle: {
      gaps: st[x + X_IDLE_GAPS]!, longestMs: ms(st[x + X_LONGEST_IDLE]!), tailMs: ms(st[b + G_TAIL + dir]!),
      connectionIdleMs: ms(Math.max(0, life - span)), keepAlives: st[x + X_KEEP_ALIVES]!,
    },
    lifetimeMs: ms(life),
  };
}

/** The largest class of the side with the largest total time (ties: catalog order). */
function dominant(time: Float64Array): LimitClass {
  const sideTime = (side: LimitSide): number => LIMIT_CLASSES.reduce((a, c, i) => (LIMIT_SIDE[c] === side ? a + time[i]! : a), 0);
  let best: LimitClass = LIMIT_CLASSES[0];
  let bestSide = -1;
  let bestTime = -1;
  LIMIT_CLASSES.forEach((c, i) => {
    const st = sideTime(LIMIT_SIDE[c]);
    if (st > bestSide || (st === bestSide && time[i]! > bestTime)) {
      best = c;
      bestSide = st;
      bestTime = time[i]!;
    }
  });
  return best;
}

/** Each class's share of `total`, 3 decimals. */
function fractionsOf(time: Float64Array, total: number): Record<LimitClass, number> {
  const f = (i: number): number => (total > 0 ? Math.round((time[i]! / total) * 1000) / 1000 : 0);
  return { receiver_window: f(RWND), sender_application: f(APP), network_loss: f(LOSS), congestion_window: f(CWND) };
}

