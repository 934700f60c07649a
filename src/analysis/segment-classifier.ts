/**
 * Wireshark-compatible per-segment classification (../shared/spec/anomalies.md, first table):
 * owns the sequence-analysis state of one flow and turns each TCP packet into SEG bits
 * (seg-flags.ts). The rules reproduce Wireshark 4.0's `tcp_analyze_sequence_number`
 * (epan/dissectors/packet-tcp.c) with its defaults (analyze_sequence_numbers, fast
 * retransmission before out-of-order, window scaling "not known"), checked frame by frame
 * against tshark 4.0.17 (test/analysis/classifier-tshark.test.ts). Their quirks are kept on
 * purpose, so counts compare with `tshark -e tcp.analysis.*`:
 *
 * - sequence numbers are the raw 32-bit ones; a nextSeq, maxSeqToBeAcked or lastAck of exactly 0
 *   means "not known yet" (Wireshark's sentinel, also after a wrap lands on 0);
 * - the ACK field is read even without the ACK flag; windows are the raw 16-bit values, scaled
 *   only for `window_full`, and only when the scale is known (see `scaleShift`);
 * - time deltas are in nanoseconds and count only when >= 0 (Wireshark's unsigned arithmetic);
 * - `acked_unseen_segment`: when the peer's contiguous edge lags its nextSeq, the edge jumps to
 *   nextSeq and the ACK is flagged; otherwise it is flagged only if the peer's dup-ACK counter is 0,
 *   and that counter then holds 2^32-1 until the peer's ACK number changes (Wireshark stores -1 in
 *   an unsigned counter), which may make the peer's next matching resend a fast retransmission;
 * - a resent SYN (same ISN) resets nextSeq to maxSeqToBeAcked; Wireshark's base sequence number
 *   decides what "same ISN" means.
 *
 * Not reproduced: Wireshark stops adding SYN/FIN's +1 to nextSeq once 10000 segments of a direction
 * are unacknowledged (its list cap); MPTCP's dup-ACK exemption; analysis of TCP headers quoted in
 * ICMP errors (Wireshark skips them too).
 *
 * One deliberate difference (the catalog's): while the receiver advertises a zero window, a
 * 0-byte segment at nextSeq-1 (a Linux persist probe, which Wireshark calls a keep-alive) is
 * ZERO_WINDOW_PROBE | PROBE_KEEPALIVE_SHAPE, and the zero-window ACK answering it is
 * ZERO_WINDOW_PROBE_ACK. Everything else is Wireshark's verdict.
 *
 * Pure and allocation-free: all state lives in small typed arrays indexed by the sending
 * Direction (Wireshark's fwd/rev flows) and numeric fields. One instance per flow, fed every
 * TCP packet of the flow in capture order.
 */
