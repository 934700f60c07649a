/**
 * Tiny pcap / pcapng byte builders for the capture-reader tests (independent of the
 * production writers in src/synth, so reader and writer bugs cannot cancel out).
 */

/** Little helper that appends integers in one byte order. */
export class Bytes {
  private parts: number[] = [];
  constructor(readonly le = true) {}
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.le ? this.u8(v).u8(v >>> 8) : this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    for (const x of this.le ? b : b.reverse()) this.u8(x);
    return this;
  }
  /** Unsigned 64-bit from a bigint. */
  u64(v: bigint): this {
    const hi = Number((v >> 32n) & 0xffffffffn);
    const lo = Number(v & 0xffffffffn);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.u8(b[i] ?? 0);
    return this;
  }
  pad4(): this {
    while (this.parts.length % 4 !== 0) this.u8(0);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Concatenate byte arrays. */
export function concat(...arrs: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(arrs.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrs) {
    out.set(a, o);
    o += a.length;
  }
  return out;
}

/** Deterministic packet bytes of length n (seeded by `seed`). */
export function payload(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

export interface PcapRecord {
  sec: number;
  frac: number;
  data: Uint8Array;
  /** Original length (default: data length). */
  orig?: number;
  /** caplen written in the header (default: data length) — to forge bad lengths. */
  caplen?: number;
}

export interface PcapOptions {
  le?: boolean;
  nanos?: boolean;
  kuznetzov?: boolean;
  major?: number;
  minor?: number;
  snaplen?: number;
  linkType?: number;
}

/** A classic pcap file. */
export function pcapFile(records: PcapRecord[], o: PcapOptions = {}): Uint8Array {
  const b = new Bytes(o.le ?? true);
  const magic = o.kuznetzov === true ? 0xa1b2cd34 : o.nanos === true ? 0xa1b23c4d : 0xa1b2c3d4;
  b.u32(magic).u16(o.major ?? 2).u16(o.minor ?? 4).u32(0).u32(0).u32(o.snaplen ?? 65535).u32(o.linkType ?? 1);
  for (const r of records) {
    b.u32(r.sec).u32(r.frac).u32(r.caplen ?? r.data.length).u32(r.orig ?? r.data.length);
    if (o.kuznetzov === true) b.u32(3).u16(0x0800).u8(4).u8(0);
    b.raw(r.data);
  }
  return b.bytes();
}

/** One pcapng option (value padded by the builder). */
export interface Opt {
  code: number;
  value: Uint8Array;
  /** Length written in the option header (default: value length) — to forge bad options. */
  len?: number;
}

function options(b: Bytes, opts: Opt[] | undefined): void {
  if (opts === undefined || opts.length === 0) return;
  for (const o of opts) {
    b.u16(o.code).u16(o.len ?? o.value.length).raw(o.value).pad4();
  }
  b.u16(0).u16(0);
}

/** Wrap a block body: type, total length, body (padded), total length. `lenOverride` forges the leading length. */
export function block(le: boolean, type: number, body: Uint8Array, lenOverride?: { lead?: number; trail?: number }): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const b = new Bytes(le);
  b.u32(type).u32(lenOverride?.lead ?? total).raw(body);
  while (b.length < 8 + padded) b.u8(0);
  b.u32(lenOverride?.trail ?? total);
  return b.bytes();
}

export function shb(le: boolean, o: { major?: number; minor?: number; opts?: Opt[] } = {}): Uint8Array {
  const b = new Bytes(le);
  b.u32(0x1a2b3c4d).u16(o.major ?? 1).u16(o.minor ?? 0).u64(0xffffffffffffffffn);
  options(b, o.opts);
  return block(le, 0x0a0d0d0a, b.bytes());
}

export function idb(le: boolean, linkType: number, snaplen: number, opts?: Opt[]): Uint8Array {
  const b = new Bytes(le);
  b.u16(linkType).u16(0).u32(snaplen);
  options(b, opts);
  return block(le, 1, b.bytes());
}

/** Enhanced packet block; `ticks` as bigint, written as high word then low word (each in section byte order). */
export function epb(le: boolean, ifId: number, ticks: bigint, data: Uint8Array, o: { orig?: number; caplen?: number; opts?: Opt[] } = {}): Uint8Array {
  const b = new Bytes(le);
  b.u32(ifId).u32(Number(ticks >> 32n)).u32(Number(ticks & 0xffffffffn)).u32(o.caplen ?? data.length).u32(o.orig ?? data.length).raw(data).pad4();
  options(b, o.opts);
  return block(le, 6, b.bytes());
}

/** Obsolete packet block (type 2). */
export function pb(le: boolean, ifId: number, ticks: bigint, data: Uint8Array, opts?: Opt[]): Uint8Array {
  const b = new Bytes(le);
  b.u16(ifId).u16(0).u32(Number(ticks >> 32n)).u32(Number(ticks & 0xffffffffn)).u32(data.length).u32(data.length).raw(data).pad4();
  options(b, opts);
  return block(le, 2, b.bytes());
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  const b = new Bytes(le);
  b.u32(origLen).raw(data).pad4();
  return block(le, 3, b.bytes());
}

export function isb(le: boolean, ifId: number, recv: bigint | null, drop: bigint | null): Uint8Array {
  const b = new Bytes(le);
  b.u32(ifId).u64(0n);
  const opts: Opt[] = [];
  if (recv !== null) opts.push({ code: 4, value: new Bytes(le).u64(recv).bytes() });
  if (drop !== null) opts.push({ code: 5, value: new Bytes(le).u64(drop).bytes() });
  options(b, opts);
  return block(le, 5, b.bytes());
}

/** Option value helpers. */
export const optU8 = (code: number, v: number): Opt => ({ code, value: Uint8Array.of(v) });
export const optU32 = (le: boolean, code: number, v: number): Opt => ({ code, value: new Bytes(le).u32(v).bytes() });
export const optI64 = (le: boolean, code: number, v: bigint): Opt => ({ code, value: new Bytes(le).u64(BigInt.asUintN(64, v)).bytes() });
export const optStr = (code: number, s: string): Opt => ({ code, value: new TextEncoder().encode(s) });

/** Byte-swap a classic pcap file (header and record headers; µs/ns/Kuznetzov). */
export function swapPcap(file: Uint8Array): Uint8Array {
  const out = file.slice();
  const dv = new DataView(out.buffer);
  const src = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const le = src.getUint32(0, true) >>> 16 === 0xa1b2;
  const kuz = (src.getUint32(0, le) & 0xffff) === 0xcd34;
  const sw32 = (o: number): void => dv.setUint32(o, src.getUint32(o, le), !le);
  const sw16 = (o: number): void => dv.setUint16(o, src.getUint16(o, le), !le);
  sw32(0);
  sw16(4);
  sw16(6);
  for (const o of [8, 12, 16, 20]) sw32(o);
  const hdr = kuz ? 24 : 16;
  for (let p = 24; p + hdr <= file.length; ) {
    const caplen = src.getUint32(p + 8, le);
    for (const o of [0, 4, 8, 12]) sw32(p + o);
    if (kuz) {
      sw32(p + 16);
      sw16(p + 20);
    }
    p += hdr + caplen;
  }
  return out;
}
