import { describe, expect, test } from 'vitest';
import { DecodedPacket, LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON, TCP_OPT } from '../../src/dissectors/decoded-packet.js';
import { decodeIp, decodePacket } from '../../src/dissectors/decode.js';
import { formatIpv6, toPacketRecord } from '../../src/dissectors/format.js';
import { hex } from '../helpers/hex.js';
import { REAL_PACKETS } from './real-packets.js';

const pkt = new DecodedPacket();
const SYN = REAL_PACKETS.find((c) => c.name === 'veth ipv4 SYN')!.bytes; // Ethernet/IPv4/TCP, options at 54..74
const V6 = REAL_PACKETS.find((c) => c.name === 'veth ipv6 hop-by-hop MLDv2')!.bytes;
const stopOf = (p: DecodedPacket) => [p.stopLayer, p.stopReason, p.stopOffset, p.stopNeed, p.stopHave, p.stopLenSource];

function withOptions(opts: number[]): Uint8Array {
  const b = SYN.slice();
  for (let i = 0; i < 20; i++) b[54 + i] = opts[i] ?? 1; // pad with NOP
  return b;
}

describe('TCP options walker (RFC 9293 section 3.1)', () => {
  const cases: readonly (readonly [string, number[], number, number])[] = [
    ['length < 2', [2, 1, 5, 0xb4], TCP_OPT.MALFORMED, 54],
    ['MSS with length 3', [2, 3, 5, 1], TCP_OPT.MALFORMED, 54],
    ['runs past the header', [1, 1, 8, 30], TCP_OPT.MALFORMED, 56],
    ['SACK of 9 bytes', [5, 9, 0, 0, 0, 1, 0, 0, 0, 2, 0], TCP_OPT.MALFORMED, 54],
    ['kind with no length byte at the end', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 30], TCP_OPT.MALFORMED, 73],
    ['TFO cookie of 3 bytes', [34, 5, 1, 2, 3], TCP_OPT.MALFORMED, 54],
    ['EOL stops the walk', [0, 2, 1], TCP_OPT.EOL, -1],
    ['unknown kind is skipped and counted', [99, 4, 0, 0, 3, 3, 7], TCP_OPT.UNKNOWN | TCP_OPT.WSCALE, -1],
    ['User Timeout', [28, 4, 0x80, 0x05], TCP_OPT.USER_TIMEOUT, -1],
    ['AccECN kind 172 with one field', [172, 5, 0, 0, 1], TCP_OPT.ACCECN, -1],
    ['MD5 signature', [19, 18, ...new Array<number>(16).fill(0xaa)], TCP_OPT.AUTH, -1],
    ['MPTCP MP_JOIN', [30, 12, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0], TCP_OPT.MPTCP, -1],
  ];
  test.each(cases)('%s', (_n, opts, flags, badOff) => {
    decodePacket(pkt, withOptions(opts), 0, SYN.length, 1);
    expect(pkt.layers & LAYER.TCP).toBe(LAYER.TCP);
    expect(pkt.tcpOptFlags).toBe(flags);
    expect(pkt.tcpOptBadOff).toBe(badOff);
  });

  test('MPTCP subtype, unknown count and user timeout values', () => {
    decodePacket(pkt, withOptions([30, 12, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 2, 28, 4, 0x80, 5]), 0, SYN.length, 1);
    expect([pkt.mptcpSubtype, pkt.tcpOptUnknown, pkt.userTimeout]).toEqual([1, 1, 0x8005]);
  });
});

