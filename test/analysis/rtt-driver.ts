/**
 * Test driver for the RTT tracker (the real pipeline wires it through flow-behaviour.ts): decodes
 * a capture, splits TCP packets into connections by four-tuple (a SYN with a new ISN starts a new
 * one; the sender of the first SYN is the client, else the receiver of the first SYN/ACK, else
 * the first sender), and feeds each connection's `RttTracker` with SEG bits from a test-local
 * minimal rule: a segment carrying sequence space below the highest its sender has sent is a
 * RETRANSMISSION, or SPURIOUS_RETRANSMISSION when it ends at or below the peer's last ACK.
 */
import { readFileSync } from 'node:fs';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import { seqAdd, seqGt, seqLe, seqLt } from '../../src/core/seq.js';
import { formatIp } from '../../src/dissectors/address.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { RttTracker, type RttOptions } from '../../src/analysis/rtt.js';
import { SEG } from '../../src/analysis/seg-flags.js';

export interface RttConn {
  client: string;
  server: string;
  rtt: RttTracker;
  /** SEG bits given per frame (frame → bits), for assertions. */
  seg: Map<number, number>;
  /** Karn-clean ACK-matched samples by the frame of the ACK, seconds. */
  ackSamples: Map<number, number>;
}

/** The minimal retransmission rule, per direction. */
class LocalRule {
  private readonly high = [-1, -1];
  private readonly lastAck = [-1, -1];

  classify(pkt: DecodedPacket, dir: Direction): number {
    const f = pkt.tcpFlags;
    const len = pkt.payloadWireLen + ((f & TCP_FLAG.SYN) !== 0 ? 1 : 0) + ((f & TCP_FLAG.FIN) !== 0 ? 1 : 0);
    let bits = 0;
    if (len > 0 && (f & TCP_FLAG.RST) === 0) {
      const end = seqAdd(pkt.seq, len);
      const h = this.high[dir]!;
      const peerAck = this.lastAck[1 - dir]!;
      if (h >= 0 && seqLt(pkt.seq, h)) {
        bits = peerAck >= 0 && seqLe(end, peerAck) ? SEG.SPURIOUS_RETRANSMISSION : SEG.RETRANSMISSION;
      }
      if (h < 0 || seqGt(end, h)) this.high[dir] = end;
    }
    if ((f & TCP_FLAG.ACK) !== 0) this.lastAck[dir] = pkt.ack;
    return bits;
  }
}

/** Run RTT trackers over a capture held in memory; packets at or after `until` (epoch seconds) are left out. */
export function rttBytes(bytes: Uint8Array, opts: RttOptions = {}, until = Infinity): RttConn[] {
  const pkt = new DecodedPacket();
  const live = new Map<string, { c: RttConn; isn: number; rule: LocalRule }>();
  const all: RttConn[] = [];
  parseCaptureBytes(bytes, 'test', (fr) => {
    decodePacket(pkt, fr.buf, fr.off, fr.caplen, fr.linkType);
    if ((pkt.layers & LAYER.TCP) === 0 || fr.tsSec + fr.tsNsec * 1e-9 >= until) return;
    const v = pkt.ipVersion;
    const src = `${formatIp(pkt.buf, pkt.srcOff, v)}:${pkt.sport}`;
    const dst = `${formatIp(pkt.buf, pkt.dstOff, v)}:${pkt.dport}`;
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    const sa = pkt.tcpFlags & (TCP_FLAG.SYN | TCP_FLAG.ACK);
    let e = live.get(key);
    if (e === undefined || (sa === TCP_FLAG.SYN && e.c.client === src && e.isn !== pkt.seq)) {
      const clientIsSrc = sa !== (TCP_FLAG.SYN | TCP_FLAG.ACK);
      const c: RttConn = { client: clientIsSrc ? src : dst, server: clientIsSrc ? dst : src, rtt: new RttTracker(opts), seg: new Map(), ackSamples: new Map() };
      e = { c, isn: sa === TCP_FLAG.SYN ? pkt.seq : -1, rule: new LocalRule() };
      live.set(key, e);
      all.push(c);
    }
    const dir: Direction = src === e.c.client ? DIR.C2S : DIR.S2C;
    const bits = e.rule.classify(pkt, dir);
    if (bits !== 0) e.c.seg.set(fr.frameNo, bits);
    e.c.rtt.onPacket(pkt, dir, fr.frameNo, fr.tsSec + fr.tsNsec * 1e-9, bits);
    if (e.c.rtt.lastAckSample >= 0) e.c.ackSamples.set(fr.frameNo, e.c.rtt.lastAckSample);
  });
  return all;
}

/** Run RTT trackers over a capture file. */
export function rttFile(path: string, opts: RttOptions = {}, until = Infinity): RttConn[] {
  return rttBytes(new Uint8Array(readFileSync(path)), opts, until);
}
