/**
 * Builds the JSON report (`tcpscope analyze --format json`) per
 * ../shared/spec/report.schema.json (schema id tcpscope-report-v1): the capture summaries and
 * every flow. Required fields are always present; extra fields are documented in the README
 * ("Summary fields", "Flow fields").
 */
import { linkTypeName } from '../capture/link-type.js';
import { VERSION } from '../core/version.js';
import { tsToSeconds } from '../core/time.js';
import type { FlowSummary } from '../flow/flow-summary.js';
import type { CaptureResult } from '../pipeline/analyze.js';
import type { IsnFinding } from '../analysis/isn.js';

/** A flow of the report: the flow record plus the index of its capture in `captures`. */
export type FlowJson = FlowSummary & { capture: number };

/** `summary.limits.flow`: what the flow table's bounds did. */
export interface FlowLimitsJson {
  maxFlows: number;
  idleTimeoutSec: number;
  closedTimeoutSec: number;
  peakLive: number;
  expiredIdle: number;
  expiredClosed: number;
  evicted: number;
  /** A sharded run that evicted: the flows each worker could hold (maxFlows split between them). */
  maxFlowsPerShard?: number;
}

/** Version of tcpscope's own additions to the report (bumped on any change to them). */
export const REPORT_SCHEMA = 'tcpscope-report-v1';

export interface FileErrorJson {
  code: string;
  message: string;
  /** Byte offset of the faulty header/record/block in the (decompressed) stream. */
  offset?: number;
  /** 1-based record number as in the message: the packet for pcap, the block for pcapng. */
  record?: number;
  /** For the fault that ended reading: the first packet (frame number) that could not be read. */
  frame?: number;
}

export interface CaptureJson {
  source: string;
  format: 'pcap' | 'pcap-nsec' | 'pcapng' | 'live';
  compression: 'gzip' | null;
  linkTypes: string[];
  interfaces: number;
  sections: number;
  packets: number;
  bytes: number;
  wireBytes: number;
  firstTs: number | null;
  lastTs: number | null;
  firstTsNs: string | null;
  lastTsNs: string | null;
  durationS: number | null;
  undecodable: number;
  truncated: number;
  dropped: number | null;
  cutShort: boolean;
  errors: FileErrorJson[];
  ipv4: number;
  ipv6: number;
  tcp: number;
  udp: number;
  icmp: number;
  otherIp: number;
  nonIp: number;
  fragments: number;
  fragmentsReassembled: number;
  fragmentsIncomplete: number;
  checksums: { bad: number; good: number; unverified: number } | null;
  tcpConversations: number;
  flows: number;
  undecodableReasons: Record<string, number>;
  /** Frames whose handling hit an internal error (a bug; reported, the rest analyzed), with the first few. */
  internalErrors: number;
  internalErrorSamples: { frame: number; message: string }[];
  outOfOrderTimestamps: number;
  skippedBlocks: number;
}

export interface ReportJson {
  schema: string;
  tool: { name: 'tcpscope'; version: string };
  captures: CaptureJson[];
  /** Inputs that could not be read at all (not a capture, missing file, ...). */
  inputErrors: (FileErrorJson & { source: string })[];
  summary: {
    packets: number;
    tcpPackets: number;
    flows: number;
    anomalyCounts: Record<string, number>;
    limits: Record<string, unknown>;
    /** Hosts whose ISNs follow a pattern (`predictable_isn`, RFC 6528), with the capture they were seen in. */
    predictableIsn: (IsnFinding & { capture: number })[];
    /** The flow selection in force (`--host/--port/--flow`): `flows` and `anomalyCounts` cover only those flows. */
    flowFilter?: string;
    /** The capture filter in force (`--filter`) and how many TCP packets it kept out of the analysis. */
    captureFilter?: { expression: string; tcpPacketsFilteredOut: number };
  };
  flows: FlowJson[];
}

/** True when the source yielded a recognisable capture (a header was read). */
export function isReadable(r: CaptureResult): boolean {
  return r.info.format !== null;
}

export function captureJson(r: CaptureResult, verifyChecksums: boolean): CaptureJson | null {
  const { info, counters: c } = r;
  if (info.format === null) return null;
  const linkTypes = new Set<string>();
  for (const i of info.interfaces) linkTypes.add(linkTypeName(i.linkType));
  for (const name of Object.keys(c.linkTypes)) linkTypes.add(name);
  const first = c.firstTsSec >= 0;
  return {
    source: info.source,
    format: info.format,
    compression: info.compression,
    linkTypes: [...linkTypes],
    interfaces: info.interfaces.length,
    sections: info.sections,
    packets: c.packets,
    bytes: c.capturedBytes,
    wireBytes: c.wireBytes,
    firstTs: first ? tsToSeconds(c.firstTsSec, c.firstTsNsec) : null,
    lastTs: first ? tsToSeconds(c.lastTsSec, c.lastTsNsec) : null,
    firstTsNs: first ? `${c.firstTsSec}.${String(c.firstTsNsec).padStart(9, '0')}` : null,
    lastTsNs: first ? `${c.lastTsSec}.${String(c.lastTsNsec).padStart(9, '0')}` : null,
    durationS: first ? c.lastTsSec - c.firstTsSec + (c.lastTsNsec - c.firstTsNsec) / 1e9 : null,
    undecodable: c.undecodable,
    truncated: c.truncated,
    dropped: info.dropped,
    cutShort: info.cutShort,
    errors: info.errors.map((e, i) => {
      const j: FileErrorJson = { code: e.code, message: e.message, offset: e.fileOffset, record: e.recordIndex };
      if (info.cutShort && i === info.errors.length - 1) j.frame = info.packets + 1;
      return j;
    }),
    ipv4: c.ipv4,
    ipv6: c.ipv6,
    tcp: c.tcp,
    udp: c.udp,
    icmp: c.icmp,
    otherIp: c.otherIp,
    nonIp: c.nonIp,
    fragments: c.fragments,
    fragmentsReassembled: c.reassembled,
    fragmentsIncomplete: c.fragmentsIncomplete,
    checksums: verifyChecksums ? { bad: c.checksumBad, good: c.checksumGood, unverified: c.checksumUnverified } : null,
    tcpConversations: r.tcpConversations,
    flows: r.flowCounters.flows,
    undecodableReasons: c.stopReasons,
    internalErrors: c.internalErrors,
    internalErrorSamples: c.internalErrorSamples,
    outOfOrderTimestamps: c.outOfOrderTimestamps,
    skippedBlocks: info.skippedBlocks,
  };
}

