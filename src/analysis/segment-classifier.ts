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
import { seqDiff, seqLe, seqLt } from '../core/seq.js';
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
/** Initial "last window" of a direction that sent nothing yet: Wireshark's G_MAXUINT32, held as int32 -1. */
const NO_WINDOW = -1;
/** "Never" as a time in seconds: any delta from it is far beyond every threshold (Wireshark's zero time). */
const NO_TIME = -1_000_000_000;

/**
 * One direction's analysis state (Wireshark's tcp_flow_t with its seq info), owned by one
 * classifier. Sequence numbers, ACKs and windows are held as int32 (`x | 0`: the same 32 bits,
 * never a boxed heap number); compare them with core/seq.ts or `===` on int32 values.
 */
class DirState {
  /** Highest seq + len (+1 for SYN/FIN) sent; 0 = not known. */
  nxt = 0;
  nxtFrame = 0;
  /** TSval of the segment that set nextSeq (uint32), -1 none. */
  nxtTsv = -1;
  /** Time the nextSeq was set: seconds since the flow's base second, and nanoseconds (two small ints, never a boxed double). */
  nxtS = NO_TIME;
  nxtN = 0;
  /** Highest contiguous sequence number the peer may acknowledge; 0 = not known. */
  maxAcked = 0;
  /** ACK field of the last packet (ACK flag or not), and that packet's time. */
  lastAk = 0;
  lastAkS = NO_TIME;
  lastAkN = 0;
  /** Dup-ACK run: counter (-1 = Wireshark's 2^32-1, see the module header) and the frame of the last non-duplicate. */
  dupN = 0;
  nonDup = 0;
  /** Raw window of the last packet (NO_WINDOW before the first). */
  win = NO_WINDOW;
  /** Wireshark's win_scale (WS_UNKNOWN, WS_NONE, 0..14). */
  ws = WS_UNKNOWN;
  /** True after the direction's SYN until its first non-SYN ACK (its window is still the SYN's, unscaled). */
  firstAck = false;
  /** SEG bits of the last packet. */
  lastSeg = 0;
  /** Wireshark's base_seq (the ISN, or seq-1 / the peer's ack-1 when no SYN came first), to tell a resent SYN. */
  base = 0;
  baseSet = false;
  /** Packets seen. */
  pkts = 0;
  /** First SYN seen: 0 none, 1 SYN, 2 SYN/ACK; its WS shift (-1 without the option). For `scaleShift`. */
  synSeen = 0;
  synWs = -1;
}

export class SegmentClassifier {
  // ---- evidence of the last `classify` call (valid until the next call) ----
  /** DUPLICATE_ACK: its number in the run (1, 2, 3 ...). */
  dupAckNum = 0;
  /** DUPLICATE_ACK: frame of the last ACK that was not a duplicate (the one repeated). */
  dupAckFrame = 0;
  /** Frame that set the sender's nextSeq before this packet (OUT_OF_ORDER / retransmission evidence), 0 unknown. */
  nextSeqFrame = 0;
  /** TSval of that frame (uint32), -1 none (two-pass evidence: a later TSval proves a re-send). */
  nextSeqTsval = -1;
  /** LOST_SEGMENT: bytes between the sender's nextSeq and this seq. */
  lostBytes = 0;
  /** ACKED_UNSEEN: bytes acknowledged beyond the highest contiguous sequence number seen from the peer. */
  ackedUnseenBytes = 0;

  /** Per sending direction (index = Direction): Wireshark's fwd/rev flows. */
  private readonly d0 = new DirState();
  private readonly d1 = new DirState();

  // ---- per flow ----
  /** Integer second all stored times are relative to (the first packet's). */
  private baseSec = 0;
  private based = false;
  /** The current packet's time: seconds since `baseSec`, nanoseconds. */
  private nowS = 0;
  private nowN = 0;
  /** Time of the most recent SYN (not SYN/ACK); `mruSynSet` false = none. */
  private mruS = 0;
  private mruN = 0;
  private mruSynSet = false;
  /** Handshake RTT (most recent SYN → first non-SYN ACK), ns; 0 = not measured (Wireshark: nstime zero). */
  private firstRtt = 0;
  /** `scaleShift` of each direction, recomputed when a direction's first SYN is seen (the only input that changes). */
  private shift0 = SCALE_UNKNOWN;
  private shift1 = SCALE_UNKNOWN;

