/**
 * The Zeek-style connection `history` string (style guide item 14), written from Zeek's
 * published definition of the conn.log `history` field:
 *
 * | letter | meaning | how often |
 * |---|---|---|
 * | S | SYN without ACK | again whenever its sequence number differs from the previous SYN's |
 * | H | SYN+ACK | as S |
 * | A | pure ACK (no payload, no SYN/FIN/RST) | once |
 * | D | payload (no SYN/FIN/RST) | once |
 * | F | FIN | again whenever the FIN's sequence number (after its payload) differs |
 * | R | RST | again whenever its sequence number differs |
 * | C | bad checksum | log-scaled: at counts 1, 10, 100, ... |
 * | G | content gap (`capture_gap`: bytes missing from the capture; not snap-length cuts) | log-scaled |
 * | T | retransmitted payload | log-scaled |
 * | W | zero window advertised | log-scaled |
 * | I | inconsistent flags (FIN+RST) | once |
 * | Q | multi-flag packet (SYN with FIN or RST) | once |
 *
 * Upper case: the client sent it; lower case: the server. A packet with more than one of SYN,
 * FIN, RST gives only I or Q; a packet with exactly one gives its control letter and no A/D.
 * Owned by one tracker. Letters are appended to a string as they are added (a handful per
 * connection); the per-packet path keeps integers only.
 */
import type { Direction } from '../core/direction.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';

const { SYN, ACK, FIN, RST } = TCP_FLAG;

/** Letters recorded once per direction, as bit positions. */
const ONCE_A = 1;
const ONCE_D = 2;
const ONCE_I = 4;
const ONCE_Q = 8;

/** Counted (log-scaled) letters. */
export type ScaledLetter = 'C' | 'G' | 'T' | 'W';

/** Index of each counted letter in the per-direction counter arrays. */
export const SCALED = { C: 0, G: 1, T: 2, W: 3 } as const;
const SCALED_LETTER = 'CGTW';

/** Zeek's log base for the counted letters. */
const LOG_BASE = 10;

/** Letter codes: upper case for the client; the server's is `| 0x20` (lower case). */
const CH = { S: 83, H: 72, A: 65, D: 68, F: 70, R: 82, I: 73, Q: 81 } as const;

/** Bits of `HistoryBuilder.ctlKnown`: a last SYN / FIN / RST number is held, << (dir * 3). */
const KNOWN_SYN = 1;
const KNOWN_FIN = 2;
const KNOWN_RST = 4;

/**
 * Builds the history string of one connection. Memory per connection is a few fields (one
 * flow object among thousands): the last control sequence numbers are int32 fields (the same
 * numbers modulo 2^32: an unsigned one of 2^31 or more would be a boxed heap number), the
 * scaled-letter counters are allocated on the first counted letter.
 */
export class HistoryBuilder {
  /** Once-letter bits of the client / the server (plain fields: read on every packet). */
  private once0 = 0;
  private once1 = 0;
  /** Which of the six last-control fields below hold a number (KNOWN_* << dir * 3). */
  private ctlKnown = 0;
  /** Last SYN / FIN (after its payload) / RST sequence number of the client (0) and server (1), as int32. */
  private syn0 = 0;
  private fin0 = 0;
  private rst0 = 0;
  private syn1 = 0;
  private fin1 = 0;
  private rst1 = 0;
  /** Counts (index dir*4 + SCALED[letter]) then next thresholds (8 + same), or null before the first. */
  private scaled: Float64Array | null = null;
  private letters = '';

  /** Record one segment (dir 0 = client). `seq` is the raw sequence number. */
  onSegment(dir: Direction, flags: number, seq: number, len: number): void {
    const ctl = flags & (SYN | FIN | RST);
    if (ctl === 0) { // the common case: data or a pure ACK
      if (len > 0) this.once(dir, ONCE_D, CH.D);
      else if ((flags & ACK) !== 0) this.once(dir, ONCE_A, CH.A);
      return;
    }
    if ((ctl & (ctl - 1)) !== 0) { // more than one of SYN, FIN, RST
      if ((flags & FIN) !== 0 && (flags & RST) !== 0) this.once(dir, ONCE_I, CH.I);
      else this.once(dir, ONCE_Q, CH.Q);
      return;
    }
    if (ctl === SYN) {
      if (this.swapCtl(dir, KNOWN_SYN, seq | 0)) this.add(dir, (flags & ACK) !== 0 ? CH.H : CH.S);
    } else if (ctl === FIN) {
      // a FIN's number comes after its payload
      if (this.swapCtl(dir, KNOWN_FIN, (seq + len) | 0)) this.add(dir, CH.F);
    } else if (this.swapCtl(dir, KNOWN_RST, seq | 0)) this.add(dir, CH.R);
  }

  /** Store `v` (int32) as `dir`'s last control number of kind `bit`; true when it differs from the one held (or none was). */
  private swapCtl(dir: Direction, bit: number, v: number): boolean {
    const b = bit << (dir * 3);
    let prev: number;
    if (dir === 0) {
      prev = bit === KNOWN_SYN ? this.syn0 : bit === KNOWN_FIN ? this.fin0 : this.rst0;
      if (bit === KNOWN_SYN) this.syn0 = v;
      else if (bit === KNOWN_FIN) this.fin0 = v;
      else this.rst0 = v;
    } else {
      prev = bit === KNOWN_SYN ? this.syn1 : bit === KNOWN_FIN ? this.fin1 : this.rst1;
      if (bit === KNOWN_SYN) this.syn1 = v;
      else if (bit === KNOWN_FIN) this.fin1 = v;
      else this.rst1 = v;
    }
    const known = (this.ctlKnown & b) !== 0;
    this.ctlKnown |= b;
    return !known || prev !== v;
  }

  /** Count one event of a log-scaled letter (index `SCALED[letter]`); added at counts 1, 10, 100, ... */
  countAt(dir: Direction, letter: number): void {
    const sc = this.scaled ?? this.allocScaled();
    const i = dir * 4 + letter;
    const c = ++sc[i]!;
    if (c === sc[8 + i]) {
      this.add(dir, SCALED_LETTER.charCodeAt(letter));
      sc[8 + i] = c * LOG_BASE;
    }
  }

  private allocScaled(): Float64Array {
    const sc = new Float64Array(16);
    sc.fill(1, 8);
    this.scaled = sc;
    return sc;
  }

  /** As `countAt`, by letter. */
  count(dir: Direction, letter: ScaledLetter): void {
    this.countAt(dir, SCALED[letter]);
  }

  /** How many events of a counted letter were seen in `dir`. */
  countOf(dir: Direction, letter: ScaledLetter): number {
    return this.scaled === null ? 0 : this.scaled[dir * 4 + SCALED[letter]]!;
  }

  toString(): string {
    return this.letters;
  }

  private once(dir: Direction, bit: number, code: number): void {
    if (dir === 0) {
      if ((this.once0 & bit) !== 0) return;
      this.once0 |= bit;
    } else {
      if ((this.once1 & bit) !== 0) return;
      this.once1 |= bit;
    }
    this.add(dir, code);
  }

  private add(dir: Direction, code: number): void {
    this.letters += String.fromCharCode(dir === 0 ? code : code | 0x20);
  }
}
