/**
 * Capture format detection by magic number, and a push parser that detects the format from
 * the first bytes of the (decompressed) stream and hands everything to the right reader.
 */
import type { CaptureInfo, CaptureParser, FrameSink } from './frame.js';
import { CaptureFormatError } from '../core/errors.js';
import { PcapReader, isPcapMagic } from './pcap-reader.js';
import { BLOCK, PcapngReader } from './pcapng-reader.js';

/** Bytes looked at before deciding (enough for every signature below). */
export const DETECT_BYTES = 16;

/** What the first bytes of a stream are. */
export type Detected =
  | { kind: 'pcap' }
  | { kind: 'pcapng' }
  | { kind: 'gzip' }
  /** A known format tcpscope does not read; `name` says which, `hint` what to do. */
  | { kind: 'unsupported'; name: string; hint: string }
  | { kind: 'unknown' };

const CONVERT = 'convert it with `editcap -F pcapng <in> <out>` or `tshark -r <in> -w <out>`';
const DECOMPRESS = 'decompress it first (only gzip is read directly)';

/** Signatures of formats we recognise but do not read: [prefix bytes, name, hint]. */
const FOREIGN: ReadonlyArray<readonly [string, string, string]> = [
  ['snoop\0\0\0', 'Solaris snoop capture (RFC 1761)', CONVERT],
  ['btsnoop\0', 'btsnoop (Bluetooth HCI) capture', CONVERT],
  ['BTSNOOP\0', 'btsnoop (Bluetooth HCI) capture', CONVERT],
  ['GMBU', 'Microsoft Network Monitor 2.x capture', CONVERT],
  ['RTSS', 'Microsoft Network Monitor 1.x capture', CONVERT],
  ['XCP\0', 'NetXRay / Windows Sniffer capture', CONVERT],
  ['TRSNIFF data    \x1a', 'DOS Sniffer capture', CONVERT],
  ['iptrace ', 'AIX iptrace capture', CONVERT],
  ['\x28\xb5\x2f\xfd', 'zstd-compressed file', DECOMPRESS],
  ['\x04\x22\x4d\x18', 'LZ4-compressed file', DECOMPRESS],
  ['\xfd7zXZ\0', 'xz-compressed file', DECOMPRESS],
  ['BZh', 'bzip2-compressed file', DECOMPRESS],
  ['PK\x03\x04', 'zip archive', 'extract the capture from it first'],
];

function startsWith(head: Uint8Array, sig: string): boolean {
  if (head.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (head[i] !== sig.charCodeAt(i)) return false;
  return true;
}

/** Classify a stream by its first bytes (pass at least `DETECT_BYTES` unless the stream is shorter). */
export function detectFormat(head: Uint8Array): Detected {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: 'gzip' };
  if (head.length >= 4) {
    const be = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0, false);
    if (isPcapMagic(be)) return { kind: 'pcap' };
    if (be === BLOCK.SHB) return { kind: 'pcapng' };
  }
  for (const [sig, name, hint] of FOREIGN) if (startsWith(head, sig)) return { kind: 'unsupported', name, hint };
  return { kind: 'unknown' };
}

/** Hex of up to the first 8 bytes, e.g. "47 45 54 20 2f 20 48 54". */
export function hexHead(head: Uint8Array): string {
  return Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * A `CaptureParser` for a stream of unknown format: it buffers the first `DETECT_BYTES`,
 * picks the pcap or pcapng reader, then forwards every chunk. Faults go into `info.errors`.
 * `insideGzip`: the stream is already decompressed, so a gzip magic here is refused.
 */
export class DetectingParser implements CaptureParser {
  private readonly info: CaptureInfo;
  private readonly sink: FrameSink;
  private readonly insideGzip: boolean;
  private readonly head = new Uint8Array(DETECT_BYTES);
  private headLen = 0;
  private inner: CaptureParser | null = null;
  private halted = false;

  constructor(info: CaptureInfo, sink: FrameSink, insideGzip = false) {
    this.info = info;
    this.sink = sink;
    this.insideGzip = insideGzip;
  }

  get stopped(): boolean {
    return this.halted || (this.inner !== null && this.inner.stopped);
  }

  push(chunk: Uint8Array): void {
    if (this.inner !== null) {
      this.inner.push(chunk);
      return;
    }
    if (this.halted) return;
    const take = Math.min(DETECT_BYTES - this.headLen, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLen);
    this.headLen += take;
    if (this.headLen < DETECT_BYTES) return;
    this.start();
    if (this.inner !== null && take < chunk.length) (this.inner as CaptureParser).push(chunk.subarray(take));
  }

  end(): void {
    if (this.inner === null && !this.halted) {
      if (this.headLen === 0) {
        this.fault('ERR_TRUNCATED_FILE', 'empty file: no capture file header');
        return;
      }
      this.start();
    }
    this.inner?.end();
  }

  private start(): void {
    const head = this.head.subarray(0, this.headLen);
    const d = detectFormat(head);
    switch (d.kind) {
      case 'pcap':
        this.inner = new PcapReader(this.info, this.sink);
        break;
      case 'pcapng':
        this.inner = new PcapngReader(this.info, this.sink);
        break;
      case 'gzip':
        this.fault('ERR_UNSUPPORTED_FORMAT', this.insideGzip ? 'gzip data inside a gzip stream (compressed twice)' : 'gzip stream: decompress before parsing');
        return;
      case 'unsupported':
        this.fault('ERR_UNSUPPORTED_FORMAT', `this is a ${d.name}, not pcap or pcapng; ${d.hint}`);
        return;
      case 'unknown':
        this.fault(
          this.headLen < 4 ? 'ERR_TRUNCATED_FILE' : 'ERR_BAD_MAGIC',
          this.headLen < 4
            ? `file too short (${this.headLen} bytes) for a capture file header: ${hexHead(head)}`
            : `not a pcap, pcapng or gzip file: it starts with ${hexHead(head)}`,
        );
        return;
      default: {
        const never: never = d;
        throw new Error(`unhandled detection ${String(never)}`);
      }
    }
    this.inner.push(head);
  }

  private fault(code: 'ERR_TRUNCATED_FILE' | 'ERR_UNSUPPORTED_FORMAT' | 'ERR_BAD_MAGIC', what: string): void {
    this.info.errors.push(new CaptureFormatError(code, this.info.source, 0, 0, what));
    this.info.cutShort = true;
    this.halted = true;
  }
}
