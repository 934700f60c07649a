/**
 * Fragment payload store of one datagram: a sorted list of non-overlapping byte runs, each an
 * owned copy. The holes are the gaps between runs and after the last one up to the known end —
 * the sorted-interval equivalent of the RFC 815 hole descriptor list.
 *
 * Placement is first-wins: bytes already held are never replaced; the new fragment only fills the
 * parts of its range that were holes. The overlapping parts are compared so the caller can flag
 * overlaps whose data differ. Whether an overlap is acceptable at all is the caller's policy
 * (IPv4 keeps first-wins, IPv6 discards the datagram per RFC 5722).
 */

/** One held run of payload bytes: offset within the fragmentable part, and its own copy. */
interface Run {
  off: number;
  end: number;
  data: Uint8Array;
}

/** What `insert()` did with a fragment. Reused: valid until the next call. */
export interface InsertResult {
  /** Bytes newly stored (and allocated). */
  added: number;
  /** Bytes of the fragment that were already held. */
  overlapped: number;
  /** Some overlapped byte differed from the byte held. */
  differing: boolean;
}

/** Runs of one datagram's fragmentable part. Bytes stored are copies; the source may be reused afterwards. */
export class FragmentRuns {
  private readonly runs: Run[] = [];
  /** Total bytes held (sum of run lengths). */
  covered = 0;
  private readonly result: InsertResult = { added: 0, overlapped: 0, differing: false };

  /** End of the last run (0 when empty). */
  get maxEnd(): number {
    const last = this.runs[this.runs.length - 1];
    return last === undefined ? 0 : last.end;
  }

  /** Number of runs held. */
  get runCount(): number {
    return this.runs.length;
  }

  /**
   * Place `src[srcOff, srcOff+len)` at fragment offset `off`, first-wins. Precondition: len >= 0,
   * `srcOff+len <= src.length`. Returns the shared result object.
   */
  insert(off: number, src: Uint8Array, srcOff: number, len: number): InsertResult {
    const res = this.result;
    res.added = 0;
    res.overlapped = 0;
    res.differing = false;
    const end = off + len;
    let i = this.firstEndingAfter(off);
    const merged: Run[] = [];
    const start = i;
    let cursor = off;
    for (; i < this.runs.length; i++) {
      const r = this.runs[i];
      if (r === undefined || r.off >= end) break;
      if (r.off > cursor) merged.push(this.copy(cursor, r.off, src, srcOff - off));
      const oStart = Math.max(cursor, r.off);
      const oEnd = Math.min(end, r.end);
      res.overlapped += oEnd - oStart;
      if (!res.differing && !sameBytes(r.data, oStart - r.off, src, srcOff + oStart - off, oEnd - oStart)) {
        res.differing = true;
      }
      merged.push(r);
      cursor = Math.max(cursor, r.end);
    }
    if (cursor < end) merged.push(this.copy(cursor, end, src, srcOff - off));
    if (res.added > 0) this.runs.splice(start, i - start, ...merged);
    return res;
  }

  /** Holes as [start, end) pairs up to `totalLen` (use `maxEnd` when the end is unknown). For tests and reports. */
  holes(totalLen: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let cursor = 0;
    for (const r of this.runs) {
      if (r.off > cursor) out.push([cursor, r.off]);
      cursor = r.end;
    }
    if (cursor < totalLen) out.push([cursor, totalLen]);
    return out;
  }

  /** Copy every run into `out` at `outOff + run.off`. Precondition: complete and within `out`. */
  copyTo(out: Uint8Array, outOff: number): void {
    for (const r of this.runs) out.set(r.data, outOff + r.off);
  }

  /** Index of the first run whose end is after `off` (binary search). */
  private firstEndingAfter(off: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.runs[mid];
      if (r !== undefined && r.end <= off) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** New run [from, to) copied from `src` where fragment offset x is at `src[x + delta]`. */
  private copy(from: number, to: number, src: Uint8Array, delta: number): Run {
    const data = src.slice(from + delta, to + delta);
    this.covered += to - from;
    this.result.added += to - from;
    return { off: from, end: to, data };
  }
}

/** Byte-wise equality of `a[aOff..+len)` and `b[bOff..+len)`. */
function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let k = 0; k < len; k++) {
    if (a[aOff + k] !== b[bOff + k]) return false;
  }
  return true;
}
