/**
 * Linux cooked capture headers: LINKTYPE_LINUX_SLL (113, 16 bytes) and LINKTYPE_LINUX_SLL2
 * (276, 20 bytes), per tcpdump.org/linktypes/LINKTYPE_LINUX_SLL{,2}.html. The packet type
 * (0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 outgoing) lands in `pkt.pktType`.
 */
import { u8, u16 } from '../bytes.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from '../decoded-packet.js';
import type { DecodedPacket } from '../decoded-packet.js';
import { decodeEtherChain } from './ether-chain.js';

/** SLL protocol values below 0x0600 are Linux pseudo-protocols (ETH_P_802_2, ...), not IP. */
const MIN_ETHERTYPE = 0x0600;

/** SLL v1: packet type(2), ARPHRD(2), address length(2), address(8), protocol(2). */
export function decodeSll(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): number {
  if (end - off < 16) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.TRUNCATED, off, 16, Math.max(0, end - off), LEN_SOURCE.SLICE);
    return -1;
  }
  pkt.pktType = u16(buf, off);
  pkt.layers |= LAYER.LINK;
  return afterCooked(pkt, buf, u16(buf, off + 14), off + 16, end);
}

/** SLL2: protocol(2), reserved(2), ifindex(4), ARPHRD(2), packet type(1), address length(1), address(8). */
export function decodeSll2(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): number {
  if (end - off < 20) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.TRUNCATED, off, 20, Math.max(0, end - off), LEN_SOURCE.SLICE);
    return -1;
  }
  pkt.pktType = u8(buf, off + 10);
  pkt.layers |= LAYER.LINK;
  return afterCooked(pkt, buf, u16(buf, off), off + 20, end);
}

function afterCooked(pkt: DecodedPacket, buf: Uint8Array, proto: number, pos: number, end: number): number {
  if (proto < MIN_ETHERTYPE) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.NOT_IP, pos, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  return decodeEtherChain(pkt, buf, proto, pos, end);
}
