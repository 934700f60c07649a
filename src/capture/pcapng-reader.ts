/**
 * pcapng push parser (draft-ietf-opsawg-pcapng).
 *
 * Every block is { type u32, total length u32, body, total length u32 } (section 3.1) in the
 * byte order of its section. A Section Header Block (type 0x0A0D0D0A, a palindrome, so it is
 * found in either order; its byte-order magic 0x1A2B3C4D says which) starts each section
 * (section 4.1); Interface Description Blocks are numbered from 0 within a section. Here
 * interfaces are numbered globally over the file (`Frame.ifIndex` indexes
 * `CaptureInfo.interfaces`).
 *
 * Read: SHB (version 1.x only), IDB, EPB (section 4.3), SPB (4.4), the obsolete Packet
 * Block (type 2, appendix), ISB (4.6). Skipped and counted in `skippedBlocks`: NRB, DSB,
 * custom blocks (0x00000BAD / 0x40000BAD) and any other type.
 *
 * Faults. Fatal (reading stops, `cutShort`): a block length below 12, not a multiple of 4,
 * over 16 MiB, or different in the trailer (ERR_BAD_LENGTH); a block shorter than its
 * fixed fields or a packet longer than its block or than 262144 bytes (ERR_BAD_LENGTH); an
 * option running past its block (ERR_BAD_OPTION); a bad SHB byte-order magic (ERR_BAD_MAGIC);
 * SHB major version other than 1 (ERR_UNSUPPORTED_VERSION); the stream ending inside a block
 * (ERR_TRUNCATED_FILE). Non-fatal (the block is skipped): a packet or statistics block naming
 * an interface not described in its section (ERR_BAD_INTERFACE).
 *
 * `recordIndex` in error messages counts blocks (the first SHB is block 1).
 */
import type { CaptureInfo, FrameSink, InterfaceInfo } from './frame.js';
import type { ErrorCode } from '../core/errors.js';
import { MAX_RECORD_CAPLEN, RecordStream } from './record-stream.js';
import { BAD_OPTIONS, OPT, findEpbFlags, readI64, readU64, walkOptions } from './pcapng-options.js';
import { type TickScale, tickScale, ticksToTs } from './pcapng-time.js';

/** Block types (section 11.1 of the draft). */
export const BLOCK = {
  SHB: 0x0a0d0d0a,
  IDB: 0x00000001,
  PB: 0x00000002,
  SPB: 0x00000003,
  NRB: 0x00000004,
  ISB: 0x00000005,
  EPB: 0x00000006,
  DSB: 0x0000000a,
  CUSTOM: 0x00000bad,
  CUSTOM_NOCOPY: 0x40000bad,
} as const;

/** SHB byte-order magic, as read big-endian. */
const BOM_BE = 0x1a2b3c4d;
const BOM_LE = 0x4d3c2b1a;
/** Sanity cap on one block (libpcap and wiretap cap block sizes similarly). */
export const MAX_BLOCK_LEN = 16 * 1024 * 1024;
const MIN_BLOCK_LEN = 12;

interface IfaceState {
  info: InterfaceInfo;
  global: number;
  scale: TickScale;
}

/**
 * Push parser for one pcapng stream, pushed from its first byte (an SHB). Calls `sink` once
 * per packet with a reused `Frame` (valid during the call only) and fills `info`.
 */
export class PcapngReader extends RecordStream {
  private le = true;
  private blocks = 0;
  /** Interfaces of the current section, by local id. */
  private section: IfaceState[] = [];
  private readonly textDecoder = new TextDecoder('utf-8', { fatal: false });

  constructor(info: CaptureInfo, sink: FrameSink) {
    super(info, sink);
    this.need = MIN_BLOCK_LEN;
  }

  protected currentRecordIndex(): number {
    return this.blocks + 1;
  }

  protected truncationMessage(have: number): string {
    if (have < MIN_BLOCK_LEN) return `file ends inside a block header (${have} of ${MIN_BLOCK_LEN} bytes)`;
    return `block cut short: total length ${this.need}, only ${have} bytes in the file`;
  }

