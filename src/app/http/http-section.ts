/**
 * The bytes of one message head, trailer section or chunk-size line while they are collected:
 * a copy (the stream's buffers live only during a call), grown by doubling up to the caller's
 * cap, and the scan for the empty line that ends a head or trailer section (its state carries
 * across calls, so the cut points of the stream do not matter). Owned by one `HttpDirection`.
 */
const CR = 0x0d;
const LF = 0x0a;

export class SectionBuffer {
  bytes = new Uint8Array(0);
  len = 0;
  /** Bytes of the current line seen so far, CR not counted. */
  lineLen = 0;

  /** Appends b[i, i+n); false (nothing appended) past `cap` bytes in all. */
  append(b: Uint8Array, i: number, n: number, cap: number): boolean {
    const need = this.len + n;
    if (need > cap) return false;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.min(cap, Math.max(need, 2 * this.bytes.length, 512)));
      grown.set(this.bytes.subarray(0, this.len));
      this.bytes = grown;
    }
    this.bytes.set(b.subarray(i, i + n), this.len);
    this.len = need;
    return true;
  }

  /** Scans b[i, end) for the empty line ending a section; returns the index after it, or -1. */
  scan(b: Uint8Array, i: number, end: number): number {
    let lineLen = this.lineLen;
    for (let j = i; j < end; j++) {
      const c = b[j]!;
      if (c === LF) {
        if (lineLen === 0) {
          this.lineLen = 0;
          return j + 1;
        }
        lineLen = 0;
      } else if (c !== CR) lineLen++;
    }
    this.lineLen = lineLen;
    return -1;
  }

  /** Starts a new section. */
  reset(): void {
    this.len = 0;
    this.lineLen = 0;
  }

  /** A buffer grown for a big section goes back to a small one. */
  shrink(): void {
    if (this.bytes.length > 16 * 1024) this.bytes = new Uint8Array(0);
  }
}
