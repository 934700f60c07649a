/**
 * Classic pcap ("libpcap") push parser.
 *
 * Layout (draft-ietf-opsawg-pcap, sections 4-5): a 24-byte file header (magic, version
 * major/minor, reserved x2, snaplen, link type + FCS bits) then records of a 16-byte header
 * (ts seconds, ts fraction, captured length, original length) and `caplen` packet bytes.
 *
 * Variants read here, all told apart by the magic number in either byte order:
 * - a1b2c3d4: fraction field in microseconds;
 * - a1b23c4d: fraction field in nanoseconds;
 * - a1b2cd34: Alexey Kuznetzov's "modified pcap" (old Red Hat tcpdump patches): microseconds,
 *   and 24-byte record headers that add ifindex (u32), protocol (u16), pkt_type (u8) and one
 *   pad byte. Those extra fields are skipped; otherwise it reads like the µs format.
 *
 * Decisions (libpcap / wiretap behaviour, so counts agree with tshark and capinfos):
 * - Version: major must be 2 (wiretap: "major version N unsupported"), minor at most 4
 *   (libpcap refuses later minors). Files older than 2.3 may have caplen and len swapped
 *   (old libpcap writers); as libpcap does, they are swapped back when caplen > len.
 * - caplen > 262144 (libpcap MAXIMUM_SNAPLEN, wiretap WTAP_MAX_PACKET_SIZE_STANDARD) is a
 *   fatal ERR_BAD_LENGTH: past that point the framing cannot be trusted.
 * - caplen > the header's snaplen but <= 262144: the record is kept whole, as wiretap (and
 *   so tshark/capinfos) do. Nothing is reported; snaplens in headers are often wrong.
 * - Fraction field out of range (>= 10^6 µs, or >= 10^9 ns): counted in
 *   `info.badTimestamps`, and converted the way wiretap does so times equal tshark's:
 *   µs * 1000 computed in 32-bit unsigned arithmetic (wiretap multiplies a guint32), then
 *   whole seconds carried into `tsSec` so that `tsNsec` stays < 10^9. E.g. 1418145370 s +
 *   1000000 µs reads as 1418145371.000000000 (tshark's relative time agrees), and
 *   2147483648 µs wraps to 0 ns (tshark shows .000000000).
 */
import type { CaptureInfo, FrameSink, InterfaceInfo } from './frame.js';
import { MAX_RECORD_CAPLEN, RecordStream } from './record-stream.js';

/** Magic numbers as read big-endian from the first four bytes. */
export const PCAP_MAGIC = {
  USEC: 0xa1b2c3d4,
  NSEC: 0xa1b23c4d,
  KUZNETZOV: 0xa1b2cd34,
} as const;

const FILE_HEADER_LEN = 24;
const NS_PER_SEC = 1_000_000_000;

/** True when these four bytes (big-endian value) are a classic pcap magic in either byte order. */
export function isPcapMagic(be: number): boolean {
  return pcapMagicKind(be) !== null;
}

function bswap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

function pcapMagicKind(be: number): { le: boolean; magic: number } | null {
  for (const magic of [PCAP_MAGIC.USEC, PCAP_MAGIC.NSEC, PCAP_MAGIC.KUZNETZOV]) {
    if (be === magic) return { le: false, magic };
    if (be === bswap32(magic)) return { le: true, magic };
  }
  return null;
}

/**
 * Push parser for one classic pcap stream, pushed from its first byte. Calls `sink` once per
 * record with a reused `Frame` (valid during the call only) and fills `info` as it goes.
 */
export class PcapReader extends RecordStream {
  private le = true;
  private nanos = false;
  private hdrLen = 16;
  private headerDone = false;
  private lengthsMaybeSwapped = false;
  private iface: InterfaceInfo | null = null;

  constructor(info: CaptureInfo, sink: FrameSink) {
    super(info, sink);
    this.need = FILE_HEADER_LEN;
  }

  protected currentRecordIndex(): number {
    return this.headerDone ? this.info.packets + 1 : 0;
  }

  protected truncationMessage(have: number): string {
    if (!this.headerDone) return `file ends inside the pcap file header (${have} of ${FILE_HEADER_LEN} bytes)`;
    if (have < this.hdrLen) return `file ends inside a record header (${have} of ${this.hdrLen} bytes)`;
    return `record cut short: ${this.need - this.hdrLen} bytes captured, only ${have - this.hdrLen} in the file`;
  }

