/**
 * Per-segment classification vs Wireshark: runs the real pipeline on a capture, collects the
 * classifier's SEG bits per frame (and the flow layer's `reused_ports` events), and compares
 * them, frame by frame and flag by flag, with tshark's `tcp.analysis.*` frames. Used by
 * `npm run conformance` (reference frames from ../shared/captures/reference) and by
 * test/analysis/classifier-tshark.test.ts (tshark run live on the fixtures).
 *
 * Mapping: tshark's `retransmission` expert item is set on fast and spurious retransmissions
 * too, so it compares with any of the three; `ack_lost_segment` is our `acked_unseen_segment`;
 * `reused_ports` compares with the flow layer's events. The catalog's deliberate difference (a
 * Linux persist probe — 0 bytes at nextSeq-1 while the peer's window is 0 — is a zero-window
 * probe, not a keep-alive, and the zero-window ACK answering it a zero-window-probe ACK) is
 * recognised here and counted as `explained`, never as agreement.
 */
import type { Direction } from '../../src/core/direction.js';
import type { BehaviourOptions } from '../../src/analysis/flow-behaviour.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { SEG, SEG_ANY_RETRANSMISSION } from '../../src/analysis/seg-flags.js';

/** tshark 4.0 `tcp.analysis.<flag>` names compared, in report order. */
export const TSHARK_FLAGS = [
  'zero_window_probe', 'zero_window', 'lost_segment', 'keep_alive', 'window_update', 'window_full',
  'keep_alive_ack', 'zero_window_probe_ack', 'duplicate_ack', 'ack_lost_segment',
  'spurious_retransmission', 'fast_retransmission', 'out_of_order', 'retransmission', 'reused_ports',
] as const;
export type TsharkFlag = (typeof TSHARK_FLAGS)[number];

/** Which SEG bits stand for each tshark flag (reused_ports: not a SEG bit). */
const FLAG_BITS: Record<Exclude<TsharkFlag, 'reused_ports'>, number> = {
  zero_window_probe: SEG.ZERO_WINDOW_PROBE,
  zero_window: SEG.ZERO_WINDOW,
  lost_segment: SEG.LOST_SEGMENT,
  keep_alive: SEG.KEEP_ALIVE,
  window_update: SEG.WINDOW_UPDATE,
  window_full: SEG.WINDOW_FULL,
  keep_alive_ack: SEG.KEEP_ALIVE_ACK,
  zero_window_probe_ack: SEG.ZERO_WINDOW_PROBE_ACK,
  duplicate_ack: SEG.DUPLICATE_ACK,
  ack_lost_segment: SEG.ACKED_UNSEEN,
  spurious_retransmission: SEG.SPURIOUS_RETRANSMISSION,
  fast_retransmission: SEG.FAST_RETRANSMISSION,
  out_of_order: SEG.OUT_OF_ORDER,
  retransmission: SEG_ANY_RETRANSMISSION,
};

/** Our side of the comparison for one capture. */
export interface OurSegments {
  /** frame → SEG bits (frames of TCP packets only). */
  seg: Map<number, number>;
  /** Frames whose zero-window ACK answers a probe of keep-alive shape (the deliberate difference). */
  answersShapedProbe: Set<number>;
  /** Frames of the flow layer's `reused_ports` events. */
  reusedPorts: number[];
}

/** Collects the classifier's bits per frame during a pipeline run: pass `behaviour` to `analyzeCapture`, then `finish` with its flows. */
export function segmentCollector(): { behaviour: BehaviourOptions; finish: (flows: readonly FlowSummary[]) => OurSegments } {
  const seg = new Map<number, number>();
  const answersShapedProbe = new Set<number>();
  const last = new Map<number, [number, number]>();
  const onSegment = (flowId: number, frame: number, dir: Direction, bits: number): void => {
    seg.set(frame, (seg.get(frame) ?? 0) | bits);
    let l = last.get(flowId);
    if (l === undefined) last.set(flowId, (l = [0, 0]));
    if ((bits & SEG.ZERO_WINDOW_PROBE_ACK) !== 0 && ((l[dir ^ 1] ?? 0) & SEG.PROBE_KEEPALIVE_SHAPE) !== 0) answersShapedProbe.add(frame);
    l[dir] = bits;
  };
  const finish = (flows: readonly FlowSummary[]): OurSegments => {
    const reusedPorts = flows.flatMap((f) => f.anomalies.filter((a) => a.code === 'reused_ports').map((a) => a.frame)).sort((a, b) => a - b);
    return { seg, answersShapedProbe, reusedPorts };
  };
  return { behaviour: { onSegment }, finish };
}

/** Run the pipeline on `file` and collect the classifier's bits per frame. */
export async function collectSegments(file: string): Promise<OurSegments> {
  const c = segmentCollector();
  const r = await analyzeCapture(file, { behaviour: c.behaviour });
  return c.finish(r.flows);
}

/** One flag's agreement over a capture (or a corpus, summed). */
export interface FlagRow {
  tshark: number;
  ours: number;
  agree: number;
  explained: number;
  disagree: number;
}

/** A frame where the two differ, with the reason when it is an understood difference. */
export interface FlagDiff {
  flag: TsharkFlag;
  frame: number;
  side: 'tshark-only' | 'tcpscope-only';
  reason: string | null;
}

