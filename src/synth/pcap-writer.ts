/**
 * Classic libpcap file writer (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html).
 *
 * Magic 0xa1b2c3d4 (microsecond timestamps) or 0xa1b23c4d (nanosecond), written in either byte
 * order; any link type and snap length. A record longer than the snap length is cut to it and
 * keeps its original length in `orig_len`. Output streams to a file / Writable through a large
 * reused buffer (see `ByteSink`), or is returned as bytes by `finish()` when no target is given.
 */
import type { Writable } from 'node:stream';
import { SinkWriter } from './byte-sink.js';

/** Options of a classic pcap file. */
export interface PcapWriterOptions {
  /** File path or Writable; omit to collect in memory (then `finish()` returns the bytes). */
  out?: string | Writable;
  /** LINKTYPE_* of every record (default 1, Ethernet). */
  linkType?: number;
  /** Snap length in bytes (default 262144); 0 = no limit (header still says 0). */
  snaplen?: number;
  /** Nanosecond magic and timestamps (default false: microseconds, nsec truncated). */
  nanosecond?: boolean;
  /** Byte order of headers (default 'le'). */
  byteOrder?: 'le' | 'be';
  /** Version in the file header (default 2.4). */
  versionMajor?: number;
  versionMinor?: number;
  /** Staging buffer size in bytes (default 1 MiB). */
  bufferSize?: number;
}

/** One packet to write. */
export interface PacketRecord {
  /** Whole epoch seconds. */
  tsSec: number;
  /** Nanoseconds within the second (0..999_999_999). */
  tsNsec: number;
  /** The frame bytes as on the wire (the writer truncates to the snap length). */
  data: Uint8Array;
  /** Original wire length (default `data.length`); may exceed it for pre-truncated data. */
  origLen?: number;
}

/** Streams a classic pcap file. Not reusable after `finish()`. */
export class PcapWriter extends SinkWriter {
  readonly linkType: number;
  readonly snaplen: number;
  readonly nanosecond: boolean;
  readonly le: boolean;
  /** Records written so far. */
  packets = 0;

  constructor(opts: PcapWriterOptions = {}) {
    super(opts.out, opts.bufferSize);
    this.linkType = opts.linkType ?? 1;
    this.snaplen = opts.snaplen ?? 262144;
    this.nanosecond = opts.nanosecond ?? false;
    this.le = (opts.byteOrder ?? 'le') === 'le';
    const s = this.sink;
    const at = s.reserve(24);
    const b = s.buf;
    this.u32(b, at, this.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4);
    this.u16(b, at + 4, opts.versionMajor ?? 2);
    this.u16(b, at + 6, opts.versionMinor ?? 4);
    this.u32(b, at + 8, 0); // thiszone
    this.u32(b, at + 12, 0); // sigfigs
    this.u32(b, at + 16, this.snaplen);
    this.u32(b, at + 20, this.linkType);
    s.pos = at + 24;
  }

  /** Append one record (the bytes are copied). Returns false when a Writable wants `drain()`. */
  writePacket(rec: PacketRecord): boolean {
    return this.writeRecord(rec.tsSec, rec.tsNsec, rec.data, 0, rec.data.length, rec.origLen ?? rec.data.length);
  }

  /**
   * Allocation-free variant: the frame is `data[off .. off + len)`; `origLen` its wire length.
   * Returns false when a Writable destination wants `drain()`.
   */
  writeRecord(tsSec: number, tsNsec: number, data: Uint8Array, off: number, len: number, origLen: number): boolean {
    const cap = this.snaplen > 0 && len > this.snaplen ? this.snaplen : len;
    const s = this.sink;
    const at = s.reserve(16 + cap);
    const b = s.buf;
    this.u32(b, at, tsSec);
    this.u32(b, at + 4, this.nanosecond ? tsNsec : Math.floor(tsNsec / 1000));
    this.u32(b, at + 8, cap);
    this.u32(b, at + 12, Math.max(origLen, cap));
    b.set(data.subarray(off, off + cap), at + 16);
    s.pos = at + 16 + cap;
    this.packets++;
    return !s.needsDrain;
  }


  private u32(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  }

  private u16(b: Buffer, at: number, v: number): void {
    if (this.le) b.writeUInt16LE(v & 0xffff, at);
    else b.writeUInt16BE(v & 0xffff, at);
  }
}
