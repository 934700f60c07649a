/**
 * pcapng writer (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html).
 *
 * Writes Section Header Blocks (either byte order, several sections), Interface Description
 * Blocks (link type, snap length, if_name, if_description, if_tsresol as a power of 10 or 2,
 * if_tsoffset), Enhanced Packet Blocks (optional epb_flags), Simple Packet Blocks, Interface
 * Statistics Blocks (isb_ifrecv / isb_ifdrop), Name Resolution Blocks and Custom Blocks.
 * Interface ids restart at 0 in every section, as the format says. Output goes through a
 * `ByteSink` (file path, Writable or memory).
 */
import type { Writable } from 'node:stream';
import { SinkWriter } from './byte-sink.js';
import type { PacketRecord } from './pcap-writer.js';

/** Interface description. */
export interface PcapngInterface {
  /** LINKTYPE_* number. */
  linkType: number;
  /** Snap length in bytes; 0 = unlimited (default 262144). */
  snaplen?: number;
  /** `if_name` option. */
  name?: string;
  /** `if_description` option. */
  description?: string;
  /**
   * Raw `if_tsresol` byte: bit 7 clear = 10^-n s, bit 7 set = 2^-n s. Omit for the default
   * (10^-6, option not written). Example: 9 for nanoseconds, 0x80 | 20 for 2^-20 s.
   */
  tsresol?: number;
  /** `if_tsoffset` in whole seconds, added by readers to every timestamp (written ts = real - offset). */
  tsoffset?: number;
}

export interface PcapngWriterOptions {
  /** File path or Writable; omit to collect in memory. */
  out?: string | Writable;
  /** Byte order of the first section (default 'le'). */
  byteOrder?: 'le' | 'be';
  /** `shb_userappl` of the first section (default 'tcpscope synth'). */
  userAppl?: string;
  /** Staging buffer size in bytes (default 1 MiB). */
  bufferSize?: number;
}

/** A packet for an Enhanced Packet Block. */
export interface PcapngPacket extends PacketRecord {
  /** Interface id within the current section (default 0). */
  ifIndex?: number;
  /** `epb_flags` value (bits 0-1 direction: 1 inbound, 2 outbound); omitted when undefined. */
  flags?: number;
}

interface IfState {
  snaplen: number;
  /** Ticks per second, exact. */
  tps: bigint;
  /** When ticks per second is 10^k with k <= 6: nanoseconds per tick (number fast path), else 0. */
  nsPerTick: number;
  tsoffset: number;
}

type Opt = [code: number, value: Uint8Array];

/** Streams a pcapng file. */
export class PcapngWriter extends SinkWriter {
  private le = true;
  private ifaces: IfState[] = [];
  /** Packet blocks (EPB + SPB) written. */
  packets = 0;
  /** Sections started. */
  sections = 0;

  constructor(opts: PcapngWriterOptions = {}) {
    super(opts.out, opts.bufferSize);
    this.startSection(opts.byteOrder ?? 'le', opts.userAppl ?? 'tcpscope synth');
  }

  /** Begin a new section (SHB). Interfaces of earlier sections are forgotten. */
  startSection(byteOrder: 'le' | 'be' = 'le', userAppl?: string): void {
    this.le = byteOrder === 'le';
    this.ifaces = [];
    this.sections++;
    const body = Buffer.alloc(16);
    this.put32(body, 0, 0x1a2b3c4d);
    this.put16(body, 4, 1);
    this.put16(body, 6, 0);
    body.fill(0xff, 8, 16); // section length -1: unknown
    const opts: Opt[] = userAppl === undefined ? [] : [[4, Buffer.from(userAppl, 'utf8')]];
    this.block(0x0a0d0d0a, body, opts);
  }