  /**
   * Classify one TCP packet of the flow (capture order). `t`: epoch seconds; pass the exact
   * `tsSec`/`tsNsec` when available (time comparisons are then exact to the nanosecond).
   * Returns SEG bits; the evidence fields describe the same packet.
   */
  classify(pkt: DecodedPacket, dir: Direction, frame: number, t: number, tsSec?: number, tsNsec?: number): number {
    this.clock(t, tsSec, tsNsec);
    const fw = dir === 0 ? this.d0 : this.d1;
    const rv = dir === 0 ? this.d1 : this.d0;
    const flags = pkt.tcpFlags;
    const seq = pkt.seq | 0;
    const ack = pkt.ack | 0;
    const len = pkt.payloadWireLen;
    noteBase(fw, rv, flags, seq, ack);
    let seg = this.windowAndAck(fw, rv, flags, seq, ack, len, pkt.window);
    // Wireshark's finished_fwd: a new ACK number ends the dup-ACK run.
    if (ack !== fw.lastAk) {
      fw.nonDup = frame;
      fw.dupN = 0;
    }
    if ((flags & ACK) !== 0) seg |= this.ackedUnseen(rv, ack);
    if (len > 0 || (flags & (SYN | FIN)) !== 0) seg |= this.retransmission(fw, rv, flags, seq, len, seg);
    advance(fw, flags, seq, ack, len, pkt.window, frame, this.nowS, this.nowN, seg, pkt.tsval);
    this.afterPacket(pkt, fw, rv, flags);
    // The catalog's deliberate difference: a Linux persist probe is a zero-window probe.
    if ((seg & SEG.KEEP_ALIVE) !== 0 && len === 0 && rv.win === 0) {
      seg = (seg & ~SEG.KEEP_ALIVE) | SEG.ZERO_WINDOW_PROBE | SEG.PROBE_KEEPALIVE_SHAPE;
    }
    fw.lastSeg = seg;
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
    return dir === 0 ? this.shift0 : this.shift1;
  }

  /** Highest sequence number `dir`'s sender has sent (seq + len, +1 for SYN/FIN), raw 32-bit; -1 before any (or Wireshark's 0 sentinel). */
  nextSeq(dir: Direction): number {
    const n = this.side(dir).nxt;
    return n === 0 ? -1 : n >>> 0;
  }

  /** ACK field of `dir`'s sender's last packet (raw 32-bit, read even without the ACK flag); -1 before any packet. */
  lastAck(dir: Direction): number {
    const d = this.side(dir);
    return d.pkts === 0 ? -1 : d.lastAk >>> 0;
  }

  /** Raw 16-bit window of `dir`'s sender's last packet (unscaled; see `scaleShift`); -1 before any packet. */
  window(dir: Direction): number {
    const d = this.side(dir);
    return d.pkts === 0 ? -1 : d.win;
  }

  /** Duplicate ACKs in `dir`'s sender's current run (0 when its last ACK was new). */
  dupAcks(dir: Direction): number {
    const n = this.side(dir).dupN;
    return n < 0 ? 0 : n;
  }

  /** The out-of-order threshold in force, ms: the handshake RTT, or 3 ms when none was measured. */
  outOfOrderThresholdMs(): number {
    return (this.firstRtt === 0 ? DEFAULT_OOO_THRESHOLD_NS : this.firstRtt) / 1e6;
  }

  private side(dir: number): DirState {
    return dir === 0 ? this.d0 : this.d1;
  }

  /** Set the packet time (`nowS`, `nowN`) relative to the flow's base second. */
  private clock(t: number, tsSec: number | undefined, tsNsec: number | undefined): void {
    let sec: number;
    let nsec: number;
    if (tsSec !== undefined && tsNsec !== undefined) {
      sec = tsSec;
      nsec = tsNsec;
    } else {
      sec = Math.floor(t);
      nsec = Math.round((t - sec) * 1e9);
    }
    if (!this.based) {
      this.baseSec = sec;
      this.based = true;
    }
    this.nowS = sec - this.baseSec;
    this.nowN = nsec;
  }

  /** ns from (s, n) to the current packet (Wireshark's nstime delta; huge for NO_TIME). */
  private since(s: number, n: number): number {
    return (this.nowS - s) * 1e9 + (this.nowN - n);
  }