  protected parseSpan(buf: Uint8Array, dv: DataView, pos: number, end: number, base: number): number {
    for (;;) {
      if (end - pos < MIN_BLOCK_LEN) {
        this.need = MIN_BLOCK_LEN;
        return pos;
      }
      let le = this.le;
      const type = dv.getUint32(pos, le);
      if (type === BLOCK.SHB) {
        const bom = dv.getUint32(pos + 8, false);
        if (bom !== BOM_BE && bom !== BOM_LE) {
          this.fail('ERR_BAD_MAGIC', base + pos, `section header byte-order magic is ${bom.toString(16).padStart(8, '0')}, not 1a2b3c4d`);
          return pos;
        }
        le = bom === BOM_LE;
      } else if (this.blocks === 0) {
        this.fail('ERR_BAD_MAGIC', base + pos, 'pcapng stream does not start with a section header block');
        return pos;
      }
      const len = dv.getUint32(pos + 4, le);
      if (len < MIN_BLOCK_LEN || (len & 3) !== 0 || len > MAX_BLOCK_LEN) {
        const why = len < MIN_BLOCK_LEN ? `below the minimum of ${MIN_BLOCK_LEN}` : (len & 3) !== 0 ? 'not a multiple of 4' : `over the ${MAX_BLOCK_LEN}-byte limit`;
        this.fail('ERR_BAD_LENGTH', base + pos, `block type 0x${type.toString(16)} has total length ${len}, ${why}`);
        return pos;
      }
      if (end - pos < len) {
        this.need = len;
        return pos;
      }
      const trailer = dv.getUint32(pos + len - 4, le);
      if (trailer !== len) {
        this.badTrailer(dv, pos, len, base, type, le, trailer);
        return pos;
      }
      if (type === BLOCK.EPB || type === BLOCK.PB) this.packetBlock(buf, dv, pos, len, base, type === BLOCK.PB);
      else this.otherBlock(buf, dv, pos, len, base, type, le);
      if (this.stopped) return pos;
      this.blocks++;
      pos += len;
    }
  }

  /**
   * Leading and trailing lengths disagree. libpcap and wiretap parse the body before the
   * trailer, so when the options already run past the block (libpcap's
   * shb-option-too-long.pcapng) they report the option: so do we, else ERR_BAD_LENGTH.
   */
  private badTrailer(dv: DataView, pos: number, len: number, base: number, type: number, le: boolean, trailer: number): void {
    const optStart = type === BLOCK.SHB ? 24 : type === BLOCK.IDB ? 16 : type === BLOCK.ISB ? 20 : -1;
    const fault = optStart > 0 && len >= optStart + 4 ? walkOptions(dv, pos + optStart, pos + len - 4, le, () => undefined) : null;
    if (fault !== null) this.fail('ERR_BAD_OPTION', base + pos, `block type 0x${type.toString(16)} options: ${fault}`);
    else this.fail('ERR_BAD_LENGTH', base + pos, `block type 0x${type.toString(16)}: leading total length ${len} and trailing ${trailer} disagree`);
  }

