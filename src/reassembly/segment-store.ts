/**
 * Out-of-order segments of one TCP direction, held until the hole before them fills (the
 * "queue for later processing" of RFC 9293 §3.10.7.4). Entries are sorted by stream offset and
 * never overlap, so every offset is held at most once.
 *
 * An entry is either data (bytes copied out of the capture buffer: the only copy on the
 * reassembly path) or a known-uncaptured range (`data === null`): bytes that were on the wire
 * but cut by the snap length. Data arriving later for such a range replaces it.
 *
 * Mechanism only: which copy wins an overlap is the caller's `OverlapPolicy`; overlaps are
 * reported through `onOverlap`. Caps are enforced by the caller (it reads `bytes`/`count`).
 */

/** Which copy of overlapping bytes wins: the first seen (most stacks, Wireshark's default) or the last. */
export type OverlapPolicy = 'first' | 'last';

/** One held range [start, end) of stream offsets. */
export interface HeldSegment {
  start: number;
  end: number;
  /** Copied bytes (`end - start` of them), or null for a range the capture cut off. */
  data: Uint8Array | null;
  /** Frame that first carried these bytes. */
  frame: number;
}

/** Told of an overlap [offset, offset+len) with held bytes; `differs` when the bytes are not equal. */
export interface OverlapReport {
  onHeldOverlap(offset: number, len: number, differs: boolean): void;
}

export class SegmentStore {
  /** Held entries, sorted, disjoint. Read-only for callers. */
  readonly entries: HeldSegment[] = [];
  /** Data bytes held (known-uncaptured ranges count 0). */
  bytes = 0;

  /** Entries held (= `entries.length`, kept as a field so the reassembler's fast path reads one object). */
  count = 0;

  /** First entry, or undefined. */
  first(): HeldSegment | undefined {
    return this.entries[0];
  }

  /** Remove and return the first entry. */
  shift(): HeldSegment | undefined {
    const e = this.entries.shift();
    this.count = this.entries.length;
    if (e?.data) this.bytes -= e.data.length;
    return e;
  }

  /** Drop every entry. */
  clear(): void {
    this.entries.length = 0;
    this.count = 0;
    this.bytes = 0;
  }

  /** Drop everything held at or after `offset` (a FIN fixed the end of the stream there). Returns the data bytes dropped. */
  truncateFrom(offset: number): number {
    const es = this.entries;
    let dropped = 0;
    while (es.length > 0) {
      const last = es[es.length - 1]!;
      if (last.end <= offset) break;
      if (last.start >= offset) {
        es.pop();
        if (last.data !== null) dropped += last.data.length;
        continue;
      }
      if (last.data !== null) {
        dropped += last.end - offset;
        last.data = last.data.subarray(0, offset - last.start);
      }
      last.end = offset;
    }
    this.bytes -= dropped;
    this.count = es.length;
    return dropped;
  }

  /** End offset of the contiguous run of entries starting exactly at `from`, or -1. */
  runEnd(from: number): number {
    const es = this.entries;
    let e = from;
    for (let i = 0; i < es.length; i++) {
      const h = es[i]!;
      if (h.start !== e) break;
      e = h.end;
    }
    return e === from ? -1 : e;
  }

  /** The run of entries starting at `from` contains data, or ends exactly at `stop`. */
  runReachesData(from: number, stop: number): boolean {
    const es = this.entries;
    let e = from;
    for (let i = 0; i < es.length; i++) {
      const h = es[i]!;
      if (h.start !== e) break;
      if (h.data !== null) return true;
      e = h.end;
    }
    return e === stop;
  }

  /** Index of the first entry whose end is after `offset`. */
  private firstEndingAfter(offset: number): number {
    const es = this.entries;
    let lo = 0;
    let hi = es.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (es[mid]!.end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Hold the bytes `src[srcOff ..]` for stream range [start, end), copying the parts not held yet.
   * Parts already held as data are compared (`report`) and kept (`first`) or overwritten (`last`);
   * parts held as uncaptured ranges take the new bytes.
   */
  insertData(start: number, end: number, src: Uint8Array, srcOff: number, frame: number, policy: OverlapPolicy, report: OverlapReport): void {
    const es = this.entries;
    const i = this.firstEndingAfter(start);
    let j = i;
    while (j < es.length && es[j]!.start < end) j++;
    if (i === j) {
      this.insertAt(i, start, end, src, srcOff + 0, frame);
      this.count = es.length;
      return;
    }
    const out: HeldSegment[] = [];
    let cur = start;
    for (let k = i; k < j; k++) {
      const e = es[k]!;
      if (cur < e.start) out.push(this.copy(cur, e.start, src, srcOff + cur - start, frame));
      const os = Math.max(start, e.start);
      const oe = Math.min(end, e.end);
      if (e.data !== null) {
        this.overlapData(e, os, oe, src, srcOff + os - start, policy, report);
        out.push(e);
      } else {
        if (e.start < os) out.push({ start: e.start, end: os, data: null, frame: e.frame });
        out.push(this.copy(os, oe, src, srcOff + os - start, frame));
        if (oe < e.end) out.push({ start: oe, end: e.end, data: null, frame: e.frame });
      }
      cur = Math.max(cur, e.end);
    }
    if (cur < end) out.push(this.copy(cur, end, src, srcOff + cur - start, frame));
    es.splice(i, j - i, ...out);
    this.count = es.length;
  }

  /** Hold [start, end) as uncaptured, where nothing is held yet; merged with an adjacent uncaptured entry. */
  insertMissing(start: number, end: number, frame: number): void {
    const es = this.entries;
    const i = this.firstEndingAfter(start);
    let cur = start;
    let k = i;
    while (cur < end) {
      const e = es[k];
      const stop = e === undefined ? end : Math.min(end, e.start);
      if (cur < stop) {
        const prev = es[k - 1];
        if (prev !== undefined && prev.data === null && prev.end === cur) prev.end = stop;
        else es.splice(k++, 0, { start: cur, end: stop, data: null, frame });
      }
      if (e === undefined) break;
      cur = Math.max(cur, e.end);
      k++;
    }
    this.count = es.length;
  }

  private insertAt(i: number, start: number, end: number, src: Uint8Array, srcOff: number, frame: number): void {
    this.entries.splice(i, 0, this.copy(start, end, src, srcOff, frame));
  }

  private copy(start: number, end: number, src: Uint8Array, srcOff: number, frame: number): HeldSegment {
    const data = src.slice(srcOff, srcOff + (end - start));
    this.bytes += data.length;
    return { start, end, data, frame };
  }

  private overlapData(e: HeldSegment, os: number, oe: number, src: Uint8Array, srcOff: number, policy: OverlapPolicy, report: OverlapReport): void {
    const data = e.data!;
    const base = os - e.start;
    let differs = false;
    for (let x = 0; x < oe - os; x++) {
      if (data[base + x] !== src[srcOff + x]) {
        differs = true;
        break;
      }
    }
    if (differs && policy === 'last') data.set(src.subarray(srcOff, srcOff + (oe - os)), base);
    report.onHeldOverlap(os, oe - os, differs);
  }
}
