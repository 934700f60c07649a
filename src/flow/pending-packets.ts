/**
 * Packets routed to a flow whose analysis waits (the flow table's deferred mode, flow-table.ts
 * `defer`): per flow-table slot a FIFO list of packet handles, in typed arrays (no object per
 * packet). A handle (`ref`) is what the caller's PacketSource decodes the packet again from.
 *
 * Why: with ~1000 flows interleaved, every packet's flow state has left the caches since that
 * flow's previous packet (docs/performance.md, "What the time is"). Analysing a batch of packets
 * flow by flow instead of in capture order touches each flow's state once per batch while it is
 * hot. Flows are analysed independently of each other, so the order between flows changes
 * nothing; within a flow the order stays the capture's.
 */
import type { Direction } from '../core/direction.js';
import { grownArray as grow } from '../core/typed-arrays.js';

export class PendingPackets {
  /** Per entry: packet handle, direction, frame number, timestamp, next entry of its slot (-1 none). */
  private ref = new Int32Array(4096);
  private dir = new Uint8Array(4096);
  private frame = new Float64Array(4096);
  private sec = new Float64Array(4096);
  private nsec = new Int32Array(4096);
  private next = new Int32Array(4096);
  private used = 0;
  /** Per slot: first and last entry (-1 none). */
  private head = new Int32Array(1024).fill(-1);
  private tail = new Int32Array(1024);
  /** Slots in order of their first pending entry (a slot may appear again after it was drained). */
  private order = new Int32Array(1024);
  private orderUsed = 0;

  /** Entries added since the last `takeAll` (waiting, or taken early with their slot's list by `detach`). */
  get size(): number {
    return this.used;
  }

  /** True when slot `slot` has packets waiting. */
  has(slot: number): boolean {
    return slot < this.head.length && this.head[slot]! >= 0;
  }

  /** Append a packet to slot `slot`'s list. */
  add(slot: number, ref: number, dir: Direction, frame: number, sec: number, nsec: number): void {
    if (this.used === this.ref.length) this.growEntries();
    if (slot >= this.head.length) this.growSlots(slot + 1);
    const i = this.used++;
    this.ref[i] = ref;
    this.dir[i] = dir;
    this.frame[i] = frame;
    this.sec[i] = sec;
    this.nsec[i] = nsec;
    this.next[i] = -1;
    const h = this.head[slot]!;
    if (h < 0) {
      this.head[slot] = i;
      if (this.orderUsed === this.order.length) this.order = grow(this.order, this.order.length * 2, 0);
      this.order[this.orderUsed++] = slot;
    } else {
      this.next[this.tail[slot]!] = i;
    }
    this.tail[slot] = i;
  }

  /**
   * Detaches slot `slot`'s list and returns its first entry (-1 none); walk it with `nextOf` and
   * read each entry with the `*Of` getters. The entries stay valid until `takeAll`.
   */
  detach(slot: number): number {
    if (slot >= this.head.length) return -1;
    const i = this.head[slot]!;
    this.head[slot] = -1;
    return i;
  }

  nextOf(i: number): number {
    return this.next[i]!;
  }

  refOf(i: number): number {
    return this.ref[i]!;
  }

  dirOf(i: number): Direction {
    return this.dir[i]! as Direction;
  }

  frameOf(i: number): number {
    return this.frame[i]!;
  }

  secOf(i: number): number {
    return this.sec[i]!;
  }

  nsecOf(i: number): number {
    return this.nsec[i]!;
  }

  /** Every slot with packets waiting, in order of their first packet; then the lists are empty (entries reused). */
  takeAll(fn: (slot: number) => void): void {
    for (let k = 0; k < this.orderUsed; k++) {
      const slot = this.order[k]!;
      if (this.head[slot]! >= 0) fn(slot);
    }
    this.orderUsed = 0;
    this.used = 0;
  }

  private growEntries(): void {
    const n = this.ref.length * 2;
    this.ref = grow(this.ref, n, 0);
    this.dir = grow(this.dir, n, 0);
    this.frame = grow(this.frame, n, 0);
    this.sec = grow(this.sec, n, 0);
    this.nsec = grow(this.nsec, n, 0);
    this.next = grow(this.next, n, 0);
  }

  private growSlots(n: number): void {
    const size = Math.max(n, this.head.length * 2);
    this.head = grow(this.head, size, -1);
    this.tail = grow(this.tail, size, 0);
  }
}
