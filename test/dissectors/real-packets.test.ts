import { describe, expect, test } from 'vitest';
import { DecodedPacket, LAYER, LEN_SOURCE, STOP_REASON, TCP_OPT } from '../../src/dissectors/decoded-packet.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { CHECKSUM, verifyIpv4Checksum, verifyL4Checksum } from '../../src/dissectors/checksum.js';
import { formatTcpdumpLine } from '../../src/dissectors/format.js';
import { REAL_PACKETS } from './real-packets.js';
import type { RealPacket } from './real-packets.js';

const pkt = new DecodedPacket();

function decode(c: RealPacket, caplen = c.bytes.length): DecodedPacket {
  decodePacket(pkt, c.bytes, 0, caplen, c.linkType);
  return pkt;
}

/** Interface name tcpdump printed for an SLL2 frame (not in the packet: it resolved the ifindex). */
function ifNameOf(c: RealPacket): string | undefined {
  return c.linkType === 276 ? c.line.slice(16, 21).trim() : undefined;
}

describe('tcpdump -n -S line equals tcpdump 4.99.3 for every real packet', () => {
  test.each(REAL_PACKETS.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const p = decode(c);
    const ifName = ifNameOf(c);
    const line = formatTcpdumpLine(p, c.tsSec, c.tsNsec, ifName === undefined ? { origLen: c.origLen } : { origLen: c.origLen, ifName });
    expect(line).toBe(c.line);
  });
});

/** Packets whose L4 checksum holds Linux's partial pseudo-header sum (captured on lo). */
const OFFLOADED = new Set(['lo ipv4 SYN', 'lo ipv4 data (checksum offload partial sum)', 'lo ipv6 SYN', 'lo ipv6 data', 'lo udp', 'sll2 ipv4 SYN', 'sll2 ipv6 data', 'sll ipv4 SYN-ACK']);

describe('checksum verdicts agree with tshark', () => {
  test.each(REAL_PACKETS.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const p = decode(c);
    const ip = verifyIpv4Checksum(p);
    if (c.tshark.ip === 'good') expect(ip).toBe(CHECKSUM.GOOD);
    if (c.tshark.ip === 'bad') expect(ip).toBe(CHECKSUM.BAD);
    const l4 = verifyL4Checksum(p);
    if (OFFLOADED.has(c.name)) expect(l4).toBe(CHECKSUM.OFFLOAD);
    else if (c.tshark.l4 === 'good') expect(l4).toBe(CHECKSUM.GOOD);
    else if (c.tshark.l4 === 'bad' && (p.layers & (LAYER.TCP | LAYER.UDP)) !== 0) {
      // tshark flags partial (offload) sums and checks BIG TCP it cannot see whole; we say why.
      expect([CHECKSUM.BAD, CHECKSUM.UNVERIFIED, CHECKSUM.OFFLOAD]).toContain(l4);
    }
  });

  test('bad TCP checksum from the zeek corpus is BAD, not offload', () => {
    const c = REAL_PACKETS.find((x) => x.name === 'ipv4 bad tcp checksum')!;
    expect(verifyL4Checksum(decode(c))).toBe(CHECKSUM.BAD);
  });

  test('an outgoing packet (pcapng outbound flag) with a bad sum is OFFLOAD', () => {
    const c = REAL_PACKETS.find((x) => x.name === 'ipv4 bad tcp checksum')!;
    expect(verifyL4Checksum(decode(c), true)).toBe(CHECKSUM.OFFLOAD);
  });

  test('fragments and BIG TCP are UNVERIFIED', () => {
    for (const n of ['veth ipv4 first fragment (icmp)', 'BIG TCP ipv6 jumbo hop-by-hop', 'BIG TCP ipv4 total length 0', 'ipv6 first fragment with tcp']) {
      const c = REAL_PACKETS.find((x) => x.name === n)!;
      // The BIG TCP samples are the first 200 bytes of their frames: cut by the snap length.
      expect(verifyL4Checksum(decode(c), false, n.startsWith('BIG TCP')), n).toBe(CHECKSUM.UNVERIFIED);
    }
  });
});