  protected parseSpan(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number {
    if (!this.headerDone) {
      if (end - pos < FILE_HEADER_LEN) {
        this.need = FILE_HEADER_LEN;
        return pos;
      }
      if (!this.parseFileHeader(dv, pos, base)) return pos;
      pos += FILE_HEADER_LEN;
    }
    const le = this.le;
    const hdrLen = this.hdrLen;
    const frame = this.frame;
    const sink = this.sink;
    const info = this.info;
    const iface = this.iface as InterfaceInfo;
    const swapFix = this.lengthsMaybeSwapped;
    const fracLimit = this.nanos ? NS_PER_SEC : 1_000_000;
    const fracToNs = this.nanos ? 1 : 1000;
    frame.buf = buf;
    for (;;) {
      if (end - pos < hdrLen) {
        this.need = hdrLen;
        return pos;
      }
      let caplen = dv.getUint32(pos + 8, le);
      let origLen = dv.getUint32(pos + 12, le);
      if (swapFix && caplen > origLen) {
        const t = caplen;
        caplen = origLen;
        origLen = t;
      }
      if (caplen > MAX_RECORD_CAPLEN) {
        this.fail('ERR_BAD_LENGTH', base + pos, `record claims ${caplen} captured bytes, bigger than the maximum of ${MAX_RECORD_CAPLEN}`);
        return pos;
      }
      const total = hdrLen + caplen;
      if (end - pos < total) {
        this.need = total;
        return pos;
      }
      const sec = dv.getUint32(pos, le);
      const frac = dv.getUint32(pos + 4, le);
      if (frac < fracLimit) {
        frame.tsSec = sec;
        frame.tsNsec = frac * fracToNs;
      } else {
        this.setOddTimestamp(sec, frac);
      }
      frame.frameNo = ++info.packets;
      frame.caplen = caplen;
      frame.origLen = origLen;
      frame.off = pos + hdrLen;
      frame.fileOffset = base + pos;
      info.capturedBytes += caplen;
      info.wireBytes += origLen;
      if (caplen < origLen) info.truncatedRecords++;
      iface.packets++;
      sink(frame);
      pos += total;
    }
  }

  /** Out-of-range fraction field: wiretap's arithmetic (see the module comment). */
  private setOddTimestamp(sec: number, frac: number): void {
    this.info.badTimestamps++;
    const ns = this.nanos ? frac : (frac * 1000) % 4294967296;
    const carry = Math.floor(ns / NS_PER_SEC);
    this.frame.tsSec = sec + carry;
    this.frame.tsNsec = ns - carry * NS_PER_SEC;
  }

  /** Parse and check the 24-byte file header at `pos`; false after a fatal fault. */
  private parseFileHeader(dv: DataView, pos: number, base: number): boolean {
    const info = this.info;
    const kind = pcapMagicKind(dv.getUint32(pos, false));
    if (kind === null) {
      this.fail('ERR_BAD_MAGIC', base + pos, `not a pcap file header (magic ${dv.getUint32(pos, false).toString(16).padStart(8, '0')})`);
      return false;
    }
    const le = kind.le;
    this.le = le;
    this.nanos = kind.magic === PCAP_MAGIC.NSEC;
    this.hdrLen = kind.magic === PCAP_MAGIC.KUZNETZOV ? 24 : 16;
    info.format = this.nanos ? 'pcap-nsec' : 'pcap';
    info.byteOrder = le ? 'le' : 'be';
    info.versionMajor = dv.getUint16(pos + 4, le);
    info.versionMinor = dv.getUint16(pos + 6, le);
    if (info.versionMajor !== 2 || info.versionMinor > 4) {
      this.fail('ERR_UNSUPPORTED_VERSION', base + pos, `pcap version ${info.versionMajor}.${info.versionMinor} unsupported (only 2.0 to 2.4)`);
      return false;
    }
    this.lengthsMaybeSwapped = info.versionMinor < 3;
    // Link type field: low 16 bits are the LINKTYPE_*; bits 26-31 carry FCS info (draft-ietf-opsawg-pcap section 4).
    const iface: InterfaceInfo = {
      linkType: dv.getUint32(pos + 20, le) & 0xffff,
      snaplen: dv.getUint32(pos + 16, le),
      name: null,
      ticksPerSecond: this.nanos ? NS_PER_SEC : 1_000_000,
      tsresol: -1,
      tsoffset: 0,
      section: 0,
      packets: 0,
      ifDrop: null,
      ifRecv: null,
    };
    this.iface = iface;
    info.interfaces.push(iface);
    info.sections = 1;
    this.frame.linkType = iface.linkType;
    this.frame.ifIndex = 0;
    this.frame.epbFlags = 0;
    this.frame.hasTs = true;
    this.headerDone = true;
    return true;
  }
}
