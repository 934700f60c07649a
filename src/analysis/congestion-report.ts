/**
 * The congestion tracker's report section (congestion.ts owns the tracker and its per-packet
 * rules): one sender's `congestion.c2s` / `congestion.s2c` record — loss episodes (listed and
 * counted), dup-ACK runs, the cwnd estimate and its timeline, slow-start / congestion-avoidance
 * phases — built from its read-only view (congestion-state.ts) once per flow, off the per-packet
 * path. Split out of congestion.ts.
 */
import { secondsToMs3 as ms } from '../core/time.js';
import { EP_FIELDS, HIST_LABELS, KIND_FAST, KIND_TIMEOUT, type SenderCongestion } from './congestion-state.js';

/** A listed episode's recovery kind bits (KIND_*) as the report names them. */
export function kindName(k: number): 'fast' | 'timeout' | 'mixed' {
  return k === KIND_FAST ? 'fast' : k === KIND_TIMEOUT ? 'timeout' : 'mixed';
}

/**
 * The report record of sender `s`, or null when it sent no data. `t0`: the flow's first packet
 * time (s), the origin of every `startMs` and timeline time; `timelines`: the tracker kept the
 * cwnd timeline (the record then has `cwnd.timeline` and `cwnd.timelineStride`).
 */
export function senderCongestionJson(s: Readonly<SenderCongestion>, t0: number, timelines: boolean): unknown {
  if (s.dataSegments === 0) return null;
  const list: unknown[] = [];
  for (let i = 0; i < s.epListed; i++) {
    const o = i * EP_FIELDS;
    const l = s.epList;
    const ss = l[o + 6]!;
    const e: Record<string, unknown> = {
      startMs: ms(l[o]! - t0), durationMs: ms(l[o + 1]!), recovery: kindName(l[o + 2]!), bytes: l[o + 3]!,
      stallBeforeMs: ms(l[o + 4]!), flightAtLossBytes: l[o + 5]!, ssthreshBytes: ss >= 0 ? ss : null,
    };
    if (l[o + 7] === 1) e.open = true;
    list.push(e);
  }
  const timeline: [number, number][] = [];
  const tl = s.timeline;
  for (let i = 0; i < s.points; i++) timeline.push([ms(tl[2 * i]! - t0), tl[2 * i + 1]!]);
  const hist: Record<string, number> = {};
  const dh = s.dupHist;
  HIST_LABELS.forEach((k, i) => (hist[k] = dh[i]!));
  return {
    dataSegments: s.dataSegments,
    mssBytes: s.mss,
    lossEpisodes: {
      count: s.episodes, fastRetransmit: s.fastEpisodes, timeout: s.timeoutEpisodes, mixed: s.mixedEpisodes,
      totalMs: ms(s.lossS), maxMs: ms(s.maxLossS), meanMs: s.episodes > 0 ? ms(s.lossS / s.episodes) : null,
      retransmittedBytes: s.retxBytes, retransmittedSegments: s.retxSegments, spuriousSegments: s.spuriousSegments,
      list, listed: s.epListed,
    },
    dupAcks: { runs: s.dupRuns, maxRun: s.maxDupRun, runsAtLeast3: s.dupRunsGe3, histogram: hist },
    cwnd: {
      rounds: s.rounds, maxBytes: s.maxCwnd, meanBytes: s.rounds > 0 ? Math.round(s.sumCwnd / s.rounds) : null,
      ...(timelines ? { timeline, timelineStride: s.stride } : {}),
    },
    phases: {
      slowStart: { count: s.ssPhases, ms: ms(s.ssS) },
      congestionAvoidance: { count: s.caPhases, ms: ms(s.caS) },
    },
  };
}
