/**
 * Fragment payload store of one datagram: a sorted list of non-overlapping byte runs, each an
 * owned copy. The holes are the gaps between runs and after the last one up to the known end —
 * the sorted-interval equivalent of the RFC 815 hole descriptor list.
 *
 * A new fragment fills the holes in its range; where it overlaps bytes already held, the bytes are
 * compared (so the caller can flag overlaps whose data differ) and kept or replaced per the
 * `OverlapPolicy` (mechanism here, policy chosen by the caller: style guide item 11). Whether an
 * overlap is acceptable at all is also the caller's call (IPv6 discards the datagram, RFC 5722).
 */

/**
 * Which copy of an overlapped byte is kept (Novak, "Target-Based Fragmentation Reassembly", 2005):
 * - `first`: the bytes held already (Windows);
 * - `last`: the newest fragment's (Cisco IOS; also what RFC 815's copy-every-fragment algorithm does);
 * - `bsd`: the new fragment's only if it starts at a lower offset than the fragment that supplied
 *   the held bytes, else the held bytes (4.4BSD; Linux before 4.19 is close; also what
 *   Wireshark's reassembly shows, verified with tshark on crafted overlaps).
 */
export type OverlapPolicy = 'first' | 'last' | 'bsd';

/** One held run of payload bytes: offset within the fragmentable part, its own copy, and the offset of the fragment it came from. */
interface Run {
  off: number;
  end: number;
  /** Fragment offset of the fragment that supplied these bytes (for the `bsd` policy). */
  from: number;
  data: Uint8Array;
}

/** What `insert()` did with a fragment. Reused: valid until the next call. */
export interface InsertResult {
  /** Bytes newly stored in holes. */
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

  constructor(private readonly policy: OverlapPolicy = 'first') {}

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
   * Place `src[srcOff, srcOff+len)` at fragment offset `off`: holes are filled, overlapped bytes
   * compared and kept or replaced per the policy. Precondition: len >= 0, `srcOff+len <= src.length`.
   * Returns the shared result object.
   */
  insert(off: number, src: Uint8Array, srcOff: number, len: number): InsertResult {
    const res = this.result;
    res.added = 0;
    res.overlapped = 0;
    res.differing = false;
    const end = off + len;
    const delta = srcOff - off;
    const start = this.firstEndingAfter(off);
    const merged: Run[] = [];
    let changed = false;
    let cursor = off;
    let i = start;
    for (; i < this.runs.length; i++) {
      const r = this.runs[i];
      if (r === undefined || r.off >= end) break;
      if (r.off > cursor) merged.push(this.fill(cursor, r.off, off, src, delta));
      const oStart = Math.max(cursor, r.off);
      const oEnd = Math.min(end, r.end);
      res.overlapped += oEnd - oStart;
      const same = sameBytes(r.data, oStart - r.off, src, oStart + delta, oEnd - oStart);
      if (!same) res.differing = true;
      // bsd needs the attribution even where bytes agree (a third fragment is judged against it)
      if (this.newWins(off, r.from) && (!same || this.policy === 'bsd')) {
        if (r.off < oStart) merged.push({ off: r.off, end: oStart, from: r.from, data: r.data.subarray(0, oStart - r.off) });
        merged.push({ off: oStart, end: oEnd, from: off, data: src.slice(oStart + delta, oEnd + delta) });
        if (oEnd < r.end) merged.push({ off: oEnd, end: r.end, from: r.from, data: r.data.subarray(oEnd - r.off) });
        changed = true;
      } else {
        merged.push(r);
      }
      cursor = Math.max(cursor, r.end);
    }
    if (cursor < end) merged.push(this.fill(cursor, end, off, src, delta));
    if (res.added > 0 || changed) this.runs.splice(start, i - start, ...merged);
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

  /** New run filling the hole [a, b) from the fragment at offset `from`, whose offset x is at `src[x + delta]`. */
  private fill(a: number, b: number, from: number, src: Uint8Array, delta: number): Run {
    this.covered += b - a;
    this.result.added += b - a;
    return { off: a, end: b, from, data: src.slice(a + delta, b + delta) };
  }

  /** Policy: does a fragment starting at `newFrom` replace bytes supplied by the fragment at `oldFrom`? */
  private newWins(newFrom: number, oldFrom: number): boolean {
    if (this.policy === 'last') return true;
    return this.policy === 'bsd' && newFrom < oldFrom;
  }
}

/** Byte-wise equality of `a[aOff..+len)` and `b[bOff..+len)`. */
function sameBytes(a: Uint8Array, aOff: number, b: Uint8Array, bOff: number, len: number): boolean {
  for (let k = 0; k < len; k++) {
    if (a[aOff + k] !== b[bOff + k]) return false;
  }
  return true;
}
