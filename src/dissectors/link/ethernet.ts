/** Ethernet II (IEEE 802.3 clause 3.2.6 type interpretation) and 802.3 length frames. */
import { u16 } from '../bytes.js';
import { LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from '../decoded-packet.js';
import type { DecodedPacket } from '../decoded-packet.js';
import { decodeEtherChain } from './ether-chain.js';

/** Length/Type values below this are an 802.3 length (LLC follows): not IP for tcpscope. */
const MIN_ETHERTYPE = 0x0600;

/**
 * Decode the 14-byte MAC header at `off` (destination, source, type) and any VLAN/PPPoE that
 * follows. Returns the network-layer offset or -1 after `pkt.stop(...)`.
 */
export function decodeEthernet(pkt: DecodedPacket, buf: Uint8Array, off: number, end: number): number {
  if (end - off < 14) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.TRUNCATED, off, 14, Math.max(0, end - off), LEN_SOURCE.SLICE);
    return -1;
  }
  pkt.layers |= LAYER.LINK;
  const type = u16(buf, off + 12);
  if (type < MIN_ETHERTYPE) {
    pkt.stop(STOP_LAYER.LINK, STOP_REASON.NOT_IP, off + 14, 0, 0, LEN_SOURCE.SLICE);
    return -1;
  }
  return decodeEtherChain(pkt, buf, type, off + 14, end);
}
