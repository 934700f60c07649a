import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseCaptureBytes } from '../../src/capture/open.js';
import { DecodeStage, StopPipeline } from '../../src/pipeline/decode-stage.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'keepalive.client.pcap');

describe('the pipeline guard', () => {
  test('a surprise on one frame is counted with its frame number and the capture goes on', () => {
    const seen: number[] = [];
    const stage = new DecodeStage((_pkt, frame) => {
      if (frame.frameNo === 2 || frame.frameNo === 5) throw new Error(`boom ${frame.frameNo}`);
      seen.push(frame.frameNo);
    });
    const info = parseCaptureBytes(readFileSync(FIXTURE), FIXTURE, stage.onFrame);
    stage.finish();
    expect(stage.counters.packets).toBe(info.packets);
    expect(stage.counters.internalErrors).toBe(2);
    expect(stage.counters.internalErrorSamples).toEqual([
      { frame: 2, message: 'boom 2' },
      { frame: 5, message: 'boom 5' },
    ]);
    expect(seen).toHaveLength(info.packets - 2);
  });

  test('StopPipeline from a consumer passes through and stops reading', () => {
    const stage = new DecodeStage((_pkt, frame) => {
      if (frame.frameNo === 3) throw new StopPipeline();
    });
    expect(() => parseCaptureBytes(readFileSync(FIXTURE), FIXTURE, stage.onFrame)).toThrow(StopPipeline);
    expect(stage.counters.packets).toBe(3);
    expect(stage.counters.internalErrors).toBe(0);
  });
});
