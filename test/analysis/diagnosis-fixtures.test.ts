/**
 * The per-flow verdict on the real Linux fixtures, whose answer is known by construction
 * (fixtures/README.md): slow-reader is receiver-limited, the lossy bulk transfers are
 * loss-limited, the idle keep-alive connection is application-limited and the tbf-shaped
 * transfer is limited by the network path.
 *
 * The window and RTT trackers and the classifier are written elsewhere, so this file carries a
 * deliberately simple test-local driver that stands in for them: in flight = highest sequence
 * sent − the peer's last ACK; rwnd = raw window << the SYNs' window-scale shift; SRTT = the
 * handshake RTT; SEG bits from three rules (payload below the highest sequence sent =
 * retransmission; a pure ACK repeating the previous ACK while data is outstanding = duplicate
 * ACK; window 0 = zero window, and a 0/1-byte segment at highest−1 = keep-alive).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CongestionTracker } from '../../src/analysis/congestion.js';
import { Diagnosis, type DiagnosisJson, type PathView } from '../../src/analysis/diagnosis.js';
import { SEG } from '../../src/analysis/seg-flags.js';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import { seqAdd, seqDiff, seqGt, seqLt } from '../../src/core/seq.js';
import { formatIp } from '../../src/dissectors/address.js';
import { decodePacket } from '../../src/dissectors/decode.js';
import { DecodedPacket, LAYER, TCP_FLAG } from '../../src/dissectors/decoded-packet.js';
import { fixturePath } from '../helpers/fixture-captures.js';

/** The stand-in trackers of one flow. */
class Flow implements PathView {
  readonly congestion = new CongestionTracker();
  readonly diagnosis = new Diagnosis(this.congestion);
  readonly sndMax = [0, 0];
  readonly sent = [false, false];
  readonly lastAck = [-1, -1];
  readonly lastAckPure = [-1, -1];
  readonly window = [-1, -1];
  readonly wsOpt = [-1, -1];
  readonly synSeen = [false, false];
  synT = -1;
  hsRtt = -1;
  synAckSeen = false;
  lastT = 0;

  constructor(readonly client: string) {}

  private shift(sender: Direction): number {
    if (!this.synSeen[0] || !this.synSeen[1]) return -1;
    return this.wsOpt[0]! >= 0 && this.wsOpt[1]! >= 0 ? this.wsOpt[sender]! : 0;
  }

  inFlight(dir: Direction): number {
    const ack = this.lastAck[1 - dir]!;
    if (!this.sent[dir] || ack < 0) return -1;
    return Math.max(0, seqDiff(this.sndMax[dir]!, ack));
  }

  rwnd(dir: Direction): number {
    const rev = (1 - dir) as Direction;
    const sh = this.shift(rev);
    if (this.window[rev]! < 0 || sh < 0) return -1;
    return this.window[rev]! * 2 ** sh;
  }

  srtt(): number {
    return this.hsRtt;
  }

  zeroWindowOpen(dir: Direction): boolean {
    return this.window[1 - dir] === 0;
  }

  /** SEG bits by the three simple rules (before the state update). */
  private seg(p: DecodedPacket, dir: Direction): number {
    const f = p.tcpFlags;
    let seg = 0;
    if ((f & (TCP_FLAG.SYN | TCP_FLAG.RST)) === 0 && p.window === 0) seg |= SEG.ZERO_WINDOW;
    const len = p.payloadWireLen;
    if (this.sent[dir] && (f & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) === 0 && len <= 1 && p.seq === seqAdd(this.sndMax[dir]!, -1)) {
      return seg | SEG.KEEP_ALIVE;
    }
    if (len > 0 && this.sent[dir] && seqLt(p.seq, this.sndMax[dir]!)) seg |= SEG.RETRANSMISSION;
    const rev = (1 - dir) as Direction;
    const pure = len === 0 && (f & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) === 0;
    if (pure && p.ack === this.lastAckPure[dir] && this.sent[rev] && seqGt(this.sndMax[rev]!, p.ack)) seg |= SEG.DUPLICATE_ACK;
    return seg;
  }