describe('IPv4 (RFC 791 section 3.1) and TCP header checks', () => {
  test('IHL < 5 is BAD_HEADER_LENGTH with lenSource ipv4-ihl', () => {
    const b = SYN.slice();
    b[14] = 0x44;
    decodePacket(pkt, b, 0, b.length, 1);
    expect(stopOf(pkt)).toEqual([STOP_LAYER.IPV4, STOP_REASON.BAD_HEADER_LENGTH, 14, 20, 16, LEN_SOURCE.IPV4_IHL]);
    expect(pkt.layers).toBe(LAYER.LINK);
  });
  test('total length < IHL is BAD_TOTAL_LENGTH', () => {
    const b = SYN.slice();
    b[16] = 0;
    b[17] = 12;
    decodePacket(pkt, b, 0, b.length, 1);
    expect(stopOf(pkt)).toEqual([STOP_LAYER.IPV4, STOP_REASON.BAD_TOTAL_LENGTH, 14, 20, 12, LEN_SOURCE.IPV4_TOTAL]);
  });
  test('IPv4 version nibble wrong is BAD_VERSION', () => {
    const b = SYN.slice();
    b[14] = 0x55;
    decodePacket(pkt, b, 0, b.length, 1);
    expect(pkt.stopReason).toBe(STOP_REASON.BAD_VERSION);
  });
  test('TCP data offset < 5 is BAD_HEADER_LENGTH', () => {
    const b = SYN.slice();
    b[46] = 0x40;
    decodePacket(pkt, b, 0, b.length, 1);
    expect(stopOf(pkt)).toEqual([STOP_LAYER.TCP, STOP_REASON.BAD_HEADER_LENGTH, 34, 20, 16, LEN_SOURCE.TCP_DATA_OFFSET]);
  });
  test('unknown IP protocol stops cleanly', () => {
    const b = SYN.slice();
    b[23] = 47;
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.stopLayer, pkt.stopReason, pkt.proto, pkt.isMalformedOrTruncated]).toEqual([STOP_LAYER.IPV4, STOP_REASON.UNKNOWN_PROTOCOL, 47, false]);
  });
});

describe('link layers', () => {
  test('802.3 length frame is NOT_IP', () => {
    const b = SYN.slice();
    b[12] = 0x00;
    b[13] = 0x40;
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.layers, pkt.stopReason]).toEqual([LAYER.LINK, STOP_REASON.NOT_IP]);
  });
  test('five VLAN tags is TOO_DEEP', () => {
    const tag = [0x81, 0x00, 0x00, 0x05];
    const b = new Uint8Array([...SYN.subarray(0, 12), ...tag, ...tag, ...tag, ...tag, ...tag, ...SYN.subarray(12)]);
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.stopLayer, pkt.stopReason, pkt.vlanCount, pkt.stopOffset]).toEqual([STOP_LAYER.VLAN, STOP_REASON.TOO_DEEP, 4, 30]);
  });
  test('four VLAN tags decode', () => {
    const tag = [0x88, 0xa8, 0x00, 0x07];
    const b = new Uint8Array([...SYN.subarray(0, 12), ...tag, ...tag, ...tag, 0x81, 0x00, 0x00, 0x09, ...SYN.subarray(12)]);
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.vlanCount, pkt.vlanIds[3], pkt.layers & LAYER.TCP]).toEqual([4, 9, LAYER.TCP]);
  });
  test.each([
    ['NULL little-endian AF_INET', 0, [2, 0, 0, 0]],
    ['NULL big-endian AF_INET', 0, [0, 0, 0, 2]],
    ['LOOP AF_INET', 108, [0, 0, 0, 2]],
  ] as const)('%s', (_n, lt, fam) => {
    const b = new Uint8Array([...fam, ...SYN.subarray(14)]);
    decodePacket(pkt, b, 0, b.length, lt);
    expect([pkt.netOff, pkt.layers & LAYER.TCP]).toEqual([4, LAYER.TCP]);
  });
  test.each([[0, 24], [0, 28], [0, 30]] as const)('NULL AF_INET6 %i/%i', (lt, fam) => {
    const b = new Uint8Array([fam, 0, 0, 0, ...V6.subarray(14)]);
    decodePacket(pkt, b, 0, b.length, lt);
    expect(pkt.layers & LAYER.IPV6).toBe(LAYER.IPV6);
  });
  test.each([101, 12, 14, 228] as const)('raw IPv4 link type %i', (lt) => {
    decodePacket(pkt, SYN.subarray(14), 0, SYN.length - 14, lt);
    expect(pkt.layers & LAYER.TCP).toBe(LAYER.TCP);
  });
  test('LINKTYPE_IPV6 with an IPv4 packet is BAD_VERSION at IPv6', () => {
    decodePacket(pkt, SYN.subarray(14), 0, SYN.length - 14, 229);
    expect([pkt.stopLayer, pkt.stopReason]).toEqual([STOP_LAYER.IPV6, STOP_REASON.BAD_VERSION]);
  });
  test('unknown link type', () => {
    decodePacket(pkt, SYN, 0, SYN.length, 147);
    expect(pkt.stopReason).toBe(STOP_REASON.UNKNOWN_LINK_TYPE);
  });
  test('decoding at an offset inside a larger buffer', () => {
    const b = new Uint8Array(SYN.length + 100);
    b.set(SYN, 37);
    decodePacket(pkt, b, 37, SYN.length, 1);
    expect([pkt.netOff, pkt.l4Off, pkt.sport, pkt.payloadOff]).toEqual([51, 71, 39738, 111]);
  });
});