  /** Describe an interface (IDB); returns its id within the current section. */
  addInterface(iface: PcapngInterface): number {
    const body = Buffer.alloc(8);
    const snaplen = iface.snaplen ?? 262144;
    this.put16(body, 0, iface.linkType);
    this.put32(body, 4, snaplen);
    const opts: Opt[] = [];
    if (iface.name !== undefined) opts.push([2, Buffer.from(iface.name, 'utf8')]);
    if (iface.description !== undefined) opts.push([3, Buffer.from(iface.description, 'utf8')]);
    if (iface.tsresol !== undefined) opts.push([9, Uint8Array.of(iface.tsresol)]);
    if (iface.tsoffset !== undefined) opts.push([14, this.u64(BigInt(iface.tsoffset))]);
    this.block(1, body, opts);
    const r = iface.tsresol ?? 6;
    const tps = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    const nsPerTick = !(r & 0x80) && r <= 6 ? 10 ** (9 - r) : 0;
    this.ifaces.push({ snaplen, tps, nsPerTick, tsoffset: iface.tsoffset ?? 0 });
    return this.ifaces.length - 1;
  }

  /** Write an Enhanced Packet Block. Returns false when a Writable wants `drain()`. */
  writePacket(p: PcapngPacket): boolean {
    const ifIndex = p.ifIndex ?? 0;
    return this.writeRecord(ifIndex, p.tsSec, p.tsNsec, p.data, 0, p.data.length, p.origLen ?? p.data.length, p.flags);
  }

  /** Allocation-light EPB: frame is `data[off .. off+len)`. */
  writeRecord(
    ifIndex: number, tsSec: number, tsNsec: number, data: Uint8Array, off: number, len: number,
    origLen: number, flags?: number,
  ): boolean {
    const ifc = this.iface(ifIndex);
    const cap = ifc.snaplen > 0 && len > ifc.snaplen ? ifc.snaplen : len;
    const padded = (cap + 3) & ~3;
    const total = 32 + padded + (flags === undefined ? 0 : 12);
    const s = this.sink;
    const at = s.reserve(total);
    const b = s.buf;
    this.put32(b, at, 6);
    this.put32(b, at + 4, total);
    this.put32(b, at + 8, ifIndex);
    this.putTicks(b, at + 12, ifc, tsSec, tsNsec);
    this.put32(b, at + 20, cap);
    this.put32(b, at + 24, Math.max(origLen, cap));
    b.set(data.subarray(off, off + cap), at + 28);
    b.fill(0, at + 28 + cap, at + 28 + padded);
    let o = at + 28 + padded;
    if (flags !== undefined) {
      this.put16(b, o, 2);
      this.put16(b, o + 2, 4);
      this.put32(b, o + 4, flags);
      this.put32(b, o + 8, 0); // opt_endofopt
      o += 12;
    }
    this.put32(b, o, total);
    s.pos = o + 4;
    this.packets++;
    return !s.needsDrain;
  }

  /** Simple Packet Block (interface 0 of the section, truncated to its snap length). */
  writeSimplePacket(data: Uint8Array, origLen = data.length): void {
    const ifc = this.iface(0);
    const cap = ifc.snaplen > 0 && data.length > ifc.snaplen ? ifc.snaplen : data.length;
    const body = Buffer.alloc(4 + ((cap + 3) & ~3));
    this.put32(body, 0, Math.max(origLen, cap));
    body.set(data.subarray(0, cap), 4);
    this.block(3, body, []);
    this.packets++;
  }

  /** Interface Statistics Block at the given time, with isb_ifrecv / isb_ifdrop when given. */
  writeInterfaceStats(ifIndex: number, tsSec: number, tsNsec: number, stats: { ifRecv?: number; ifDrop?: number }): void {
    const ifc = this.iface(ifIndex);
    const body = Buffer.alloc(12);
    this.put32(body, 0, ifIndex);
    this.putTicks(body, 4, ifc, tsSec, tsNsec);
    const opts: Opt[] = [];
    if (stats.ifRecv !== undefined) opts.push([4, this.u64(BigInt(stats.ifRecv))]);
    if (stats.ifDrop !== undefined) opts.push([5, this.u64(BigInt(stats.ifDrop))]);
    this.block(5, body, opts);
  }

