/**
 * The flow table's clock for idle expiry, in packet time (never the wall clock): one owner for
 * the rule, used by the flow table and, in a sharded analysis (pipeline/shard-*.ts), by the main
 * thread, which runs it over every dispatched packet and tells the shards when to sweep, so a
 * shard expires flows at exactly the packets a single flow table would.
 *
 * - `now` is the smaller of the last two packet times, at its highest so far: one frame with a
 *   wild timestamp (seen in real captures) cannot expire every flow; time running backwards
 *   never expires anything.
 * - A packet without a timestamp (pcapng Simple Packet Block) takes `now` as its time.
 * - A sweep is due at the first packet with `now` at or past the next sweep time; sweeps are at
 *   least SWEEP_INTERVAL_SEC of packet time apart.
 */

/** Sweep the LRU tails at most this often, packet-time seconds. */
export const SWEEP_INTERVAL_SEC = 1;

export class PacketClock {
  /** Expiry clock, packet-time seconds. */
  now = 0;
  private prevTime = -Infinity;
  private nextSweep = 0;

  /**
   * One packet reaches the flow table: advances the clock and returns the packet's time in
   * seconds (its own timestamp, or `now` without one).
   */
  advance(hasTs: boolean, tsSec: number, tsNsec: number): number {
    if (!hasTs) return this.now;
    const time = tsSec + tsNsec / 1e9;
    const settled = time < this.prevTime ? time : this.prevTime;
    this.prevTime = time;
    if (settled > this.now) this.now = settled;
    return time;
  }

  /** After `advance`: true when this packet is to be preceded by a sweep (and schedules the next one). */
  sweepDue(): boolean {
    if (this.now < this.nextSweep) return false;
    this.nextSweep = this.now + SWEEP_INTERVAL_SEC;
    return true;
  }
}
