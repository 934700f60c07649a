/**
 * Observed retransmission timeouts of one direction: for each retransmission the classifier
 * attributes to a timeout (SEG.RETRANSMISSION), the time since the first transmission of the
 * oldest unacknowledged byte it re-sends (`observedRtoMs`, as the catalog's `rtoMs`) and the
 * time since the timer was last (re)started (`timerMs`: the later of that data's previous
 * transmission and the last ACK that acknowledged new data, RFC 6298 §5.3/5.5), and the backoff
 * chains: successive transmissions of the same data (RFC 6298 §5.5: the RTO doubles each time;
 * Linux SYNs: 1 s apart, `tcp_syn_linear_timeouts`). Every timeout is counted; the first
 * `listCap` values and `maxChains` chains of up to `maxIntervals` intervals are listed.
 * Typed arrays allocated on first use, small, doubled up to their caps; nothing else allocated per packet. Owned by one direction of
 * one `RttTracker` (rtt.ts).
 */
import { secondsToMs3 as ms3 } from '../core/time.js';

/** One backoff chain as reported. */
export interface BackoffJson {
  /** Frame of the first transmission of the data. */
  frame: number;
  /** Intervals between successive transmissions (first one: original → first re-send), ms. */
  intervalsMs: number[];
  /** Each interval over the previous one (2 = the RTO doubled). */
  ratios: number[];
}

const EMPTY = new Float64Array(0);
/** Listed timeouts at the first allocation. */
const LIST_INITIAL = 4;

export class TimeoutLog {
  /** Timeout retransmissions seen (all, listed or not). */
  count = 0;
  private listed = 0;
  // Allocated on the first timeout (most flows never have one): a few hundred bytes per flow saved.
  private sinceFirst = EMPTY;
  private timer = EMPTY;
  /** Chains: key (first frame of the data), length, intervals (seconds). */
  private chainKey = EMPTY;
  private chainLen = new Uint8Array(0);
  private chainIv = EMPTY;
  private chains = 0;
  /** Chains seen (listed or not). */
  chainCount = 0;

  constructor(
    private readonly listCap = 32,
    private readonly maxChains = 8,
    private readonly maxIntervals = 8,
  ) {}

  /** Room for listed timeout `i`: the lists start at LIST_INITIAL and double up to `listCap` (most flows list one or two). */
  private listRoom(i: number): void {
    if (i < this.sinceFirst.length) return;
    const n = Math.min(this.listCap, Math.max(LIST_INITIAL, this.sinceFirst.length * 2));
    const a = new Float64Array(n);
    a.set(this.sinceFirst);
    this.sinceFirst = a;
    const b = new Float64Array(n);
    b.set(this.timer);
    this.timer = b;
  }

  /** The chain arrays, on the first chain (a second re-send of the same data: rare). */
  private allocChains(): void {
    this.chainKey = new Float64Array(this.maxChains);
    this.chainLen = new Uint8Array(this.maxChains);
    this.chainIv = new Float64Array(this.maxChains * this.maxIntervals);
  }

  /**
   * One timeout retransmission: seconds since the first transmission and since the timer
   * (re)start. `sinceFirst` < 0 (first transmission not captured): counted, not listed.
   */
  add(sinceFirst: number, sinceTimer: number): void {
    this.count++;
    if (this.listed >= this.listCap || sinceFirst < 0) return;
    this.listRoom(this.listed);
    this.sinceFirst[this.listed] = sinceFirst;
    this.timer[this.listed] = sinceTimer;
    this.listed++;
  }

  /**
   * Copy number `copy` (≥ 3: the second re-send or later) of the data first sent in `firstFrame`
   * at `firstT`, its previous copy at `prevT`, this one at `t`. Extends that data's chain, or
   * starts one (with the original → first re-send interval too when this is copy 3).
   */
  resend(firstFrame: number, firstT: number, prevT: number, t: number, copy: number): void {
    if (this.chainKey.length === 0) this.allocChains();
    let c = 0;
    while (c < this.chains && this.chainKey[c] !== firstFrame) c++;
    if (c === this.chains) {
      this.chainCount++;
      if (this.chains >= this.maxChains) return;
      this.chains++;
      this.chainKey[c] = firstFrame;
      this.chainLen[c] = 0;
      if (copy === 3 && firstT >= 0) this.push(c, prevT - firstT);
    }
    this.push(c, t - prevT);
  }

  private push(c: number, iv: number): void {
    const n = this.chainLen[c]!;
    if (n >= this.maxIntervals) return;
    this.chainIv[c * this.maxIntervals + n] = iv;
    this.chainLen[c] = n + 1;
  }

  /** Listed observed timeouts, ms (3 decimals). */
  observedMs(): number[] {
    return Array.from(this.sinceFirst.subarray(0, this.listed), ms3);
  }

  /** Listed timer intervals, ms (3 decimals). */
  timerMs(): number[] {
    return Array.from(this.timer.subarray(0, this.listed), ms3);
  }

  /** Listed backoff chains. */
  backoff(): BackoffJson[] {
    const out: BackoffJson[] = [];
    for (let c = 0; c < this.chains; c++) {
      const iv = Array.from(this.chainIv.subarray(c * this.maxIntervals, c * this.maxIntervals + this.chainLen[c]!));
      const ratios: number[] = [];
      for (let i = 1; i < iv.length; i++) ratios.push(iv[i - 1]! > 0 ? Math.round((iv[i]! / iv[i - 1]!) * 1000) / 1000 : 0);
      out.push({ frame: this.chainKey[c]!, intervalsMs: iv.map(ms3), ratios });
    }
    return out;
  }
}