  private otherBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, type: number, le: boolean): void {
    switch (type) {
      case BLOCK.SHB: // a new section: new byte order, interfaces numbered from 0 again
        this.sectionHeader(dv, pos, len, base, le);
        return;
      case BLOCK.IDB: // describes the next interface of this section
        this.interfaceDescription(buf, dv, pos, len, base);
        return;
      case BLOCK.SPB: // packet on interface 0 without timestamp
        this.simplePacket(buf, dv, pos, len, base);
        return;
      case BLOCK.ISB: // per-interface counters
        this.interfaceStatistics(dv, pos, len, base);
        return;
      default: // NRB, DSB, custom and unknown blocks carry nothing the analyzer uses
        this.info.skippedBlocks++;
    }
  }

  /** Fatal when the block is shorter than `min` (its fixed fields plus framing). */
  private tooShort(len: number, min: number, what: string, base: number, pos: number): boolean {
    if (len >= min) return false;
    this.fail('ERR_BAD_LENGTH', base + pos, `${what} block of ${len} bytes is shorter than its ${min}-byte minimum`);
    return true;
  }

  private badOptions(code: ErrorCode, fault: string | null, what: string, base: number, pos: number): boolean {
    if (fault === null) return false;
    this.fail(code, base + pos, `${what} options: ${fault}`);
    return true;
  }

  /** Section Header Block (section 4.1): byte-order magic, version, section length, options. */
  private sectionHeader(dv: DataView, pos: number, len: number, base: number, le: boolean): void {
    if (this.tooShort(len, 28, 'section header', base, pos)) return;
    const major = dv.getUint16(pos + 12, le);
    const minor = dv.getUint16(pos + 14, le);
    if (major !== 1) {
      this.fail('ERR_UNSUPPORTED_VERSION', base + pos, `pcapng section header version ${major}.${minor} unsupported (only 1.x)`);
      return;
    }
    const fault = walkOptions(dv, pos + 24, pos + len - 4, le, () => undefined);
    if (this.badOptions('ERR_BAD_OPTION', fault, 'section header', base, pos)) return;
    const info = this.info;
    if (info.sections === 0) {
      info.format = 'pcapng';
      info.byteOrder = le ? 'le' : 'be';
      info.versionMajor = major;
      info.versionMinor = minor;
    }
    info.sections++;
    this.le = le;
    this.section = [];
  }

  /** Interface Description Block (section 4.2): link type, snaplen, if_name/if_tsresol/if_tsoffset. */
  private interfaceDescription(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    if (this.tooShort(len, 20, 'interface description', base, pos)) return;
    const le = this.le;
    const iface: InterfaceInfo = {
      linkType: dv.getUint16(pos + 8, le),
      snaplen: dv.getUint32(pos + 12, le),
      name: null,
      ticksPerSecond: 1_000_000,
      tsresol: -1,
      tsoffset: 0,
      section: this.info.sections - 1,
      packets: 0,
      ifDrop: null,
      ifRecv: null,
    };
    let optFault: string | null = null;
    const fault = walkOptions(dv, pos + 16, pos + len - 4, le, (code, off, olen) => {
      if (code === OPT.IF_NAME) iface.name = this.textDecoder.decode(buf.subarray(off, off + olen)).replace(/\0+$/, '');
      else if (code === OPT.IF_TSRESOL && olen >= 1) iface.tsresol = dv.getUint8(off);
      else if (code === OPT.IF_TSOFFSET) {
        if (olen >= 8) iface.tsoffset = readI64(dv, off, le);
        else optFault = `if_tsoffset has ${olen} bytes, not 8`;
      }
    });
    if (this.badOptions('ERR_BAD_OPTION', fault ?? optFault, 'interface description', base, pos)) return;
    const scale = tickScale(iface.tsresol);
    if (scale === null) {
      this.fail('ERR_BAD_OPTION', base + pos, `if_tsresol 0x${iface.tsresol.toString(16)} is finer than 10^-19 / 2^-63 seconds`);
      return;
    }
    iface.ticksPerSecond = scale.tps;
    this.section.push({ info: iface, global: this.info.interfaces.length, scale });
    this.info.interfaces.push(iface);
  }

  /** The interface a block names, or null after a non-fatal ERR_BAD_INTERFACE. */
  private lookup(id: number, what: string, base: number, pos: number): IfaceState | null {
    const st = this.section[id];
    if (st !== undefined) return st;
    this.warn('ERR_BAD_INTERFACE', base + pos, `${what} names interface ${id}, but this section describes ${this.section.length}; block skipped`);
    return null;
  }

  /** Enhanced Packet Block (section 4.3) or obsolete Packet Block (appendix A): same layout but a 16-bit interface id. */
  private packetBlock(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number, obsolete: boolean): void {
    const le = this.le;
    const caplen = len >= 32 ? dv.getUint32(pos + 20, le) : 0;
    if (len < 32 || caplen > len - 32 || caplen > MAX_RECORD_CAPLEN) {
      this.badPacketLength(len, caplen, base, pos, obsolete);
      return;
    }
    const optStart = pos + 28 + ((caplen + 3) & ~3);
    const optEnd = pos + len - 4;
    const flags = optStart < optEnd ? findEpbFlags(dv, optStart, optEnd, le) : 0;
    if (flags === BAD_OPTIONS) {
      this.fail('ERR_BAD_OPTION', base + pos, `${obsolete ? 'packet' : 'enhanced packet'} block options run past the block`);
      return;
    }
    const id = obsolete ? dv.getUint16(pos + 8, le) : dv.getUint32(pos + 8, le);
    const st = this.section[id] ?? this.lookup(id, obsolete ? 'packet block' : 'enhanced packet block', base, pos);
    if (st === null) return;
    const frame = this.frame;
    ticksToTs(dv.getUint32(pos + 12, le), dv.getUint32(pos + 16, le), st.scale, st.info.tsoffset, frame);
    frame.hasTs = true;
    frame.epbFlags = flags;
    this.deliver(buf, pos, 28, caplen, dv.getUint32(pos + 24, le), st, base);
  }

  private badPacketLength(len: number, caplen: number, base: number, pos: number, obsolete: boolean): void {
    const what = obsolete ? 'packet' : 'enhanced packet';
    if (this.tooShort(len, 32, what, base, pos)) return;
    const room = caplen > MAX_RECORD_CAPLEN ? `the maximum of ${MAX_RECORD_CAPLEN}` : `the ${len - 32} bytes its ${len}-byte block holds`;
    this.fail('ERR_BAD_LENGTH', base + pos, `${what} block claims ${caplen} captured bytes, more than ${room}`);
  }

  /** Simple Packet Block (section 4.4): interface 0, no timestamp, caplen implied. */
  private simplePacket(buf: Uint8Array, dv: DataView, pos: number, len: number, base: number): void {
    if (this.tooShort(len, 16, 'simple packet', base, pos)) return;
    const st = this.lookup(0, 'simple packet block', base, pos);
    if (st === null) return;
    const origLen = dv.getUint32(pos + 8, this.le);
    // caplen = min(original length, interface snaplen, bytes in the block) per section 4.4.
    let caplen = Math.min(origLen, len - 16);
    if (st.info.snaplen !== 0 && st.info.snaplen < caplen) caplen = st.info.snaplen;
    if (caplen > MAX_RECORD_CAPLEN) {
      this.fail('ERR_BAD_LENGTH', base + pos, `simple packet block holds ${caplen} captured bytes, more than the maximum of ${MAX_RECORD_CAPLEN}`);
      return;
    }
    const frame = this.frame;
    frame.tsSec = 0;
    frame.tsNsec = 0;
    frame.hasTs = false;
    frame.epbFlags = 0;
    this.info.packetsWithoutTs++;
    this.deliver(buf, pos, 12, caplen, origLen, st, base);
  }

  private deliver(buf: Uint8Array, pos: number, dataOff: number, caplen: number, origLen: number, st: IfaceState, base: number): void {
    const info = this.info;
    const frame = this.frame;
    frame.frameNo = ++info.packets;
    frame.caplen = caplen;
    frame.origLen = origLen;
    frame.linkType = st.info.linkType;
    frame.ifIndex = st.global;
    frame.buf = buf;
    frame.off = pos + dataOff;
    frame.fileOffset = base + pos;
    info.capturedBytes += caplen;
    info.wireBytes += origLen;
    if (caplen < origLen) info.truncatedRecords++;
    st.info.packets++;
    this.sink(frame);
  }

  /** Interface Statistics Block (section 4.6): keep the last isb_ifrecv / isb_ifdrop per interface. */
  private interfaceStatistics(dv: DataView, pos: number, len: number, base: number): void {
    if (this.tooShort(len, 24, 'interface statistics', base, pos)) return;
    const le = this.le;
    let recv: number | null = null;
    let drop: number | null = null;
    const fault = walkOptions(dv, pos + 20, pos + len - 4, le, (code, off, olen) => {
      if (olen < 8) return;
      if (code === OPT.ISB_IFRECV) recv = readU64(dv, off, le);
      else if (code === OPT.ISB_IFDROP) drop = readU64(dv, off, le);
    });
    if (this.badOptions('ERR_BAD_OPTION', fault, 'interface statistics', base, pos)) return;
    const st = this.lookup(dv.getUint32(pos + 8, le), 'interface statistics block', base, pos);
    if (st === null) return;
    if (recv !== null) st.info.ifRecv = recv;
    if (drop !== null) st.info.ifDrop = drop;
    let sum: number | null = null;
    for (const i of this.info.interfaces) if (i.ifDrop !== null) sum = (sum ?? 0) + i.ifDrop;
    this.info.dropped = sum;
  }
}
