/** The push form of the pipeline (createAnalysis, for sources other than files) gives what analyzeCapture gives. */
import { expect, test } from 'vitest';
import { analyzeCapture, createAnalysis } from '../../src/pipeline/analyze.js';
import { readCapture } from '../../src/capture/open.js';
import { fixturePath } from '../helpers/fixture-captures.js';

test.each(['bulk-loss.client.pcap', 'short-conns.client.pcap', 'fragments.client.pcap'])('%s: frames pushed one by one = the file analyzed', async (name) => {
  const file = fixturePath(name);
  const a = createAnalysis();
  const info = await readCapture(file, a.onFrame);
  const pushed = a.finish(info);
  const whole = await analyzeCapture(file);
  expect(pushed.flows).toEqual(whole.flows);
  expect(pushed.counters).toEqual(whole.counters);
  expect(pushed.defrag).toEqual(whole.defrag);
});
