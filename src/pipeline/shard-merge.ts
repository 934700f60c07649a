/**
 * Merging the shards of a sharded analysis into what one flow table would have produced.
 *
 * Positions are frame numbers: the main thread dispatches TCP packets in frame order, and a
 * flow starts, is touched and is finalised at frames. What one flow table does:
 *
 * - Flow ids are 0, 1, 2 … in order of the flows' first frames: a flow's id is the number of
 *   flows (of every shard) that started at an earlier frame. A shard reports the frame of each
 *   flow it starts; ids are given here in the merged order, once every shard has reported past
 *   that frame.
 * - Flows are finalised (and handed to `deliver`: NDJSON lines, CI verdicts, the ISN check …) in
 *   this order: by the frame at which it happened; at one frame, the sweep that precedes its
 *   packet (idle open flows, then idle closed flows, each list in order of the flows' last
 *   frames), then the packet's own: the flow its SYN replaced (`reused`), then the flow evicted
 *   to make room (`evicted`); at the end of the capture, every flow still live in id order.
 *   Each shard reports its finalised flows in that order; this is a k-way merge on that key.
 * - `peakLive` (most flows live at once) is replayed from the merged starts and ends: a flow
 *   finalised at frame f no longer counts for a flow starting at f.
 *
 * A shard's frontier says how far its reports are complete: after a batch, every event at or
 * before the frame the main thread had reached when it sent the batch; at the end of the
 * capture, every flushed flow up to the last one sent. An event is delivered when no shard can
 * still report an earlier one. Memory: the shard-local → global id map holds live flows only.
 */
import type { FlowSummary } from '../flow/flow-summary.js';

/** A merge key: (frame, phase, tie-break). Compared lexicographically. */
type Key = [number, number, number];

/** Phase of a finalisation at a frame (FlowSummary.end), in the order one flow table runs them. */
const PHASE: Record<string, number> = { idle: 0, 'closed-idle': 1, reused: 2, evicted: 3, 'capture-end': 0 };

function less(a: Key, b: Key): boolean {
  return a[0] !== b[0] ? a[0] < b[0] : a[1] !== b[1] ? a[1] < b[1] : a[2] < b[2];
}

function keyOf(f: FlowSummary, endFrame: number): Key {
  // End of capture: after every frame, in id (= first frame) order.
  if (endFrame === Infinity) return [Infinity, 0, f.firstFrame];
  return [endFrame, PHASE[f.end] ?? 4, f.lastFrame];
}

interface ShardQueue {
  /** Start frames reported and not yet given an id (queue from `startHead`). */
  starts: number[];
  startHead: number;
  /** Local id (the shard's own numbering, = its start order) of the next start to number. */
  nextLocal: number;
  /** Local id → global id, for flows numbered and not yet delivered. */
  ids: Map<number, number>;
  /** Finished flows reported and not yet delivered (queue from `head`). */
  flows: FlowSummary[];
  endFrames: number[];
  head: number;
  frontier: Key;
}

export class ShardMerge {
  private readonly q: ShardQueue[] = [];
  private nextId = 0;
  /** Start frames numbered, not yet replayed for peakLive; end frames delivered, not yet replayed. */
  private peakStarts: number[] = [];
  private peakEnds: number[] = [];
  private peakEndHead = 0;
  private live = 0;
  /** Most flows live at once (FlowTableCounters.peakLive of one table). */
  peakLive = 0;

  constructor(
    shards: number,
    private readonly deliver: (f: FlowSummary) => void,
  ) {
    for (let s = 0; s < shards; s++) {
      this.q.push({ starts: [], startHead: 0, nextLocal: 0, ids: new Map(), flows: [], endFrames: [], head: 0, frontier: [-Infinity, 0, 0] });
    }
  }

  /** Shard `s` processed a batch sent when the main thread was at frame `frontier`. */
  batch(s: number, frontier: number, starts: readonly number[], flows: readonly FlowSummary[], endFrames: readonly number[]): void {
    const q = this.q[s]!;
    for (const f of starts) q.starts.push(f);
    this.add(q, flows, endFrames);
    q.frontier = [frontier, Infinity, Infinity];
    this.drain();
  }

  /** Shard `s` reports starts and finished flows ahead of its batch's answer (its frontier stays). */
  more(s: number, starts: readonly number[], flows: readonly FlowSummary[], endFrames: readonly number[]): void {
    const q = this.q[s]!;
    for (const f of starts) q.starts.push(f);
    this.add(q, flows, endFrames);
    this.drain();
  }

