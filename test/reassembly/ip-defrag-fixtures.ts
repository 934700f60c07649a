/**
 * Test helpers for the IP defragmenter: build IPv4/IPv6 fragments from byte arrays, fill a
 * DecodedPacket by hand (independent of the dissectors), split datagrams, seeded PRNG.
 */
import { DecodedPacket, LAYER } from '../../src/dissectors/decoded-packet.js';
import { internetChecksum } from '../../src/reassembly/ip-defrag-build.js';

/** `hex` template / function: strips whitespace and `#` comments. */
export function hex(strings: TemplateStringsArray | string, ...values: unknown[]): Uint8Array {
  const raw = typeof strings === 'string' ? strings : String.raw({ raw: strings }, ...values);
  const clean = raw.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export { prng } from '../helpers/prng.js';

/** Fisher-Yates shuffle with `rnd`. */
export function shuffle<T>(xs: T[], rnd: () => number): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = a[i] as T;
    a[i] = a[j] as T;
    a[j] = t;
  }
  return a;
}

export function pattern(len: number, seed = 0): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

export interface V4Opts {
  src?: number[]; dst?: number[]; id?: number; proto?: number; ttl?: number;
  off: number; mf: number; df?: number; options?: Uint8Array;
}

/** An IPv4 packet (header with valid checksum + payload). `off` in bytes (multiple of 8). */
export function ipv4(o: V4Opts, payload: Uint8Array): Uint8Array {
  const opt = o.options ?? new Uint8Array(0);
  const ihl = 20 + opt.length;
  const b = new Uint8Array(ihl + payload.length);
  const total = b.length;
  const ff = ((o.df ?? 0) << 14) | (o.mf << 13) | (o.off / 8);
  b.set([0x40 | (ihl / 4), 0, total >>> 8, total & 0xff, (o.id ?? 0x1234) >>> 8, (o.id ?? 0x1234) & 0xff,
    ff >>> 8, ff & 0xff, o.ttl ?? 64, o.proto ?? 17, 0, 0], 0);
  b.set(o.src ?? [10, 0, 0, 1], 12);
  b.set(o.dst ?? [10, 0, 0, 2], 16);
  b.set(opt, 20);
  const ck = internetChecksum(b, 0, ihl);
  b[10] = ck >>> 8;
  b[11] = ck & 0xff;
  b.set(payload, ihl);
  return b;
}

export interface V6Opts {
  src?: Uint8Array; dst?: Uint8Array; id?: number; nh?: number;
  off: number; mf: number;
  /** Unfragmentable extension headers: [type, bytes] in order, each `bytes` with its own nh byte overwritten. */
  ext?: Array<[number, Uint8Array]>;
}

export const V6_SRC = hex`fd00 0000 0000 0000 0000 0000 0000 0001`;
export const V6_DST = hex`fd00 0000 0000 0000 0000 0000 0000 0002`;

/** An IPv6 packet with optional unfragmentable ext headers, then a fragment header, then `payload`. */
export function ipv6Frag(o: V6Opts, payload: Uint8Array): Uint8Array {
  const ext = o.ext ?? [];
  const extLen = ext.reduce((n, [, e]) => n + e.length, 0);
  const b = new Uint8Array(40 + extLen + 8 + payload.length);
  const plen = b.length - 40;
  b.set([0x60, 0, 0, 0, plen >>> 8, plen & 0xff, ext[0]?.[0] ?? 44, 64], 0);
  b.set(o.src ?? V6_SRC, 8);
  b.set(o.dst ?? V6_DST, 24);
  let at = 40;
  ext.forEach(([, e], i) => {
    b.set(e, at);
    b[at] = ext[i + 1]?.[0] ?? 44;
    at += e.length;
  });
  const fo = o.off | o.mf;
  const id = o.id ?? 0xa1b2c3d4;
  b.set([o.nh ?? 17, 0, fo >>> 8, fo & 0xff, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff], at);
  b.set(payload, at + 8);
  return b;
}

/** IPv6 extension header types whose length is (len+1)*8. */
const EXT8 = new Set([0, 43, 60]);

/**
 * Fill a DecodedPacket as the dissectors would for an IP packet starting at `netOff` in `buf`
 * (hand-made, so these unit tests do not depend on decode.ts).
 */
export function decodedFrom(buf: Uint8Array, netOff = 0, end = buf.length): DecodedPacket {
  const p = new DecodedPacket();
  p.reset(buf, 0, end, 101);
  p.netOff = netOff;
  const v = (buf[netOff] ?? 0) >>> 4;
  p.ipVersion = v;
  if (v === 4) {
    p.layers |= LAYER.IPV4;
    p.ipHdrLen = ((buf[netOff] ?? 0) & 15) * 4;
    p.ipTotalLen = ((buf[netOff + 2] ?? 0) << 8) | (buf[netOff + 3] ?? 0);
    p.srcOff = netOff + 12;
    p.dstOff = netOff + 16;
    const ff = ((buf[netOff + 6] ?? 0) << 8) | (buf[netOff + 7] ?? 0);
    p.mf = (ff >>> 13) & 1;
    p.fragOff = (ff & 0x1fff) * 8;
    p.ipId = ((buf[netOff + 4] ?? 0) << 8) | (buf[netOff + 5] ?? 0);
    p.proto = buf[netOff + 9] ?? -1;
  } else {
    p.layers |= LAYER.IPV6;
    p.ipTotalLen = 40 + (((buf[netOff + 4] ?? 0) << 8) | (buf[netOff + 5] ?? 0));
    p.srcOff = netOff + 8;
    p.dstOff = netOff + 24;
    let nh = buf[netOff + 6] ?? 0;
    let at = netOff + 40;
    while (EXT8.has(nh)) {
      const len = ((buf[at + 1] ?? 0) + 1) * 8;
      nh = buf[at] ?? 0;
      at += len;
    }
    if (nh === 44) {
      p.ip6FragHdrOff = at;
      const fo = ((buf[at + 2] ?? 0) << 8) | (buf[at + 3] ?? 0);
      p.mf = fo & 1;
      p.fragOff = fo & 0xfff8;
      p.ipId = (((buf[at + 4] ?? 0) << 24) | ((buf[at + 5] ?? 0) << 16) | ((buf[at + 6] ?? 0) << 8) | (buf[at + 7] ?? 0)) >>> 0;
      p.proto = buf[at] ?? -1;
      at += 8;
    }
    p.ipHdrLen = at - netOff;
  }
  if (p.mf === 1 || p.fragOff > 0) p.layers |= LAYER.FRAGMENT;
  return p;
}

/** Split `len` bytes into fragment (offset, length) pieces of roughly `size` (multiples of 8 except the last). */
export function splitEven(len: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let off = 0; off < len; off += size) out.push([off, Math.min(size, len - off)]);
  return out;
}