  onPacket(p: DecodedPacket, dir: Direction, frame: number, t: number): void {
    const seg = this.seg(p, dir);
    const f = p.tcpFlags;
    const syn = (f & TCP_FLAG.SYN) !== 0;
    if (syn) {
      this.synSeen[dir] = true;
      this.wsOpt[dir] = p.wscale;
      if ((f & TCP_FLAG.ACK) === 0) this.synT = this.synT < 0 ? t : this.synT;
      else this.synAckSeen = true;
    } else if (this.hsRtt < 0 && this.synAckSeen && this.synT >= 0 && (f & TCP_FLAG.ACK) !== 0) this.hsRtt = t - this.synT;
    const end = seqAdd(p.seq, p.payloadWireLen + (syn ? 1 : 0) + ((f & TCP_FLAG.FIN) !== 0 ? 1 : 0));
    if (!this.sent[dir] || seqGt(end, this.sndMax[dir]!)) this.sndMax[dir] = end;
    this.sent[dir] = true;
    if ((f & TCP_FLAG.ACK) !== 0) {
      if (this.lastAck[dir]! < 0 || seqGt(p.ack, this.lastAck[dir]!)) this.lastAck[dir] = p.ack;
      if (p.payloadWireLen === 0 && (f & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) === 0) this.lastAckPure[dir] = p.ack;
    }
    this.window[dir] = syn ? -1 : p.window;
    this.congestion.onPacket(p, dir, frame, t, seg, this.inFlight(dir), this.rwnd(dir), this.hsRtt);
    this.diagnosis.onPacket(p, dir, frame, t, seg, this);
    this.lastT = t;
  }

  result(): DiagnosisJson {
    this.congestion.finish(this.lastT);
    this.diagnosis.finish(this.lastT);
    return this.diagnosis.result();
  }
}

