/**
 * The flow table's per-slot bookkeeping for expiry (flow-table.ts): two LRU lists of slots
 * (open and closed flows; head = most recently active) as links in typed arrays, so moving a
 * flow to the head touches no flow object, and per slot the packet time and frame of its flow's
 * latest packet routed. Split out of flow-table.ts; the table decides which list a flow is in
 * and when to expire it, this module only keeps the lists.
 *
 * Times and frames are here rather than in the flows: a double written per packet needs a typed
 * array (a double field is a boxed heap number), and these are a few KiB that stay in cache,
 * where one per flow would be more cold objects per packet.
 */
import { grownArray } from '../core/typed-arrays.js';

export class SlotLists {
  /** Per slot: packet time (seconds) of its flow's latest packet, for expiry. */
  time = new Float64Array(1024);
  /** Per slot: frame of its flow's latest packet routed (the flow's `lastFrame` once its packets have run). */
  frame = new Float64Array(1024);
  private readonly heads = new Int32Array([-1, -1]);
  private readonly tails = new Int32Array([-1, -1]);
  /** Per slot: its neighbours towards the head / the tail (-1 none) and its list (-1 none). */
  private prev = new Int32Array(1024);
  private next = new Int32Array(1024);
  private list = new Int8Array(1024).fill(-1);

  /** Makes room for slot `slot` (doubling). */
  ensure(slot: number): void {
    if (slot < this.list.length) return;
    let n = this.list.length * 2;
    while (n <= slot) n *= 2;
    this.time = grownArray(this.time, n);
    this.frame = grownArray(this.frame, n);
    this.prev = grownArray(this.prev, n);
    this.next = grownArray(this.next, n);
    this.list = grownArray(this.list, n, -1);
  }

  /** The list slot `slot` is in, or -1. */
  listOf(slot: number): number {
    return this.list[slot]!;
  }

  /** The least recently active slot of `list`, or -1. */
  tail(list: number): number {
    return this.tails[list]!;
  }

  /** The slot after `slot` towards the head of its list (more recently active), or -1. */
  newerThan(slot: number): number {
    return this.prev[slot]!;
  }

  /** Slot `slot` to the head of `list` (from wherever it is). */
  touch(slot: number, list: number): void {
    if (this.list[slot] === list && this.heads[list] === slot) return;
    this.unlink(slot);
    this.link(slot, list);
  }

  link(slot: number, list: number): void {
    const head = this.heads[list]!;
    this.list[slot] = list;
    this.prev[slot] = -1;
    this.next[slot] = head;
    if (head !== -1) this.prev[head] = slot;
    else this.tails[list] = slot;
    this.heads[list] = slot;
  }

  unlink(slot: number): void {
    const list = this.list[slot]!;
    if (list === -1) return;
    const prev = this.prev[slot]!;
    const next = this.next[slot]!;
    if (prev !== -1) this.next[prev] = next;
    else this.heads[list] = next;
    if (next !== -1) this.prev[next] = prev;
    else this.tails[list] = prev;
    this.list[slot] = -1;
  }
}
