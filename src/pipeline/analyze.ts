/**
 * Composition root for `tcpscope analyze`: reads each capture, runs the decode stage and the
 * (for now) conversation counter, and returns plain summary records. The only module that wires
 * concrete parts together; everything it returns is JSON-safe data for the report layer.
 */
import type { CaptureInfo, Frame } from '../capture/frame.js';
import { readCapture, type AfterChunk, type ReadCaptureOptions } from '../capture/open.js';
import { LAYER, type DecodedPacket } from '../dissectors/decoded-packet.js';
import { TupleTable } from '../flow/tuple-table.js';
import { DecodeStage, type ChecksumFrames } from './decode-stage.js';
import type { PacketCounters } from './stats.js';

export interface AnalyzeOptions {
  /** Called between read chunks (progress display); may return a promise to pause reading. */
  afterChunk?: AfterChunk;
  /** Verify checksums (see DecodeStageOptions). */
  verifyChecksums?: boolean;
  /** List bad-checksum frames (conformance). */
  collectChecksumFrames?: boolean;
  /** What source '-' reads (default `process.stdin`). */
  stdin?: AsyncIterable<Uint8Array>;
}

/** What one capture source produced. */
export interface CaptureResult {
  info: CaptureInfo;
  counters: PacketCounters;
  /** Distinct TCP four-tuples (tshark's `conv,tcp` rows). */
  tcpConversations: number;
  /** Fragment reassembly counters. */
  defrag: DefragSummary | null;
  /** Bad-checksum frames, when collected. */
  checksumFrames: ChecksumFrames | null;
}

export interface DefragSummary {
  fragments: number;
  reassembled: number;
  timedOut: number;
  incomplete: number;
  overlaps: number;
  inconsistentOverlaps: number;
  evicted: number;
  invalid: number;
}

/** Analyze one capture file ('-' = stdin). Never rejects for format faults: see `info.errors`. */
export async function analyzeCapture(source: string, opts: AnalyzeOptions = {}): Promise<CaptureResult> {
  const tuples = new TupleTable(4096);
  const sink = (pkt: DecodedPacket, _frame: Frame): void => {
    if ((pkt.layers & LAYER.TCP) !== 0) tuples.lookup(pkt.buf, pkt.ipVersion, pkt.srcOff, pkt.dstOff, pkt.sport, pkt.dport);
  };
  const stage = new DecodeStage(sink, {
    verifyChecksums: opts.verifyChecksums ?? false,
    collectChecksumFrames: opts.collectChecksumFrames ?? false,
  });
  const readOpts: ReadCaptureOptions = {};
  if (opts.afterChunk) readOpts.afterChunk = opts.afterChunk;
  if (opts.stdin) readOpts.stdin = opts.stdin;
  const info = await readCapture(source, stage.onFrame, readOpts);
  stage.finish();
  return {
    info,
    counters: stage.counters,
    tcpConversations: tuples.size,
    defrag: defragSummary(stage),
    checksumFrames: stage.checksumFrames,
  };
}

function defragSummary(stage: DecodeStage): DefragSummary | null {
  const d = stage.defrag;
  if (d === null) return null;
  const s = d.counters;
  return {
    fragments: s.fragments,
    reassembled: s.reassembled,
    timedOut: s.timedOut,
    incomplete: s.incomplete,
    overlaps: s.overlaps,
    inconsistentOverlaps: s.inconsistentOverlaps,
    evicted: s.evicted,
    invalid: s.invalid,
  };
}
