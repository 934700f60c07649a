/**
 * Test-local driver for the window tests: runs a `WindowTracker` over every TCP packet of a
 * capture (one tracker per four-tuple), before the per-flow orchestrator wires it. The SEG bits
 * and the scale shift come either from the production classifier (`'classifier'`) or, so the
 * window tests do not hinge on it, from small test-local rules (`'test-local'`):
 * - the window-scale shift of each sender (RFC 7323 §2.2: both SYNs captured, both with WS →
 *   the sender's own shift, capped at 14; one without → 0; a SYN missing → SCALE_UNKNOWN);
 * - SEG.ZERO_WINDOW_PROBE (+ PROBE_KEEPALIVE_SHAPE): while the receiver's last raw window is 0,
 *   1 byte at the sender's nextSeq, or 0/1 byte at nextSeq − 1 (the Linux persist shape);
 * - SEG.KEEP_ALIVE: otherwise 0 or 1 byte at nextSeq − 1, no SYN/FIN/RST;
 * - SEG.KEEP_ALIVE_ACK: a pure ACK repeating the sender's previous ACK and window, right after a
 *   keep-alive from the peer.
 * It also records, per frame, the bits it gave, for comparisons with tshark.
 */
import { readFileSync } from 'node:fs';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { DIR, reverse, type Direction } from '../../src/core/direction.js';
import { seqAdd } from '../../src/core/seq.js';
import { formatIp } from '../../src/dissectors/address.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG, TCP_OPT } from '../../src/dissectors/decoded-packet.js';
import { EventLog } from '../../src/analysis/event-log.js';
import { SCALE_UNKNOWN, SEG } from '../../src/analysis/seg-flags.js';
import { SegmentClassifier } from '../../src/analysis/segment-classifier.js';
import { WindowTracker, type WindowOptions } from '../../src/analysis/window-tracker.js';

const { SYN, FIN, RST, ACK } = TCP_FLAG;

/** Where the driver takes the SEG bits and the scale shift from. */
export type BitsSource = 'test-local' | 'classifier';

/** What the driver needs from a classifier. */
interface Bits {
  classify(p: DecodedPacket, dir: Direction, frame: number, t: number): number;
  shift(dir: Direction): number;
}

/** The production classifier (src/analysis/segment-classifier.ts) behind the same shape. */
class RealClassifier implements Bits {
  private readonly c = new SegmentClassifier();
  classify(p: DecodedPacket, dir: Direction, frame: number, t: number): number {
    return this.c.classify(p, dir, frame, t);
  }
  shift(dir: Direction): number {
    return this.c.scaleShift(dir);
  }
}

/** Test-local stand-in for the classifier's per-direction state. */
class MiniClassifier implements Bits {
  private readonly nxt = [-1, -1];
  private readonly lastAck = [-1, -1];
  private readonly lastWin = [-1, -1];
  private readonly ws = [-1, -1];
  private readonly syn = [false, false];
  private readonly lastWasKa = [false, false];

  shift(dir: Direction): number {
    if (!this.syn[0] || !this.syn[1]) return SCALE_UNKNOWN;
    const a = this.ws[dir]!;
    const b = this.ws[reverse(dir)]!;
    return a >= 0 && b >= 0 ? Math.min(a, 14) : 0;
  }