import type { Direction } from '../core/direction.js';
import { seqAdd, seqDiff, seqLe, seqLt } from '../core/seq.js';
import { TCP_FLAG, TCP_OPT, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { SCALE_UNKNOWN, SEG } from './seg-flags.js';

const SYN = TCP_FLAG.SYN;
const FIN = TCP_FLAG.FIN;
const RST = TCP_FLAG.RST;
const ACK = TCP_FLAG.ACK;
const SYN_FIN_RST = SYN | FIN | RST;

/** Wireshark's fast-retransmission window after the peer's last packet: 20 ms, in ns. */
export const FAST_RETRANSMISSION_NS = 20_000_000;
/** Out-of-order threshold when no handshake RTT was measured: 3 ms, in ns. */
export const DEFAULT_OOO_THRESHOLD_NS = 3_000_000;

/** Wireshark's `win_scale`: not known (-1), known not used (-2), else the shift. */
const WS_UNKNOWN = -1;
const WS_NONE = -2;
/** Initial "last window" of a direction that sent nothing yet (Wireshark: G_MAXUINT32). */
const NO_WINDOW = 0xffffffff;

export class SegmentClassifier {
  // ---- evidence of the last `classify` call (valid until the next call) ----
  /** DUPLICATE_ACK: its number in the run (1, 2, 3 ...). */
  dupAckNum = 0;
  /** DUPLICATE_ACK: frame of the last ACK that was not a duplicate (the one repeated). */
  dupAckFrame = 0;
  /** Frame that set the sender's nextSeq before this packet (OUT_OF_ORDER / retransmission evidence), 0 unknown. */
  nextSeqFrame = 0;
  /** LOST_SEGMENT: bytes between the sender's nextSeq and this seq. */
  lostBytes = 0;
  /** ACKED_UNSEEN: bytes acknowledged beyond the highest contiguous sequence number seen from the peer. */
  ackedUnseenBytes = 0;

  // ---- per sending direction (index = Direction): Wireshark's tcp_flow_t + seq info ----
  /** Highest seq + len (+1 for SYN/FIN) sent; 0 = not known. */
  private readonly nxt = new Uint32Array(2);
  private readonly nxtFrame = new Uint32Array(2);
  /** Time the nextSeq was set, ns since `baseSec`. */
  private readonly nxtT = new Float64Array([-Infinity, -Infinity]);
  /** Highest contiguous sequence number the peer may acknowledge; 0 = not known. */
  private readonly maxAcked = new Uint32Array(2);
  /** ACK field of the direction's last packet (ACK flag or not); time of that packet. */
  private readonly lastAk = new Uint32Array(2);
  private readonly lastAkT = new Float64Array([-Infinity, -Infinity]);
  /** Dup-ACK run: counter (unsigned, see the header) and the frame of the last non-duplicate. */
  private readonly dupN = new Uint32Array(2);
  private readonly nonDup = new Uint32Array(2);
  /** Raw window of the last packet (NO_WINDOW before the first). */
  private readonly win = new Uint32Array([NO_WINDOW, NO_WINDOW]);
  /** Wireshark's win_scale (WS_UNKNOWN, WS_NONE, 0..14). */
  private readonly ws = new Int8Array([WS_UNKNOWN, WS_UNKNOWN]);
  /** 1 after the direction's SYN until its first non-SYN ACK (its window is still the SYN's, unscaled). */
  private readonly firstAck = new Uint8Array(2);
  /** SEG bits of the direction's last packet. */
  private readonly lastSeg = new Uint32Array(2);
  /** Wireshark's base_seq (the ISN, or seq-1 / the peer's ack-1 when no SYN came first), for telling a resent SYN. */
  private readonly base = new Uint32Array(2);
  private readonly baseSet = new Uint8Array(2);
  /** Packets seen; SYN (bit 0) / SYN with WS (bit 1) seen, for `scaleShift`. */
  private readonly pkts = new Float64Array(2);
  private readonly synWs = new Int8Array([-1, -1]);
  private readonly synSeen = new Uint8Array(2);

  // ---- per flow ----
  /** Integer second all stored times are relative to (the first packet's). */
  private baseSec = Number.NaN;
  /** Time of the most recent SYN (not SYN/ACK), ns; 0 with `mruSynSet` false = none. */
  private mruSyn = 0;
  private mruSynSet = false;
  /** Handshake RTT (most recent SYN → first non-SYN ACK), ns; 0 = not measured (Wireshark: nstime zero). */
  private firstRtt = 0;

  /**
   * Classify one TCP packet of the flow (capture order). `t`: epoch seconds; pass the exact
   * `tsSec`/`tsNsec` when available (time comparisons are then exact to the nanosecond).
   * Returns SEG bits; the evidence fields describe the same packet.
   */
  classify(pkt: DecodedPacket, dir: Direction, frame: number, t: number, tsSec?: number, tsNsec?: number): number {
    const now = this.clock(t, tsSec, tsNsec);
    const r = dir ^ 1;
    const flags = pkt.tcpFlags;
    const seq = pkt.seq;
    const ack = pkt.ack;
    const len = pkt.payloadWireLen;
    const window = pkt.window;
    this.noteBase(dir, r, flags, seq, ack);
    let seg = this.windowAndAck(dir, r, flags, seq, ack, len, window, frame);
    // Wireshark's finished_fwd: a new ACK number ends the dup-ACK run.
    if (ack !== this.lastAk[dir]) {
      this.nonDup[dir] = frame;
      this.dupN[dir] = 0;
    }
    if ((flags & ACK) !== 0) seg |= this.ackedUnseen(r, ack);
    if (len > 0 || (flags & (SYN | FIN)) !== 0) seg |= this.retransmission(dir, r, flags, seq, len, now, seg);
    this.advance(dir, flags, seq, ack, len, window, frame, now, seg);
    this.afterPacket(pkt, dir, flags, now);
    // The catalog's deliberate difference: a Linux persist probe is a zero-window probe.
    if ((seg & SEG.KEEP_ALIVE) !== 0 && len === 0 && this.win[r] === 0) {
      seg = (seg & ~SEG.KEEP_ALIVE) | SEG.ZERO_WINDOW_PROBE | SEG.PROBE_KEEPALIVE_SHAPE;
    }
    this.lastSeg[dir] = seg;
    return seg;
  }

  /**
   * Window-scale shift of `dir`'s sender's advertised windows: 0..14 once proven by the captured
   * SYNs (0 when either SYN lacks the option: RFC 7323 §2.2 needs both), SCALE_UNKNOWN otherwise
   * (no SYN captured; or only the SYN with the option, whose answer decides). A SYN's own window
   * is never scaled. Wireshark 4.0 is laxer in one case: with only the SYN captured, carrying
   * WS, it scales that side's windows by the SYN's shift (this classifier's `window_full` does
   * the same, for compatibility).
   */
  scaleShift(dir: Direction): number {
    const mine = this.synWs[dir]!;
    const peer = this.synWs[dir ^ 1]!;
    const seenMine = this.synSeen[dir]! !== 0;
    const seenPeer = this.synSeen[dir ^ 1]! !== 0;
    if ((seenMine && mine < 0) || (seenPeer && peer < 0)) return 0;
    if (seenMine && seenPeer) return mine;
    // Only the SYN/ACK with WS: the SYN must have carried WS too (RFC 7323 §2.2), so the SYN/ACK sender's shift holds.
    if (seenMine && this.synSeen[dir]! === 2) return mine;
    return SCALE_UNKNOWN;
  }

  /** Highest sequence number `dir`'s sender has sent (seq + len, +1 for SYN/FIN), raw 32-bit; -1 before any (or Wireshark's 0 sentinel). */
  nextSeq(dir: Direction): number {
    const n = this.nxt[dir]!;
    return n === 0 ? -1 : n;
  }

  /** ACK field of `dir`'s sender's last packet (raw 32-bit, read even without the ACK flag); -1 before any packet. */
  lastAck(dir: Direction): number {
    return this.pkts[dir]! === 0 ? -1 : this.lastAk[dir]!;
  }

  /** Raw 16-bit window of `dir`'s sender's last packet (unscaled; see `scaleShift`); -1 before any packet. */
  window(dir: Direction): number {
    return this.pkts[dir]! === 0 ? -1 : this.win[dir]!;
  }

  /** Duplicate ACKs in `dir`'s sender's current run (0 when its last ACK was new). */
  dupAcks(dir: Direction): number {
    const n = this.dupN[dir]!;
    return n === 0xffffffff ? 0 : n;
  }

  /** The out-of-order threshold in force, ms: the handshake RTT, or 3 ms when none was measured. */
  outOfOrderThresholdMs(): number {
    return (this.firstRtt === 0 ? DEFAULT_OOO_THRESHOLD_NS : this.firstRtt) / 1e6;
  }

  /** Packet time as ns since the flow's base second (exact for ~104 days). */
  private clock(t: number, tsSec: number | undefined, tsNsec: number | undefined): number {
    let sec: number;
    let nsec: number;
    if (tsSec !== undefined && tsNsec !== undefined) {
      sec = tsSec;
      nsec = tsNsec;
    } else {
      sec = Math.floor(t);
      nsec = Math.round((t - sec) * 1e9);
    }
    if (this.baseSec !== this.baseSec) this.baseSec = sec;
    return (sec - this.baseSec) * 1e9 + nsec;
  }

  /**
   * Wireshark's base_seq bookkeeping. A SYN (without ACK) repeating the direction's base sequence
   * number is a resent SYN: nextSeq falls back to maxSeqToBeAcked (a RST between the two copies may
   * have moved it; Wireshark issue 17616). A SYN with another ISN starts a new flow (the flow table's
   * reused_ports), so it never reaches this instance.
   */
  private noteBase(f: number, r: number, flags: number, seq: number, ack: number): void {
    if (this.baseSet[f]! !== 0) {
      if ((flags & (SYN | ACK)) === SYN && seq === this.base[f]) this.nxt[f] = this.maxAcked[f]!;
    } else {
      this.base[f] = (flags & SYN) !== 0 ? seq : seqAdd(seq, -1);
      this.baseSet[f] = 1;
    }
    if (this.baseSet[r]! === 0 && (flags & ACK) !== 0) {
      this.base[r] = seqAdd(ack, -1);
      this.baseSet[r] = 1;
    }
  }

  /** ZERO_WINDOW_PROBE … DUPLICATE_ACK, in Wireshark's order (a probe or probe/keep-alive ACK ends the checks). */
  private windowAndAck(f: number, r: number, flags: number, seq: number, ack: number, len: number, window: number, frame: number): number {
    const nxt = this.nxt[f]!;
    if (len === 1 && seq === nxt && this.win[r] === 0) return SEG.ZERO_WINDOW_PROBE;
    let seg = 0;
    const plain = (flags & SYN_FIN_RST) === 0;
    if (window === 0 && plain) seg |= SEG.ZERO_WINDOW;
    if (nxt !== 0 && seqLt(nxt, seq) && (flags & RST) === 0) {
      seg |= SEG.LOST_SEGMENT;
      this.lostBytes = seqDiff(seq, nxt);
    }
    if (len <= 1 && seq === seqAdd(nxt, -1) && plain) seg |= SEG.KEEP_ALIVE;
    if (!plain || len !== 0 || seq !== nxt || ack !== this.lastAk[f]) return len > 0 && plain ? seg | this.windowFull(r, seq, len) : seg;
    // From here: a pure segment (no SYN/FIN/RST, no payload) at nextSeq repeating the last ACK number.
    const prevWin = this.win[f]!;
    if (window !== 0 && window !== prevWin) return seg | SEG.WINDOW_UPDATE;
    if (window !== prevWin) return seg;
    const peerLast = this.lastSeg[r]!;
    if (window !== 0 && (peerLast & (SEG.KEEP_ALIVE | SEG.PROBE_KEEPALIVE_SHAPE)) !== 0) return seg | SEG.KEEP_ALIVE_ACK;
    if (window === 0) return (peerLast & SEG.ZERO_WINDOW_PROBE) !== 0 ? seg | SEG.ZERO_WINDOW_PROBE_ACK : seg;
    const n = this.dupN[f]! === 0xffffffff ? 1 : this.dupN[f]! + 1;
    this.dupN[f] = n;
    this.dupAckNum = n;
    this.dupAckFrame = this.nonDup[f]!;
    return seg | SEG.DUPLICATE_ACK;
  }

  /** WINDOW_FULL: the payload ends exactly at the receiver's right window edge (scale known, Wireshark's arithmetic). */
  private windowFull(r: number, seq: number, len: number): number {
    const ws = this.ws[r]!;
    if (ws === WS_UNKNOWN) return 0;
    const shift = this.firstAck[r]! !== 0 || ws === WS_NONE ? 0 : ws;
    // Wireshark shifts the 32-bit window (the "no window yet" value 0xffffffff included) modulo 2^32.
    const edge = seqAdd(this.lastAk[r]!, (this.win[r]! << shift) >>> 0);
    return seqAdd(seq, len) === edge ? SEG.WINDOW_FULL : 0;
  }

  /** ACKED_UNSEEN: this ACK covers bytes of the peer's that were never captured (Wireshark 4.0's once-per-hole rule). */
  private ackedUnseen(r: number, ack: number): number {
    const max = this.maxAcked[r]!;
    if (max === 0 || !seqLt(max, ack)) return 0;
    this.ackedUnseenBytes = seqDiff(ack, max);
    // Plain unsigned comparison, as tshark 4.0.17 behaves (checked on zeek__smtp and zeek__ipv6-http-atomic-frag).
    if (max < this.nxt[r]!) {
      this.maxAcked[r] = this.nxt[r]!;
      return SEG.ACKED_UNSEEN;
    }
    const first = this.dupN[r]! === 0;
    this.dupN[r] = 0xffffffff;
    return first ? SEG.ACKED_UNSEEN : 0;
  }

  /** SPURIOUS / FAST / OUT_OF_ORDER / RETRANSMISSION for a segment with payload, SYN or FIN. */
  private retransmission(f: number, r: number, flags: number, seq: number, len: number, now: number, seg: number): number {
    if ((seg & SEG.KEEP_ALIVE) !== 0) return 0;
    const nxt = this.nxt[f]!;
    let notAdvanced = nxt !== 0 && seqLt(seq, nxt);
    // One byte below nextSeq with new data after it: the previous segment was probably a zero-window probe.
    if (len > 1 && seqAdd(nxt, -1) === seq) notAdvanced = false;
    const peerAck = this.lastAk[r]!;
    if (len > 0 && peerAck !== 0 && seqLe(seqAdd(seq, len), peerAck)) return SEG.SPURIOUS_RETRANSMISSION;
    if (!notAdvanced) return 0;
    this.nextSeqFrame = this.nxtFrame[f]!;
    const sincePeer = now - this.lastAkT[r]!;
    if (this.dupN[r]! >= 2 && peerAck === seq && sincePeer >= 0 && sincePeer < FAST_RETRANSMISSION_NS) return SEG.FAST_RETRANSMISSION;
    const sinceNext = now - this.nxtT[f]!;
    const thr = this.firstRtt === 0 ? DEFAULT_OOO_THRESHOLD_NS : this.firstRtt < 0 ? Infinity : this.firstRtt;
    const end = seqAdd(seq, len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0));
    if (sinceNext >= 0 && sinceNext < thr && nxt !== end) return SEG.OUT_OF_ORDER;
    return SEG.RETRANSMISSION;
  }

  /** Wireshark's state update after the checks: nextSeq, maxSeqToBeAcked, window, last ACK. */
  private advance(f: number, flags: number, seq: number, ack: number, len: number, window: number, frame: number, now: number, seg: number): void {
    const end = seqAdd(seq, len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0));
    const zwp = (seg & SEG.ZERO_WINDOW_PROBE) !== 0;
    // Wireshark adds SYN/FIN's 1 only to segments it lists as unacknowledged (always, below its 10000-segment cap).
    const nxt = this.nxt[f]!;
    if ((nxt === 0 || seqLt(nxt, end)) && !zwp) {
      this.nxt[f] = end;
      this.nxtFrame[f] = frame;
      this.nxtT[f] = now;
    }
    const max = this.maxAcked[f]!;
    if ((seq === max || max === 0) && !zwp) this.maxAcked[f] = this.nxt[f]!;
    this.win[f] = window;
    this.lastAk[f] = ack;
    this.lastAkT[f] = now;
  }

  /** What dissect_tcp does after the analysis: WS option, SYN bookkeeping, handshake RTT, window-scale check. */
  private afterPacket(pkt: DecodedPacket, f: number, flags: number, now: number): void {
    this.pkts[f]!++;
    if ((pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0) this.ws[f] = pkt.wscale > 14 ? 14 : pkt.wscale;
    if ((flags & SYN) !== 0) {
      if ((flags & ACK) === 0) {
        this.mruSyn = now;
        this.mruSynSet = true;
      }
      this.firstAck[f] = 1;
      this.noteSyn(pkt, f, flags);
      this.verifyScaling(f, (flags & ACK) !== 0);
    } else if ((flags & ACK) !== 0) {
      if (this.mruSynSet && this.firstRtt === 0) this.firstRtt = now - this.mruSyn;
      this.firstAck[f] = 0;
    }
  }

  /** Wireshark's verify_tcp_window_scaling, run on every SYN and SYN/ACK after its options. */
  private verifyScaling(f: number, synAck: boolean): void {
    if (this.ws[f] === WS_UNKNOWN) {
      this.ws[f] = WS_NONE;
      this.ws[f ^ 1] = WS_NONE;
    } else if (synAck && this.ws[f ^ 1] === WS_NONE) {
      this.ws[f] = WS_NONE;
    }
  }

  /** Remember the first SYN (1) or SYN/ACK (2) of a direction and its WS option, for `scaleShift`. */
  private noteSyn(pkt: DecodedPacket, f: number, flags: number): void {
    if (this.synSeen[f]! !== 0) return;
    this.synSeen[f] = (flags & ACK) !== 0 ? 2 : 1;
    this.synWs[f] = (pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? (pkt.wscale > 14 ? 14 : pkt.wscale) : -1;
  }
}