describe('IPv6 extension headers (RFC 8200 section 4)', () => {
  test('an extension header longer than the payload length is BAD_EXTENSION', () => {
    const b = V6.slice();
    b[55] = 9; // hop-by-hop claims 80 bytes
    decodePacket(pkt, b, 0, b.length, 1);
    expect(stopOf(pkt)).toEqual([STOP_LAYER.IPV6_EXT, STOP_REASON.BAD_EXTENSION, 54, 80, 56, LEN_SOURCE.IPV6_PAYLOAD]);
  });
  test('unknown next header stops with UNKNOWN_PROTOCOL', () => {
    const b = V6.slice();
    b[54] = 253;
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.stopLayer, pkt.stopReason, pkt.proto, pkt.l4Off]).toEqual([STOP_LAYER.IPV6, STOP_REASON.UNKNOWN_PROTOCOL, 253, 62]);
  });
  test('a chain of destination-options headers deeper than the cap is TOO_DEEP', () => {
    const ext = [60, 0, 1, 4, 0, 0, 0, 0];
    const chain: number[] = [];
    for (let i = 0; i < 10; i++) chain.push(...ext);
    const ip = [0x60, 0, 0, 0, 0, chain.length, 60, 64, ...new Array<number>(32).fill(1)];
    const b = new Uint8Array([...ip, ...chain]);
    decodePacket(pkt, b, 0, b.length, 229);
    expect([pkt.stopLayer, pkt.stopReason]).toEqual([STOP_LAYER.IPV6_EXT, STOP_REASON.TOO_DEEP]);
  });
});

describe('decodeIp and records', () => {
  test('decodeIp decodes a bare datagram and keeps MF for the defragmenter without stopping', () => {
    const b = SYN.slice(14);
    b[6] = b[6]! | 0x20; // MF as in a rebuilt first fragment header
    decodeIp(pkt, b, 0, b.length);
    expect([pkt.layers & LAYER.TCP, pkt.layers & LAYER.FRAGMENT, pkt.mf, pkt.netOff]).toEqual([LAYER.TCP, 0, 1, 0]);
    decodeIp(pkt, b, 0, b.length, false);
    expect(pkt.layers & LAYER.FRAGMENT).toBe(LAYER.FRAGMENT);
  });

  test('toPacketRecord follows packet.schema.json', () => {
    decodePacket(pkt, SYN, 0, SYN.length, 1);
    const r = toPacketRecord(pkt, { frameNo: 7, tsSec: 1700000000, tsNsec: 5, caplen: 74, origLen: 74, linkType: 1 });
    expect(r).toEqual({
      frame: 7, ts: 1700000000.000000005, tsNs: '1700000000000000005', caplen: 74, len: 74, linkType: 'EN10MB',
      ipVersion: 4, src: '10.99.0.1', dst: '10.99.0.2', proto: 'tcp', ttl: 64, ipId: r.ipId, sport: 39738, dport: 8000,
      tcp: {
        seq: 1438556321, ack: 0, flags: 'S', window: 64240, payloadLen: 0, checksum: 'good',
        options: { mss: 1460, sackPermitted: true, tsval: 3343110100, tsecr: 0, wscale: 10 },
      },
    });
    decodePacket(pkt, SYN, 0, 40, 1);
    expect(toPacketRecord(pkt, { frameNo: 1, tsSec: 0, tsNsec: 0, caplen: 40, origLen: 74, linkType: 1 }).stop)
      .toEqual({ layer: 'tcp', offset: 34, reason: 'truncated' });
  });

  test.each([
    ['2001:db8::1', hex`2001 0db8 0000 0000 0000 0000 0000 0001`],
    ['2001:db8:0:1:1:1:1:1', hex`2001 0db8 0000 0001 0001 0001 0001 0001`],
    ['2001:0:0:1::1', hex`2001 0000 0000 0001 0000 0000 0000 0001`],
    ['::', hex`0000 0000 0000 0000 0000 0000 0000 0000`],
    ['::1', hex`0000 0000 0000 0000 0000 0000 0000 0001`],
    ['::ffff:10.1.2.3', hex`0000 0000 0000 0000 0000 ffff 0a01 0203`],
    ['fe80::', hex`fe80 0000 0000 0000 0000 0000 0000 0000`],
    ['1::', hex`0001 0000 0000 0000 0000 0000 0000 0000`],
  ])('RFC 5952 %s', (text, bytes) => {
    expect(formatIpv6(bytes, 0)).toBe(text);
  });
});
