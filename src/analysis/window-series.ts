/**
 * A bounded, decimated (time, value) step series for plots: one endpoint's advertised receive
 * window, or one direction's bytes in flight, over a flow of any length.
 *
 * How it decimates (min/max buckets, in the spirit of the M4 plot reduction):
 * - only changes are kept: a value equal to the previous one is not a point;
 * - points go into buckets of `stride` consecutive changes; each bucket keeps its minimum and
 *   its maximum point (first occurrence of each), in time order, so zero-window dips and peaks
 *   both survive;
 * - while fewer than `maxPoints` changes were seen, `stride` is 1 and the series is exact;
 * - when the buckets are full, neighbouring buckets are merged pairwise (min of the two minima,
 *   max of the two maxima) and `stride` doubles. At most `maxPoints / 2` buckets, so at most
 *   `maxPoints` points, whatever the flow's length.
 *
 * Owned by `WindowTracker`; storage is one `Float64Array` allocated on the first point and grown
 * by doubling up to the cap (a handful of allocations per series, none per point after that).
 */

/** Default cap on the points of one series. */
export const SERIES_MAX_POINTS = 1000;

/** Doubles per bucket: tMin, vMin, tMax, vMax. */
const B = 4;

export class DecimatedSeries {
  private buf: Float64Array | null = null;
  /** Buckets in use (the last one may be partly filled). */
  private n = 0;
  /** Changes in the last bucket. */
  private fill = 0;
  /** Changes per bucket (doubles at each merge). */
  private strideN = 1;
  private lastV = NaN;
  private readonly maxBuckets: number;
  /** Changes recorded (before decimation). */
  changes = 0;

  /** @param maxPoints cap on the points `points()` returns (rounded down to a multiple of 4, at least 4). */
  constructor(readonly maxPoints = SERIES_MAX_POINTS) {
    this.maxBuckets = Math.max(2, (maxPoints >> 2) << 1); // even, >= 2
  }

  /** Changes represented by each bucket of the output (1: exact). */
  get stride(): number {
    return this.strideN;
  }

  /** Record value `v` at time `t` (epoch seconds); ignored when equal to the last value. */
  add(t: number, v: number): void {
    if (v === this.lastV) return;
    this.lastV = v;
    this.changes++;
    let buf = this.buf;
    if (buf === null || this.fill === this.strideN) {
      if (buf === null || this.n * B === buf.length) {
        if (this.n === this.maxBuckets) this.merge();
        else buf = this.grow();
      }
      buf = this.buf!;
      const o = this.n * B;
      buf[o] = t;
      buf[o + 1] = v;
      buf[o + 2] = t;
      buf[o + 3] = v;
      this.n++;
      this.fill = 1;
      return;
    }
    const o = (this.n - 1) * B;
    if (v < buf[o + 1]!) {
      buf[o] = t;
      buf[o + 1] = v;
    }
    if (v > buf[o + 3]!) {
      buf[o + 2] = t;
      buf[o + 3] = v;
    }
    this.fill++;
  }

  /** The decimated points, `[t, value]` in time order (a fresh array: for the report only). */
  points(): [number, number][] {
    const out: [number, number][] = [];
    const buf = this.buf;
    if (buf === null) return out;
    for (let i = 0; i < this.n; i++) {
      const o = i * B;
      const tMin = buf[o]!;
      const tMax = buf[o + 2]!;
      if (tMin === tMax && buf[o + 1] === buf[o + 3]) out.push([tMin, buf[o + 1]!]);
      else if (tMin <= tMax) out.push([tMin, buf[o + 1]!], [tMax, buf[o + 3]!]);
      else out.push([tMax, buf[o + 3]!], [tMin, buf[o + 1]!]);
    }
    return out;
  }

  private grow(): Float64Array {
    const old = this.buf;
    const size = Math.min(this.maxBuckets, old === null ? 8 : (old.length / B) * 2);
    const next = new Float64Array(size * B);
    if (old !== null) next.set(old);
    this.buf = next;
    return next;
  }

  /** Merge buckets pairwise (all full: maxBuckets is even) and double the stride. */
  private merge(): void {
    const buf = this.buf!;
    const half = this.n >> 1;
    for (let i = 0; i < half; i++) {
      const a = 2 * i * B;
      const b = a + B;
      const o = i * B;
      const minFromB = buf[b + 1]! < buf[a + 1]!;
      const maxFromB = buf[b + 3]! > buf[a + 3]!;
      buf[o] = minFromB ? buf[b]! : buf[a]!;
      buf[o + 1] = minFromB ? buf[b + 1]! : buf[a + 1]!;
      buf[o + 2] = maxFromB ? buf[b + 2]! : buf[a + 2]!;
      buf[o + 3] = maxFromB ? buf[b + 3]! : buf[a + 3]!;
    }
    this.n = half;
    this.strideN *= 2;
  }
}