  classify(p: DecodedPacket, dir: Direction): number {
    const peer = reverse(dir);
    const f = p.tcpFlags;
    const len = p.payloadWireLen;
    const nxt = this.nxt[dir]!;
    let seg = 0;
    const ctl = (f & (SYN | FIN | RST)) !== 0;
    if (!ctl && nxt >= 0) {
      const atNxt = p.seq === nxt;
      const atNxtMinus1 = p.seq === seqAdd(nxt, -1);
      if (this.lastWin[peer] === 0 && ((len === 1 && atNxt) || (len <= 1 && atNxtMinus1))) {
        seg |= SEG.ZERO_WINDOW_PROBE | (atNxtMinus1 ? SEG.PROBE_KEEPALIVE_SHAPE : 0);
      } else if (len <= 1 && atNxtMinus1) {
        seg |= SEG.KEEP_ALIVE;
      } else if (len === 0 && this.lastWasKa[peer] && p.ack === this.lastAck[dir] && p.window === this.lastWin[dir]) {
        seg |= SEG.KEEP_ALIVE_ACK;
      }
    }
    if ((f & SYN) !== 0) {
      this.syn[dir] = true;
      this.ws[dir] = (p.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? p.wscale : -1;
    }
    if ((f & RST) === 0) {
      const end = seqAdd(p.seq, len + ((f & SYN) !== 0 ? 1 : 0) + ((f & FIN) !== 0 ? 1 : 0));
      if (nxt < 0 || ((end - nxt) | 0) > 0) this.nxt[dir] = end;
      if ((f & ACK) !== 0) this.lastAck[dir] = p.ack;
      this.lastWin[dir] = p.window;
    }
    this.lastWasKa[dir] = (seg & SEG.KEEP_ALIVE) !== 0;
    return seg;
  }
}

export interface DrivenFlow {
  client: string;
  server: string;
  log: EventLog;
  tracker: WindowTracker;
  /** frame → SEG bits the driver gave. */
  seg: Map<number, number>;
  /** frame → direction. */
  dir: Map<number, Direction>;
}

/**
 * Run window trackers over a capture file: flows keyed by four-tuple, a SYN with a new ISN from
 * the client starts a new flow; client = first SYN's sender (the receiver of a SYN/ACK), else
 * the first sender. Flows in order of their end.
 */
export function driveWindows(path: string, opts: WindowOptions = {}, bits: BitsSource = 'test-local'): DrivenFlow[] {
  const pkt = new DecodedPacket();
  type Live = DrivenFlow & { cls: Bits; lastFrame: number; lastT: number; clientIsn: number };
  const flows = new Map<string, Live>();
  const done: Live[] = [];
  parseCaptureBytes(new Uint8Array(readFileSync(path)), path, (fr) => {
    decodePacket(pkt, fr.buf, fr.off, fr.caplen, fr.linkType);
    if ((pkt.layers & LAYER.TCP) === 0) return;
    const v = pkt.ipVersion;
    const src = `${formatIp(pkt.buf, pkt.srcOff, v)}:${pkt.sport}`;
    const dst = `${formatIp(pkt.buf, pkt.dstOff, v)}:${pkt.dport}`;
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    let fl = flows.get(key);
    const isSyn = (pkt.tcpFlags & (SYN | ACK)) === SYN;
    if (fl !== undefined && isSyn && fl.client === src && fl.clientIsn !== pkt.seq) {
      fl.tracker.finish(fl.lastFrame, fl.lastT); // a new connection on the same four-tuple
      done.push(fl);
      fl = undefined;
    }
    if (fl === undefined) {
      const synAck = (pkt.tcpFlags & (SYN | ACK)) === (SYN | ACK);
      const log = new EventLog(1000);
      fl = {
        client: synAck ? dst : src, server: synAck ? src : dst, log, tracker: new WindowTracker(log, opts),
        seg: new Map(), dir: new Map(), cls: bits === 'classifier' ? new RealClassifier() : new MiniClassifier(), lastFrame: 0, lastT: 0, clientIsn: isSyn ? pkt.seq : -1,
      };
      flows.set(key, fl);
    }
    const dir: Direction = src === fl.client ? DIR.C2S : DIR.S2C;
    const t = fr.tsSec + fr.tsNsec * 1e-9;
    const seg = fl.cls.classify(pkt, dir, fr.frameNo, t);
    fl.tracker.onPacket(pkt, dir, fr.frameNo, t, seg, fl.cls.shift(dir));
    fl.seg.set(fr.frameNo, seg);
    fl.dir.set(fr.frameNo, dir);
    fl.lastFrame = fr.frameNo;
    fl.lastT = t;
  });
  for (const fl of flows.values()) {
    fl.tracker.finish(fl.lastFrame, fl.lastT);
    done.push(fl);
  }
  return done;
}
