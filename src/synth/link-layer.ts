/**
 * Link-layer headers for synthetic frames: Ethernet II with any number of 802.1Q / 802.1ad tags,
 * Linux cooked capture v1 (SLL, 16 bytes) and v2 (SLL2, 20 bytes), BSD loopback (NULL, 4-byte
 * address family in host byte order) and raw IP (no header).
 */
import { LINKTYPE } from '../capture/link-type.js';
import { parseMac } from './addr.js';

/** One VLAN tag. */
export interface VlanTag {
  /** VLAN id 0..4095. */
  id: number;
  /** Priority code point 0..7 (default 0). */
  pcp?: number;
  /** Drop eligible indicator (default false). */
  dei?: boolean;
  /** Tag protocol id (default 0x88a8 for an outer tag of a QinQ stack, else 0x8100). */
  tpid?: number;
}

/** Which link layer to put in front of the IP packet. */
export type LinkSpec =
  | { kind: 'ethernet'; src?: string; dst?: string; vlans?: readonly VlanTag[] }
  /** Linux SLL: packetType 0 = to us, 4 = outgoing; addr = link-layer source (MAC). */
  | { kind: 'sll'; packetType?: number; addr?: string }
  /** Linux SLL2: adds the interface index. */
  | { kind: 'sll2'; packetType?: number; addr?: string; ifIndex?: number }
  /** BSD loopback: AF value (default 2 for IPv4, 24 for IPv6), in `byteOrder` (default 'le'). */
  | { kind: 'null'; family?: number; byteOrder?: 'le' | 'be' }
  /** No link header; LINKTYPE_RAW (101). */
  | { kind: 'raw' };

export const ETHERTYPE = { IPV4: 0x0800, IPV6: 0x86dd, VLAN: 0x8100, QINQ: 0x88a8 } as const;

/** The LINKTYPE_* a capture of frames with this link layer must declare. */
export function linkTypeOf(link: LinkSpec): number {
  switch (link.kind) {
    case 'ethernet': return LINKTYPE.ETHERNET;
    case 'sll': return LINKTYPE.LINUX_SLL;
    case 'sll2': return LINKTYPE.LINUX_SLL2;
    case 'null': return LINKTYPE.NULL;
    case 'raw': return LINKTYPE.RAW;
    default: {
      const never: never = link;
      return never;
    }
  }
}

/** Length in bytes of the link header. */
export function linkHeaderLength(link: LinkSpec): number {
  switch (link.kind) {
    case 'ethernet': return 14 + 4 * (link.vlans?.length ?? 0);
    case 'sll': return 16;
    case 'sll2': return 20;
    case 'null': return 4;
    case 'raw': return 0;
    default: {
      const never: never = link;
      return never;
    }
  }
}

const DEFAULT_SRC = '02:00:00:00:00:01';
const DEFAULT_DST = '02:00:00:00:00:02';

/** Write the link header for an IP packet of version `ipVersion` at `out[0..linkHeaderLength)`. */
export function writeLinkHeader(link: LinkSpec, ipVersion: 4 | 6, out: Uint8Array): void {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const etherType = ipVersion === 4 ? ETHERTYPE.IPV4 : ETHERTYPE.IPV6;
  switch (link.kind) {
    case 'ethernet': {
      out.set(parseMac(link.dst ?? DEFAULT_DST), 0);
      out.set(parseMac(link.src ?? DEFAULT_SRC), 6);
      const vlans = link.vlans ?? [];
      let o = 12;
      vlans.forEach((v, i) => {
        const tpid = v.tpid ?? (vlans.length > 1 && i < vlans.length - 1 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN);
        dv.setUint16(o, tpid);
        dv.setUint16(o + 2, ((v.pcp ?? 0) << 13) | (v.dei === true ? 0x1000 : 0) | (v.id & 0xfff));
        o += 4;
      });
      dv.setUint16(o, etherType);
      return;
    }
    case 'sll':
      dv.setUint16(0, link.packetType ?? 0);
      dv.setUint16(2, 1); // ARPHRD_ETHER
      dv.setUint16(4, 6);
      out.set(parseMac(link.addr ?? DEFAULT_SRC), 6);
      dv.setUint16(14, etherType);
      return;
    case 'sll2':
      dv.setUint16(0, etherType);
      dv.setUint16(2, 0);
      dv.setUint32(4, link.ifIndex ?? 1);
      dv.setUint16(8, 1); // ARPHRD_ETHER
      out[10] = link.packetType ?? 0;
      out[11] = 6;
      out.set(parseMac(link.addr ?? DEFAULT_SRC), 12);
      return;
    case 'null':
      dv.setUint32(0, link.family ?? (ipVersion === 4 ? 2 : 24), (link.byteOrder ?? 'le') === 'le');
      return;
    case 'raw':
      return;
    default: {
      const never: never = link;
      return never;
    }
  }
}
