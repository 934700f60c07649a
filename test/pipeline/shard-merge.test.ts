/**
 * The merge of a sharded analysis (shard-merge.ts) on hand-made shard reports: global ids in
 * order of first frames, delivery in one flow table's order (frame; at a frame the sweep —
 * idle open flows, then idle closed flows, each by last frame — then the packet's reused and
 * evicted flows; at the end of the capture by id), nothing delivered before every shard has
 * reported that far, and peakLive replayed from the merged starts and ends.
 */
import { expect, test } from 'vitest';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { ShardMerge } from '../../src/pipeline/shard-merge.js';

/** A finished flow as a shard reports it: its shard-local id, first and last frames, and why it ended. */
function flow(localId: number, firstFrame: number, lastFrame: number, end: FlowSummary['end']): FlowSummary {
  return { id: localId, firstFrame, lastFrame, end } as FlowSummary;
}

function merged(): { m: ShardMerge; out: string[] } {
  const out: string[] = [];
  const m = new ShardMerge(2, (f) => out.push(`${f.id}:${f.end}@${f.firstFrame}-${f.lastFrame}`));
  return { m, out };
}

test('ids by first frame across shards; one sweep of both shards in list order, then by last frame', () => {
  const { m, out } = merged();
  // Shard 0 started flows at frames 1 and 4, shard 1 at 2 and 3. At frame 20 a sweep expires
  // open flows (last frames 10 on shard 0, 7 and 12 on shard 1) and a closed one (shard 0, last 5).
  m.batch(0, 20, [1, 4], [flow(0, 1, 10, 'idle'), flow(1, 4, 5, 'closed-idle')], [20, 20]);
  expect(out).toEqual([]); // shard 1 has not reported: it may have an earlier event
  m.batch(1, 20, [2, 3], [flow(0, 2, 7, 'idle'), flow(1, 3, 12, 'idle')], [20, 20]);
  expect(out).toEqual(['1:idle@2-7', '0:idle@1-10', '2:idle@3-12', '3:closed-idle@4-5']);
  expect(m.flows).toBe(4);
});

test("at one frame: the sweep's flows, then the packet's reused flow, then the flow evicted for the new one; delivery waits for the slower shard", () => {
  const { m, out } = merged();
  // Frame 30 is shard 0's SYN: it replaces the flow of its four-tuple (started at 1) and, the
  // shard being full, evicts its least recently active flow (started at 5). Shard 1's part of
  // the sweep before frame 30 expires its flow started at 3.
  m.batch(0, 30, [1, 5, 30], [flow(0, 1, 29, 'reused'), flow(1, 5, 6, 'evicted')], [30, 30]);
  m.batch(1, 10, [2, 3], [], []);
  expect(out).toEqual([]); // shard 1 is only known up to frame 10
  m.batch(1, 40, [], [flow(1, 3, 9, 'idle')], [30]);
  expect(out).toEqual(['2:idle@3-9', '0:reused@1-29', '3:evicted@5-6']);
});

test('end of capture: the flows still live in id order across shards, once both shards flushed that far', () => {
  const { m, out } = merged();
  m.batch(0, 50, [5, 9], [], []);
  m.batch(1, 50, [7], [], []);
  m.flush(0, 9, [flow(0, 5, 40, 'capture-end'), flow(1, 9, 41, 'capture-end')], [Infinity, Infinity]);
  expect(out).toEqual([]);
  m.flush(1, 7, [flow(0, 7, 42, 'capture-end')], [Infinity]);
  expect(out).toEqual(['0:capture-end@5-40', '1:capture-end@7-42']);
  m.done(1);
  expect(out).toEqual(['0:capture-end@5-40', '1:capture-end@7-42', '2:capture-end@9-41']);
  m.done(0);
  expect(m.pending).toBe(0);
});

test('peakLive: a flow finalised at a frame no longer counts for a flow starting at that frame', () => {
  const { m } = merged();
  // Shard 0: flows at 1 and 3; the first is reused away at frame 3. Shard 1: flows at 2 and 4.
  m.batch(0, 10, [1, 3], [flow(0, 1, 2, 'reused')], [3]);
  m.batch(1, 10, [2, 4], [], []);
  // Live: 1 (frame 1), 2 (frame 2), 2 (frame 3: one ended, one started), 3 (frame 4).
  expect(m.peakLive).toBe(3);
});
