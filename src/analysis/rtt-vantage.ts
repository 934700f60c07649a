/**
 * Where the capture was taken, relative to the two endpoints of one flow, and hence what a
 * data → ACK interval means there. Near the sender of some data, data → ACK spans the whole
 * path (`path`); near its receiver it is only the receiver's ACK delay (`ack-delay`); in the
 * middle it is the half path from the capture point to the receiver and back (`half-path`).
 *
 * Evidence, strongest first:
 * 1. IP TTL / hop limit: a packet captured on its sender's own link still carries an initial
 *    value (32, 64, 128 or 255); one that crossed routers does not. Client's packets undecremented
 *    and server's decremented → near the client; the reverse → near the server; both
 *    decremented → in the middle. Both undecremented (same link, no router) → next rule.
 * 2. Handshake timing: SYN → SYN/ACK (`d1`, capture → server → capture) against SYN/ACK → ACK
 *    (`d2`, capture → client → capture). Near the client d1 is the RTT and d2 the client's
 *    turnaround; near the server the reverse. d2 / (d1 + d2) below 1/3 → client, above 2/3 →
 *    server, else middle. (On a very short path the hosts' turnaround times are as long as the
 *    path, so this rule can say "middle" at an endpoint: rule 1 is then what decides.)
 * 3. Data: the smallest data → ACK sample of each direction, compared the same way (the
 *    direction whose sender is near has the path RTT, the other the ACK delay).
 * State: a few numbers in the owner's Float64Array (see `VANTAGE_SLOTS`); no allocation per packet.
 */
import { DIR, type Direction } from '../core/direction.js';
import { seqAdd } from '../core/seq.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';
import { secondsToMs3 as ms3 } from '../core/time.js';

const { SYN, ACK } = TCP_FLAG;

/** What a data → ACK interval measures at this capture point. */
export type RttMeaning = 'path' | 'ack-delay' | 'half-path' | 'unknown';

/** The vantage estimate (report section, JSON-safe). */
export interface VantageJson {
  /** Where the capture sits: next to the client, next to the server, in between, or unknown. */
  position: 'client' | 'server' | 'middle' | 'unknown';
  /** Which evidence decided. */
  basis: 'ttl' | 'handshake' | 'data' | 'none';
  /** Highest TTL / hop limit seen per direction and the hops it implies from its sender (null: not seen). */
  ttl: { c2s: number | null; s2c: number | null; hopsFromClient: number | null; hopsFromServer: number | null };
  /** SYN → SYN/ACK and SYN/ACK → ACK at the capture point, ms (null: not seen). */
  handshake: { synToSynAckMs: number | null; synAckToAckMs: number | null };
  /** In the middle: RTT from the capture point to each end and back, ms, from the handshake (or data). */
  halfPath: { captureToServerMs: number | null; captureToClientMs: number | null; basis: 'handshake' | 'data' } | null;
  /** What `rtt.c2s` / `rtt.s2c` samples measure here. */
  meaning: { c2s: RttMeaning; s2c: RttMeaning };
}

/** Initial TTLs in common use; the hops are the distance to the next one up. */
const INITIAL_TTLS = [32, 64, 128, 255] as const;

/** Hops a packet with `ttl` travelled, assuming the smallest common initial value ≥ ttl. */
export function hopsFromTtl(ttl: number): number {
  for (const init of INITIAL_TTLS) if (ttl <= init) return init - ttl;
  return 0;
}

/**
 * Vantage state: VANTAGE_SLOTS numbers at offset `o` of the owner's Float64Array (rtt.ts keeps
 * it next to the rest of the flow's RTT state; no boxed doubles on the per-packet path).
 */
const V_SYN_T = 0;
const V_SYN_SEQ = 1;
const V_SYNACK_T = 2;
const V_SYNACK_SEQ = 3;
/** SYN → SYN/ACK and SYN/ACK → ACK, seconds; -1 unknown. */
const V_D1 = 4;
const V_D2 = 5;
/** Highest TTL per direction (-1 none). */
const V_TTL = 6;
export const VANTAGE_SLOTS = 8;

/** Initial state at `o`. */
export function vantageInit(f: Float64Array, o: number): void {
  f[o + V_SYN_T] = -1;
  f[o + V_SYN_SEQ] = 0;
  f[o + V_SYNACK_T] = -1;
  f[o + V_SYNACK_SEQ] = 0;
  f[o + V_D1] = -1;
  f[o + V_D2] = -1;
  f[o + V_TTL + DIR.C2S] = -1;
  f[o + V_TTL + DIR.S2C] = -1;
}

/** Every packet of the flow (capture order). */
export function vantageOnPacket(f: Float64Array, o: number, flags: number, dir: Direction, seq: number, ack: number, ttl: number, t: number): void {
  if (ttl > f[o + V_TTL + dir]!) f[o + V_TTL + dir] = ttl;
  const sa = flags & (SYN | ACK);
  if (dir === DIR.C2S) {
    if (sa === SYN) {
      f[o + V_SYN_T] = t; // the latest copy is the one answered
      f[o + V_SYN_SEQ] = seq;
    } else if (sa === ACK && f[o + V_D2]! < 0 && f[o + V_SYNACK_T]! >= 0 && ack === seqAdd(f[o + V_SYNACK_SEQ]!, 1)) {
      f[o + V_D2] = t - f[o + V_SYNACK_T]!;
    }
  } else if (sa === (SYN | ACK) && f[o + V_SYN_T]! >= 0 && ack === seqAdd(f[o + V_SYN_SEQ]!, 1) && f[o + V_D2]! < 0) {
    if (f[o + V_D1]! < 0) f[o + V_D1] = t - f[o + V_SYN_T]!;
    f[o + V_SYNACK_T] = t;
    f[o + V_SYNACK_SEQ] = seq;
  }
}

