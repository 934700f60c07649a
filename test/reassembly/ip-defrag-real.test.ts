/**
 * Real fragmented traffic (ip-defrag-captures.ts) through the real dissectors and the defragmenter:
 * the completing frame agrees with tshark's `reassembled_in`, and the rebuilt datagram decoded by
 * `decodeIp` gives the transport header tshark shows for the reassembled frame.
 */
import { describe, expect, test } from 'vitest';
import { decodeIp, decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { CHECKSUM, verifyL4Checksum } from '../../src/dissectors/checksum.js';
import { IpDefragmenter } from '../../src/reassembly/ip-defrag.js';
import type { Reassembled } from '../../src/reassembly/ip-defrag.js';
import * as caps from './ip-defrag-captures.js';
import type { Capture } from './ip-defrag-captures.js';
import { hex } from './ip-defrag-fixtures.js';

/** Run every frame of `cap`; return the datagrams rebuilt, keyed by completing frame. */
function run(cap: Capture): { done: Map<number, Reassembled>; d: IpDefragmenter } {
  const d = new IpDefragmenter();
  const pkt = new DecodedPacket();
  const done = new Map<number, Reassembled>();
  for (const f of cap.frames) {
    const b = hex(f.hex);
    decodePacket(pkt, b, 0, b.length, cap.linkType);
    if ((pkt.layers & LAYER.FRAGMENT) === 0) continue;
    const r = d.add(pkt, f.no, f.sec, f.nsec);
    if (r !== null) done.set(r.lastFrame, r);
  }
  return { done, d };
}

function decoded(r: Reassembled | undefined): DecodedPacket {
  const p = new DecodedPacket();
  if (r === undefined) throw new Error('not reassembled');
  decodeIp(p, r.bytes, 0, r.bytes.length);
  return p;
}

const ALL: Array<[string, Capture]> = [
  ['own IPv4 (ICMP + TCP via a 576-MTU router)', caps.ownV4],
  ['own IPv6 (ICMPv6 + UDP, MTU 1280)', caps.ownV6],
  ['zeek fragmented-syn', caps.zeekFragmentedSyn],
  ['zeek fragmented-4', caps.zeekFragmented4],
  ['PcapPlusPlus frag_http_req', caps.ppFragHttpReq],
  ['suricata frag-ip-tcp (raw IPv6)', caps.suricataFragIpTcp],
];

describe('tshark agrees on which frame completes each datagram', () => {
  test.each(ALL)('%s', (_name, cap) => {
    const { done, d } = run(cap);
    const tsharkDone = new Set(Object.values(cap.tsharkReassembledIn).filter((n) => n !== 0));
    expect([...done.keys()].sort((a, b) => a - b)).toEqual([...tsharkDone].sort((a, b) => a - b));
    for (const [frame, inFrame] of Object.entries(cap.tsharkReassembledIn)) {
      if (inFrame !== 0) expect(done.get(inFrame)?.frames).toContain(Number(frame));
    }
    // tshark: ip.fragment.overlap.conflict only in zeek fragmented-4 (frame 5)
    const conflict = cap === caps.zeekFragmented4;
    for (const r of done.values()) expect([r.overlap, r.inconsistentOverlap]).toEqual([conflict, conflict]);
    expect(d.counters).toMatchObject({ invalid: 0, inProgress: 0, bytesBuffered: 0 });
  });
});

describe('rebuilt datagrams decode like tshark shows them', () => {
  test('own IPv4: ICMP echo request/reply of 1208 bytes, pattern 0x5a', () => {
    const { done } = run(caps.ownV4);
    for (const [frame, type] of [[3, 8], [6, 0]] as const) {
      const r = done.get(frame);
      const p = decoded(r);
      expect(p.layers & (LAYER.ICMP | LAYER.REASSEMBLED)).toBe(LAYER.ICMP);
      expect([p.icmpType, p.ipTotalLen - p.ipHdrLen, r?.fragments]).toEqual([type, 1208, 3]);
      expect(r?.bytes.subarray(p.l4Off + 24).every((x) => x === 0x5a)).toBe(true);
    }
  });
  test('own IPv4: a 1400-byte TCP segment in three fragments (frame 12)', () => {
    const r = run(caps.ownV4).done.get(12);
    const p = decoded(r);
    expect([p.sport, p.dport, p.seq, p.tcpFlags, p.payloadWireLen]).toEqual([40822, 5001, 1732653554, TCP_FLAG.PSH | TCP_FLAG.ACK, 1400]);
    const payload = r?.bytes.subarray(p.payloadOff, p.payloadOff + 1400) ?? new Uint8Array();
    expect(payload.every((x, i) => x === ((i * 7) & 255))).toBe(true);
    expect(verifyL4Checksum(p)).toBe(CHECKSUM.GOOD);
  });
  test('own IPv6: ICMPv6 echo of 3008 bytes and a 2000-byte UDP datagram', () => {
    const { done } = run(caps.ownV6);
    const echo = decoded(done.get(7));
    expect([echo.icmpType, echo.ipTotalLen - 40, echo.ip6FragHdrOff]).toEqual([128, 3008, -1]);
    expect([decoded(done.get(10)).icmpType]).toEqual([129]);
    const r = done.get(12);
    const u = decoded(r);
    expect([u.layers & LAYER.UDP, u.dport, u.udpLength]).toEqual([LAYER.UDP, 9999, 2008]);
    expect(r?.bytes.subarray(u.l4Off + 8).every((x, i) => x === ((i * 7 + 3) & 255))).toBe(true);
    expect(verifyL4Checksum(u)).toBe(CHECKSUM.GOOD);
  });
  test('zeek fragmented-syn: TCP header split, MSS option in the second fragment', () => {
    const p = decoded(run(caps.zeekFragmentedSyn).done.get(2));
    expect([p.sport, p.dport, p.seq, p.tcpFlags, p.payloadWireLen, p.mss]).toEqual([12345, 80, 1000, TCP_FLAG.SYN, 0, 1460]);
  });
  test('zeek fragmented-4: conflicting overlap (evasion attempt); the bytes kept are those tshark shows', () => {
    const r = run(caps.zeekFragmented4).done.get(5);
    const p = decoded(r);
    expect([p.sport, p.dport, p.seq, p.tcpFlags, p.payloadWireLen, r?.fragments]).toEqual([7790, 80, 14715173, 0, 69, 4]);
    // tshark -2 -Y frame.number==5 -T fields -e ip.reassembled.data: frame 5 (offset 24) replaces
    // what frame 3 (offset 48) said, "winnt/system32/cm" (bsd policy: the lower offset wins).
    const tsharkData = hex`1e6e005000e08925002d97f25000ffff4f690000474554202f6d736164632f2e2e2532662e2e2f2e2e2532662e2e2f
      2e524b4e575572646f6f4d2b57736b4f324969414c51544900642e6578653f2f632b6469722b633a5c0a`;
    expect(r?.bytes.subarray(20)).toEqual(tsharkData);
  });
  test('PcapPlusPlus frag_http_req: an HTTP request in 11 fragments', () => {
    const r = run(caps.ppFragHttpReq).done.get(11);
    const p = decoded(r);
    expect([p.sport, p.dport, p.seq, p.payloadWireLen, r?.fragments]).toEqual([64415, 80, 2290951306, 1460, 11]);
    const head = new TextDecoder().decode(r?.bytes.subarray(p.payloadOff, p.payloadOff + 4));
    expect(head).toBe('GET ');
    expect(verifyL4Checksum(p)).toBe(CHECKSUM.GOOD);
  });
  test('suricata frag-ip-tcp: raw IPv6 TCP segment of 1000 bytes', () => {
    const p = decoded(run(caps.suricataFragIpTcp).done.get(3));
    expect([p.sport, p.dport, p.seq, p.tcpFlags, p.payloadWireLen]).toEqual([12345, 8080, 1, TCP_FLAG.ACK, 1000]);
    expect(verifyL4Checksum(p)).toBe(CHECKSUM.GOOD);
  });
});

describe('real fragments, shuffled and duplicated', () => {
  test.each(ALL)('%s: every order gives the same bytes', (_name, cap) => {
    const base = run(cap).done;
    const frames = cap.frames;
    for (let rot = 1; rot < frames.length; rot++) {
      const reordered: Capture = { ...cap, frames: [...frames.slice(rot), ...frames.slice(0, rot).reverse(), ...frames] };
      const d = new IpDefragmenter();
      const pkt = new DecodedPacket();
      const got: Uint8Array[] = [];
      for (const f of reordered.frames) {
        const b = hex(f.hex);
        decodePacket(pkt, b, 0, b.length, cap.linkType);
        if ((pkt.layers & LAYER.FRAGMENT) === 0) continue;
        const r = d.add(pkt, f.no, f.sec, f.nsec);
        if (r !== null) got.push(r.bytes);
      }
      for (const r of base.values()) expect(got.some((g) => Buffer.from(g).equals(r.bytes))).toBe(true);
    }
  });
});
