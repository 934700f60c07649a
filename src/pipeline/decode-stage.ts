/**
 * The decode stage: frame → DecodedPacket, IP defragmentation, packet counters. It owns one
 * reusable DecodedPacket (plus one for rebuilt datagrams) and hands each decoded packet to a
 * sink synchronously; the packet is valid only during that call.
 *
 * Nothing here allocates per packet on the common path (an unfragmented frame).
 */
import type { Frame } from '../capture/frame.js';
import { linkTypeName } from '../capture/link-type.js';
import { decodeIp, decodePacket } from '../dissectors/decode.js';
import { CHECKSUM_FLAG, DecodedPacket, LAYER, STOP_LAYER_NAME, STOP_REASON, STOP_REASON_NAME } from '../dissectors/decoded-packet.js';
import { CHECKSUM, verifyIpv4Checksum, verifyL4Checksum } from '../dissectors/checksum.js';
import { IpDefragmenter, type Reassembled } from '../reassembly/ip-defrag.js';
import { newPacketCounters, type PacketCounters } from './stats.js';

/** Thrown by a consumer to stop reading (e.g. `packets -c N`); the pipeline guard lets it through. */
export class StopPipeline extends Error {}

/** Internal errors listed with their frame numbers (all are counted). */
export const MAX_INTERNAL_ERROR_SAMPLES = 10;

/** What a delivered packet is. */
export const PACKET_KIND = {
  /** An unfragmented frame. */
  FRAME: 0,
  /** An IP fragment as captured (only with `deliverFragments`); `r` is the datagram it completed, if it did. */
  FRAGMENT: 1,
  /** A datagram rebuilt from fragments; `frame` is the frame of its last fragment, `r` the datagram. */
  REBUILT: 2,
} as const;
export type PacketKind = (typeof PACKET_KIND)[keyof typeof PACKET_KIND];

/** Receives every decoded packet; `pkt` and `frame` are valid only during the call. */
export type PacketSink = (pkt: DecodedPacket, frame: Frame, kind: PacketKind, r: Reassembled | null) => void;

export interface DecodeStageOptions {
  /** Rebuild fragmented IP datagrams (default true). */
  defragment?: boolean;
  /** Also deliver the individual fragment frames to the sink (the `packets` command does; analysis does not need them). */
  deliverFragments?: boolean;
  /** Verify IPv4 header and TCP/UDP/ICMP checksums and count the verdicts (costs a pass over each payload). */
  verifyChecksums?: boolean;
  /** With verifyChecksums: also list the frame numbers with bad checksums (conformance against tshark). */
  collectChecksumFrames?: boolean;
}

/** Frame numbers whose IPv4 header / TCP checksum did not verify: judged bad, or judged left to offload. */
export interface ChecksumFrames {
  ipBad: number[];
  ipOffload: number[];
  tcpBad: number[];
  tcpOffload: number[];
}

export class DecodeStage {
  readonly counters: PacketCounters = newPacketCounters();
  private readonly pkt = new DecodedPacket();
  private readonly rebuilt = new DecodedPacket();
  readonly defrag: IpDefragmenter | null;
  private readonly deliverFragments: boolean;
  /** Frames per link type: a flat array for the common small numbers, a map for the rest. */
  private readonly linkCountsSmall = new Float64Array(512);
  private readonly linkCounts = new Map<number, number>();
  private readonly verifyChecksums: boolean;
  /** Bad-checksum frame lists, when asked for. */
  readonly checksumFrames: ChecksumFrames | null;
  private prevSec = 0;
  private prevNsec = 0;

  constructor(private readonly sink: PacketSink | null, opts: DecodeStageOptions = {}) {
    this.defrag = opts.defragment === false ? null : new IpDefragmenter();
    this.deliverFragments = opts.deliverFragments ?? false;
    this.verifyChecksums = opts.verifyChecksums ?? false;
    this.checksumFrames = this.verifyChecksums && opts.collectChecksumFrames === true ? { ipBad: [], ipOffload: [], tcpBad: [], tcpOffload: [] } : null;
  }

