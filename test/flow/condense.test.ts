/**
 * Condensing a closed flow (Flow.condense: empty RTT rings down to their headers, spare list
 * capacity given back) changes nothing the analysis reports. Checked harder than the flow table
 * uses it: here every analyzer condenses after EVERY packet of every flow, open or closed, and
 * each report must equal the normal run's — over every fixture capture and a synthetic capture
 * with loss, reordering, zero windows and FIN closes. And it does give memory back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { BehaviourObserver, ConnectionObserver, FlowAnalyzerFactory } from '../../src/flow/analyzers.js';
import { FLOW_ANALYZERS } from '../../src/pipeline/flow-analyzers.js';
import { FlowBehaviour } from '../../src/analysis/flow-behaviour.js';
import { writeBenchCapture } from '../../src/synth/bench-capture.js';
import { FIXTURE_CAPTURES, fixturePath } from '../helpers/fixture-captures.js';
import { flowReports } from '../helpers/flow-reports.js';

/** FLOW_ANALYZERS whose tracker and behaviour condense after every packet. */
const EAGER: FlowAnalyzerFactory = {
  tracker: (info) => {
    const t = FLOW_ANALYZERS.tracker(info);
    const on = t.onPacket.bind(t);
    t.onPacket = (...a: Parameters<ConnectionObserver['onPacket']>) => {
      on(...a);
      t.condense!();
    };
    return t;
  },
  reassembler: FLOW_ANALYZERS.reassembler,
  behaviour: (info) => {
    const b = FLOW_ANALYZERS.behaviour!(info);
    const on = b.onPacket.bind(b);
    b.onPacket = (...a: Parameters<BehaviourObserver['onPacket']>) => {
      on(...a);
      b.condense!();
    };
    return b;
  },
};


const dir = mkdtempSync(join(tmpdir(), 'condense-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('condensing after every packet changes no report', () => {
  let flows = 0;
  test.each(FIXTURE_CAPTURES)('%s', async (name) => {
    const file = fixturePath(name);
    const normal = await flowReports(file, FLOW_ANALYZERS);
    flows += normal.length;
    expect(await flowReports(file, EAGER)).toEqual(normal);
  });

  test('the fixtures above had flows to compare', () => {
    expect(flows).toBeGreaterThan(FIXTURE_CAPTURES.length);
  });

  test('synthetic capture: 40,000 packets over 100 flows (loss, reordering, zero windows, FIN closes)', async () => {
    const file = join(dir, 'bench.pcap');
    await writeBenchCapture(file, { packets: 40_000, flows: 100, seed: 5, concurrency: 20 });
    const normal = await flowReports(file, FLOW_ANALYZERS);
    expect(normal).toHaveLength(100);
    expect(await flowReports(file, EAGER)).toEqual(normal);
  });
});

describe('a closed flow gives memory back', () => {
  test('after the last ACK of a FIN close, the RTT rings hold only their headers', async () => {
    // Keep each flow's behaviour object to look inside it after the capture.
    const kept: FlowBehaviour[] = [];
    const factory: FlowAnalyzerFactory = {
      ...FLOW_ANALYZERS,
      behaviour: (info) => {
        const b = new FlowBehaviour(info.id);
        kept.push(b);
        return b;
      },
    };
    await flowReports(fixturePath('short-conns.client.pcap'), factory);
    expect(kept.length).toBeGreaterThan(1);
    type Ring = { buf: Float64Array; cap: number };
    const rings = kept.flatMap((b) => {
      const rtt = (b as unknown as { rtt: { ring0: Ring; ring1: Ring } }).rtt;
      return [rtt.ring0, rtt.ring1];
    });
    // Every connection of this capture closed with FIN both ways, all data acknowledged.
    for (const r of rings) {
      expect(r.cap).toBe(0);
      expect(r.buf.length).toBe(12);
    }
  });
});
