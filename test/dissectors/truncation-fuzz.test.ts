import { describe, expect, test } from 'vitest';
import { DecodedPacket, LAYER, LEN_SOURCE, STOP_LAYER, STOP_REASON } from '../../src/dissectors/decoded-packet.js';
import { decodePacket, decodeIp } from '../../src/dissectors/decode.js';
import { verifyIpv4Checksum, verifyL4Checksum } from '../../src/dissectors/checksum.js';
import { formatTcpdumpLine, toPacketRecord } from '../../src/dissectors/format.js';
import { REAL_PACKETS } from './real-packets.js';
import { prng } from '../helpers/prng.js';

const pkt = new DecodedPacket();
const byName = (n: string) => REAL_PACKETS.find((c) => c.name === n)!;

describe('truncation sweeps', () => {
  test('Ethernet/IPv4/TCP SYN (74 bytes) cut at every length stops at the exact layer', () => {
    const c = byName('veth ipv4 SYN');
    for (let cut = 0; cut <= c.bytes.length; cut++) {
      decodePacket(pkt, c.bytes, 0, cut, 1);
      const got = [pkt.stopLayer, pkt.stopReason, pkt.stopOffset, pkt.stopNeed, pkt.stopHave, pkt.stopLenSource];
      const T = STOP_REASON.TRUNCATED;
      if (cut < 14) expect(got, `cut ${cut}`).toEqual([STOP_LAYER.LINK, T, 0, 14, cut, LEN_SOURCE.SLICE]);
      else if (cut < 34) expect(got, `cut ${cut}`).toEqual([STOP_LAYER.IPV4, T, 14, 20, cut - 14, LEN_SOURCE.SLICE]);
      else if (cut < 54) expect(got, `cut ${cut}`).toEqual([STOP_LAYER.TCP, T, 34, 20, cut - 34, LEN_SOURCE.SLICE]);
      else if (cut < 74) {
        // Options cut by the capture: the fixed header stays decoded (as tshark shows it).
        expect(got, `cut ${cut}`).toEqual([STOP_LAYER.TCP_OPTIONS, T, 54, 20, cut - 54, LEN_SOURCE.SLICE]);
        expect(pkt.layers & LAYER.TCP).toBe(LAYER.TCP);
        expect(pkt.sport).toBe(39738);
        expect([pkt.payloadCapLen, pkt.mss]).toEqual([0, -1]);
      } else expect(pkt.stopReason).toBe(0);
    }
  });

  test('IPv6 hop-by-hop + ICMPv6 cut inside the extension header stops at ipv6-ext', () => {
    const c = byName('veth ipv6 hop-by-hop MLDv2');
    for (let cut = 54; cut < 62; cut++) {
      decodePacket(pkt, c.bytes, 0, cut, 1);
      expect([pkt.stopLayer, pkt.stopReason, pkt.stopOffset, pkt.stopNeed, pkt.stopHave, pkt.stopLenSource], `cut ${cut}`)
        .toEqual([STOP_LAYER.IPV6_EXT, STOP_REASON.TRUNCATED, 54, 8, cut - 54, LEN_SOURCE.SLICE]);
      expect(pkt.layers & LAYER.IPV6).toBe(LAYER.IPV6);
    }
  });

  test('a whole datagram with a TCP header longer than the IP length reports the IP length as the limit', () => {
    const c = byName('veth ipv4 SYN');
    const b = c.bytes.slice();
    b[17] = 50; // total length 50: TCP gets 30 of its 40 header bytes
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.stopLayer, pkt.stopReason, pkt.stopNeed, pkt.stopHave, pkt.stopLenSource]).toEqual([
      STOP_LAYER.TCP, STOP_REASON.TRUNCATED, 40, 30, LEN_SOURCE.TCP_DATA_OFFSET]);
    b[17] = 30; // 10 bytes of TCP: the fixed header does not fit the datagram
    decodePacket(pkt, b, 0, b.length, 1);
    expect([pkt.stopLayer, pkt.stopNeed, pkt.stopHave, pkt.stopLenSource]).toEqual([STOP_LAYER.TCP, 20, 10, LEN_SOURCE.IPV4_TOTAL]);
  });

  test('every real packet cut at every length: never throws, stays consistent', () => {
    for (const c of REAL_PACKETS) {
      decodePacket(pkt, c.bytes, 0, c.bytes.length, c.linkType);
      const fullLayers = pkt.layers;
      for (let cut = 0; cut < c.bytes.length; cut++) {
        decodePacket(pkt, c.bytes, 0, cut, c.linkType);
        expect(pkt.layers & ~fullLayers, `${c.name} cut ${cut}`).toBe(0);
        if (pkt.stopReason === STOP_REASON.TRUNCATED) {
          expect(pkt.stopHave, `${c.name} cut ${cut}`).toBeLessThan(pkt.stopNeed);
          expect(pkt.stopOffset + pkt.stopHave, `${c.name} cut ${cut}`).toBeLessThanOrEqual(cut);
        }
        if (pkt.layers === fullLayers && pkt.stopReason === 0) {
          // only payload (or padding) was cut: the capture-side lengths shrink, never the wire ones
          expect(pkt.payloadCapLen).toBeLessThanOrEqual(pkt.payloadWireLen);
        }
        verifyIpv4Checksum(pkt);
        verifyL4Checksum(pkt);
        formatTcpdumpLine(pkt, 0, 0);
        toPacketRecord(pkt, { frameNo: 1, tsSec: 0, tsNsec: 0, caplen: cut, origLen: c.origLen, linkType: c.linkType });
      }
    }
  });
});


const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147];

describe('fuzz (bounded)', () => {
  test('random bytes never throw', () => {
    const r = prng(1);
    const buf = new Uint8Array(256);
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(r() * buf.length);
      for (let j = 0; j < n; j++) buf[j] = Math.floor(r() * 256);
      // Steer some frames into IP so deeper layers get exercised.
      if (n > 14 && r() < 0.5) { buf[12] = 0x08; buf[13] = r() < 0.5 ? 0x00 : 0x86; buf[14] = r() < 0.5 ? 0x45 : 0x60; }
      const lt = LINK_TYPES[i % LINK_TYPES.length]!;
      decodePacket(pkt, buf, 0, n, lt);
      verifyIpv4Checksum(pkt);
      verifyL4Checksum(pkt);
      formatTcpdumpLine(pkt, 0, 0);
      decodeIp(pkt, buf, 0, n);
    }
  });

  test('real packets with random byte mutations never throw', () => {
    const r = prng(2);
    for (let i = 0; i < 20000; i++) {
      const c = REAL_PACKETS[i % REAL_PACKETS.length]!;
      const b = c.bytes.slice();
      const flips = 1 + Math.floor(r() * 4);
      for (let k = 0; k < flips; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      decodePacket(pkt, b, 0, b.length, c.linkType);
      verifyL4Checksum(pkt);
      formatTcpdumpLine(pkt, 0, 0);
      toPacketRecord(pkt, { frameNo: 1, tsSec: 0, tsNsec: 0, caplen: b.length, origLen: c.origLen, linkType: c.linkType });
    }
  });
});
