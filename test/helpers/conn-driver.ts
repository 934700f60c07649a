/**
 * A small per-four-tuple driver for the connection-state tests (the real flow table is written
 * elsewhere): decodes every frame of a capture, groups TCP packets by four-tuple, starts a new
 * connection on a SYN (without ACK) whose ISN differs from the current connection's client ISN,
 * and gives each connection's packets to a `ConnectionTracker` with roles: the sender of the
 * first SYN is the client; else the receiver of the first SYN/ACK; else the first sender.
 */
import { readFileSync } from 'node:fs';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { DIR } from '../../src/core/direction.js';
import type { Direction } from '../../src/core/direction.js';
import { formatIp } from '../../src/dissectors/address.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { ConnectionTracker } from '../../src/analysis/connection-tracker.js';
import type { ConnectionSummary, ConnectionTrackerOptions } from '../../src/analysis/connection-tracker.js';

export interface DrivenConn {
  /** "ip:port" of each role. */
  client: string;
  server: string;
  clientIsn: number;
  firstFrame: number;
  tracker: ConnectionTracker;
}

export interface DrivenResult extends DrivenConn {
  summary: ConnectionSummary;
}

/** Run trackers over a capture held in memory. */
export function trackBytes(bytes: Uint8Array, opts: ConnectionTrackerOptions = {}): DrivenResult[] {
  const pkt = new DecodedPacket();
  const live = new Map<string, DrivenConn>();
  const all: DrivenConn[] = [];
  parseCaptureBytes(bytes, 'test', (f) => {
    decodePacket(pkt, f.buf, f.off, f.caplen, f.linkType);
    if ((pkt.layers & LAYER.TCP) === 0) return;
    const v = pkt.ipVersion;
    const src = `${formatIp(pkt.buf, pkt.srcOff, v)}:${pkt.sport}`;
    const dst = `${formatIp(pkt.buf, pkt.dstOff, v)}:${pkt.dport}`;
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    const isSyn = (pkt.tcpFlags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    let c = live.get(key);
    if (c === undefined || (isSyn && c.client === src && c.clientIsn !== pkt.seq)) {
      const synAck = (pkt.tcpFlags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === (TCP_FLAG.SYN | TCP_FLAG.ACK);
      const clientIsSrc = !synAck;
      c = {
        client: clientIsSrc ? src : dst, server: clientIsSrc ? dst : src, clientIsn: isSyn ? pkt.seq : -1,
        firstFrame: f.frameNo, tracker: new ConnectionTracker(opts),
      };
      live.set(key, c);
      all.push(c);
    }
    const dir: Direction = src === c.client ? DIR.C2S : DIR.S2C;
    c.tracker.onPacket(pkt, dir, f.frameNo, f.tsSec, f.tsNsec);
  });
  return all.map((c) => ({ ...c, summary: c.tracker.finish() }));
}

/** Run trackers over a capture file. */
export function trackFile(path: string, opts: ConnectionTrackerOptions = {}): DrivenResult[] {
  return trackBytes(new Uint8Array(readFileSync(path)), opts);
}