  /** Shard `s` flushed flows at the end of the capture, up to first frame `last`. */
  flush(s: number, last: number, flows: readonly FlowSummary[], endFrames: readonly number[]): void {
    const q = this.q[s]!;
    this.add(q, flows, endFrames);
    q.frontier = [Infinity, 0, last];
    this.drain();
  }

  /** Shard `s` has reported everything. */
  done(s: number): void {
    this.q[s]!.frontier = [Infinity, Infinity, Infinity];
    this.drain();
  }

  /** Flows numbered (FlowTableCounters.flows once every shard is done). */
  get flows(): number {
    return this.nextId;
  }

  /** Flows shard `s` reported that are not delivered yet. */
  pendingOf(s: number): number {
    const q = this.q[s]!;
    return q.flows.length - q.head;
  }

  /** Reported flows not delivered yet (0 once every shard is done). */
  get pending(): number {
    return this.q.reduce((n, q) => n + q.flows.length - q.head, 0);
  }

  private add(q: ShardQueue, flows: readonly FlowSummary[], endFrames: readonly number[]): void {
    for (let i = 0; i < flows.length; i++) {
      q.flows.push(flows[i]!);
      q.endFrames.push(endFrames[i]!);
    }
  }

  private drain(): void {
    let upTo = Infinity;
    for (const q of this.q) upTo = Math.min(upTo, q.frontier[0]);
    this.number(upTo);
    this.emit();
    this.replayPeak();
    for (const q of this.q) compact(q);
  }

  /** Global ids for every start at or before frame `upTo` (all shards have reported those). */
  private number(upTo: number): void {
    for (;;) {
      let best: ShardQueue | null = null;
      let bestFrame = Infinity;
      for (const q of this.q) {
        if (q.startHead >= q.starts.length) continue;
        const f = q.starts[q.startHead]!;
        if (f <= upTo && (best === null || f < bestFrame)) {
          best = q;
          bestFrame = f;
        }
      }
      if (best === null) return;
      best.startHead++;
      best.ids.set(best.nextLocal++, this.nextId++);
      this.peakStarts.push(bestFrame);
    }
  }

  /** Delivers, in order, every reported flow no shard can still precede. */
  private emit(): void {
    for (;;) {
      let best: ShardQueue | null = null;
      let bestKey: Key | null = null;
      for (const q of this.q) {
        if (q.head >= q.flows.length) continue;
        const k = keyOf(q.flows[q.head]!, q.endFrames[q.head]!);
        if (bestKey === null || less(k, bestKey)) {
          best = q;
          bestKey = k;
        }
      }
      if (best === null || bestKey === null) return;
      // A shard with nothing queued may still report an earlier event, unless its frontier is past this one.
      for (const q of this.q) if (q.head >= q.flows.length && less(q.frontier, bestKey)) return;
      const f = best.flows[best.head]!;
      const endFrame = best.endFrames[best.head]!;
      // Its start not numbered yet: reported ahead of its shard's frontier ('flows' messages); later.
      const id = best.ids.get(f.id);
      if (id === undefined) return;
      best.flows[best.head] = null as unknown as FlowSummary;
      best.head++;
      best.ids.delete(f.id);
      f.id = id;
      if (endFrame !== Infinity) this.peakEnds.push(endFrame);
      this.deliver(f);
    }
  }

  /** Live flows after each numbered start: ends at or before its frame no longer count. */
  private replayPeak(): void {
    const ends = this.peakEnds;
    for (const start of this.peakStarts) {
      while (this.peakEndHead < ends.length && ends[this.peakEndHead]! <= start) {
        this.peakEndHead++;
        this.live--;
      }
      this.live++;
      if (this.live > this.peakLive) this.peakLive = this.live;
    }
    this.peakStarts = [];
    if (this.peakEndHead > 4096 && this.peakEndHead * 2 > ends.length) {
      this.peakEnds = ends.slice(this.peakEndHead);
      this.peakEndHead = 0;
    }
  }
}

/** Drops the consumed front of a shard's queues once it is large. */
function compact(q: ShardQueue): void {
  if (q.head > 1024 && q.head * 2 > q.flows.length) {
    q.flows = q.flows.slice(q.head);
    q.endFrames = q.endFrames.slice(q.head);
    q.head = 0;
  }
  if (q.startHead > 4096 && q.startHead * 2 > q.starts.length) {
    q.starts = q.starts.slice(q.startHead);
    q.startHead = 0;
  }
}