  /**
   * Feed one frame (a FrameSink). The pipeline guard (style guide 6): a surprise thrown while
   * handling one frame is counted as an internal error with the frame number and the capture goes
   * on; only `StopPipeline` (a consumer asking to stop) passes through.
   */
  readonly onFrame = (frame: Frame): void => {
    try {
      this.handleFrame(frame);
    } catch (e) {
      if (e instanceof StopPipeline) throw e;
      this.internalError(frame.frameNo, e);
    }
  };

  /** Counts a surprise thrown while handling frame `frame` (here, or later by a consumer: a flow table's deferred analysis). */
  internalError(frame: number, e: unknown): void {
    const c = this.counters;
    c.internalErrors++;
    if (c.internalErrorSamples.length < MAX_INTERNAL_ERROR_SAMPLES) {
      c.internalErrorSamples.push({ frame, message: e instanceof Error ? e.message : String(e) });
    }
  }

  private handleFrame(frame: Frame): void {
    const c = this.counters;
    const pkt = this.pkt;
    decodePacket(pkt, frame.buf, frame.off, frame.caplen, frame.linkType);
    this.countFrame(frame);
    // IP versions count frames (fragments included); transports count segments (a rebuilt one once).
    const layers = pkt.layers;
    if ((layers & LAYER.IPV4) !== 0) c.ipv4++;
    else if ((layers & LAYER.IPV6) !== 0) c.ipv6++;
    if ((layers & LAYER.FRAGMENT) !== 0) {
      c.fragments++;
      if (this.verifyChecksums) {
        pkt.checksumFlags = 0;
        this.checkIp(pkt, frame);
      }
      const r = this.defrag !== null ? this.defrag.add(pkt, frame.frameNo, frame.tsSec, frame.tsNsec) : null;
      if (this.deliverFragments && this.sink !== null) this.sink(pkt, frame, PACKET_KIND.FRAGMENT, r);
      if (r !== null) this.onReassembled(r, frame);
      return;
    }
    this.countDecoded(pkt);
    if (this.verifyChecksums) {
      pkt.checksumFlags = 0;
      this.checkIp(pkt, frame);
      this.checkL4(pkt, frame);
    }
    if (this.sink !== null) this.sink(pkt, frame, PACKET_KIND.FRAME, null);
  }

  /** End of input: flush incomplete fragment state into the counters. */
  finish(): void {
    if (this.defrag !== null) {
      this.defrag.flush();
      const d = this.defrag.counters;
      this.counters.fragmentsIncomplete = d.incomplete + d.timedOut + d.evicted + d.overlapDiscarded;
    }
    for (let lt = 0; lt < this.linkCountsSmall.length; lt++) {
      const n = this.linkCountsSmall[lt] ?? 0;
      if (n > 0) this.linkCounts.set(lt, (this.linkCounts.get(lt) ?? 0) + n);
    }
    this.linkCountsSmall.fill(0);
    for (const [lt, n] of this.linkCounts) {
      const name = linkTypeName(lt);
      this.counters.linkTypes[name] = (this.counters.linkTypes[name] ?? 0) + n;
    }
    this.linkCounts.clear();
  }

  private onReassembled(r: Reassembled, frame: Frame): void {
    const p = this.rebuilt;
    decodeIp(p, r.bytes, 0, r.bytes.length);
    p.layers |= LAYER.REASSEMBLED;
    this.counters.reassembled++;
    if ((p.layers & LAYER.TCP) !== 0) this.counters.tcpFromFragments++;
    this.countDecoded(p);
    if (this.verifyChecksums) {
      p.checksumFlags = 0;
      this.checkL4(p, frame);
    }
    if (this.sink !== null) this.sink(p, frame, PACKET_KIND.REBUILT, r);
  }

  /** IPv4 header checksum of this frame (every fragment has its own). */
  private checkIp(pkt: DecodedPacket, frame: Frame): void {
    const v = verifyIpv4Checksum(pkt, (frame.epbFlags & 3) === 2);
    if (v === CHECKSUM.NONE) return;
    this.tally(v);
    if (v === CHECKSUM.BAD) pkt.checksumFlags |= CHECKSUM_FLAG.IP_BAD;
    else if (v !== CHECKSUM.GOOD) pkt.checksumFlags |= CHECKSUM_FLAG.UNVERIFIED;
    const cf = this.checksumFrames;
    if (cf !== null && v === CHECKSUM.BAD) cf.ipBad.push(frame.frameNo);
    if (cf !== null && v === CHECKSUM.OFFLOAD) cf.ipOffload.push(frame.frameNo);
  }

