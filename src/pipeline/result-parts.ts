/**
 * Parts of a capture's result shared by the single-threaded and the sharded analysis: the
 * per-flow input of the capture-level ISN check, and the fragment reassembly summary.
 */
import type { IsnAnalyzer } from '../analysis/isn.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import type { DecodeStage } from './decode-stage.js';
import type { DefragSummary } from './analyze.js';

/** A finished flow's ISNs for the capture-level `predictable_isn` check (one per four-tuple and side). */
export function addIsns(isn: IsnAnalyzer, f: FlowSummary): void {
  const c = f.client;
  const s = f.server;
  if (f.isn.client !== null) isn.add(c.ip, f.isn.client, f.firstTs, f.id, `${s.ip}|${c.port}|${s.port}`);
  if (f.isn.server !== null) isn.add(s.ip, f.isn.server, f.firstTs, f.id, `${c.ip}|${s.port}|${c.port}`);
}

export function defragSummary(stage: DecodeStage): DefragSummary | null {
  const d = stage.defrag;
  if (d === null) return null;
  const s = d.counters;
  return {
    fragments: s.fragments,
    reassembled: s.reassembled,
    timedOut: s.timedOut,
    incomplete: s.incomplete,
    overlaps: s.overlaps,
    inconsistentOverlaps: s.inconsistentOverlaps,
    evicted: s.evicted,
    invalid: s.invalid,
  };
}
