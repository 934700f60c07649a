/**
 * Every flow's report of a capture (JSON text per flow, in id order) through a flow table built
 * on the given analyzer factory: the tests that check a shortcut or a memory saving against the
 * plain analyzers compare two of these.
 */
import { readCapture } from '../../src/capture/open.js';
import type { Frame } from '../../src/capture/frame.js';
import type { DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import { LAYER } from '../../src/dissectors/decoded-packet.js';
import type { FlowAnalyzerFactory } from '../../src/flow/analyzers.js';
import type { FlowSummary } from '../../src/flow/flow-summary.js';
import { FlowTable } from '../../src/flow/flow-table.js';
import { DecodeStage } from '../../src/pipeline/decode-stage.js';

export async function flowReports(file: string, factory: FlowAnalyzerFactory): Promise<string[]> {
  const done: FlowSummary[] = [];
  const table = new FlowTable(factory, { onFlowEnd: (f) => done.push(f) });
  const stage = new DecodeStage((pkt: DecodedPacket, frame: Frame) => {
    if ((pkt.layers & LAYER.TCP) !== 0) table.onPacket(pkt, frame.frameNo, frame.tsSec, frame.tsNsec, frame.hasTs !== false);
  });
  await readCapture(file, stage.onFrame);
  stage.finish();
  table.flush();
  return done.sort((a, b) => a.id - b.id).map((f) => JSON.stringify(f));
}
