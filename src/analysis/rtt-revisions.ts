/**
 * The RTT tracker's revisions (rtt.ts owns the tracker, its rings and the per-packet rules):
 * later evidence that a retransmission was spurious — the D-SACK test (RFC 2883 §4) and Eifel's
 * TSecr test (RFC 3522 §3.2), pure predicates on one ACK — or that an `out_of_order` segment was
 * a re-send (TSval order), and the list of such revisions that the orchestrator's two-pass
 * relabelling applies. Listed in capture order up to a cap, in three typed arrays allocated with
 * the log; the tracker creates the log on its first revision (most flows have none) and counts
 * all revisions itself. Split out of rtt.ts, which re-exports `RttRevision`.
 */
import { DIR_NAME, type Direction } from '../core/direction.js';
import { seqGt, seqLt } from '../core/seq.js';

/**
 * RFC 2883 §4: the first of an ACK's `count` SACK blocks (`blocks`: left, right edges, raw
 * sequence numbers) is a D-SACK when it lies below the cumulative ACK `ack` or inside the second
 * block.
 */
export function isDsack(blocks: ArrayLike<number>, count: number, ack: number): boolean {
  const l0 = blocks[0]!;
  return seqLt(l0, ack) || (count > 1 && !seqLt(l0, blocks[2]!) && !seqGt(blocks[1]!, blocks[3]!));
}

/**
 * RFC 3522 §3.2 (Eifel detection): the first ACK of re-sent data echoes (`tsecr`) a TSval older
 * than the first re-send's (`retxTsval`), so the original arrived: the re-send was spurious.
 * False when either is unknown (-1) or the re-send was already `revised`.
 */
export function eifelSpurious(tsecr: number, retxTsval: number, revised: boolean): boolean {
  return tsecr >= 0 && retxTsval >= 0 && !revised && seqLt(tsecr, retxTsval);
}

/** Later evidence that a retransmission was unnecessary. */
export interface RttRevision {
  /** Frame carrying the evidence (the ACK; for 'tsval' the earlier segment whose TSval is older). */
  frame: number;
  /** First re-send of the data it proves spurious ('tsval': the segment it proves a re-send). */
  retransmittedFrame: number;
  /** Direction of the retransmitted data. */
  dir: 'c2s' | 's2c';
  /**
   * 'dsack': RFC 2883 duplicate SACK; 'tsecr': RFC 3522 Eifel (the ACK echoes the original's
   * TSval) — both prove a retransmission spurious. 'tsval': an `out_of_order` segment carries a
   * newer TSval than the higher-sequence segment sent before it, so it was sent after it: a
   * re-send (a sender sends new data in sequence order), not reordered original data.
   */
  evidence: 'dsack' | 'tsecr' | 'tsval';
}

/** Evidence codes (`RevisionLog.add`'s `evidence`), the index of their names in EVIDENCE. */
export const EVIDENCE_DSACK = 0;
export const EVIDENCE_TSECR = 1;
export const EVIDENCE_TSVAL = 2;
/** Evidence names by code. */
const EVIDENCE = ['dsack', 'tsecr', 'tsval'] as const;

/** Listed revisions of one flow, at most `cap`, in capture order (the rest are dropped: the tracker counts them). */
export class RevisionLog {
  private readonly frame: Float64Array;
  private readonly retx: Float64Array;
  /** Packed `dir | evidence << 1`. */
  private readonly kind: Uint8Array;
  private listed = 0;

  constructor(private readonly cap: number) {
    this.frame = new Float64Array(cap);
    this.retx = new Float64Array(cap);
    this.kind = new Uint8Array(cap);
  }

  /** Evidence in `frame` about `dd`'s re-send in `retxFrame` (EVIDENCE_* code); ignored once the list is full. */
  add(frame: number, retxFrame: number, dd: Direction, evidence: number): void {
    const i = this.listed;
    if (i >= this.cap) return;
    this.frame[i] = frame;
    this.retx[i] = retxFrame;
    this.kind[i] = evidence * 2 + dd;
    this.listed++;
  }

  /** The listed revisions as report records. */
  list(): RttRevision[] {
    const out: RttRevision[] = [];
    for (let i = 0; i < this.listed; i++) {
      const k = this.kind[i]!;
      out.push({ frame: this.frame[i]!, retransmittedFrame: this.retx[i]!, dir: DIR_NAME[k & 1]!, evidence: EVIDENCE[k >> 1]! });
    }
    return out;
  }
}