  /** ZERO_WINDOW_PROBE … DUPLICATE_ACK, in Wireshark's order (a probe or probe/keep-alive ACK ends the checks). */
  private windowAndAck(fw: DirState, rv: DirState, flags: number, seq: number, ack: number, len: number, window: number): number {
    const nxt = fw.nxt;
    if (len === 1 && seq === nxt && rv.win === 0) return SEG.ZERO_WINDOW_PROBE;
    let seg = 0;
    const plain = (flags & SYN_FIN_RST) === 0;
    if (window === 0 && plain) seg |= SEG.ZERO_WINDOW;
    if (nxt !== 0 && seqLt(nxt, seq) && (flags & RST) === 0) {
      seg |= SEG.LOST_SEGMENT;
      this.lostBytes = seqDiff(seq, nxt);
    }
    if (len <= 1 && seq === ((nxt - 1) | 0) && plain) seg |= SEG.KEEP_ALIVE;
    if (!plain || len !== 0 || seq !== nxt || ack !== fw.lastAk) return len > 0 && plain ? seg | windowFull(rv, seq, len) : seg;
    // From here: a pure segment (no SYN/FIN/RST, no payload) at nextSeq repeating the last ACK number.
    const prevWin = fw.win;
    if (window !== 0 && window !== prevWin) return seg | SEG.WINDOW_UPDATE;
    if (window !== prevWin) return seg;
    const peerLast = rv.lastSeg;
    if (window !== 0 && (peerLast & (SEG.KEEP_ALIVE | SEG.PROBE_KEEPALIVE_SHAPE)) !== 0) return seg | SEG.KEEP_ALIVE_ACK;
    if (window === 0) return (peerLast & SEG.ZERO_WINDOW_PROBE) !== 0 ? seg | SEG.ZERO_WINDOW_PROBE_ACK : seg;
    const n = fw.dupN < 0 ? 1 : fw.dupN + 1;
    fw.dupN = n;
    this.dupAckNum = n;
    this.dupAckFrame = fw.nonDup;
    return seg | SEG.DUPLICATE_ACK;
  }

  /** ACKED_UNSEEN: this ACK covers bytes of the peer's that were never captured (Wireshark 4.0's once-per-hole rule). */
  private ackedUnseen(rv: DirState, ack: number): number {
    const max = rv.maxAcked;
    if (max === 0 || !seqLt(max, ack)) return 0;
    this.ackedUnseenBytes = seqDiff(ack, max);
    // Plain unsigned comparison, as tshark 4.0.17 behaves (checked on zeek__smtp and zeek__ipv6-http-atomic-frag).
    if (max >>> 0 < rv.nxt >>> 0) {
      rv.maxAcked = rv.nxt;
      return SEG.ACKED_UNSEEN;
    }
    const first = rv.dupN === 0;
    rv.dupN = -1;
    return first ? SEG.ACKED_UNSEEN : 0;
  }

  /** SPURIOUS / FAST / OUT_OF_ORDER / RETRANSMISSION for a segment with payload, SYN or FIN. */
  private retransmission(fw: DirState, rv: DirState, flags: number, seq: number, len: number, seg: number): number {
    if ((seg & SEG.KEEP_ALIVE) !== 0) return 0;
    const nxt = fw.nxt;
    let notAdvanced = nxt !== 0 && seqLt(seq, nxt);
    // One byte below nextSeq with new data after it: the previous segment was probably a zero-window probe.
    if (len > 1 && ((nxt - 1) | 0) === seq) notAdvanced = false;
    const peerAck = rv.lastAk;
    if (len > 0 && peerAck !== 0 && seqLe((seq + len) | 0, peerAck)) return SEG.SPURIOUS_RETRANSMISSION;
    if (!notAdvanced) return 0;
    this.nextSeqFrame = fw.nxtFrame;
    this.nextSeqTsval = fw.nxtTsv;
    const sincePeer = this.since(rv.lastAkS, rv.lastAkN);
    // rv.dupN < 0 is Wireshark's 2^32-1: at least 2.
    if ((rv.dupN >= 2 || rv.dupN < 0) && peerAck === seq && sincePeer >= 0 && sincePeer < FAST_RETRANSMISSION_NS) return SEG.FAST_RETRANSMISSION;
    const sinceNext = this.since(fw.nxtS, fw.nxtN);
    const thr = this.firstRtt === 0 ? DEFAULT_OOO_THRESHOLD_NS : this.firstRtt < 0 ? Infinity : this.firstRtt;
    const end = (seq + len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) | 0;
    if (sinceNext >= 0 && sinceNext < thr && nxt !== end) return SEG.OUT_OF_ORDER;
    return SEG.RETRANSMISSION;
  }

