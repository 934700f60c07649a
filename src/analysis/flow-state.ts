/**
 * One flow's fixed-size numeric state in ONE allocation. Every tracker of the behaviour analysis
 * (rtt.ts, window-tracker.ts, congestion.ts, diagnosis.ts, event-log.ts, flow-behaviour.ts) keeps
 * its scalars in a typed array. Allocated separately, each array costs a JSTypedArray, a
 * JSArrayBuffer and an off-heap backing store (about 200 bytes of overhead, three places in
 * memory), and the arrays of one flow end up scattered over the malloc heap. With 1000
 * interleaved flows every packet touches cold state, so what matters is how many distinct cache
 * lines (and pages) a packet touches. Hence: all doubles of a flow in one Float64Array `f`
 * (one typed-array object, one contiguous run of memory), each tracker owning a range of it
 * that it indexes as `f[base + FIELD]`; the 32-bit counters after it, in the same ArrayBuffer.
 *
 * Usage: FlowBehaviour sizes the block from the trackers' exported slot counts and hands each
 * tracker (f, base); a tracker built alone (tests, tools) allocates its own array (base 0).
 */
export class FlowStateBlock {
  /** Every double of the flow. */
  readonly f: Float64Array;
  private readonly buf: ArrayBuffer;
  /** Next free double of `f`, next free byte after `f`. */
  private nextDouble = 0;
  private nextByte: number;

  /** `doubles`, `words`: Float64 and Uint32 slots the owner will take (zeroed). */
  constructor(doubles: number, words = 0) {
    this.buf = new ArrayBuffer(doubles * 8 + words * 4);
    this.f = new Float64Array(this.buf, 0, doubles);
    this.nextByte = doubles * 8;
  }

  /** Offset in `f` of the next `n` doubles. */
  take(n: number): number {
    const o = this.nextDouble;
    this.nextDouble += n;
    if (this.nextDouble > this.f.length) throw new RangeError('flow state block too small');
    return o;
  }

  /** The next `n` 32-bit words, after the doubles. */
  u32(n: number): Uint32Array {
    const a = new Uint32Array(this.buf, this.nextByte, n);
    this.nextByte += n * 4;
    return a;
  }
}
