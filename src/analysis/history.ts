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
 * Owned by one tracker; `toString()` returns a fresh string (the only place a string is built).
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

/**
 * Builds the history string of one connection. Per packet it keeps integers only (letters as
 * char codes in a small growable array); the string is built by `toString()`.
 */
export class HistoryBuilder {
  /** Once-letter bits of the client / the server (plain fields: read on every packet). */
  private once0 = 0;
  private once1 = 0;
  /** Last SYN / FIN / RST sequence number per direction, -1 before any (index dir*3 + 0/1/2). */
  private readonly lastCtl = new Float64Array([-1, -1, -1, -1, -1, -1]);
  /** Counts and next thresholds of the scaled letters, index dir*4 + SCALED[letter]. */
  private readonly counts = new Float64Array(8);
  private readonly thresholds = new Float64Array(8).fill(1);
  private codes = new Uint8Array(16);
  private n = 0;

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
    const last = this.lastCtl;
    if (ctl === SYN) {
      if (seq !== last[dir * 3]) this.add(dir, (flags & ACK) !== 0 ? CH.H : CH.S);
      last[dir * 3] = seq;
    } else if (ctl === FIN) {
      const at = (seq + len) >>> 0; // a FIN's number comes after its payload
      if (at !== last[dir * 3 + 1]) this.add(dir, CH.F);
      last[dir * 3 + 1] = at;
    } else {
      if (seq !== last[dir * 3 + 2]) this.add(dir, CH.R);
      last[dir * 3 + 2] = seq;
    }
  }

  /** Count one event of a log-scaled letter (index `SCALED[letter]`); added at counts 1, 10, 100, ... */
  countAt(dir: Direction, letter: number): void {
    const i = dir * 4 + letter;
    const c = ++this.counts[i]!;
    if (c === this.thresholds[i]) {
      this.add(dir, SCALED_LETTER.charCodeAt(letter));
      this.thresholds[i] = c * LOG_BASE;
    }
  }

  /** As `countAt`, by letter. */
  count(dir: Direction, letter: ScaledLetter): void {
    this.countAt(dir, SCALED[letter]);
  }

  /** How many events of a counted letter were seen in `dir`. */
  countOf(dir: Direction, letter: ScaledLetter): number {
    return this.counts[dir * 4 + SCALED[letter]]!;
  }

  toString(): string {
    let s = '';
    for (let i = 0; i < this.n; i++) s += String.fromCharCode(this.codes[i]!);
    return s;
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
    if (this.n === this.codes.length) {
      const next = new Uint8Array(this.n * 2);
      next.set(this.codes);
      this.codes = next;
    }
    this.codes[this.n++] = dir === 0 ? code : code | 0x20;
  }
}
