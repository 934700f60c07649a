/**
 * The model behind `tcpscope live`'s view and event lines. Pure: no clocks and no I/O (times
 * are passed in, epoch seconds); the CLI drives it (cli/live-display.ts).
 *
 * Two inputs:
 * - `onFinding` (a `FindingHook`, analysis/finding-hook.ts): findings as the analysis meets them,
 *   at the packet that shows them;
 * - `sample(now, flows)`: the open flows of the flow table, read about once a second through
 *   their read-only accessors (`LiveFlowSource`, which the flow table's `Flow` satisfies).
 *
 * Two outputs:
 * - `takeEvents()`: the warning-level findings worth a line as they happen (`LiveEvent`): a reset
 *   or refused connection (the tracker's `rst_on_close`, `connection_reset`, `connection_refused`,
 *   `handshake_unanswered`, `data_after_close`), a zero-window stall starting and ending
 *   (`zero_window_stall`, `phase` start/end: the start line comes once the period has lasted
 *   `stallSec` — see `stalls(now)` — stamped with the time the window went to 0), a retransmission burst (`retransmission_burst`: at
 *   least `burstCount` retransmissions of one direction within `burstWindowSec`), a lost segment;
 * - `rows()`: one row per open flow of the last sample — states, bytes/s each way over the
 *   interval, SRTT, retransmissions, zero-window time, latest finding — the troubled ones first
 *   (a zero window open now, retransmissions in the interval, a finding in the last
 *   `recentSec`), then by bytes/s.
 *
 * Bounded: one small record per open flow (dropped when the flow ends: `flowEnded`), at most
 * `maxPending` events waiting (the rest counted in `eventsDropped`), per flow at most one line per
 * code per `holdSec` (the others folded into the next line's `folded` count), and zero-window
 * lines only for stalls (periods of at least `stallSec`).
 */
import { DIR, DIR_NAME, type Direction } from '../core/direction.js';
import { formatIp } from '../dissectors/address.js';
import { ANOMALIES, isAnomalyCode, type AnomalyDetail } from '../analysis/anomalies.js';
import { ZERO_WINDOW_END, ZERO_WINDOW_START } from '../analysis/finding-hook.js';
import type { LiveEndpoint, LiveEvent, LiveFlowSource, LiveRow } from './live-types.js';

export type { LiveEndpoint, LiveEvent, LiveFlowSource, LiveRow } from './live-types.js';

export interface LiveModelOptions {
  /** A retransmission burst: at least this many retransmissions of one direction... (default 3) */
  burstCount?: number;
  /** ...within this many seconds (default 1). */
  burstWindowSec?: number;
  /** At most one line per flow and kind per this many seconds (default 1). */
  holdSec?: number;
  /** Events waiting for `takeEvents` (default 1000). */
  maxPending?: number;
  /** A finding this recent makes a flow troubled (default 10 s). */
  recentSec?: number;
  /** A zero-window period gets its lines once it has lasted this long: a stall (default 0.2 s, as `zero_window_stall`). */
  stallSec?: number;
}

/** Per open flow. */
class Watch {
  client: LiveEndpoint | null = null;
  server: LiveEndpoint | null = null;
  /** Stream bytes at the previous sample, and retransmissions. */
  prevBytes = [0, 0];
  prevRetx = 0;
  /** Zero-window periods per advertising direction: start time (-1 none), total closed so far. */
  zwStart = [-1, -1];
  zwTotal = [0, 0];
  /** Frame that opened the period, and whether its start got a line (then its end gets one too). */
  zwFrame = [0, 0];
  zwShown = [false, false];
  /** Retransmission burst window per sending direction: start, count, reported. */
  burstStart = [-Infinity, -Infinity];
  burstN = [0, 0];
  burstFired = [false, false];
  /** Per kind (code): last line time and folded count. */
  lastLine: Map<string, number> | null = null;
  folded: Map<string, number> | null = null;
  latest: LiveRow['latest'] = null;
}

