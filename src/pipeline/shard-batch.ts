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
 * Little-endian; no object per record on either side.
 */

export const REC = { PACKET: 1, SWEEP: 2 } as const;

/** PACKET flags. */
export const PKT_FLAG = { REBUILT: 1, HAS_TS: 2 } as const;

/** PACKET record: header bytes, then `len` packet bytes, then padding to 8. */
export const PKT = {
  TYPE: 0, // u8
  FLAGS: 1, // u8 PKT_FLAG bits
  CHECKSUM_FLAGS: 2, // u16 DecodedPacket.checksumFlags
  LINK_TYPE: 4, // u32
  FRAME: 8, // f64 frame number
  TS_SEC: 16, // f64
  TS_NSEC: 24, // u32
  LEN: 28, // u32 bytes that follow
  TIME: 32, // f64 packet time for expiry (PacketClock.advance)
  HEADER: 40,
} as const;

/** SWEEP record. */
export const SWP = {
  TYPE: 0, // u8
  BARRIER: 1, // u8 1 = agree on the stops first
  NOW: 8, // f64 clock time of the sweep
  FRAME: 16, // f64 frame number of the packet the sweep precedes
  SIZE: 24,
} as const;

/** Default batch size; a bigger one is made for a record that does not fit (a 64 KiB datagram). */
export const BATCH_BYTES = 1 << 20;

/** Size of a PACKET record with `len` bytes. */
export function packetRecordSize(len: number): number {
  return (PKT.HEADER + len + 7) & ~7;
}

/**
 * Writes records into one batch buffer (main thread). `reset` starts over on a (returned or
 * new) buffer; `used` is what to send.
 */
export class BatchWriter {
  buf: ArrayBuffer;
  private view: DataView;
  private bytes: Uint8Array;
  used = 0;

  constructor(buf: ArrayBuffer) {
    this.buf = buf;
    this.view = new DataView(buf);
    this.bytes = new Uint8Array(buf);
  }

  reset(buf: ArrayBuffer): void {
    this.buf = buf;
    this.view = new DataView(buf);
    this.bytes = new Uint8Array(buf);
    this.used = 0;
  }

  /** Bytes still free. */
  get free(): number {
    return this.buf.byteLength - this.used;
  }

  packet(src: Uint8Array, off: number, len: number, flags: number, checksumFlags: number, linkType: number, frame: number, tsSec: number, tsNsec: number, time: number): void {
    const v = this.view;
    const o = this.used;
    v.setUint8(o + PKT.TYPE, REC.PACKET);
    v.setUint8(o + PKT.FLAGS, flags);
    v.setUint16(o + PKT.CHECKSUM_FLAGS, checksumFlags, true);
    v.setUint32(o + PKT.LINK_TYPE, linkType >>> 0, true);
    v.setFloat64(o + PKT.FRAME, frame, true);
    v.setFloat64(o + PKT.TS_SEC, tsSec, true);
    v.setUint32(o + PKT.TS_NSEC, tsNsec, true);
    v.setUint32(o + PKT.LEN, len, true);
    v.setFloat64(o + PKT.TIME, time, true);
    // Measured fastest for ~100-byte frames (a byte loop is 4x slower); the view is short-lived.
    this.bytes.set(src.subarray(off, off + len), o + PKT.HEADER);
    this.used = o + packetRecordSize(len);
  }

  sweep(now: number, frame: number, barrier: boolean): void {
    const v = this.view;
    const o = this.used;
    v.setUint8(o + SWP.TYPE, REC.SWEEP);
    v.setUint8(o + SWP.BARRIER, barrier ? 1 : 0);
    v.setFloat64(o + SWP.NOW, now, true);
    v.setFloat64(o + SWP.FRAME, frame, true);
    this.used = o + SWP.SIZE;
  }
}