  /** Name Resolution Block: IPv4 (4-byte) / IPv6 (16-byte) addresses with their names. */
  writeNameResolution(entries: ReadonlyArray<{ addr: Uint8Array; names: readonly string[] }>): void {
    const parts: Buffer[] = [];
    for (const e of entries) {
      const value = Buffer.concat([Buffer.from(e.addr), ...e.names.map((n) => Buffer.from(n + '\0', 'utf8'))]);
      const hdr = Buffer.alloc(4);
      this.put16(hdr, 0, e.addr.length === 4 ? 1 : 2);
      this.put16(hdr, 2, value.length);
      parts.push(hdr, value, Buffer.alloc(((value.length + 3) & ~3) - value.length));
    }
    parts.push(Buffer.alloc(4)); // nrb_record_end
    this.block(4, Buffer.concat(parts), []);
  }

  /** Custom Block (0x00000BAD copyable, 0x40000BAD not) with a Private Enterprise Number. */
  writeCustomBlock(pen: number, data: Uint8Array, copyable = true): void {
    const body = Buffer.alloc(4 + ((data.length + 3) & ~3));
    this.put32(body, 0, pen);
    body.set(data, 4);
    this.block(copyable ? 0x00000bad : 0x40000bad, body, []);
  }


  private iface(ifIndex: number): IfState {
    const ifc = this.ifaces[ifIndex];
    if (ifc === undefined) throw new RangeError(`pcapng: interface ${ifIndex} not described in this section`);
    return ifc;
  }

  /** Timestamp as (high, low) 32-bit tick halves at b[at..at+8). */
  private putTicks(b: Buffer, at: number, ifc: IfState, sec: number, nsec: number): void {
    let hi: number;
    let lo: number;
    if (ifc.nsPerTick > 0) {
      const ticks = (sec - ifc.tsoffset) * Number(ifc.tps) + Math.floor(nsec / ifc.nsPerTick);
      hi = Math.floor(ticks / 4294967296);
      lo = ticks - hi * 4294967296;
    } else {
      const ticks = BigInt(sec - ifc.tsoffset) * ifc.tps + (BigInt(nsec) * ifc.tps) / 1_000_000_000n;
      hi = Number(ticks >> 32n);
      lo = Number(ticks & 0xffffffffn);
    }
    this.put32(b, at, hi);
    this.put32(b, at + 4, lo);
  }

  /** Write a whole block: header, body (already in section byte order), options, trailer. */
  private block(type: number, body: Uint8Array, opts: readonly Opt[]): void {
    let optLen = 0;
    for (const [, v] of opts) optLen += 4 + ((v.length + 3) & ~3);
    if (opts.length > 0) optLen += 4;
    const total = 12 + body.length + optLen;
    const s = this.sink;
    const at = s.reserve(total);
    const b = s.buf;
    b.fill(0, at, at + total);
    this.put32(b, at, type);
    this.put32(b, at + 4, total);
    b.set(body, at + 8);
    let o = at + 8 + body.length;
    for (const [code, v] of opts) {
      this.put16(b, o, code);
      this.put16(b, o + 2, v.length);
      b.set(v, o + 4);
      o += 4 + ((v.length + 3) & ~3);
    }
    if (opts.length > 0) o += 4; // opt_endofopt (zeros)
    this.put32(b, o, total);
    s.pos = o + 4;
  }

  private u64(v: bigint): Buffer {
    const b = Buffer.alloc(8);
    if (this.le) b.writeBigInt64LE(v);
    else b.writeBigInt64BE(v);
    return b;
  }

  private put32(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  }

  private put16(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt16LE(v & 0xffff, at);
    else b.writeUInt16BE(v & 0xffff, at);
  }
}