/** The newest finding wins (a stall's start line comes late but carries the time the window closed). */
function setLatest(w: Watch, l: NonNullable<LiveRow['latest']>): void {
  if (w.latest === null || l.ts >= w.latest.ts) w.latest = l;
}

function endpoint(addr: Uint8Array, v: 4 | 6, port: number): LiveEndpoint {
  return { ip: formatIp(addr, 0, v), port };
}

function severityOf(code: string): 'chat' | 'note' | 'warning' | 'error' {
  return isAnomalyCode(code) ? ANOMALIES[code].severity : 'warning';
}

const RETX_CODES = new Set(['retransmission', 'fast_retransmission', 'spurious_retransmission']);

export class LiveModel {
  private readonly watches = new Map<number, Watch>();
  /** Flows with a zero-window period open and not yet a stall (see `stalls`). */
  private readonly opening = new Set<number>();
  private pending: LiveEvent[] = [];
  private lastSampleT = -1;
  private sampled: LiveRow[] = [];
  /** Events not written because `maxPending` were waiting; lines folded by the rate limit. */
  eventsDropped = 0;
  eventsFolded = 0;
  /** Flows finalised so far (`flowEnded` calls). */
  flowsDone = 0;
  private readonly burstCount: number;
  private readonly burstWindow: number;
  private readonly hold: number;
  private readonly maxPending: number;
  private readonly recent: number;
  private readonly stall: number;

  constructor(o: LiveModelOptions = {}) {
    this.burstCount = o.burstCount ?? 3;
    this.burstWindow = o.burstWindowSec ?? 1;
    this.hold = o.holdSec ?? 1;
    this.maxPending = o.maxPending ?? 1000;
    this.recent = o.recentSec ?? 10;
    this.stall = o.stallSec ?? 0.2;
  }

  private watch(id: number): Watch {
    let w = this.watches.get(id);
    if (w === undefined) {
      w = new Watch();
      this.watches.set(id, w);
    }
    return w;
  }

  /** The finding hook (a bound property: pass it as `BehaviourOptions.onFinding`). */
  readonly onFinding = (flowId: number, code: string, dir: Direction, frame: number, t: number, detail?: AnomalyDetail): void => {
    if (code === ZERO_WINDOW_START || code === ZERO_WINDOW_END) {
      this.zeroWindow(flowId, code === ZERO_WINDOW_START, dir, frame, t);
      return;
    }
    if (RETX_CODES.has(code)) {
      this.retransmission(flowId, dir, frame, t);
      return;
    }
    const sev = severityOf(code);
    if (sev !== 'warning' && sev !== 'error') return;
    const w = this.watch(flowId);
    setLatest(w, { code, ts: t });
    this.line(w, code, { ts: t, flow: flowId, client: null, server: null, code, severity: sev, dir: DIR_NAME[dir], frame, ...(detail !== undefined ? { detail } : {}) });
  };

  /**
   * Zero-window edges. A period is a stall once it has lasted `stallSec`: its start line is
   * written then (`stalls(now)`, with the time the window went to 0) or, if it closed before a
   * tick saw it, together with its end line; shorter periods only count in the view.
   */
  private zeroWindow(flowId: number, start: boolean, dir: Direction, frame: number, t: number): void {
    const w = this.watch(flowId);
    if (start) {
      if (w.zwStart[dir]! >= 0) return;
      w.zwStart[dir] = t;
      w.zwFrame[dir] = frame;
      w.zwShown[dir] = false;
      this.opening.add(flowId);
      return;
    }
    const s = w.zwStart[dir]!;
    if (s < 0) return;
    const dur = Math.max(0, t - s);
    w.zwTotal[dir]! += dur;
    if (!w.zwShown[dir] && dur >= this.stall) this.stallStart(flowId, w, dir);
    w.zwStart[dir] = -1;
    if (!w.zwShown[dir]) return;
    w.zwShown[dir] = false;
    setLatest(w, { code: 'zero_window_stall', phase: 'end', ts: t });
    this.push({ ts: t, flow: flowId, client: null, server: null, code: 'zero_window_stall', phase: 'end', severity: 'warning', dir: DIR_NAME[dir], frame, detail: { durationMs: Math.round(dur * 1e6) / 1e3 } });
  }

