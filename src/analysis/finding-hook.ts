/**
 * Findings as they happen (live capture): the per-flow analyzers call a `FindingHook` at the
 * packet that shows a finding, instead of only listing it in the flow's record at its end. Set
 * through `BehaviourOptions.onFinding`; when absent nothing is called and nothing is computed.
 *
 * What is told (`code`):
 * - the connection tracker's events when it raises them (`rst_on_close`, `connection_reset`,
 *   `connection_refused`, `data_after_close`, `syn_retransmission`, `handshake_unanswered` —
 *   catalog codes, with the catalog's detail);
 * - from the behaviour analysis: every retransmission (`retransmission`, `fast_retransmission`,
 *   `spurious_retransmission`; `detail` undefined), `lost_segment` (`detail.bytes`), and the two
 *   edges of a zero-window period: `zero_window_start` at the first segment advertising a zero
 *   window, `zero_window_end` at the segment that reopens it (or the end of the flow). For those
 *   two `dir` is the direction of the endpoint that advertised the zero window (like
 *   `zero_window_stall`).
 *
 * Arguments are plain numbers (`t`: packet time, epoch seconds); `detail` is a fresh object the
 * hook may keep. Called from the per-packet path: a hook must be cheap and must not throw.
 */
import type { Direction } from '../core/direction.js';
import type { AnomalyDetail } from './anomalies.js';

/** Codes the hook receives that are not catalog codes (the edges of a zero-window period). */
export const ZERO_WINDOW_START = 'zero_window_start';
export const ZERO_WINDOW_END = 'zero_window_end';

export type FindingHook = (flowId: number, code: string, dir: Direction, frame: number, t: number, detail?: AnomalyDetail) => void;