  /** What dissect_tcp does after the analysis: WS option, SYN bookkeeping, handshake RTT, window-scale check. */
  private afterPacket(pkt: DecodedPacket, fw: DirState, rv: DirState, flags: number): void {
    fw.pkts++;
    if ((pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0) fw.ws = pkt.wscale > 14 ? 14 : pkt.wscale;
    if ((flags & SYN) !== 0) {
      if ((flags & ACK) === 0) {
        this.mruS = this.nowS;
        this.mruN = this.nowN;
        this.mruSynSet = true;
      }
      fw.firstAck = true;
      if (fw.synSeen === 0) {
        fw.synSeen = (flags & ACK) !== 0 ? 2 : 1;
        fw.synWs = (pkt.tcpOptFlags & TCP_OPT.WSCALE) !== 0 ? (pkt.wscale > 14 ? 14 : pkt.wscale) : -1;
        this.shift0 = shiftOf(this.d0, this.d1);
        this.shift1 = shiftOf(this.d1, this.d0);
      }
      // Wireshark's verify_tcp_window_scaling, run on every SYN and SYN/ACK after its options.
      if (fw.ws === WS_UNKNOWN) {
        fw.ws = WS_NONE;
        rv.ws = WS_NONE;
      } else if ((flags & ACK) !== 0 && rv.ws === WS_NONE) {
        fw.ws = WS_NONE;
      }
    } else if ((flags & ACK) !== 0) {
      if (this.mruSynSet && this.firstRtt === 0) this.firstRtt = this.since(this.mruS, this.mruN);
      fw.firstAck = false;
    }
  }
}

/** `scaleShift` of `me`'s sender from both directions' first SYNs (see there). */
function shiftOf(me: DirState, peer: DirState): number {
  if ((me.synSeen !== 0 && me.synWs < 0) || (peer.synSeen !== 0 && peer.synWs < 0)) return 0;
  if (me.synSeen !== 0 && peer.synSeen !== 0) return me.synWs;
  // Only the SYN/ACK with WS: the SYN must have carried WS too (RFC 7323 §2.2), so the SYN/ACK sender's shift holds.
  if (me.synSeen === 2) return me.synWs;
  return SCALE_UNKNOWN;
}

/**
 * Wireshark's base_seq bookkeeping. A SYN (without ACK) repeating the direction's base sequence
 * number is a resent SYN: nextSeq falls back to maxSeqToBeAcked (a RST between the two copies may
 * have moved it; Wireshark issue 17616). A SYN with another ISN starts a new flow (the flow table's
 * reused_ports), so it never reaches this instance.
 */
function noteBase(fw: DirState, rv: DirState, flags: number, seq: number, ack: number): void {
  if (fw.baseSet) {
    if ((flags & (SYN | ACK)) === SYN && seq === fw.base) fw.nxt = fw.maxAcked;
  } else {
    fw.base = (flags & SYN) !== 0 ? seq : (seq - 1) | 0;
    fw.baseSet = true;
  }
  if (!rv.baseSet && (flags & ACK) !== 0) {
    rv.base = (ack - 1) | 0;
    rv.baseSet = true;
  }
}

/** WINDOW_FULL: the payload ends exactly at the receiver's right window edge (scale known, Wireshark's arithmetic). */
function windowFull(rv: DirState, seq: number, len: number): number {
  const ws = rv.ws;
  if (ws === WS_UNKNOWN) return 0;
  const shift = rv.firstAck || ws === WS_NONE ? 0 : ws;
  // Wireshark shifts the 32-bit window (the "no window yet" 0xffffffff included) modulo 2^32.
  return ((seq + len) | 0) === ((rv.lastAk + (rv.win << shift)) | 0) ? SEG.WINDOW_FULL : 0;
}

/** Wireshark's state update after the checks: nextSeq, maxSeqToBeAcked, window, last ACK. */
function advance(fw: DirState, flags: number, seq: number, ack: number, len: number, window: number, frame: number, nowS: number, nowN: number, seg: number, tsval: number): void {
  const end = (seq + len + ((flags & (SYN | FIN)) !== 0 ? 1 : 0)) | 0;
  // A zero-window probe does not move nextSeq or maxSeqToBeAcked (Wireshark). Nor does its +1 for
  // SYN/FIN stop once 10000 segments are unacknowledged here (Wireshark's list cap; not reproduced).
  const zwp = (seg & SEG.ZERO_WINDOW_PROBE) !== 0;
  const nxt = fw.nxt;
  if ((nxt === 0 || seqLt(nxt, end)) && !zwp) {
    fw.nxt = end;
    fw.nxtFrame = frame;
    fw.nxtTsv = tsval;
    fw.nxtS = nowS;
    fw.nxtN = nowN;
  }
  const max = fw.maxAcked;
  if ((seq === max || max === 0) && !zwp) fw.maxAcked = fw.nxt;
  fw.win = window;
  fw.lastAk = ack;
  fw.lastAkS = nowS;
  fw.lastAkN = nowN;
}
