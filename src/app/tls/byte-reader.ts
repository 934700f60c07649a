/**
 * A bounds-checked cursor over one buffered handshake message (not a per-packet path: used once
 * per ClientHello/ServerHello). Reading past `end` throws `ShortRead`, which the hello parsers
 * catch at their boundary and turn into a `malformed` description with the offset; nothing
 * escapes to the caller.
 */

/** Thrown by `ByteReader` when a field runs past its bound; carries what was being read. */
export class ShortRead extends Error {
  constructor(
    readonly what: string,
    readonly at: number,
    readonly need: number,
    readonly have: number,
  ) {
    super(`${what}: needs ${need} bytes at offset ${at}, ${have} left`);
  }
}

export class ByteReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    public end: number,
  ) {
    this.pos = start;
  }

  get left(): number {
    return this.end - this.pos;
  }

  need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new ShortRead(what, this.pos, n, this.end - this.pos);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u24(what: string): number {
    this.need(3, what);
    const b = this.buf;
    const v = (b[this.pos]! << 16) | (b[this.pos + 1]! << 8) | b[this.pos + 2]!;
    this.pos += 3;
    return v;
  }

  skip(n: number, what: string): void {
    this.need(n, what);
    this.pos += n;
  }

  /** A reader over the next `n` bytes (advancing this one past them). */
  sub(n: number, what: string): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }
}

/**
 * Report-safe text of protocol bytes (a host name, an ALPN id): printable ASCII kept, backslash
 * and every other byte as `\xNN`; at most `max` bytes read. Never throws; the result is plain
 * text (renderers still escape it for their format).
 */
export function printable(buf: Uint8Array, off: number, len: number, max = 255): string {
  let s = '';
  const n = Math.min(len, max);
  for (let i = 0; i < n; i++) {
    const c = buf[off + i]!;
    s += c >= 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return len > max ? `${s}…` : s;
}

/** True when every byte is printable ASCII (what `printable` keeps as is). */
export function isPrintable(buf: Uint8Array, off: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const c = buf[off + i]!;
    if (c < 0x20 || c >= 0x7f || c === 0x5c) return false;
  }
  return true;
}
