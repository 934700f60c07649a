/**
 * The PPPoE LENGTH field bounds the network layer (RFC 2516 section 4: the payload length, PPP
 * protocol field included); bytes past it are Ethernet padding. Real frames from
 * ../shared/captures/zeek__pppoe-over-qinq.pcap, some with the LENGTH field patched; expected
 * values checked against tshark 4.0 (tcp.len, expert info) and tcpdump 4.99 (text line).
 */
import { describe, expect, test } from 'vitest';
import { DecodedPacket, LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from '../../src/dissectors/decoded-packet.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { CHECKSUM, verifyL4Checksum } from '../../src/dissectors/checksum.js';
import { formatTcpdumpLine } from '../../src/dissectors/format.js';
import { hex } from '../helpers/hex.js';
import { REAL_PACKETS } from './real-packets.js';

const pkt = new DecodedPacket();

/**
 * Frame 19: PPPoE LENGTH 42 (40 bytes of IP) but IPv4 total length 46; the frame carries 6 zero
 * bytes after the 40. tshark: "IPv4 total length exceeds packet length (40 bytes)", tcp.len 0,
 * checksum bad (it verifies only over the 46-byte length). The server's next segment (frame 20)
 * starts at the same sequence number: the 6 bytes were not data.
 */
const FRAME_19 = hex`
  # 09:09:59.833368 PPPoE  [ses 0xf07] IP truncated-ip - 6 bytes missing! (tos 0x0, ttl 239, id 7238, offset 0, flags [DF], proto TCP (6), length 46)
  # 2.2.2.2.443 > 1.1.1.1.20394: Flags [.], cksum 0x8727 (correct), seq 4237340679:4237340685, ack 3618129049, win 2146, length 6
  bcd1 7717 750d 0000 0000 0000 8100 0e78   # 0x0000  ..w.u..........x
  8100 09aa 8864 1100 0f07 002a 0021 4500   # 0x0010  .....d.....*.!E.
  002e 1c46 4000 ef06 697e 0202 0202 0101   # 0x0020  ...F@...i~......
  0101 01bb 4faa fc90 b007 d7a8 4499 5010   # 0x0030  ....O.......D.P.
  0862 8727 0000 0000 0000 0000             # 0x0040  .b.'........
`;
const LINE_19 = "09:09:59.833368 PPPoE  [ses 0xf07] IP truncated-ip - 6 bytes missing! 2.2.2.2.443 > 1.1.1.1.20394: Flags [.], seq 4237340679:4237340685, ack 3618129049, win 2146, length 6";

/** Frame 20: PPPoE LENGTH 93 = 2 + IPv4 total length 91, 51 bytes of TLS. */
const FRAME_20 = hex`
  # 09:09:59.835018 PPPoE  [ses 0xf07] IP (tos 0x0, ttl 239, id 7240, offset 0, flags [DF], proto TCP (6), length 91)
  # 2.2.2.2.443 > 1.1.1.1.20394: Flags [P.], cksum 0x7d33 (correct), seq 4237340679:4237340730, ack 3618129049, win 2146, length 51
  bcd1 7717 750d 0000 0000 0000 8100 0e78   # 0x0000  ..w.u..........x
  8100 09aa 8864 1100 0f07 005d 0021 4500   # 0x0010  .....d.....].!E.
  005b 1c48 4000 ef06 694f 0202 0202 0101   # 0x0020  .[.H@...iO......
  0101 01bb 4faa fc90 b007 d7a8 4499 5018   # 0x0030  ....O.......D.P.
  0862 7d33 0000 1403 0300 0101 1603 0300   # 0x0040  .b}3............
  2890 6227 85bd d364 58b6 eaee 88bd 9b74   # 0x0050  (.b'...dX......t
  8efd c3fa 9c07 c8b3 1397 cf56 0362 c77f   # 0x0060  ...........V.b..
  d9c9 2ced 68ab 9720 21                    # 0x0070  ..,.h...!
`;
const LINE_20 = "09:09:59.835018 PPPoE  [ses 0xf07] IP 2.2.2.2.443 > 1.1.1.1.20394: Flags [P.], seq 4237340679:4237340730, ack 3618129049, win 2146, length 51";

/** Offsets in these frames: PPPoE header at 22 (LENGTH at 26), PPP protocol at 28, IP at 30. */
const PPPOE = 22;
const IP = 30;

/** `frame` with the PPPoE LENGTH field set to `len` (and, if given, the PPP protocol). */
function withPppoeLen(frame: Uint8Array, len: number, pppProto = -1): Uint8Array {
  const b = frame.slice();
  b[PPPOE + 4] = len >> 8;
  b[PPPOE + 5] = len & 0xff;
  if (pppProto >= 0) {
    b[PPPOE + 6] = pppProto >> 8;
    b[PPPOE + 7] = pppProto & 0xff;
  }
  return b;
}

/**
 * A real Ethernet IPv6 frame from REAL_PACKETS re-framed behind frame 19's QinQ + PPPoE header
 * (PPP protocol 0x0057): the IPv6 payload length raised by `extra` with `extra` zero bytes of
 * padding appended, and PPPoE LENGTH `pppoeLen` (default: the real datagram plus 2).
 */
function ipv6OverPppoe(name: string, extra: number, pppoeLen = -1): Uint8Array {
  const eth = REAL_PACKETS.find((c) => c.name === name)!.bytes;
  const net = eth.subarray(14);
  const b = new Uint8Array(IP + net.length + extra);
  b.set(withPppoeLen(FRAME_19, pppoeLen >= 0 ? pppoeLen : 2 + net.length, 0x0057).subarray(0, IP), 0);
  b.set(net, IP);
  const plen = ((net[4]! << 8) | net[5]!) + extra;
  b[IP + 4] = plen >> 8;
  b[IP + 5] = plen & 0xff;
  return b;
}

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Bytes captured (default: all) and on the wire (default: all). */
  readonly caplen?: number;
  readonly origLen?: number;
  readonly layers: number;
  /** [layer, reason, offset, need, have, lenSource], or null for no stop. */
  readonly stop: readonly number[] | null;
  /** [payloadWireLen, payloadCapLen] when TCP decoded. */
  readonly payload?: readonly [number, number];
  readonly checksum?: number;
  /** tcpdump -n -S line and the frame's time (nanoseconds after 2018-04-10 09:09:59 UTC). */
  readonly line?: readonly [string, number];
}