export const PERSIST_PROBE_REASON =
  'deliberate (catalog): a 0-byte segment at nextSeq-1 while the peer advertises a zero window is a Linux persist probe (tcp_xmit_probe_skb), labelled zero_window_probe; Wireshark calls it keep_alive';
export const PROBE_ACK_REASON =
  'deliberate (catalog): the zero-window ACK answering a persist probe of keep-alive shape is zero_window_probe_ack (Wireshark: no label, as it saw a keep-alive)';

/** Frames where our bits stand for `flag`. */
export function ourFrames(flag: TsharkFlag, ours: OurSegments): number[] {
  if (flag === 'reused_ports') return ours.reusedPorts;
  const bits = FLAG_BITS[flag];
  const out: number[] = [];
  for (const [frame, s] of ours.seg) if ((s & bits) !== 0) out.push(frame);
  return out.sort((a, b) => a - b);
}

/** Why a difference is deliberate, or null. */
function deliberate(flag: TsharkFlag, frame: number, side: FlagDiff['side'], ours: OurSegments, tsharkKeepAlive: Set<number>): string | null {
  const s = ours.seg.get(frame) ?? 0;
  const shaped = (s & SEG.PROBE_KEEPALIVE_SHAPE) !== 0;
  if (flag === 'keep_alive' && side === 'tshark-only' && shaped) return PERSIST_PROBE_REASON;
  if (flag === 'zero_window_probe' && side === 'tcpscope-only' && shaped && tsharkKeepAlive.has(frame)) return PERSIST_PROBE_REASON;
  if (flag === 'zero_window_probe_ack' && side === 'tcpscope-only' && ours.answersShapedProbe.has(frame)) return PROBE_ACK_REASON;
  return null;
}

/** Compare tshark's frames per flag with ours: one row per flag, and every differing frame. */
export function compareFlags(tshark: Readonly<Record<string, readonly number[]>>, ours: OurSegments): { rows: Record<TsharkFlag, FlagRow>; diffs: FlagDiff[] } {
  const rows = {} as Record<TsharkFlag, FlagRow>;
  const diffs: FlagDiff[] = [];
  const ka = new Set(tshark['keep_alive'] ?? []);
  for (const flag of TSHARK_FLAGS) {
    const theirs = new Set(tshark[flag] ?? []);
    const mine = new Set(ourFrames(flag, ours));
    const row: FlagRow = { tshark: theirs.size, ours: mine.size, agree: 0, explained: 0, disagree: 0 };
    for (const f of theirs) if (mine.has(f)) row.agree++;
    const one = (frame: number, side: FlagDiff['side']): void => {
      const reason = deliberate(flag, frame, side, ours, ka);
      if (reason !== null) row.explained++;
      else row.disagree++;
      diffs.push({ flag, frame, side, reason });
    };
    for (const f of theirs) if (!mine.has(f)) one(f, 'tshark-only');
    for (const f of mine) if (!theirs.has(f)) one(f, 'tcpscope-only');
    rows[flag] = row;
  }
  diffs.sort((a, b) => a.frame - b.frame);
  return { rows, diffs };
}

/** Sum rows into `into` (corpus totals). */
export function addRows(into: Record<TsharkFlag, FlagRow>, rows: Readonly<Record<TsharkFlag, FlagRow>>): void {
  for (const flag of TSHARK_FLAGS) {
    const a = (into[flag] ??= { tshark: 0, ours: 0, agree: 0, explained: 0, disagree: 0 });
    const b = rows[flag];
    a.tshark += b.tshark;
    a.ours += b.ours;
    a.agree += b.agree;
    a.explained += b.explained;
    a.disagree += b.disagree;
  }
}

/** The per-code agreement table as text lines. */
export function formatTable(rows: Readonly<Record<TsharkFlag, FlagRow>>): string[] {
  const head = ['code (tcp.analysis.*)', 'tshark', 'tcpscope', 'agree', 'explained', 'disagree'];
  const body = TSHARK_FLAGS.map((f) => {
    const r = rows[f];
    return [f, String(r.tshark), String(r.ours), String(r.agree), String(r.explained), String(r.disagree)];
  });
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ');
  return [line(head), ...body.map(line)];
}

/** Unexplained differences of one capture as conformance diff strings, one per flag: `analysis-<flag>: …`. */
export function diffStrings(diffs: readonly FlagDiff[]): string[] {
  const by = new Map<TsharkFlag, { t: number[]; o: number[] }>();
  for (const d of diffs) {
    if (d.reason !== null) continue;
    let e = by.get(d.flag);
    if (e === undefined) by.set(d.flag, (e = { t: [], o: [] }));
    (d.side === 'tshark-only' ? e.t : e.o).push(d.frame);
  }
  const list = (a: number[]): string => (a.length > 12 ? `${a.slice(0, 12).join(',')},… (${a.length})` : a.join(','));
  return TSHARK_FLAGS.filter((f) => by.has(f)).map((f) => {
    const e = by.get(f)!;
    return `analysis-${f}: tshark-only [${list(e.t)}], tcpscope-only [${list(e.o)}]`;
  });
}
