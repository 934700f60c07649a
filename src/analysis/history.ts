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
 * | G | content gap | log-scaled |
 * | T | retransmitted payload | log-scaled |
 * | W | zero window advertised | log-scaled |
 * | I | inconsistent flags (FIN+RST) | once |
 * | Q | multi-flag packet (SYN with FIN or RST) | once |
 *
 * Upper case: the client sent it; lower case: the server. A packet with more than one of SYN,
 * FIN, RST gives only I or Q; a packet with exactly one gives its control letter and no A/D.
 * Owned by one tracker; `toString()` returns a fresh string.
 */
import type { Direction } from '../core/direction.js';
import { TCP_FLAG } from '../dissectors/decoded-packet.js';

const { SYN, ACK, FIN, RST } = TCP_FLAG;

/** Letters recorded once per direction, as bit positions. */
const ONCE = { A: 1, D: 2, I: 4, Q: 8 } as const;

/** Counted (log-scaled) letters. */
export type ScaledLetter = 'C' | 'G' | 'T' | 'W';

/** Zeek's log base for the counted letters. */
const LOG_BASE = 10;

interface DirHistory {
  once: number;
  lastSyn: number;
  lastFin: number;
  lastRst: number;
  counts: Record<ScaledLetter, number>;
  thresholds: Record<ScaledLetter, number>;
}

function newDir(): DirHistory {
  return {
    once: 0, lastSyn: -1, lastFin: -1, lastRst: -1,
    counts: { C: 0, G: 0, T: 0, W: 0 }, thresholds: { C: 1, G: 1, T: 1, W: 1 },
  };
}

/** Builds the history string of one connection. */
export class HistoryBuilder {
  private readonly dirs: [DirHistory, DirHistory] = [newDir(), newDir()];
  private letters = '';

  /** Record one segment (dir 0 = client). `seq` is the raw sequence number. */
  onSegment(dir: Direction, flags: number, seq: number, len: number): void {
    const d = this.dirs[dir];
    const bits = ((flags & SYN) !== 0 ? 1 : 0) + ((flags & FIN) !== 0 ? 1 : 0) + ((flags & RST) !== 0 ? 1 : 0);
    if (bits > 1) {
      if ((flags & FIN) !== 0 && (flags & RST) !== 0) this.once(dir, ONCE.I, 'I');
      else this.once(dir, ONCE.Q, 'Q');
      return;
    }
    if ((flags & SYN) !== 0) {
      if (seq !== d.lastSyn) this.add(dir, (flags & ACK) !== 0 ? 'H' : 'S');
      d.lastSyn = seq;
    } else if ((flags & FIN) !== 0) {
      const at = (seq + len) >>> 0; // a FIN's number comes after its payload
      if (at !== d.lastFin) this.add(dir, 'F');
      d.lastFin = at;
    } else if ((flags & RST) !== 0) {
      if (seq !== d.lastRst) this.add(dir, 'R');
      d.lastRst = seq;
    } else if (len > 0) this.once(dir, ONCE.D, 'D');
    else if ((flags & ACK) !== 0) this.once(dir, ONCE.A, 'A');
  }

  /** Count one event of a log-scaled letter; the letter is added at counts 1, 10, 100, ... */
  count(dir: Direction, letter: ScaledLetter): void {
    const d = this.dirs[dir];
    d.counts[letter] += 1;
    if (d.counts[letter] === d.thresholds[letter]) {
      this.add(dir, letter);
      d.thresholds[letter] *= LOG_BASE;
    }
  }

  /** How many events of a counted letter were seen in `dir`. */
  countOf(dir: Direction, letter: ScaledLetter): number {
    return this.dirs[dir].counts[letter];
  }

  toString(): string {
    return this.letters;
  }

  private once(dir: Direction, bit: number, letter: string): void {
    const d = this.dirs[dir];
    if ((d.once & bit) !== 0) return;
    d.once |= bit;
    this.add(dir, letter);
  }

  private add(dir: Direction, letter: string): void {
    this.letters += dir === 0 ? letter : letter.toLowerCase();
  }
}
