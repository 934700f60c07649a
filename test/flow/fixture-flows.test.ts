/**
 * Flows on every real fixture capture against its truth file (client/server endpoints, number
 * of connections, close kind and first closer, payload sha256 of each direction through a
 * collecting StreamSink when the capture holds every byte) and against tshark's stream count
 * (`tcp.stream` max + 1; skipped without tshark).
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIR } from '../../src/core/direction.js';
import { StreamCollector } from '../../src/flow/stream-collector.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { FIXTURE_CAPTURES, captureStem, fixturePath, hasTool } from '../helpers/fixture-captures.js';

interface TruthEnd {
  kind: 'FIN' | 'RST';
  firstFin?: 'client' | 'server' | 'both';
  firstCloser?: 'client' | 'server';
}
interface TruthConn {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  clientApp: { sent: { bytes: number; sha256: string } };
  serverApp?: { sent: { bytes: number; sha256: string } } | null;
  end?: TruthEnd;
}
interface Truth {
  guarantees: { tcpConnections: number; wireMatchesSent?: boolean };
  connections: TruthConn[];
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const ep = (e: { ip: string; port: number }): string => `${e.ip}|${e.port}`;

async function flowsOf(file: string): Promise<{ r: Awaited<ReturnType<typeof analyzeCapture>>; streams: Map<number, StreamCollector> }> {
  const streams = new Map<number, StreamCollector>();
  const r = await analyzeCapture(fixturePath(file), {
    streamSink: (f) => {
      const c = new StreamCollector();
      streams.set(f.id, c);
      return c;
    },
  });
  return { r, streams };
}

const WITH_TRUTH = FIXTURE_CAPTURES.filter((f) => existsSync(fixturePath(`${captureStem(f)}.truth.json`)));

describe('flows agree with the truth files', () => {
  test.each(WITH_TRUTH)('%s', async (file) => {
    const truth = JSON.parse(readFileSync(fixturePath(`${captureStem(file)}.truth.json`), 'utf8')) as Truth;
    const { r, streams } = await flowsOf(file);
    expect(r.flows).toHaveLength(truth.guarantees.tcpConnections);
    expect(r.flows.map((f) => `${ep(f.client)}>${ep(f.server)}`).sort()).toEqual(truth.connections.map((c) => `${ep(c.client)}>${ep(c.server)}`).sort());
    // Pair flows with truth connections in order per four-tuple (reused four-tuples in time order).
    const pending = new Map<string, TruthConn[]>();
    for (const c of truth.connections) pending.set(`${ep(c.client)}>${ep(c.server)}`, [...(pending.get(`${ep(c.client)}>${ep(c.server)}`) ?? []), c]);
    for (const f of r.flows) {
      const t = pending.get(`${ep(f.client)}>${ep(f.server)}`)!.shift()!;
      if (t.end !== undefined) {
        expect(f.close.kind, `flow ${f.id} close kind`).toBe(t.end.kind === 'RST' ? (f.close.kind === 'fin+rst' ? 'fin+rst' : 'rst') : 'fin');
        const first = t.end.firstCloser ?? t.end.firstFin;
        if (first !== undefined) expect(f.close.by, `flow ${f.id} first closer`).toBe(first);
      }
      const s = streams.get(f.id)!;
      if (f.missedBytes.c2s === 0 && f.truncatedBytes.c2s === 0 && truth.guarantees.wireMatchesSent === true) {
        expect(sha(s.stream(DIR.C2S)), `flow ${f.id} c2s sha256`).toBe(t.clientApp.sent.sha256);
        expect(f.payloadBytes.c2s).toBe(t.clientApp.sent.bytes);
      }
      if (f.missedBytes.s2c === 0 && f.truncatedBytes.s2c === 0 && truth.guarantees.wireMatchesSent === true && t.serverApp) {
        expect(sha(s.stream(DIR.S2C)), `flow ${f.id} s2c sha256`).toBe(t.serverApp.sent.sha256);
        expect(f.payloadBytes.s2c).toBe(t.serverApp.sent.bytes);
      }
    }
  });
});

const HAS_TSHARK = hasTool('tshark');

describe.skipIf(!HAS_TSHARK)('flow counts equal tshark tcp.stream counts', () => {
  test.each(FIXTURE_CAPTURES)('%s', async (file) => {
    const out = spawnSync('tshark', ['-r', fixturePath(file), '-T', 'fields', '-e', 'tcp.stream'], { encoding: 'utf8' });
    const ids = out.stdout.split('\n').filter((l) => l.trim() !== '').map(Number);
    const count = ids.length === 0 ? 0 : Math.max(...ids) + 1;
    const { r } = await flowsOf(file);
    expect(r.flows.length).toBe(count);
    // Per-stream packet counts: tshark's stream k is our flow k.
    const perStream = new Map<number, number>();
    for (const id of ids) perStream.set(id, (perStream.get(id) ?? 0) + 1);
    for (const f of r.flows) expect(f.packets.c2s + f.packets.s2c, `flow ${f.id} packets`).toBe(perStream.get(f.id));
  });
});
