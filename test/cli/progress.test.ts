/** The progress bar: nothing for reads under a second, then a bar with the file's size; never off a TTY. */
import { PassThrough } from 'node:stream';
import { expect, test } from 'vitest';
import { ProgressBar } from '../../src/cli/progress.js';
import { newCaptureInfo } from '../../src/capture/frame.js';
import { runCli } from '../helpers/fake-cli-io.js';
import { fixturePath } from '../helpers/fixture-captures.js';

test('appears only after a second of reading, with percent of the file size', () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  (out as unknown as { isTTY: boolean }).isTTY = true;
  let now = 0;
  const bar = new ProgressBar(out, () => now);
  const file = fixturePath('bulk-loss.client.pcap');
  bar.begin(file);
  const info = newCaptureInfo(file);
  info.streamBytes = 100_000;
  info.packets = 10;
  now = 500;
  bar.update(info);
  expect(text).toBe('');
  now = 1500;
  bar.update(info);
  bar.stop();
  expect(text).toMatch(/bulk-loss\.client\.pcap \[.*\] \d+% \| 0\.1\/0\.3 MB \| 10 packets/);
});

test('no bar when stderr is not a terminal (the default of the test io)', async () => {
  const r = await runCli(['analyze', fixturePath('bulk-loss.client.pcap')]);
  expect(r.stderr).toEqual([]);
});
