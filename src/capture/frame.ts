/**
 * The contract between capture readers and everything downstream.
 *
 * A reader is a push parser: it is fed chunks of the (decompressed) capture stream and calls a
 * `FrameSink` once per packet record, synchronously, with ONE reused `Frame` object. The frame and
 * the bytes it points to are valid only during that call: a consumer that needs them later copies.
 * Nothing is allocated per packet on this path.
 */
import type { CaptureFormatError } from '../core/errors.js';

/** One captured packet record. Reused by the reader: valid only during the sink call. */
export interface Frame {
  /** 1-based packet number in the capture (only packet-carrying records count), like Wireshark. */
  frameNo: number;
  /** Timestamp: whole epoch seconds (may exceed 2^32 with pcapng 64-bit tick counts). */
  tsSec: number;
  /** Timestamp: nanoseconds within the second, 0..999_999_999. */
  tsNsec: number;
  /** Bytes captured (what `buf` holds for this frame). */
  caplen: number;
  /** Length of the packet on the wire (>= caplen when the snap length cut it). */
  origLen: number;
  /** LINKTYPE_* number of the interface the packet came from. */
  linkType: number;
  /** Interface index: 0 for classic pcap; for pcapng the index into `CaptureInfo.interfaces` (global over sections). */
  ifIndex: number;
  /** The packet bytes are `buf[off .. off + caplen)`. */
  buf: Uint8Array;
  off: number;
  /** Byte offset of this record's header in the decompressed capture stream. */
  fileOffset: number;
  /** pcapng `epb_flags` (direction in bits 0-1: 1 inbound, 2 outbound), or 0 when absent. */
  epbFlags: number;
  /**
   * false when the record carries no timestamp (pcapng Simple Packet Block): `tsSec`/`tsNsec`
   * are then 0 and Wireshark shows no time. The capture readers always set it; other
   * producers may leave it out, meaning true.
   */
  hasTs?: boolean;
}

/** What a pcapng Interface Description Block (or a classic pcap header) said about an interface. */
export interface InterfaceInfo {
  /** LINKTYPE_* number. */
  linkType: number;
  /** Snap length; 0 means unlimited. */
  snaplen: number;
  /** `if_name` when present. */
  name: string | null;
  /** Ticks per second derived from `if_tsresol` (10^6 by default; 10^9 for nanosecond pcap). */
  ticksPerSecond: number;
  /** `if_tsresol` raw byte (bit 7 set = power of 2), or -1 when absent / classic pcap. */
  tsresol: number;
  /** `if_tsoffset` in seconds (added to every timestamp). */
  tsoffset: number;
  /** 0-based pcapng section this interface belongs to (0 for pcap). */
  section: number;
  /** Packets seen on this interface. */
  packets: number;
  /** Drop count from the last Interface Statistics Block (`isb_ifdrop`), or null. */
  ifDrop: number | null;
  /** Received count from the last ISB (`isb_ifrecv`), or null. */
  ifRecv: number | null;
}

export type CaptureFormat = 'pcap' | 'pcap-nsec' | 'pcapng' | 'live';

/** Facts about one capture source, filled in while it is read. Plain data, JSON-safe except `errors`. */
export interface CaptureInfo {
  /** File path as given, or '-' for standard input. */
  source: string;
  /** null until the magic number has been read. */
  format: CaptureFormat | null;
  /** 'gzip' when the stream was gzip-compressed. */
  compression: 'gzip' | null;
  /** Byte order of the (first) header. */
  byteOrder: 'le' | 'be' | null;
  /** Version from the file header (pcap) or first SHB (pcapng). */
  versionMajor: number;
  versionMinor: number;
  /** Number of pcapng sections (1 for pcap). */
  sections: number;
  /** One entry per interface (classic pcap: exactly one). */
  interfaces: InterfaceInfo[];
  /** Packet records read. */
  packets: number;
  /** Sum of captured lengths (capinfos "data size"). */
  capturedBytes: number;
  /** Sum of original lengths. */
  wireBytes: number;
  /** Bytes of the (decompressed) stream consumed. */
  streamBytes: number;
  /** Records whose caplen < origLen. */
  truncatedRecords: number;
  /** Sum of ISB drop counts, or null when the capture does not say. */
  dropped: number | null;
  /** Non-packet blocks skipped (NRB, DSB, custom, unknown). */
  skippedBlocks: number;
  /** Packet records without a timestamp (pcapng Simple Packet Blocks). */
  packetsWithoutTs: number;
  /** Classic pcap records whose fraction field was out of range (>= 10^6 µs or 10^9 ns). */
  badTimestamps: number;
  /**
   * Format faults, in the order met. A fatal one ends reading (`cutShort`); every record
   * before it was delivered. Non-fatal ones (e.g. a block naming an unknown interface) skip
   * one record.
   */
  errors: CaptureFormatError[];
  /** True when reading stopped at a fault before the end of the stream. */
  cutShort: boolean;
}

/** Receives each frame. Must not keep `frame` or its bytes after returning. */
export type FrameSink = (frame: Frame) => void;

/** A push parser for one capture format. */
export interface CaptureParser {
  /** Feed the next chunk of the stream. The parser may keep a reference to it until the next push. */
  push(chunk: Uint8Array): void;
  /** The stream ended: report a record cut off at end of file, if any. */
  end(): void;
  /** True once a fatal fault was met: further pushes are ignored. */
  readonly stopped: boolean;
}

export function newCaptureInfo(source: string): CaptureInfo {
  return {
    source,
    format: null,
    compression: null,
    byteOrder: null,
    versionMajor: 0,
    versionMinor: 0,
    sections: 0,
    interfaces: [],
    packets: 0,
    capturedBytes: 0,
    wireBytes: 0,
    streamBytes: 0,
    truncatedRecords: 0,
    dropped: null,
    skippedBlocks: 0,
    packetsWithoutTs: 0,
    badTimestamps: 0,
    errors: [],
    cutShort: false,
  };
}