  private stallStart(flowId: number, w: Watch, dir: Direction): void {
    w.zwShown[dir] = true;
    const ts = w.zwStart[dir]!;
    setLatest(w, { code: 'zero_window_stall', phase: 'start', ts });
    this.push({ ts, flow: flowId, client: null, server: null, code: 'zero_window_stall', phase: 'start', severity: 'warning', dir: DIR_NAME[dir], frame: w.zwFrame[dir]! });
  }

  /** Open zero-window periods that have become stalls by `now` (epoch seconds) get their start line. */
  stalls(now: number): void {
    for (const id of this.opening) {
      const w = this.watches.get(id);
      let waiting = false;
      if (w !== undefined) {
        for (const d of [DIR.C2S, DIR.S2C] as const) {
          const s = w.zwStart[d]!;
          if (s < 0 || w.zwShown[d]) continue;
          if (now - s >= this.stall) this.stallStart(id, w, d);
          else waiting = true;
        }
      }
      if (!waiting) this.opening.delete(id);
    }
  }

  private retransmission(flowId: number, dir: Direction, frame: number, t: number): void {
    const w = this.watch(flowId);
    if (t - w.burstStart[dir]! > this.burstWindow) {
      w.burstStart[dir] = t;
      w.burstN[dir] = 0;
      w.burstFired[dir] = false;
    }
    const n = ++w.burstN[dir]!;
    if (n < this.burstCount || w.burstFired[dir]) return;
    w.burstFired[dir] = true;
    setLatest(w, { code: 'retransmission_burst', ts: t });
    const within = Math.round((t - w.burstStart[dir]!) * 1e6) / 1e3;
    this.line(w, 'retransmission_burst', { ts: t, flow: flowId, client: null, server: null, code: 'retransmission_burst', severity: 'warning', dir: DIR_NAME[dir], frame, detail: { count: n, withinMs: within } });
  }

  /** A line for `kind` unless one was given within `hold` (then folded into the next one). */
  private line(w: Watch, kind: string, e: LiveEvent): void {
    const last = (w.lastLine ??= new Map()).get(kind);
    if (last !== undefined && e.ts - last < this.hold) {
      const f = (w.folded ??= new Map());
      f.set(kind, (f.get(kind) ?? 0) + 1);
      this.eventsFolded++;
      return;
    }
    w.lastLine.set(kind, e.ts);
    const folded = w.folded?.get(kind) ?? 0;
    if (folded > 0) {
      e.folded = folded;
      w.folded!.delete(kind);
    }
    this.push(e);
  }

  private push(e: LiveEvent): void {
    if (this.pending.length >= this.maxPending) {
      this.eventsDropped++;
      return;
    }
    this.pending.push(e);
  }

  /** Events since the last call, oldest first, with their endpoints when known. */
  takeEvents(): LiveEvent[] {
    const out = this.pending;
    if (out.length === 0) return out;
    this.pending = [];
    // Stall starts are stamped with the time the window went to 0, and come a little later.
    out.sort((a, b) => a.ts - b.ts);
    for (const e of out) {
      if (e.client !== null) continue;
      const w = this.watches.get(e.flow);
      if (w !== undefined && w.client !== null) {
        e.client = w.client;
        e.server = w.server;
      }
    }
    return out;
  }

  /** True when a waiting event's flow has not been named yet (sample, or `name`, before `takeEvents`). */
  needsNames(): boolean {
    for (const e of this.pending) {
      if (e.client !== null) continue;
      const w = this.watches.get(e.flow);
      if (w === undefined || w.client === null) return true;
    }
    return false;
  }

  /** Learn a live flow's endpoints (without sampling its counters). */
  name(f: LiveFlowSource): void {
    const w = this.watches.get(f.id);
    if (w !== undefined && w.client === null) this.setEndpoints(w, f);
  }

  private setEndpoints(w: Watch, f: LiveFlowSource): void {
    const e = f.endpoints;
    w.client = endpoint(e.clientAddr, e.ipVersion, e.clientPort);
    w.server = endpoint(e.serverAddr, e.ipVersion, e.serverPort);
  }