/** Every TCP flow of a fixture, in order of first packet (a SYN with a new ISN starts a new one). */
export function diagnoseFixture(name: string): { flow: Flow; result: DiagnosisJson }[] {
  const pkt = new DecodedPacket();
  const live = new Map<string, { flow: Flow; isn: number }>();
  const all: Flow[] = [];
  parseCaptureBytes(new Uint8Array(readFileSync(fixturePath(name))), name, (fr) => {
    decodePacket(pkt, fr.buf, fr.off, fr.caplen, fr.linkType);
    if ((pkt.layers & LAYER.TCP) === 0) return;
    const src = `${formatIp(pkt.buf, pkt.srcOff, pkt.ipVersion)}:${pkt.sport}`;
    const dst = `${formatIp(pkt.buf, pkt.dstOff, pkt.ipVersion)}:${pkt.dport}`;
    const key = src < dst ? `${src}|${dst}` : `${dst}|${src}`;
    const isSyn = (pkt.tcpFlags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    let c = live.get(key);
    if (c === undefined || (isSyn && c.isn !== pkt.seq)) {
      c = { flow: new Flow(isSyn || c === undefined ? src : dst), isn: isSyn ? pkt.seq : -1 };
      live.set(key, c);
      all.push(c.flow);
    }
    const dir: Direction = src === c.flow.client ? DIR.C2S : DIR.S2C;
    c.flow.onPacket(pkt, dir, fr.frameNo, fr.tsSec + fr.tsNsec * 1e-9);
  });
  return all.map((flow) => ({ flow, result: flow.result() }));
}

interface Case {
  file: string;
  limitedBy: DiagnosisJson['limitedBy'];
  direction: 'c2s' | 's2c';
  /** Extra checks on the verdict. */
  check?: (r: DiagnosisJson) => void;
}

const CASES: Case[] = [
  {
    // server SO_RCVBUF=4096, reads nothing for 1.6 s: zero windows; the kernel's own TCP_INFO
    // says rwnd_limited 1676 of busy 1684 ms (truth file)
    file: 'slow-reader.client.pcap', limitedBy: 'receiver_window', direction: 'c2s',
    check: (r) => {
      expect(r.fractions.receiver_window).toBeGreaterThan(0.9);
      expect(r.evidence.zeroWindow.stalls).toBeGreaterThanOrEqual(1);
      expect(r.evidence.zeroWindow.longestMs).toBeGreaterThan(1000);
      expect(r.headline).toMatch(/^receiver window limited \d+% .*zero-window stall/);
    },
  },
  {
    // ~2 % random drops, recovered in the lossy transfers by SACK fast retransmit at RTT ≈ 60 µs:
    // each recovery costs tens of µs, so loss is not what the 5.6 ms transfer waited for. The
    // capture shows a 2.69 ms pause (frames 75 → 76) with nothing outstanding, an open 38 kB
    // window and cwnd room: the Python peer wrote its second 64 KiB chunk late. That is the
    // sender application (half the transfer), so the expected "loss-limited" cannot be
    // met honestly on this recording; loss is still a counted, visible share. (bulk-loss-v6
    // loses the tail of that chunk and its ACK: the same pause is spent in loss recovery there.)
    // The 300 ms before the client's FIN is the idle tail, not transfer time.
    file: 'bulk-loss.client.pcap', limitedBy: 'sender_application', direction: 'c2s',
    check: (r) => {
      expect(r.evidence.loss.episodes).toBeGreaterThanOrEqual(2);
      expect(r.evidence.loss.fastRetransmit).toBe(r.evidence.loss.episodes);
      expect(r.fractions.network_loss).toBeGreaterThan(0.03);
      expect(r.evidence.idle.longestMs).toBeGreaterThan(2.5);
      expect(r.evidence.idle.tailMs).toBeGreaterThan(250);
      expect(r.transferMs).toBeLessThan(20);
    },
  },
  {
    // the same connection behind the router (receiver side): the same 2.7 ms pause
    file: 'bulk-loss.server.pcap', limitedBy: 'sender_application', direction: 'c2s',
    check: (r) => {
      expect(r.evidence.loss.episodes).toBeGreaterThanOrEqual(2);
      expect(r.fractions.network_loss).toBeGreaterThan(0.03);
      expect(r.evidence.idle.longestMs).toBeGreaterThan(2.5);
    },
  },
  {
    // the tail of the first 64 KiB chunk and its ACK are lost: a timer-driven probe after 4.1 ms
    // and another 4.1 ms until the ACK; recovery is most of the 10 ms transfer
    file: 'bulk-loss-v6.client.pcapng', limitedBy: 'network_loss', direction: 'c2s',
    check: (r) => {
      expect(r.side).toBe('network');
      expect(r.fractions.network_loss).toBeGreaterThan(0.6);
      expect(r.evidence.loss.timeout + r.evidence.loss.mixed).toBeGreaterThanOrEqual(1);
      expect(r.headline).toMatch(/^network loss limited \d+% of the .* transfer \(c2s\); 2 loss episodes/);
    },
  },
  {
    // 100 B each way, then 4.5 s idle with keep-alives until the client closes
    file: 'keepalive.client.pcap', limitedBy: 'sender_application', direction: 'c2s',
    check: (r) => {
      expect(r.fractions.sender_application).toBeGreaterThan(0.99);
      expect(r.evidence.idle.keepAlives).toBeGreaterThanOrEqual(3);
      expect(r.headline).toMatch(/^application limited \d+% of the 4\.5 s connection \(c2s\): idle .* keep-alives/);
    },
  },
  {
    // tbf 4 Mbit/s, burst 10 kB, 150 ms queue: the path, not the receiver or the sender, sets the
    // pace. In the catalog's vocabulary the path shows as congestion_window (cwnd-limited, in
    // flight far below the ≈ 240 kB receiver window, the flight doubling per round while the
    // tbf queue fills) then network_loss (the queue overflows: 52 segments dropped, one SACK
    // recovery of 310 ms at the queue-inflated RTT). Both are the `network` side; loss is the
    // larger here. TCP_INFO agrees that the receiver was not the limit: rwnd_limited 12 of 432 ms.
    file: 'rate-limited.client.pcap', limitedBy: 'network_loss', direction: 'c2s',
    check: (r) => {
      expect(r.side).toBe('network');
      expect(r.fractions.congestion_window + r.fractions.network_loss).toBeGreaterThan(0.9);
      expect(r.fractions.congestion_window).toBeGreaterThan(0.3);
      expect(r.fractions.receiver_window).toBeLessThan(0.1);
      expect(r.evidence.loss.retransmittedBytes).toBeGreaterThan(50_000);
      expect(r.headline).toMatch(/^network loss limited \d+% of the \d+ ms transfer \(c2s\), congestion window \d+%; 1 loss episode/);
    },
  },
];

describe('diagnosis on the real fixtures', () => {
  for (const c of CASES) {
    test(`${c.file}: ${c.limitedBy}`, () => {
      const flows = diagnoseFixture(c.file).filter((f) => f.result.direction !== null);
      expect(flows.length).toBe(1);
      const r = flows[0]!.result;
      expect({ limitedBy: r.limitedBy, direction: r.direction, headline: r.headline }).toMatchObject({ limitedBy: c.limitedBy, direction: c.direction });
      c.check?.(r);
    });
  }

  test('closed-port connections are handshake only', () => {
    const flows = diagnoseFixture('closed-port.client.pcapng');
    expect(flows.length).toBe(2);
    for (const f of flows) expect(f.result.limitedBy).toBe('handshake_only');
  });

  test('short request/response connections are too short to tell (or application-limited), never network-limited', () => {
    const flows = diagnoseFixture('short-conns.client.pcap');
    expect(flows.length).toBe(12);
    for (const f of flows) expect(['too_short', 'sender_application']).toContain(f.result.limitedBy);
  });
});
