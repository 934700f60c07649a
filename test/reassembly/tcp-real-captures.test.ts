/**
 * Byte-exact reassembly on every real fixture capture: each direction's stream has the length and
 * sha256 of what the application sent when the capture holds every byte; otherwise the gaps
 * account exactly for what is missing (delivered + gap bytes = what was sent).
 */
import { readFileSync, existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { FIXTURE_CAPTURES, captureStem, fixturePath } from '../helpers/fixture-captures.js';
import { reassembleFile } from './tcp-driver.js';

interface TruthConn {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  clientApp: { sent: { bytes: number; sha256: string } } | null;
  serverApp: { sent: { bytes: number; sha256: string } } | null;
}

const withTruth = FIXTURE_CAPTURES.filter((f) => existsSync(fixturePath(`${captureStem(f)}.truth.json`)));

/** Directions whose capture is expected to miss bytes (snap length 96: payload cut). */
const EXPECT_GAPS = new Set(['short-conns.client']);

describe('TCP reassembly on real captures', () => {
  test.each(withTruth)('%s', async (file) => {
    const stem = captureStem(file);
    const truth = JSON.parse(readFileSync(fixturePath(`${stem}.truth.json`), 'utf8')) as { connections: TruthConn[] };
    const res = await reassembleFile(fixturePath(file));
    expect(res.length).toBe(truth.connections.length);
    const used = new Set<number>();
    for (const tc of truth.connections) {
      const cl = `${tc.client.ip}|${tc.client.port}`;
      const sv = `${tc.server.ip}|${tc.server.port}`;
      const i = res.findIndex((r, k) => !used.has(k) && r.client === cl && r.server === sv);
      expect(i, `${cl} -> ${sv}`).toBeGreaterThanOrEqual(0);
      used.add(i);
      const r = res[i]!;
      for (const [d, app] of [[0, tc.clientApp], [1, tc.serverApp]] as const) {
        const got = r.dirs[d];
        expect(got.inconsistent).toBe(0);
        if (app === null) {
          expect(got.length).toBe(0);
          continue;
        }
        expect(got.delivered + got.missed).toBe(app.sent.bytes);
        if (EXPECT_GAPS.has(stem)) {
          if (app.sent.bytes > 0) expect(got.missed).toBeGreaterThan(0);
        } else {
          expect(got.missed).toBe(0);
          expect(got.sha256).toBe(app.sent.sha256);
        }
      }
    }
  });
});