  /** TCP/UDP/ICMP checksum of a whole (possibly rebuilt) datagram. */
  private checkL4(pkt: DecodedPacket, frame: Frame): void {
    const v = verifyL4Checksum(pkt, (frame.epbFlags & 3) === 2, frame.caplen < frame.origLen);
    if (v === CHECKSUM.NONE) return;
    this.tally(v);
    if (v === CHECKSUM.BAD) pkt.checksumFlags |= CHECKSUM_FLAG.L4_BAD;
    else if (v !== CHECKSUM.GOOD) pkt.checksumFlags |= CHECKSUM_FLAG.UNVERIFIED;
    const cf = this.checksumFrames;
    if (cf === null || (pkt.layers & LAYER.TCP) === 0) return;
    if (v === CHECKSUM.BAD) cf.tcpBad.push(frame.frameNo);
    if (v === CHECKSUM.OFFLOAD) cf.tcpOffload.push(frame.frameNo);
  }

  private tally(v: number): void {
    const c = this.counters;
    if (v === CHECKSUM.GOOD) c.checksumGood++;
    else if (v === CHECKSUM.BAD) c.checksumBad++;
    else c.checksumUnverified++;
  }

  private countFrame(frame: Frame): void {
    const c = this.counters;
    c.packets++;
    c.capturedBytes += frame.caplen;
    c.wireBytes += frame.origLen;
    if (frame.caplen < frame.origLen) c.truncated++;
    const lt = frame.linkType;
    if (lt >= 0 && lt < 512) this.linkCountsSmall[lt]!++;
    else this.linkCounts.set(lt, (this.linkCounts.get(lt) ?? 0) + 1);
    if (frame.hasTs === false) {
      c.untimed++;
      return;
    }
    const s = frame.tsSec;
    const ns = frame.tsNsec;
    if (c.firstTsSec < 0) {
      c.firstTsSec = c.lastTsSec = s;
      c.firstTsNsec = c.lastTsNsec = ns;
      this.prevSec = s;
      this.prevNsec = ns;
      return;
    }
    if (s < this.prevSec || (s === this.prevSec && ns < this.prevNsec)) c.outOfOrderTimestamps++;
    this.prevSec = s;
    this.prevNsec = ns;
    if (s < c.firstTsSec || (s === c.firstTsSec && ns < c.firstTsNsec)) {
      c.firstTsSec = s;
      c.firstTsNsec = ns;
    }
    if (s > c.lastTsSec || (s === c.lastTsSec && ns > c.lastTsNsec)) {
      c.lastTsSec = s;
      c.lastTsNsec = ns;
    }
  }

  private countDecoded(pkt: DecodedPacket): void {
    const c = this.counters;
    const layers = pkt.layers;
    if ((layers & LAYER.TCP) !== 0) c.tcp++;
    else if ((layers & LAYER.UDP) !== 0) c.udp++;
    else if ((layers & (LAYER.ICMP | LAYER.ICMPV6)) !== 0) c.icmp++;
    else if (pkt.stopReason === STOP_REASON.NOT_IP) c.nonIp++;
    else if (pkt.stopReason === STOP_REASON.UNKNOWN_PROTOCOL) c.otherIp++;
    if (pkt.isMalformedOrTruncated && !isPayloadOnlyStop(pkt)) {
      c.undecodable++;
      const key = `${STOP_LAYER_NAME[pkt.stopLayer] ?? pkt.stopLayer}:${STOP_REASON_NAME[pkt.stopReason] ?? pkt.stopReason}`;
      c.stopReasons[key] = (c.stopReasons[key] ?? 0) + 1;
    }
  }
}

/** A stop inside TCP options only (the header decoded) does not make the packet undecodable. */
function isPayloadOnlyStop(pkt: DecodedPacket): boolean {
  return (pkt.layers & (LAYER.TCP | LAYER.UDP | LAYER.ICMP | LAYER.ICMPV6)) !== 0;
}
