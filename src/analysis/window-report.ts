/**
 * The window tracker's report records (the `windows` section): what an endpoint advertised and a
 * direction's data in flight, read from the tracker's state (layout: window-state.ts) once, at
 * report time. Pure functions; window-tracker.ts owns the state. Split out of window-tracker.ts.
 */
import { secondsToMs3 as ms } from '../core/time.js';
import type { SackScoreboard } from './sack-scoreboard.js';
import type { DecimatedSeries } from './window-series.js';
import { SHRINK } from './window-shrink.js';
import {
  A_CUR, A_INTEGRAL, A_MAX, A_MIN, A_MIXED, A_SAMPLES, A_SHIFT, A_SHRINK, A_SYN_SEEN, A_SYN_WIN, A_TIME, A_UNIT, A_WS,
  F_CUR, F_FULL_KNOWN, F_FULL_TIME, F_INTEGRAL, F_MAX, F_TIME, UNIT_NAME,
} from './window-state.js';

/** What the endpoint whose block starts at `st[o]` advertised; `series`: its timeline, if kept. */
export function advertisedJson(st: Float64Array, o: number, series: DecimatedSeries | null): Record<string, unknown> {
  const s = st[o + A_SHIFT]!;
  const n = st[o + A_SAMPLES]!;
  const ws = st[o + A_WS]!;
  const sw = st[o + A_SYN_WIN]!;
  const time = st[o + A_TIME]!;
  const cur = st[o + A_CUR]!;
  const shrinks = st[o + A_SHRINK + SHRINK.COUNT]!;
  return {
    scaleKnown: s >= 0,
    scale: s >= 0 ? s : 'unknown',
    synSeen: st[o + A_SYN_SEEN] === 1,
    wsOption: ws >= 0 ? ws : null,
    synWindow: sw >= 0 ? sw : null,
    unit: UNIT_NAME[st[o + A_UNIT]!] ?? null,
    samples: n,
    min: n > 0 ? st[o + A_MIN]! : null,
    max: n > 0 ? st[o + A_MAX]! : null,
    mean: n === 0 ? null : time > 0 ? Math.round(st[o + A_INTEGRAL]! / time) : cur,
    last: n > 0 ? cur : null,
    unitChanges: st[o + A_MIXED]!,
    shrinks,
    maxShrinkBytes: shrinks > 0 ? st[o + A_SHRINK + SHRINK.MAX_BYTES]! : null,
    ...(series !== null ? { timeline: timeline(series) } : {}),
  };
}

/** The data in flight of the direction whose block starts at `st[f]`; `sack`: its scoreboard, `series`: its timeline. */
export function flightJson(st: Float64Array, f: number, sack: SackScoreboard | null, series: DecimatedSeries | null): Record<string, unknown> {
  const cur = st[f + F_CUR]!;
  const known = cur >= 0;
  const kt = st[f + F_FULL_KNOWN]!;
  const ft = st[f + F_FULL_TIME]!;
  const time = st[f + F_TIME]!;
  return {
    known,
    maxBytes: known ? st[f + F_MAX]! : null,
    meanBytes: !known ? null : time > 0 ? Math.round(st[f + F_INTEGRAL]! / time) : cur,
    windowFullMs: kt > 0 ? ms(ft) : null,
    windowFullFraction: kt > 0 ? Math.round((ft / kt) * 1e4) / 1e4 : null,
    sackOverflows: sack?.overflows ?? 0,
    ...(series !== null ? { timeline: timeline(series) } : {}),
  };
}

/** A series for the report. */
function timeline(s: DecimatedSeries): Record<string, unknown> {
  return { stride: s.stride, changes: s.changes, points: s.points() };
}