const ETH_QINQ = LAYER.LINK | LAYER.VLAN;
const ETH_PPPOE = ETH_QINQ | LAYER.PPPOE;
const V4_TCP = ETH_PPPOE | LAYER.IPV4 | LAYER.TCP;
const { IPV4, IPV6, IPV6_EXT, TCP } = STOP_LAYER;
const { TRUNCATED, BAD_TOTAL_LENGTH, BAD_HEADER_LENGTH } = STOP_REASON;

const cases: readonly Case[] = [
  {
    name: 'LENGTH shorter than the IPv4 total length (frame 19): datagram cut at 40 bytes, TCP payload 0',
    bytes: FRAME_19,
    layers: V4_TCP,
    stop: [IPV4, BAD_TOTAL_LENGTH, IP, 46, 40, LEN_SOURCE.PPPOE],
    payload: [0, 0],
    checksum: CHECKSUM.BAD,
    line: [LINE_19, 833368000],
  },
  {
    name: 'LENGTH equal to the datagram (frame 20)',
    bytes: FRAME_20,
    layers: V4_TCP,
    stop: null,
    payload: [51, 51],
    checksum: CHECKSUM.GOOD,
    line: [LINE_20, 835018000],
  },
  {
    name: 'LENGTH past the captured frame: a snap-length cut (frame 20, 80 of 121 bytes), as tshark tcp.len 51',
    bytes: FRAME_20,
    caplen: 80,
    origLen: 121,
    layers: V4_TCP,
    stop: null,
    payload: [51, 10],
    checksum: CHECKSUM.UNVERIFIED,
    line: [LINE_20, 835018000],
  },
  {
    name: 'LENGTH past the captured frame, snap length cutting the TCP header: the capture is the limit',
    bytes: FRAME_20,
    caplen: 60,
    origLen: 121,
    layers: ETH_PPPOE | LAYER.IPV4,
    stop: [TCP, TRUNCATED, IP + 20, 20, 10, LEN_SOURCE.SLICE],
  },
  {
    name: 'LENGTH past a whole frame (frame 19, LENGTH 256): no PPPoE bound, the IPv4 total length decides',
    bytes: withPppoeLen(FRAME_19, 256),
    layers: V4_TCP,
    stop: null,
    payload: [6, 6],
    checksum: CHECKSUM.GOOD,
  },
  {
    name: 'LENGTH 0: shorter than the PPP protocol field, malformed',
    bytes: withPppoeLen(FRAME_19, 0),
    layers: ETH_QINQ,
    stop: [STOP_LAYER.PPPOE, BAD_HEADER_LENGTH, PPPOE, 2, 0, LEN_SOURCE.PPPOE],
  },
  {
    name: 'LENGTH 1: shorter than the PPP protocol field, malformed',
    bytes: withPppoeLen(FRAME_19, 1),
    layers: ETH_QINQ,
    stop: [STOP_LAYER.PPPOE, BAD_HEADER_LENGTH, PPPOE, 2, 1, LEN_SOURCE.PPPOE],
  },
  {
    name: 'LENGTH 2: PPP protocol only, no IPv4 header',
    bytes: withPppoeLen(FRAME_19, 2),
    layers: ETH_PPPOE,
    stop: [IPV4, TRUNCATED, IP, 20, 0, LEN_SOURCE.PPPOE],
  },
  {
    name: 'LENGTH 12: IPv4 header cut by the PPPoE length',
    bytes: withPppoeLen(FRAME_19, 12),
    layers: ETH_PPPOE,
    stop: [IPV4, TRUNCATED, IP, 20, 10, LEN_SOURCE.PPPOE],
  },
  {
    name: 'LENGTH 32: TCP header cut by the PPPoE length',
    bytes: withPppoeLen(FRAME_19, 32),
    layers: ETH_PPPOE | LAYER.IPV4,
    stop: [TCP, TRUNCATED, IP + 20, 20, 10, LEN_SOURCE.PPPOE],
  },
  {
    name: 'IPv6 payload length 6 past LENGTH (veth ipv6 SYN re-framed): tshark tcp.len 0, checksum good',
    bytes: ipv6OverPppoe('veth ipv6 SYN', 6),
    layers: ETH_PPPOE | LAYER.IPV6 | LAYER.TCP,
    stop: [IPV6, BAD_TOTAL_LENGTH, IP, 86, 80, LEN_SOURCE.PPPOE],
    payload: [0, 0],
    checksum: CHECKSUM.GOOD,
  },
  {
    name: 'IPv6 hop-by-hop header cut by LENGTH (MLDv2 re-framed, LENGTH 46: 4 of 8 bytes)',
    bytes: ipv6OverPppoe('veth ipv6 hop-by-hop MLDv2', 0, 46),
    layers: ETH_PPPOE | LAYER.IPV6,
    stop: [IPV6_EXT, TRUNCATED, IP + 40, 8, 4, LEN_SOURCE.PPPOE],
  },
];