  /** A flow was finalised: its record goes (its waiting events keep its endpoints). */
  flowEnded(id: number, client: LiveEndpoint, server: LiveEndpoint): void {
    this.flowsDone++;
    const w = this.watches.get(id);
    if (w === undefined) return;
    this.watches.delete(id);
    this.opening.delete(id);
    for (const e of this.pending) {
      if (e.flow === id && e.client === null) {
        e.client = client;
        e.server = server;
      }
    }
  }

  /** Read every open flow now (`now`: epoch seconds); `rows()` then lists them. */
  sample(now: number, flows: (visit: (f: LiveFlowSource) => void) => void): void {
    const dt = this.lastSampleT < 0 ? 0 : now - this.lastSampleT;
    const rows: LiveRow[] = [];
    flows((f) => {
      const w = this.watch(f.id);
      if (w.client === null) this.setEndpoints(w, f);
      const b0 = f.deliveredBytes(DIR.C2S) + f.truncatedBytes(DIR.C2S);
      const b1 = f.deliveredBytes(DIR.S2C) + f.truncatedBytes(DIR.S2C);
      const beh = f.behaviour;
      const r0 = beh?.retransmissionCount?.(DIR.C2S) ?? 0;
      const r1 = beh?.retransmissionCount?.(DIR.S2C) ?? 0;
      const s0 = beh?.srtt?.(DIR.C2S) ?? -1;
      const s1 = beh?.srtt?.(DIR.S2C) ?? -1;
      const main = b1 > b0 ? s1 : s0;
      const srtt = main >= 0 ? main : b1 > b0 ? s0 : s1;
      let zw = w.zwTotal[0]! + w.zwTotal[1]!;
      let open = false;
      let openSec = 0;
      // A closed flow's zero window is over at its last packet (the analysis ends the period when the flow is finalised).
      const until = f.closed ? Math.min(now, f.lastSec + f.lastNsec * 1e-9) : now;
      for (const d of [0, 1]) {
        const st = w.zwStart[d]!;
        if (st >= 0) {
          open ||= !f.closed;
          zw += Math.max(0, until - st);
          openSec = Math.max(openSec, until - st);
        }
      }
      const retxNew = r0 + r1 - w.prevRetx;
      const latest = w.latest;
      const row: LiveRow = {
        id: f.id,
        client: w.client!,
        server: w.server!,
        states: f.tracker.currentStates?.() ?? { client: '?', server: '?' },
        rate: { c2s: dt > 0 ? Math.max(0, b0 - w.prevBytes[0]!) / dt : 0, s2c: dt > 0 ? Math.max(0, b1 - w.prevBytes[1]!) / dt : 0 },
        bytes: { c2s: b0, s2c: b1 },
        packets: { c2s: f.packetCount(DIR.C2S), s2c: f.packetCount(DIR.S2C) },
        srttMs: srtt >= 0 ? srtt * 1000 : null,
        retx: { c2s: r0, s2c: r1 },
        retxNew,
        zeroWindowSec: zw,
        zeroWindowOpen: open,
        zeroWindowOpenSec: openSec,
        latest,
        troubled: open || retxNew > 0 || (latest !== null && now - latest.ts <= this.recent),
      };
      w.prevBytes[0] = b0;
      w.prevBytes[1] = b1;
      w.prevRetx = r0 + r1;
      rows.push(row);
    });
    rows.sort((a, b) => Number(b.troubled) - Number(a.troubled) || b.rate.c2s + b.rate.s2c - (a.rate.c2s + a.rate.s2c) || b.bytes.c2s + b.bytes.s2c - (a.bytes.c2s + a.bytes.s2c) || a.id - b.id);
    this.sampled = rows;
    this.lastSampleT = now;
  }

  /** The last sample's rows, troubled first, then busiest. */
  rows(): readonly LiveRow[] {
    return this.sampled;
  }

  /** Open flows with a record (for tests: bounded by the flow table). */
  get size(): number {
    return this.watches.size;
  }
}
