/**
 * The plain-language headline of a flow's verdict (`diagnosis.headline`), e.g. "receiver window
 * limited 98% of the 1.9 s transfer (c2s); 1 zero-window stall, longest 1.5 s": what the terminal
 * prints under the flows table. Pure text from the verdict record built by diagnosis-result.ts.
 */
import { LIMIT_CLASSES, MIN_DATA_SEGMENTS, type DiagnosisEvidence, type DiagnosisJson, type LimitClass } from './diagnosis-result.js';

const LABEL: Record<LimitClass, string> = {
  receiver_window: 'receiver window', sender_application: 'application', network_loss: 'network loss', congestion_window: 'congestion window',
};

/** The terminal headline: the verdict as one plain sentence with its strongest evidence. */
/** Where `flatten` stores what it reads (a write V8 cannot drop as dead code). */
let flattenSink = 0;

/**
 * `s`, flattened: a headline is built by some twenty concatenations, which V8 keeps as a tree of
 * cons strings (about 600 bytes per flow, kept with the flow's summary to the end of the run);
 * reading a character makes V8 copy the tree into one sequential string in place. Same value.
 */
export function flatten(s: string): string {
  flattenSink = s.charCodeAt(0) | flattenSink;
  return s;
}

export function headline(v: DiagnosisJson): string {
  const e = v.evidence;
  if (v.limitedBy === 'handshake_only') return 'handshake only: no data was sent';
  if (v.limitedBy === 'too_short') return `too short to tell: ${plural(v.dataSegments, 'data segment')} in ${dur(v.transferMs)}`;
  const cls = v.limitedBy;
  const pct = Math.round(v.fractions[cls] * 100);
  const idleFlow = cls === 'sender_application' && v.dataSegments < MIN_DATA_SEGMENTS;
  let out = `${LABEL[cls]} limited ${pct}% of the ${dur(v.transferMs)} ${idleFlow ? 'connection' : 'transfer'}${v.direction !== null ? ` (${v.direction})` : ''}`;
  const second = LIMIT_CLASSES.filter((c) => c !== cls && v.fractions[c] >= 0.2)[0];
  if (second !== undefined) out += `, ${LABEL[second]} ${Math.round(v.fractions[second] * 100)}%`;
  switch (cls) {
    case 'receiver_window': // zero windows are the telling evidence; else a full window
      out += e.zeroWindow.stalls > 0
        ? `; ${plural(e.zeroWindow.stalls, 'zero-window stall')}, longest ${dur(e.zeroWindow.longestMs)}`
        : `; in flight at the advertised window${e.rwndWhenLimitedBytes !== null ? ` (at most ${bytes(e.rwndWhenLimitedBytes)})` : ''}`;
      break;
    case 'network_loss': // episodes by recovery kind, the cost in bytes and the longest recovery
      out += `; ${plural(e.loss.episodes, 'loss episode')} (${e.loss.fastRetransmit} fast retransmit, ${e.loss.timeout} timeout${e.loss.mixed > 0 ? `, ${e.loss.mixed} mixed` : ''}), ${bytes(e.loss.retransmittedBytes)} retransmitted, longest recovery ${dur(e.loss.longestMs)}`;
      out += queueing(e);
      break;
    case 'sender_application': // idle time and keep-alives
      out += idleFlow
        ? `: idle ${dur(e.idle.connectionIdleMs)} after ${bytes(v.dataBytes)} of data`
        : `: the sender had nothing to send; ${plural(e.idle.gaps, 'idle gap')}, longest ${dur(e.idle.longestMs)}`;
      if (e.idle.keepAlives > 0) out += `, ${plural(e.idle.keepAlives, 'keep-alive')}`;
      break;
    case 'congestion_window': // cwnd size, and queueing when the RTT grew
      out += `: in flight below the receiver's window${e.cwnd.maxBytes !== null ? `, cwnd estimate up to ${bytes(e.cwnd.maxBytes)}` : ''}`;
      out += queueing(e);
      if (e.loss.episodes > 0) out += `; ${plural(e.loss.episodes, 'loss episode')}`;
      break;
    default: {
      const never: never = cls;
      return never;
    }
  }
  if (!idleFlow && e.idle.tailMs > v.transferMs) out += `; then idle ${dur(e.idle.tailMs)} before closing`;
  return out;
}

/** "; RTT rose from a to b (queueing on the path)" when the SRTT more than doubled, by 1 ms or more (not host jitter). */
function queueing(e: DiagnosisEvidence): string {
  if (e.srttMinMs === null || e.srttMaxMs === null || e.srttMaxMs <= 2 * e.srttMinMs || e.srttMaxMs - e.srttMinMs < 1) return '';
  return `; RTT rose from ${dur(e.srttMinMs)} to ${dur(e.srttMaxMs)} (queueing on the path)`;
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Milliseconds for people: 0.42 ms, 7.6 ms, 312 ms, 1.9 s. */
function dur(msv: number): string {
  if (msv >= 1000) return `${(msv / 1000).toFixed(msv >= 10_000 ? 0 : 1)} s`;
  if (msv >= 100) return `${Math.round(msv)} ms`;
  if (msv >= 1) return `${msv.toFixed(1)} ms`;
  return `${msv.toFixed(2)} ms`;
}

function bytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

/**
 * A `PathView` held in typed arrays, for callers that copy the trackers' values per packet
 * (tests, replay tools): `set` one direction, then pass the snapshot to `Diagnosis.onPacket`.
 */
