/**
 * What the flow table remembers of each four-tuple's last finalised flow (flow-table.ts owns the
 * table and decides when a flow starts): whether it had closed (FIN both ways, or RST) and the
 * ISN of each tuple direction's SYN, so a later SYN on the same tuple can be told a new
 * connection (`reused_ports`) from a late copy of the old one's SYN. One per table, indexed by
 * tuple id (`TupleTable`), in two typed arrays that grow by doubling; written when a flow is
 * finalised and read only for a SYN that finds no live flow. Split out of flow-table.ts.
 */

/** Per-tuple bits: a flow of the tuple was finalised; it had closed; the ISN of tuple direction 0 / 1 is known. */
const ENDED_NONE = 0;
const ENDED_SOME = 1;
const ENDED_CLOSED = 2;
const ENDED_ISN0 = 4;
const ENDED_ISN1 = 8;

export class EndedTuples {
  /** Per tuple id: ENDED_* bits. */
  private ended: Uint8Array;
  /** Per tuple id and tuple direction (`2 * tid + tdir`): the SYN's ISN as int32. */
  private isn: Int32Array;

  constructor(initialTuples = 4096) {
    this.ended = new Uint8Array(initialTuples);
    this.isn = new Int32Array(2 * initialTuples);
  }

  /**
   * A SYN (no ACK) with raw sequence number `seq` from tuple direction `tdir` of tuple `tid`, which
   * holds no live flow: true when the tuple's last finalised flow says it starts a new connection
   * (that flow had closed, or the SYN's ISN differs from the one that direction sent, or that
   * direction sent no SYN). False when no flow of the tuple was finalised.
   */
  reuses(tid: number, tdir: number, seq: number): boolean {
    const h = tid < this.ended.length ? this.ended[tid]! : ENDED_NONE;
    if (h === ENDED_NONE) return false;
    if ((h & ENDED_CLOSED) !== 0) return true;
    const dirBit = tdir === 0 ? ENDED_ISN0 : ENDED_ISN1;
    if ((h & dirBit) === 0) return true;
    return (this.isn[2 * tid + tdir]! >>> 0) !== seq >>> 0;
  }

  /**
   * The flow of tuple `tid` was finalised: `closed` as it ended; `isn0`, `isn1`: the ISN of the SYN
   * each tuple direction sent (raw, unsigned or int32), or -1 for none. Replaces what the tuple's
   * earlier flow left.
   */
  note(tid: number, closed: boolean, isn0: number, isn1: number): void {
    if (tid >= this.ended.length) this.grow(tid + 1);
    let h = ENDED_SOME | (closed ? ENDED_CLOSED : 0);
    if (isn0 !== -1) {
      h |= ENDED_ISN0;
      this.isn[2 * tid] = isn0 | 0;
    }
    if (isn1 !== -1) {
      h |= ENDED_ISN1;
      this.isn[2 * tid + 1] = isn1 | 0;
    }
    this.ended[tid] = h;
  }

  private grow(min: number): void {
    const n = Math.max(min, this.ended.length * 2);
    const e = new Uint8Array(n);
    e.set(this.ended);
    this.ended = e;
    const i = new Int32Array(2 * n);
    i.set(this.isn);
    this.isn = i;
  }
}
