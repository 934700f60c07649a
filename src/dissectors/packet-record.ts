/**
 * The plain per-packet record of /work/shared/spec/packet.schema.json (`tcpscope packets
 * --format ndjson`). Built from a decoded packet; owns copies of everything (safe to keep).
 */
import { linkTypeName } from '../capture/link-type.js';
import type { Frame } from '../capture/frame.js';
import { LAYER, STOP_LAYER_NAME, STOP_REASON_NAME, TCP_FLAG, TCP_OPT } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { formatIp } from './address.js';
import { CHECKSUM, verifyL4Checksum } from './checksum.js';

/** The frame facts a record needs (a `Frame` fits). */
export type FrameMeta = Pick<Frame, 'frameNo' | 'tsSec' | 'tsNsec' | 'caplen' | 'origLen' | 'linkType'> & { readonly epbFlags?: number };

export interface TcpOptionsRecord {
  mss?: number;
  wscale?: number;
  sackPermitted?: boolean;
  sack?: number[][];
  tsval?: number;
  tsecr?: number;
}

export interface TcpRecord {
  seq: number;
  ack: number;
  flags: string;
  window: number;
  payloadLen: number;
  urgent?: number;
  checksum?: 'good' | 'bad' | 'unverified';
  options?: TcpOptionsRecord;
}

export interface PacketRecord {
  frame: number;
  ts: number;
  tsNs?: string;
  caplen: number;
  len: number;
  linkType: string;
  vlan?: number[];
  ipVersion?: 4 | 6;
  src?: string;
  dst?: string;
  proto?: string;
  ttl?: number;
  ipId?: number;
  fragment?: { offset: number; more: boolean; id: number; reassembledIn?: number };
  sport?: number;
  dport?: number;
  tcp?: TcpRecord;
  udp?: { length: number };
  stop?: { layer: string; offset: number; reason: string };
}

/**
 * tcpdump flag letters (`S.`, `FP.`), `none` for no flags. AE is printed as `e` only with
 * `withAe` (newer tcpdump does; 4.99.3, the reference here, ignores the bit).
 */
export function tcpFlagsText(flags: number, withAe = false): string {
  let s = '';
  if ((flags & TCP_FLAG.FIN) !== 0) s += 'F';
  if ((flags & TCP_FLAG.SYN) !== 0) s += 'S';
  if ((flags & TCP_FLAG.RST) !== 0) s += 'R';
  if ((flags & TCP_FLAG.PSH) !== 0) s += 'P';
  if ((flags & TCP_FLAG.ACK) !== 0) s += '.';
  if ((flags & TCP_FLAG.URG) !== 0) s += 'U';
  if ((flags & TCP_FLAG.ECE) !== 0) s += 'E';
  if ((flags & TCP_FLAG.CWR) !== 0) s += 'W';
  if (withAe && (flags & TCP_FLAG.AE) !== 0) s += 'e';
  return s === '' ? 'none' : s;
}

const PROTO_NAME: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };

/**
 * Record for the packet just decoded into `pkt` from `frame`. `reassembledIn` marks the frame
 * number that completed this fragment's datagram. The TCP checksum verdict maps OFFLOAD to
 * 'unverified' (the schema has no offload value).
 */
export function toPacketRecord(pkt: DecodedPacket, frame: FrameMeta, reassembledIn = -1): PacketRecord {
  const r: PacketRecord = {
    frame: frame.frameNo,
    ts: frame.tsSec + frame.tsNsec / 1e9,
    tsNs: frame.tsSec > 0 ? `${frame.tsSec}${String(frame.tsNsec).padStart(9, '0')}` : String(frame.tsNsec),
    caplen: frame.caplen,
    len: frame.origLen,
    linkType: linkTypeName(frame.linkType),
  };
  if (pkt.vlanCount > 0) r.vlan = Array.from(pkt.vlanIds.subarray(0, pkt.vlanCount));
  if ((pkt.layers & (LAYER.IPV4 | LAYER.IPV6)) !== 0) addIp(r, pkt, reassembledIn);
  if (pkt.sport >= 0) {
    r.sport = pkt.sport;
    r.dport = pkt.dport;
  }
  if ((pkt.layers & LAYER.TCP) !== 0) r.tcp = tcpRecord(pkt, ((frame.epbFlags ?? 0) & 3) === 2, frame.caplen < frame.origLen);
  if ((pkt.layers & LAYER.UDP) !== 0) r.udp = { length: pkt.udpLength };
  if (pkt.stopReason !== 0) {
    r.stop = {
      layer: STOP_LAYER_NAME[pkt.stopLayer] ?? String(pkt.stopLayer),
      offset: pkt.stopOffset - pkt.frameOff,
      reason: STOP_REASON_NAME[pkt.stopReason] ?? String(pkt.stopReason),
    };
  }
  return r;
}

function addIp(r: PacketRecord, pkt: DecodedPacket, reassembledIn: number): void {
  const v = pkt.ipVersion === 6 ? 6 : 4;
  r.ipVersion = v;
  r.src = formatIp(pkt.buf, pkt.srcOff, v);
  r.dst = formatIp(pkt.buf, pkt.dstOff, v);
  if (pkt.proto >= 0) r.proto = PROTO_NAME[pkt.proto] ?? String(pkt.proto);
  r.ttl = pkt.ttl;
  if (pkt.ipId >= 0) r.ipId = pkt.ipId;
  if ((pkt.layers & LAYER.FRAGMENT) !== 0 || reassembledIn >= 0) {
    r.fragment = { offset: pkt.fragOff, more: pkt.mf !== 0, id: pkt.ipId };
    if (reassembledIn >= 0) r.fragment.reassembledIn = reassembledIn;
  }
}

function tcpRecord(pkt: DecodedPacket, outgoing: boolean, frameCut: boolean): TcpRecord {
  const t: TcpRecord = {
    seq: pkt.seq,
    ack: pkt.ack,
    flags: tcpFlagsText(pkt.tcpFlags),
    window: pkt.window,
    payloadLen: pkt.payloadWireLen,
  };
  if ((pkt.tcpFlags & TCP_FLAG.URG) !== 0) t.urgent = pkt.urgent;
  const c = verifyL4Checksum(pkt, outgoing, frameCut);
  t.checksum = c === CHECKSUM.GOOD ? 'good' : c === CHECKSUM.BAD ? 'bad' : 'unverified';
  const o = pkt.tcpOptFlags;
  if (o !== 0) {
    const opts: TcpOptionsRecord = {};
    if ((o & TCP_OPT.MSS) !== 0) opts.mss = pkt.mss;
    if ((o & TCP_OPT.WSCALE) !== 0) opts.wscale = pkt.wscale;
    if ((o & TCP_OPT.SACK_PERM) !== 0) opts.sackPermitted = true;
    if ((o & TCP_OPT.SACK) !== 0) {
      opts.sack = [];
      for (let i = 0; i < pkt.sackCount; i++) opts.sack.push([pkt.sackBlocks[2 * i]!, pkt.sackBlocks[2 * i + 1]!]);
    }
    if ((o & TCP_OPT.TIMESTAMP) !== 0) {
      opts.tsval = pkt.tsval;
      opts.tsecr = pkt.tsecr;
    }
    t.options = opts;
  }
  return t;
}
