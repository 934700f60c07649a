/**
 * Capture timestamps. A timestamp is kept as two integers: whole seconds since the epoch
 * (`sec`, may exceed 2^32 — pcapng allows 64-bit tick counts) and nanoseconds within that
 * second (`nsec`, 0..999_999_999). Nanosecond pcap and pcapng `if_tsresol` up to 10^-9 keep
 * full precision; finer resolutions are truncated to nanoseconds.
 */

export const NS_PER_SEC = 1_000_000_000;

/** Epoch seconds as a float (for JSON; loses sub-microsecond precision for current dates). */
export function tsToSeconds(sec: number, nsec: number): number {
  return sec + nsec / NS_PER_SEC;
}

/** Exact decimal string `sec.nnnnnnnnn`. */
export function formatTsNs(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

/** `sec.uuuuuu` with microseconds truncated (like tshark's epoch format at µs precision). */
export function formatTsUs(sec: number, nsec: number): string {
  return `${sec}.${String(Math.floor(nsec / 1000)).padStart(6, '0')}`;
}

/** Exact epoch nanoseconds as a bigint (for tests and exact differences). */
export function tsToBigNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

/** Difference a - b in nanoseconds as a number (exact while |a-b| < ~104 days). */
export function tsDiffNs(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return (aSec - bSec) * NS_PER_SEC + (aNsec - bNsec);
}

/** tcpdump-style time of day in UTC: HH:MM:SS.uuuuuu (or 9 digits when `nanos`). */
export function formatTimeOfDay(sec: number, nsec: number, nanos = false): string {
  const s = ((sec % 86400) + 86400) % 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  const frac = nanos ? String(nsec).padStart(9, '0') : String(Math.floor(nsec / 1000)).padStart(6, '0');
  return `${hh}:${mm}:${ss}.${frac}`;
}

/** A duration in seconds as milliseconds rounded to 3 decimals (µs), the report's unit for durations. */
export function secondsToMs3(sec: number): number {
  return Math.round(sec * 1e6) / 1e3;
}

/** Milliseconds rounded to 3 decimals. */
export function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
