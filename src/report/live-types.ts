/**
 * The data of `tcpscope live`'s view and finding lines (report/live-model.ts builds them,
 * report/live-view.ts and the NDJSON output write them): plain JSON-safe records.
 */
import type { Direction } from '../core/direction.js';
import type { AnomalyDetail } from '../analysis/anomalies.js';

/** An endpoint as the report writes it. */
export interface LiveEndpoint {
  ip: string;
  port: number;
}

/** One line's worth of finding (NDJSON `{"type":"event"}`; see README "Live capture"). */
export interface LiveEvent {
  /** Packet time of the finding, epoch seconds. */
  ts: number;
  flow: number;
  /** null when the flow was never seen in a sample nor ended before the line was written. */
  client: LiveEndpoint | null;
  server: LiveEndpoint | null;
  /** Catalog code, or `retransmission_burst`. */
  code: string;
  /** For `zero_window_stall`: the period starts (the window went to 0) or ends (it reopened). */
  phase?: 'start' | 'end';
  severity: 'warning' | 'error';
  /** Direction of the packet (for zero windows: of the endpoint that advertised 0). */
  dir: 'c2s' | 's2c';
  frame: number;
  detail?: AnomalyDetail;
  /** Events of the same flow and kind not given a line of their own since the previous line. */
  folded?: number;
}

/** What the model reads of an open flow (the flow table's `Flow` has all of it). */
export interface LiveFlowSource {
  readonly id: number;
  readonly endpoints: { readonly ipVersion: 4 | 6; readonly clientAddr: Uint8Array; readonly serverAddr: Uint8Array; readonly clientPort: number; readonly serverPort: number };
  /** FIN both ways or RST seen. */
  readonly closed: boolean;
  /** Time of the flow's latest packet. */
  readonly lastSec: number;
  readonly lastNsec: number;
  packetCount(d: Direction): number;
  deliveredBytes(d: Direction): number;
  truncatedBytes(d: Direction): number;
  readonly tracker: { currentStates?(): { client: string; server: string } };
  readonly behaviour: { srtt?(d: Direction): number; retransmissionCount?(d: Direction): number } | null;
}

/** One row of the live view. */
export interface LiveRow {
  id: number;
  client: LiveEndpoint;
  server: LiveEndpoint;
  /** The endpoints' TCP states now ('?' when unknown). */
  states: { client: string; server: string };
  /** Stream bytes per second over the last interval, each way. */
  rate: { c2s: number; s2c: number };
  bytes: { c2s: number; s2c: number };
  packets: { c2s: number; s2c: number };
  /** SRTT in ms of the direction that carried more data (else the other), null when unknown. */
  srttMs: number | null;
  retx: { c2s: number; s2c: number };
  /** Retransmissions in the last interval (both ways). */
  retxNew: number;
  /** Zero-window time so far (both endpoints, open periods up to now), seconds. */
  zeroWindowSec: number;
  /** A zero-window period is open now, and for how long (the longer of the two endpoints'), seconds. */
  zeroWindowOpen: boolean;
  zeroWindowOpenSec: number;
  /** The latest finding: code (as in events), phase, its packet time. */
  latest: { code: string; phase?: 'start' | 'end'; ts: number } | null;
  /** Shown first: a zero window open, retransmissions in the interval, or a recent finding. */
  troubled: boolean;
}
