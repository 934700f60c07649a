/**
 * Fast path for the dominant frame shape: Ethernet II without VLAN tags -> IPv4 that is not a
 * fragment and has a non-zero total length -> TCP whose whole header was captured.
 *
 * Why it is equivalent to the general path (decode.ts): it first checks, without writing
 * anything, every condition under which the general path would take another branch (a stop, a
 * VLAN/PPPoE tag, TSO total length 0, a fragment, another protocol, a cut TCP header); if one
 * does not hold it returns false and `decodePacket` decodes the frame the general way. When they
 * all hold, the general path would reset every field and then write exactly the frame fields,
 * the IP group and the L4 group (plus the TCP options through the same `walkTcpOptions`), with
 * the values computed here (big-endian reads through a DataView equal bytes.ts's shifts). So the fast path writes those groups completely and resets only the
 * other groups an earlier packet left dirty (`DecodedPacket.dirtyGroups`), instead of resetting
 * all ~70 fields first. test/dissectors/fast-path.test.ts checks field-for-field equality with
 * the general path on real and synthetic packets.
 */
import { LINKTYPE } from '../capture/link-type.js';
import { ETHERTYPE, IPPROTO } from './ethertype.js';
import { FIELD_GROUP, LAYER } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { walkTcpOptions } from './tcp-options.js';

const ETH_HEADER = 14;
const MIN_IPV4_HEADER = 20;
const MIN_TCP_HEADER = 20;
/** Groups this path writes in full (every other group is reset if dirty). */
const WRITTEN = FIELD_GROUP.IP | FIELD_GROUP.L4;

/**
 * A DataView over the last buffer decoded, re-created when the buffer changes (once per capture
 * chunk in the pipeline). One 16/32-bit DataView read is one bounds check and one load where
 * the byte shifts of bytes.ts take two or four; on this path that is a large share of the time.
 */
let viewBuf: Uint8Array | null = null;
let view: DataView = new DataView(new ArrayBuffer(0));

function viewOf(buf: Uint8Array): DataView {
  if (buf !== viewBuf) {
    viewBuf = buf;
    view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  return view;
}

/**
 * Decode the Ethernet frame `buf[off .. end)` when it has the shape above and return true;
 * return false, having written nothing, for any other frame.
 */
export function decodeEthIpv4Tcp(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): boolean {
  const net = off + ETH_HEADER;
  const have = end - net;
  if (have < MIN_IPV4_HEADER + MIN_TCP_HEADER) return false;
  const dv = viewOf(buf);
  if (dv.getUint16(off + 12) !== ETHERTYPE.IPV4) return false;
  const b0 = dv.getUint8(net);
  const ihl = (b0 & 0x0f) << 2;
  if (b0 >> 4 !== 4 || ihl < MIN_IPV4_HEADER || ihl > have) return false;
  const total = dv.getUint16(net + 2);
  // total < ihl: 0 (segmentation offload) or malformed; 0x3fff: MF and fragment offset.
  if (total < ihl || (dv.getUint16(net + 6) & 0x3fff) !== 0 || dv.getUint8(net + 9) !== IPPROTO.TCP) return false;
  const l4 = net + ihl;
  const l4CapLen = Math.min(total, have) - ihl;
  if (l4CapLen < MIN_TCP_HEADER) return false;
  const hl = (dv.getUint8(l4 + 12) >> 4) << 2;
  if (hl < MIN_TCP_HEADER || hl > l4CapLen) return false;

  const stale = pkt.dirtyGroups & ~WRITTEN;
  if (stale !== 0) pkt.clearGroups(stale);
  pkt.dirtyGroups = WRITTEN;
  pkt.resetFrame(buf, off, end, LINKTYPE.ETHERNET);
  pkt.layers = LAYER.LINK | LAYER.IPV4 | LAYER.TCP;
  pkt.etherType = ETHERTYPE.IPV4;
  pkt.netOff = net;
  writeIpv4(pkt, dv, net, ihl, total, l4CapLen);
  writeTcp(pkt, dv, l4, hl, total - ihl, l4CapLen);
  if (hl > MIN_TCP_HEADER) {
    pkt.dirtyGroups = WRITTEN | FIELD_GROUP.TCP_OPTIONS;
    walkTcpOptions(pkt, buf, l4 + MIN_TCP_HEADER, l4 + hl);
  }
  return true;
}

/** Every IP-group field, as decodeIpv4 sets them for an unfragmented datagram. */
function writeIpv4(pkt: DecodedPacket, dv: DataView, net: number, ihl: number, total: number, l4CapLen: number): void {
  pkt.ipVersion = 4;
  pkt.ipHdrLen = ihl;
  pkt.ipTotalLen = total;
  pkt.ipLenFromCapture = 0;
  pkt.srcOff = net + 12;
  pkt.dstOff = net + 16;
  pkt.ttl = dv.getUint8(net + 8);
  pkt.ipId = dv.getUint16(net + 4);
  pkt.df = (dv.getUint8(net + 6) >> 6) & 1;
  pkt.mf = 0;
  pkt.fragOff = 0;
  pkt.ipChecksum = dv.getUint16(net + 10);
  pkt.tos = dv.getUint8(net + 1);
  pkt.proto = IPPROTO.TCP;
  pkt.ip6FragHdrOff = -1;
  pkt.pseudoDstOff = net + 16;
  pkt.l4Off = net + ihl;
  pkt.l4WireLen = total - ihl;
  pkt.l4CapLen = l4CapLen;
}

/** Every L4-group field, as decodeTcp sets them when the whole header was captured. */
function writeTcp(pkt: DecodedPacket, dv: DataView, l4: number, hl: number, l4WireLen: number, l4CapLen: number): void {
  pkt.sport = dv.getUint16(l4);
  pkt.dport = dv.getUint16(l4 + 2);
  pkt.seq = dv.getUint32(l4 + 4);
  pkt.ack = dv.getUint32(l4 + 8);
  pkt.tcpHdrLen = hl;
  pkt.tcpFlags = dv.getUint16(l4 + 12) & 0x0fff;
  pkt.window = dv.getUint16(l4 + 14);
  pkt.tcpChecksum = dv.getUint16(l4 + 16);
  pkt.urgent = dv.getUint16(l4 + 18);
  pkt.payloadOff = l4 + hl;
  pkt.payloadWireLen = l4WireLen - hl;
  pkt.payloadCapLen = l4CapLen - hl;
}
