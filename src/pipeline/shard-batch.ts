/**
 * The batch format of a sharded analysis (see shard-analysis.ts): what the main thread sends a
 * shard worker. A batch is one ArrayBuffer, transferred (not copied) to the worker and back,
 * holding records back to back, each 8-byte aligned:
 *
 *   PACKET  a TCP segment for the shard's flow table: the bytes the main thread decoded (the
 *           frame, or the datagram rebuilt from IP fragments) and what the flow table needs
 *           beside them: frame number, timestamp, the packet's time for expiry, the link
 *           type, the checksum verdicts.
 *   SWEEP   expire idle flows now (the main thread runs the packet clock; `barrier`: agree with
 *           the other shards where the sweep stops, see shard-barrier.ts).
 *
 * No object per record on either side.
 */
import { decodeIp, decodePacket } from '../dissectors/decode.js';
import { DecodedPacket, LAYER } from '../dissectors/decoded-packet.js';

export const REC = { PACKET: 1, SWEEP: 2 } as const;

/** PACKET flags. */
export const PKT_FLAG = { REBUILT: 1 } as const;

/**
 * PACKET record: a header, then `len` packet bytes, then padding to 8. Header fields are read
 * and written through Uint32Array / Float64Array views of the batch (records are 8-byte
 * aligned; both threads share the machine's byte order), at these word indexes from the
 * record's start: u32 words (/4) and f64 words (/8).
 */
export const PKT = {
  /** u32: type | PKT_FLAG bits << 8 | DecodedPacket.checksumFlags << 16. */
  U32_HEAD: 0,
  /** u32: link type. */
  U32_LINK_TYPE: 1,
  /** f64: frame number. */
  F64_FRAME: 1,
  /** f64: timestamp seconds. */
  F64_TS_SEC: 2,
  /** u32: timestamp nanoseconds. */
  U32_TS_NSEC: 6,
  /** u32: bytes that follow the header. */
  U32_LEN: 7,
  /** f64: packet time for expiry (PacketClock.advance). */
  F64_TIME: 4,
  /** Header bytes. */
  HEADER: 40,
} as const;

/** SWEEP record (word indexes as for PKT). */
export const SWP = {
  /** u32: type | barrier (1 = agree on the stops first) << 8. */
  U32_HEAD: 0,
  /** f64: clock time of the sweep. */
  F64_NOW: 1,
  /** f64: frame number of the packet the sweep precedes. */
  F64_FRAME: 2,
  SIZE: 24,
} as const;

/** Default batch size; a bigger one is made for a record that does not fit (a 64 KiB datagram). */
export const BATCH_BYTES = 1 << 20;

/** Size of a PACKET record with `len` bytes. */
export function packetRecordSize(len: number): number {
  return (PKT.HEADER + len + 7) & ~7;
}

/** Views of one batch buffer. */
export class BatchView {
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly bytes: Uint8Array;
  readonly dv: DataView;

  constructor(readonly buf: ArrayBuffer) {
    this.u32 = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
    this.bytes = new Uint8Array(buf);
    this.dv = new DataView(buf);
  }
}

/**
 * Writes records into one batch buffer (main thread). `reset` starts over on a (returned or
 * new) buffer; `used` is what to send.
 */
export class BatchWriter {
  private v: BatchView;
  used = 0;
  /** A DataView of the last source buffer (the reader's chunk: the same for many packets). */
  private src: Uint8Array | null = null;
  private srcView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(buf: ArrayBuffer) {
    this.v = new BatchView(buf);
  }

  get buf(): ArrayBuffer {
    return this.v.buf;
  }

  reset(buf: ArrayBuffer): void {
    this.v = new BatchView(buf);
    this.used = 0;
  }

  /** Bytes still free. */
  get free(): number {
    return this.v.buf.byteLength - this.used;
  }

  packet(src: Uint8Array, off: number, len: number, flags: number, checksumFlags: number, linkType: number, frame: number, tsSec: number, tsNsec: number, time: number): void {
    const v = this.v;
    const o = this.used;
    const w = o >>> 2;
    const d = o >>> 3;
    v.u32[w + PKT.U32_HEAD] = REC.PACKET | (flags << 8) | (checksumFlags << 16);
    v.u32[w + PKT.U32_LINK_TYPE] = linkType;
    v.f64[d + PKT.F64_FRAME] = frame;
    v.f64[d + PKT.F64_TS_SEC] = tsSec;
    v.u32[w + PKT.U32_TS_NSEC] = tsNsec;
    v.u32[w + PKT.U32_LEN] = len;
    v.f64[d + PKT.F64_TIME] = time;
    this.copy(src, off, len, o + PKT.HEADER);
    this.used = o + packetRecordSize(len);
  }

