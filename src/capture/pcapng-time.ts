/**
 * pcapng timestamps: a 64-bit count of ticks since 1970 (high and low 32-bit words), with the
 * tick length set by the interface's `if_tsresol` option (draft-ietf-opsawg-pcapng section
 * 4.2, option 9): bit 7 clear = 10^-n seconds, bit 7 set = 2^-n seconds, default 10^-6.
 * `if_tsoffset` (option 14) is a signed number of seconds added to every timestamp.
 *
 * Conversion to (seconds, nanoseconds) is exact (sub-nanosecond parts truncated). Plain
 * numbers are used while the tick count is below 2^53 and the resolution allows exact
 * arithmetic; anything else (counts near 2^64, resolutions beyond 10^-15 or 2^-23) goes
 * through BigInt, which allocates but is only met in odd files.
 */

const NS_PER_SEC = 1_000_000_000;
const TWO_32 = 4294967296;

/** How to turn ticks of one interface into (sec, nsec). Built once per IDB. */
export interface TickScale {
  /** Ticks per second (exact up to 2^53; 10^16..10^19 are the nearest doubles). */
  readonly tps: number;
  /** Exact ticks per second. */
  readonly tpsBig: bigint;
  /** Nanoseconds per tick when that is a whole number (tps divides 10^9), else 0. */
  readonly nsPerTick: number;
  /** Ticks per nanosecond when tps = 10^n, n in 10..15, else 0. */
  readonly ticksPerNs: number;
  /** True for 2^-n resolutions with n <= 23 (rem * 10^9 stays below 2^53). */
  readonly smallPow2: boolean;
}

/** Largest exponents whose tick rate still fits a u64, as libpcap allows. */
const MAX_POW10 = 19;
const MAX_POW2 = 63;

/**
 * The scale for an `if_tsresol` byte (-1 = option absent, i.e. microseconds), or null when
 * the resolution is too fine to be represented (10^-20 and finer, 2^-64 and finer).
 */
export function tickScale(tsresol: number): TickScale | null {
  const exp = tsresol < 0 ? 6 : tsresol & 0x7f;
  const pow2 = tsresol >= 0 && (tsresol & 0x80) !== 0;
  if (pow2 ? exp > MAX_POW2 : exp > MAX_POW10) return null;
  const tpsBig = pow2 ? 1n << BigInt(exp) : 10n ** BigInt(exp);
  const tps = Number(tpsBig);
  return {
    tps,
    tpsBig,
    nsPerTick: !pow2 && exp <= 9 ? 10 ** (9 - exp) : pow2 && exp === 0 ? NS_PER_SEC : 0,
    ticksPerNs: !pow2 && exp >= 10 && exp <= 15 ? 10 ** (exp - 9) : 0,
    smallPow2: pow2 && exp >= 1 && exp <= 23,
  };
}

/** Output slot for `ticksToTs` (a `Frame` fits). */
export interface TsSlot {
  tsSec: number;
  tsNsec: number;
}

/**
 * Convert the tick count `hi * 2^32 + lo` at `scale` plus `offsetSec` into `out`. Exact on
 * the fast path too: integers below 2^53 are exact doubles, and every rounded quotient is
 * corrected or floored where the exact result is known to be representable.
 */
export function ticksToTs(hi: number, lo: number, scale: TickScale, offsetSec: number, out: TsSlot): void {
  if (hi < 0x200000) {
    const t = hi * TWO_32 + lo;
    const tps = scale.tps;
    // Whole seconds without `%` (a slow fmod call for non-small integers): the quotient of
    // the float division is off by at most one, and q * tps and t - q * tps are exact.
    let q = Math.floor(t / tps);
    let rem = t - q * tps;
    if (rem < 0) {
      q--;
      rem += tps;
    } else if (rem >= tps) {
      q++;
      rem -= tps;
    }
    if (scale.nsPerTick > 0) {
      out.tsSec = q + offsetSec;
      out.tsNsec = rem * scale.nsPerTick;
      return;
    }
    if (scale.ticksPerNs > 0) {
      const d = scale.ticksPerNs;
      out.tsSec = q + offsetSec;
      let ns = Math.floor(rem / d);
      if (ns * d > rem) ns--; // the rounded quotient can land on the next integer
      out.tsNsec = ns;
      return;
    }
    if (scale.smallPow2) {
      out.tsSec = q + offsetSec;
      // rem * 10^9 < 2^53 and the divisor is a power of two: the quotient is exact before flooring.
      out.tsNsec = Math.floor((rem * NS_PER_SEC) / tps);
      return;
    }
  }
  ticksToTsBig(hi, lo, scale, offsetSec, out);
}

function ticksToTsBig(hi: number, lo: number, scale: TickScale, offsetSec: number, out: TsSlot): void {
  const t = (BigInt(hi) << 32n) | BigInt(lo);
  const sec = t / scale.tpsBig;
  const rem = t - sec * scale.tpsBig;
  out.tsSec = Number(sec) + offsetSec;
  out.tsNsec = Number((rem * 1_000_000_000n) / scale.tpsBig);
}