const stopOf = (p: DecodedPacket): number[] | null =>
  p.stopReason === 0 ? null : [p.stopLayer, p.stopReason, p.stopOffset, p.stopNeed, p.stopHave, p.stopLenSource];

describe('PPPoE LENGTH bounds the network layer (RFC 2516 section 4)', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const caplen = c.caplen ?? c.bytes.length;
    const origLen = c.origLen ?? c.bytes.length;
    decodePacket(pkt, c.bytes, 0, caplen, 1);
    expect(pkt.layers).toBe(c.layers);
    expect(stopOf(pkt)).toEqual(c.stop);
    if (c.payload !== undefined) expect([pkt.payloadWireLen, pkt.payloadCapLen]).toEqual(c.payload);
    if (c.checksum !== undefined) expect(verifyL4Checksum(pkt, false, caplen < origLen)).toBe(c.checksum);
    if (c.line !== undefined) expect(formatTcpdumpLine(pkt, 1523351399, c.line[1], { origLen })).toBe(c.line[0]);
  });

  test('frame 19 keeps the header values: IPv4 total length 46, 20 bytes of TCP on the wire', () => {
    decodePacket(pkt, FRAME_19, 0, FRAME_19.length, 1);
    expect([pkt.ipTotalLen, pkt.l4WireLen, pkt.l4CapLen, pkt.seq, pkt.pppoeSession]).toEqual([46, 20, 20, 4237340679, 0xf07]);
  });

  test('frame 19 cut at every length: the PPPoE bound applies only once the capture reaches it', () => {
    const pppoeEnd = PPPOE + 6 + 42;
    for (let cut = 0; cut <= FRAME_19.length; cut++) {
      decodePacket(pkt, FRAME_19, 0, cut, 1);
      if (cut >= pppoeEnd) {
        expect(stopOf(pkt), `cut ${cut}`).toEqual([IPV4, BAD_TOTAL_LENGTH, IP, 46, 40, LEN_SOURCE.PPPOE]);
        expect(pkt.payloadWireLen, `cut ${cut}`).toBe(0);
      } else {
        expect(pkt.stopLenSource, `cut ${cut}`).toBe(LEN_SOURCE.SLICE);
        expect(pkt.stopReason, `cut ${cut}`).toBe(TRUNCATED);
      }
    }
  });
});