  /**
   * `src[off .. off+len)` to `at`, four bytes at a time through DataViews: allocates nothing (a
   * `set(subarray)` makes a view object per packet, and a Buffer's is heavier still) and costs
   * about the same for ~100-byte frames; a byte loop is 3x slower.
   */
  private copy(src: Uint8Array, off: number, len: number, at: number): void {
    if (src !== this.src) {
      this.src = src;
      this.srcView = new DataView(src.buffer, src.byteOffset, src.byteLength);
    }
    const s = this.srcView;
    const d = this.v.dv;
    let i = 0;
    for (; i + 4 <= len; i += 4) d.setInt32(at + i, s.getInt32(off + i, true), true);
    const b = this.v.bytes;
    for (; i < len; i++) b[at + i] = src[off + i]!;
  }

  sweep(now: number, frame: number, barrier: boolean): void {
    const v = this.v;
    const o = this.used;
    v.u32[(o >>> 2) + SWP.U32_HEAD] = REC.SWEEP | ((barrier ? 1 : 0) << 8);
    v.f64[(o >>> 3) + SWP.F64_NOW] = now;
    v.f64[(o >>> 3) + SWP.F64_FRAME] = frame;
    this.used = o + SWP.SIZE;
  }
}

/**
 * Decodes the PACKET record at byte `o` of `v` into `pkt`: the bytes the main thread decoded,
 * with the same decoder, so the same fields (and the main thread's checksum verdicts).
 */
export function decodeRecord(pkt: DecodedPacket, v: BatchView, o: number): void {
  const w = o >>> 2;
  const head = v.u32[w]!;
  const len = v.u32[w + PKT.U32_LEN]!;
  const off = o + PKT.HEADER;
  if (((head >>> 8) & PKT_FLAG.REBUILT) !== 0) {
    decodeIp(pkt, v.bytes, off, off + len);
    pkt.layers |= LAYER.REASSEMBLED;
  } else {
    decodePacket(pkt, v.bytes, off, len, v.u32[w + PKT.U32_LINK_TYPE]!);
  }
  pkt.checksumFlags = head >>> 16;
}

/** A batch's PACKET records as a flow table's PacketSource (flow-table.ts `defer`): the handle is the record's byte offset. */
export class RecordSource {
  private readonly pkt = new DecodedPacket();

  constructor(public view: BatchView) {}

  load(ref: number): DecodedPacket {
    decodeRecord(this.pkt, this.view, ref);
    return this.pkt;
  }
}

/**
 * Packets kept for a flow table in deferred mode on the thread that decoded them (the
 * single-threaded analysis, the main thread's shard): each packet is copied into one batch
 * buffer as a PACKET record, whose offset is its handle. When a packet does not fit, the
 * caller drains the table and calls `clear`.
 */
export class PacketKeeper extends RecordSource {
  private readonly writer: BatchWriter;

  constructor(bytes = KEEP_BYTES) {
    const buf = new ArrayBuffer((bytes + 7) & ~7);
    super(new BatchView(buf));
    this.writer = new BatchWriter(buf);
  }

  /** Copies `pkt` (its frame's bytes, or the rebuilt datagram's); its handle, or -1 when the buffer is full. */
  keep(pkt: DecodedPacket, frame: number, tsSec: number, tsNsec: number): number {
    const len = pkt.frameEnd - pkt.frameOff;
    const w = this.writer;
    if (packetRecordSize(len) > w.free) return -1;
    const ref = w.used;
    w.packet(pkt.buf, pkt.frameOff, len, (pkt.layers & LAYER.REASSEMBLED) !== 0 ? PKT_FLAG.REBUILT : 0, pkt.checksumFlags, pkt.linkType, frame, tsSec, tsNsec, 0);
    return ref;
  }

  /** Empty again (every kept packet has been analysed). */
  clear(): void {
    this.writer.used = 0;
  }
}

/** Bytes of a PacketKeeper's buffer (packets are grouped by flow within it: docs/performance.md, "Flow by flow"). */
export const KEEP_BYTES = 1 << 20;
