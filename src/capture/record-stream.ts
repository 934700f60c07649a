/**
 * Chunk bookkeeping shared by the pcap and pcapng push parsers.
 *
 * A subclass parses complete records straight out of the pushed chunk (`parseSpan`). When a
 * record straddles two chunks, its bytes are copied into a carry buffer that only grows
 * (bounded by the readers' record-size limits), and the record is parsed from there once
 * complete. So the hot path allocates nothing per record: one `DataView` per pushed chunk.
 */
import type { CaptureInfo, CaptureParser, Frame, FrameSink } from './frame.js';
import { CaptureFormatError, type ErrorCode } from '../core/errors.js';

/** A fresh `Frame` with every field initialized (one stable object shape for V8). */
export function newFrame(): Frame {
  return {
    frameNo: 0,
    tsSec: 0,
    tsNsec: 0,
    caplen: 0,
    origLen: 0,
    linkType: 0,
    ifIndex: 0,
    buf: new Uint8Array(0),
    off: 0,
    fileOffset: 0,
    epbFlags: 0,
    hasTs: true,
  };
}

/**
 * `b` as a plain `Uint8Array` (a view over the same memory when `b` is a Node `Buffer` or
 * another subclass; `b` itself when it already is one). Every frame then hands the dissectors
 * the same typed-array class as the carry buffer and rebuilt datagrams, so their element
 * loads stay monomorphic: a capture mixing `Buffer` chunks with plain arrays otherwise makes V8
 * deoptimize the whole decode path once and recompile it polymorphic (measurably slower).
 */
export function plainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** Biggest record libpcap and wiretap accept (MAXIMUM_SNAPLEN / WTAP_MAX_PACKET_SIZE_STANDARD). */
export const MAX_RECORD_CAPLEN = 262_144;

/** Base of the two push parsers: carry buffer, stream offsets and error recording. */
export abstract class RecordStream implements CaptureParser {
  protected readonly info: CaptureInfo;
  protected readonly sink: FrameSink;
  protected readonly frame: Frame = newFrame();
  private halted = false;
  /** Bytes needed, counted from the start of the pending record, before parsing can go on. */
  protected need = 0;
  private carry = new Uint8Array(0);
  private carryDv = new DataView(this.carry.buffer);
  private carryLen = 0;
  /** Stream offset of `carry[0]`. */
  private carryBase = 0;
  /** Stream offset of the next pushed chunk's first byte. */
  private streamPos: number;

  /** `startOffset`: stream offset of the first byte this parser will be pushed. */
  constructor(info: CaptureInfo, sink: FrameSink, startOffset = 0) {
    this.info = info;
    this.sink = sink;
    this.streamPos = startOffset;
  }

  get stopped(): boolean {
    return this.halted;
  }

  /**
   * Parse every complete record in `buf[pos, end)`; `buf[0]` is at stream offset `base`.
   * Returns the position of the first record that is incomplete (setting `need`), or where
   * parsing stopped at a fatal fault (after calling `fail`).
   */
  protected abstract parseSpan(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number;

  /** What to say when the stream ends with `have` bytes of a pending record (needing `need`). */
  protected abstract truncationMessage(have: number): string;

  /** 1-based number of the record being parsed (for error messages). */
  protected abstract currentRecordIndex(): number;

  push(input: Uint8Array): void {
    if (this.halted || input.length === 0) return;
    const chunk = plainBytes(input);
    const chunkBase = this.streamPos;
    this.streamPos += chunk.length;
    this.info.streamBytes = this.streamPos;
    let pos = 0;
    while (this.carryLen > 0) {
      const take = Math.min(this.need - this.carryLen, chunk.length - pos);
      this.appendCarry(chunk, pos, take);
      pos += take;
      if (this.carryLen < this.need) return;
      const used = this.parseSpan(this.carry, this.carryDv, 0, this.carryLen, this.carryBase);
      if (this.halted) return;
      if (used === this.carryLen) this.carryLen = 0;
      // else the header is now known and `need` grew: keep filling the carry.
      else if (this.need <= this.carryLen) throw new Error('record-stream: parser made no progress');
    }
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const stop = this.parseSpan(chunk, dv, pos, chunk.length, chunkBase);
    if (this.halted || stop >= chunk.length) return;
    this.carryBase = chunkBase + stop;
    this.carryLen = 0;
    this.appendCarry(chunk, stop, chunk.length - stop);
  }

  end(): void {
    if (this.halted) return;
    if (this.carryLen > 0) {
      this.fail('ERR_TRUNCATED_FILE', this.carryBase, this.truncationMessage(this.carryLen));
    }
  }

  /** Record a fatal fault: reading stops, `cutShort` is set. */
  protected fail(code: ErrorCode, offset: number, what: string): void {
    this.info.errors.push(new CaptureFormatError(code, this.info.source, offset, this.currentRecordIndex(), what));
    this.info.cutShort = true;
    this.halted = true;
  }

  /** Record a non-fatal fault (the caller skips one record). */
  protected warn(code: ErrorCode, offset: number, what: string): void {
    this.info.errors.push(new CaptureFormatError(code, this.info.source, offset, this.currentRecordIndex(), what));
  }

  private appendCarry(src: Uint8Array, from: number, len: number): void {
    const want = this.carryLen + len;
    if (want > this.carry.length) {
      const grown = new Uint8Array(Math.max(want, this.need, this.carry.length * 2, 4096));
      grown.set(this.carry.subarray(0, this.carryLen));
      this.carry = grown;
      this.carryDv = new DataView(grown.buffer);
    }
    this.carry.set(src.subarray(from, from + len), this.carryLen);
    this.carryLen = want;
  }
}
