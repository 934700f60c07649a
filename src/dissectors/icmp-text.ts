/** Short ICMP/ICMPv6 descriptions in tcpdump's wording (print-icmp.c, print-icmp6.c). Output-only. */
import { u16 } from './bytes.js';
import { LAYER } from './decoded-packet.js';
import type { DecodedPacket } from './decoded-packet.js';
import { formatIp } from './address.js';

const ICMP4_NAMES: Readonly<Record<number, string>> = {
  0: 'echo reply', 3: 'unreachable', 4: 'source quench', 5: 'redirect', 8: 'echo request',
  11: 'time exceeded in-transit', 12: 'parameter problem', 13: 'time stamp request', 14: 'time stamp reply',
};
const ICMP6_NAMES: Readonly<Record<number, string>> = {
  1: 'destination unreachable', 2: 'packet too big', 3: 'time exceeded in-transit', 4: 'parameter problem',
  128: 'echo request', 129: 'echo reply', 133: 'router solicitation', 134: 'router advertisement',
  135: 'neighbor solicitation', 136: 'neighbor advertisement', 137: 'redirect', 143: 'multicast listener report v2',
};

/** `ICMP echo request, id 3, seq 0, length 80` / `ICMP6, echo request, id 1, seq 1, length 64`. */
export function describeIcmp(pkt: DecodedPacket): string {
  const v6 = (pkt.layers & LAYER.ICMPV6) !== 0;
  const t = pkt.icmpType;
  const b = pkt.buf;
  const o = pkt.l4Off;
  const len = pkt.l4WireLen;
  const echo = v6 ? t === 128 || t === 129 : t === 0 || t === 8;
  const name = (v6 ? ICMP6_NAMES[t] : ICMP4_NAMES[t]) ?? `type-#${t}`;
  let body = name;
  if (echo) body += `, id ${u16(b, o + 4)}, seq ${u16(b, o + 6)}`;
  else if (!v6 && t === 3) body = unreachText(pkt);
  else if (v6 && t === 143) body = `multicast listener report v2, ${u16(b, o + 6)} group record(s)`;
  else if (v6 && t === 2) body += `, mtu ${(u16(b, o + 4) * 65536) + u16(b, o + 6)}`;
  return v6 ? `ICMP6, ${body}, length ${len}` : `ICMP ${body}, length ${len}`;
}

function unreachText(pkt: DecodedPacket): string {
  const inner = (pkt.layers & LAYER.ICMP_INNER) !== 0;
  const dst = inner ? formatIp(pkt.buf, pkt.innerDstOff, pkt.innerIpVersion) : '?';
  const proto = pkt.innerProto === 6 ? 'tcp' : pkt.innerProto === 17 ? 'udp' : `proto ${pkt.innerProto}`;
  switch (pkt.icmpCode) {
    case 0: return `net ${dst} unreachable`;
    case 1: return `host ${dst} unreachable`;
    case 2: return `${dst} protocol ${pkt.innerProto} unreachable`;
    case 3: return `${dst} ${proto} port ${pkt.innerDport} unreachable`;
    case 4: return `${dst} unreachable - need to frag (mtu ${u16(pkt.buf, pkt.l4Off + 6)})`;
    default: return `${dst} unreachable - code ${pkt.icmpCode}`;
  }
}