/**
 * Adds a finished flow's event counts to `tally` (what `summary.anomalyCounts` sums over flows).
 * A flow's bad_checksum events are among the capture's checksumBad (counted from the capture
 * counters): not twice.
 */
export function tallyFlowAnomalies(tally: Map<string, number>, f: FlowSummary): void {
  for (const code in f.anomalyCounts) if (code !== 'bad_checksum') tally.set(code, (tally.get(code) ?? 0) + f.anomalyCounts[code]!);
}

/**
 * The whole report for a set of analyzed sources. With `streamedTally` (the flows were streamed
 * through `onFlowEnd` and summed with `tallyFlowAnomalies`), `flows` is empty and the flows'
 * counts come from the tally.
 */
export function buildReport(results: readonly CaptureResult[], verifyChecksums: boolean, streamedTally?: ReadonlyMap<string, number>): ReportJson {
  const captures: CaptureJson[] = [];
  const inputErrors: ReportJson['inputErrors'] = [];
  let packets = 0;
  let tcp = 0;
  let flows = 0;
  const flowList: FlowJson[] = [];
  const predictableIsn: (IsnFinding & { capture: number })[] = [];
  for (const r of results) {
    const cj = captureJson(r, verifyChecksums);
    if (cj === null) {
      for (const e of r.info.errors) inputErrors.push({ source: r.info.source, code: e.code, message: e.message, offset: e.fileOffset });
      continue;
    }
    captures.push(cj);
    packets += cj.packets;
    tcp += cj.tcp;
    flows += cj.flows;
    // The flow records gain their capture index in place (a copy by object spread costs more than
    // building the record did).
    for (const f of r.flows) {
      const j = f as FlowJson;
      j.capture = captures.length - 1;
      flowList.push(j);
    }
    for (const f of r.isn.findings) predictableIsn.push({ ...f, capture: captures.length - 1 });
  }
  const limits: Record<string, unknown> = {};
  const anomalyCounts: Record<string, number> = {};
  const add = (code: string, n: number): void => {
    if (n > 0) anomalyCounts[code] = (anomalyCounts[code] ?? 0) + n;
  };
  let evicted = 0;
  for (const r of results) {
    const c = r.counters;
    add('capture_truncated', c.truncated);
    add('ip_fragmented', c.tcpFromFragments);
    if (verifyChecksums) add('bad_checksum', c.checksumBad);
    if (r.defrag !== null) {
      add('fragment_overlap', r.defrag.inconsistentOverlaps);
      evicted += r.defrag.evicted;
    }
  }
  if (evicted > 0) {
    limits['fragments'] = { evictedDatagrams: evicted };
    add('limit_reached', evicted);
  }
  add('predictable_isn', predictableIsn.length);
  const flowLimits = flowLimitsJson(results);
  if (flowLimits !== null) limits['flow'] = flowLimits;
  let tally = streamedTally;
  if (tally === undefined) {
    const t = new Map<string, number>();
    for (const f of flowList) tallyFlowAnomalies(t, f);
    tally = t;
  }
  for (const [code, n] of tally) add(code, n);
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'tcpscope', version: VERSION },
    captures,
    inputErrors,
    summary: { packets, tcpPackets: tcp, flows, anomalyCounts: sortKeys(anomalyCounts), limits, predictableIsn },
    flows: flowList,
  };
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}

/** The flow table's bounds and what they did, over all readable captures (null: none read). */
function flowLimitsJson(results: readonly CaptureResult[]): FlowLimitsJson | null {
  let j: FlowLimitsJson | null = null;
  for (const r of results) {
    if (!isReadable(r)) continue;
    const c = r.flowCounters;
    const l = r.flowLimits;
    j ??= { maxFlows: l.maxFlows, idleTimeoutSec: l.idleTimeoutSec, closedTimeoutSec: l.closedTimeoutSec, peakLive: 0, expiredIdle: 0, expiredClosed: 0, evicted: 0 };
    j.peakLive = Math.max(j.peakLive, c.peakLive);
    j.expiredIdle += c.expiredIdle;
    j.expiredClosed += c.expiredClosed;
    j.evicted += c.evicted;
    // Only where it changes the outcome: eviction per shard is not one table's eviction.
    if (r.shards !== undefined && c.evicted > 0) j.maxFlowsPerShard = Math.min(j.maxFlowsPerShard ?? Infinity, r.shards.maxFlowsPerShard);
  }
  return j;
}
