/**
 * One flow's fixed-size numeric state in ONE allocation. Every tracker of the behaviour analysis
 * (rtt.ts, window-tracker.ts, congestion.ts, diagnosis.ts, event-log.ts) keeps its scalars in a
 * typed array; allocated separately, each array costs a JSTypedArray, a JSArrayBuffer and an
 * off-heap backing store (about 200 bytes of overhead, three places in memory), and the arrays
 * of one flow end up scattered over the malloc heap. With 1000 interleaved flows every packet
 * touches cold state, so what matters is how many distinct cache lines (and pages) a packet
 * touches: carving all arrays out of one ArrayBuffer puts a flow's state in one contiguous run
 * and leaves one backing store per flow.
 *
 * Usage: FlowBehaviour sizes the block from the trackers' exported slot counts and hands each
 * tracker its view; a tracker built alone (tests, tools) allocates its own array as before.
 */
export class FlowStateBlock {
  private readonly buf: ArrayBuffer;
  /** Next free byte. */
  private at = 0;

  /** `doubles`, `words`: Float64 and Uint32 slots the owner will carve (doubles first: 8-byte alignment). */
  constructor(doubles: number, words = 0) {
    this.buf = new ArrayBuffer(doubles * 8 + words * 4);
  }

  /** The next `n` doubles (zeroed). Call all `f64` before any `u32`. */
  f64(n: number): Float64Array {
    const a = new Float64Array(this.buf, this.at, n);
    this.at += n * 8;
    return a;
  }

  /** The next `n` 32-bit words (zeroed). */
  u32(n: number): Uint32Array {
    const a = new Uint32Array(this.buf, this.at, n);
    this.at += n * 4;
    return a;
  }
}