/** The estimate from the state at `o`; `minC2S`/`minS2C`: smallest data → ACK sample per direction in seconds (-1 none). */
export function vantageResult(f: Float64Array, o: number, minC2S: number, minS2C: number): VantageJson {
  const d1 = f[o + V_D1]!;
  const d2 = f[o + V_D2]!;
  const tc = f[o + V_TTL + DIR.C2S]!;
  const ts = f[o + V_TTL + DIR.S2C]!;
  const hc = tc >= 0 ? hopsFromTtl(tc) : -1;
  const hs = ts >= 0 ? hopsFromTtl(ts) : -1;
  let position: VantageJson['position'] = 'unknown';
  let basis: VantageJson['basis'] = 'none';
  if (hc >= 0 && hs >= 0 && (hc > 0 || hs > 0)) {
    basis = 'ttl';
    position = hc === 0 ? 'client' : hs === 0 ? 'server' : 'middle';
  } else if (d1 >= 0 && d2 >= 0 && d1 + d2 > 0) {
    basis = 'handshake';
    position = byRatio(d1, d2);
  } else if (minC2S >= 0 && minS2C >= 0 && minC2S + minS2C > 0) {
    basis = 'data';
    position = byRatio(minC2S, minS2C);
  }
  let halfPath: VantageJson['halfPath'] = null;
  if (position === 'middle') {
    halfPath = d1 >= 0 && d2 >= 0
      ? { captureToServerMs: ms3(d1), captureToClientMs: ms3(d2), basis: 'handshake' }
      : { captureToServerMs: minC2S >= 0 ? ms3(minC2S) : null, captureToClientMs: minS2C >= 0 ? ms3(minS2C) : null, basis: 'data' };
  }
  return {
    position,
    basis,
    ttl: { c2s: tc >= 0 ? tc : null, s2c: ts >= 0 ? ts : null, hopsFromClient: hc >= 0 ? hc : null, hopsFromServer: hs >= 0 ? hs : null },
    handshake: { synToSynAckMs: d1 >= 0 ? ms3(d1) : null, synAckToAckMs: d2 >= 0 ? ms3(d2) : null },
    halfPath,
    meaning: meaningOf(position),
  };
}

/** Standalone vantage tracker (its own state array); `RttTracker` uses the functions above on its shared array. */
export class VantageTracker {
  private readonly f = new Float64Array(VANTAGE_SLOTS);

  constructor() {
    vantageInit(this.f, 0);
  }

  /** SYN → SYN/ACK, seconds; -1 unknown. */
  get d1(): number {
    return this.f[V_D1]!;
  }

  /** SYN/ACK → ACK, seconds; -1 unknown. */
  get d2(): number {
    return this.f[V_D2]!;
  }

  /** Every packet of the flow (capture order). */
  onPacket(flags: number, dir: Direction, seq: number, ack: number, ttl: number, t: number): void {
    vantageOnPacket(this.f, 0, flags, dir, seq, ack, ttl, t);
  }

  /** The estimate; `minC2S`/`minS2C`: smallest data → ACK sample per direction in seconds (-1 none). */
  result(minC2S: number, minS2C: number): VantageJson {
    return vantageResult(this.f, 0, minC2S, minS2C);
  }
}

/** `toServer`: interval spanning capture → server → capture; `toClient` likewise. */
function byRatio(toServer: number, toClient: number): 'client' | 'server' | 'middle' {
  const f = toClient / (toServer + toClient);
  return f < 1 / 3 ? 'client' : f > 2 / 3 ? 'server' : 'middle';
}

/** The four possible `meaning` objects, frozen and shared (every flow's report keeps one to the end). */
const MEANING_CLIENT: VantageJson['meaning'] = Object.freeze({ c2s: 'path', s2c: 'ack-delay' });
const MEANING_SERVER: VantageJson['meaning'] = Object.freeze({ c2s: 'ack-delay', s2c: 'path' });
const MEANING_MIDDLE: VantageJson['meaning'] = Object.freeze({ c2s: 'half-path', s2c: 'half-path' });
const MEANING_UNKNOWN: VantageJson['meaning'] = Object.freeze({ c2s: 'unknown', s2c: 'unknown' });

function meaningOf(p: VantageJson['position']): VantageJson['meaning'] {
  switch (p) {
    case 'client': // client's data → ACK spans the path; the client's ACKs of server data are its ACK delay
      return MEANING_CLIENT;
    case 'server': // the mirror image
      return MEANING_SERVER;
    case 'middle': // each direction's samples span capture → receiver → capture
      return MEANING_MIDDLE;
    case 'unknown': // no evidence
      return MEANING_UNKNOWN;
    default: {
      const never: never = p;
      return never;
    }
  }
}