type Expect = Partial<Record<keyof DecodedPacket, number>>;
const FIELDS: readonly (readonly [string, Expect])[] = [
  ['lo ipv4 SYN', { ipVersion: 4, ttl: 64, ipId: 57444, df: 1, sport: 40586, dport: 8000, seq: 1903829839, mss: 65495, wscale: 10, tsval: 3039518013, tsecr: 0, tcpHdrLen: 40, payloadWireLen: 0 }],
  ['veth ipv4 ACK (Ethernet padding)', { payloadWireLen: 0, payloadCapLen: 0, l4WireLen: 32, tcpHdrLen: 32 }],
  ['sll2 ipv4 SYN', { pktType: 0, etherType: 0x0800, netOff: 20 }],
  ['sll ipv4 SYN-ACK', { pktType: 0, netOff: 16 }],
  ['PPPoE over QinQ SYN', { vlanCount: 2, pppoeSession: 0xf07, etherType: 0x0800, netOff: 30, mss: 1440 }],
  ['three VLAN tags', { vlanCount: 3 }],
  ['veth ipv4 non-first fragment', { fragOff: 1480, mf: 1, stopReason: STOP_REASON.FRAGMENT, proto: 1 }],
  ['veth ipv6 last fragment', { fragOff: 2896, mf: 0, stopReason: STOP_REASON.FRAGMENT, proto: 58, ip6FragHdrOff: 54, l4Off: 62 }],
  ['veth ipv6 first fragment (icmpv6)', { fragOff: 0, mf: 1, icmpType: 128, ip6FragHdrOff: 54 }],
  ['ipv6 atomic fragment', { fragOff: 0, mf: 0, ip6FragHdrOff: 54, stopReason: 0 }],
  ['BIG TCP ipv6 jumbo hop-by-hop', { ipLenFromCapture: 1, payloadWireLen: 80000, proto: 6 }],
  ['BIG TCP ipv4 total length 0', { ipLenFromCapture: 1 }],
  ['experimental TFO cookie', { tfoCookieLen: 6 }],
  ['TFO kind 34 cookie', { tfoCookieLen: 4 }],
  ['four SACK blocks', { sackCount: 4 }],
  ['unknown option 27 and user timeout', { tcpOptUnknown: 1, userTimeout: 1 }],
  ['MPTCP capable v1', { mptcpSubtype: 0 }],
  ['veth icmp port unreachable', { icmpType: 3, icmpCode: 3, innerIpVersion: 4, innerProto: 17, innerDport: 33434 }],
  ['lo icmp port unreachable', { icmpType: 3, icmpCode: 3, innerProto: 17, innerDport: 9999 }],
  ['eight flags set', { tcpFlags: 0xff }],
  ['veth udp', { udpLength: 9, payloadWireLen: 1, payloadCapLen: 1 }],
];

describe('decoded fields', () => {
  test.each(FIELDS.map(([n, e]) => [n, e] as const))('%s', (n, e) => {
    const c = REAL_PACKETS.find((x) => x.name === n);
    expect(c, n).toBeDefined();
    const p = decode(c!);
    for (const [k, v] of Object.entries(e)) expect((p as unknown as Record<string, number>)[k], k).toBe(v);
  });

  test('SACK blocks and option flags', () => {
    const p = decode(REAL_PACKETS.find((x) => x.name === 'four SACK blocks')!);
    expect(Array.from(p.sackBlocks)).toEqual([1, 16, 256, 4096, 65536, 1048576, 16777216, 268435456]);
    expect(p.tcpOptFlags & (TCP_OPT.SACK | TCP_OPT.EOL)).toBe(TCP_OPT.SACK | TCP_OPT.EOL);
  });

  test('IPv6 routing type 0 uses the final destination for the pseudo-header', () => {
    const p = decode(REAL_PACKETS.find((x) => x.name === 'ipv6 routing type 0')!);
    expect(p.pseudoDstOff).not.toBe(p.dstOff);
    expect(verifyL4Checksum(p)).toBe(CHECKSUM.GOOD);
  });

  test('every real packet decodes its transport layer or stops for a non-error reason', () => {
    for (const c of REAL_PACKETS) {
      const p = decode(c);
      expect(p.isMalformedOrTruncated, c.name).toBe(false);
      if (p.stopReason === 0) expect(p.layers & (LAYER.TCP | LAYER.UDP | LAYER.ICMP | LAYER.ICMPV6), c.name).not.toBe(0);
    }
  });

  test('lenSource of a BIG TCP snapped frame is the slice', () => {
    const p = decode(REAL_PACKETS.find((x) => x.name === 'BIG TCP ipv6 jumbo hop-by-hop')!);
    expect(p.layers & LAYER.TCP).toBe(LAYER.TCP);
    expect(p.stopLenSource).toBe(LEN_SOURCE.SLICE);
  });
});
