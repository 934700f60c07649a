/**
 * The connection tracker over every real fixture (fixtures/*.pcap*, truth in
 * <name>.truth.json), driven per four-tuple by test/helpers/conn-driver.ts: final states, close
 * kind and first closer agree with how the truth says each connection ended.
 *
 * What Zeek would print (from Zeek's published definitions; Zeek is not run here):
 * - bulk-loss.*: SF, history ShADaTFf-like (Zeek adds 't'/'T' from its own retransmission
 *   detection and may add 'g' for the server-side gaps; we count T only from raw sequence numbers).
 * - closed-port: REJ, history "Sr" — identical to ours.
 * - linger-abort: RSTO, "ShADadR"; rst-unread: RSTR, "ShADar" — identical.
 * - simultaneous-close: SF; Zeek's letters depend only on what each side sent: "ShADadfF".
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { trackFile } from '../helpers/conn-driver.js';
import type { DrivenResult } from '../helpers/conn-driver.js';
import { FIXTURE_CAPTURES, captureStem, fixturePath } from '../helpers/fixture-captures.js';

interface TruthConn {
  client: { ip: string; port: number };
  server: { ip: string; port: number };
  end: { kind: 'FIN' | 'RST'; firstFin?: string; rstFrom?: string; firstCloser?: string };
}
interface Truth { guarantees: Record<string, unknown>; connections: TruthConn[] }

const ep = (e: { ip: string; port: number }): string => `${e.ip}:${e.port}`;

function load(name: string): { truth: Truth; conns: DrivenResult[] } {
  const stem = captureStem(name);
  const truth = JSON.parse(readFileSync(fixturePath(`${stem}.truth.json`), 'utf8')) as Truth;
  return { truth, conns: trackFile(fixturePath(name)) };
}

/** Final states expected for a connection that ended as `end` says. */
function expectEnded(c: DrivenResult, t: TruthConn): void {
  const s = c.summary;
  expect(ep(t.client)).toBe(c.client);
  expect(ep(t.server)).toBe(c.server);
  if (t.end.kind === 'RST') {
    expect(s.close.kind).toBe('rst');
    expect(s.close.by).toBe(t.end.rstFrom);
    expect([s.state.client, s.state.server]).toEqual(['CLOSED', 'CLOSED']);
    return;
  }
  expect(s.close.kind).toBe('fin');
  expect(s.close.by).toBe(t.end.firstFin);
  expect(s.state.connState).toBe('SF');
  expect(s.handshake.complete).toBe(true);
  if (t.end.firstFin === 'both') {
    expect([s.state.client, s.state.server]).toEqual(['TIME_WAIT', 'TIME_WAIT']);
  } else {
    const closer = t.end.firstFin === 'client' ? s.state.client : s.state.server;
    const other = t.end.firstFin === 'client' ? s.state.server : s.state.client;
    expect(closer).toBe('TIME_WAIT'); // the active closer holds TIME_WAIT
    expect(other).toBe('CLOSED'); // the passive closer: LAST_ACK, then the last ACK
  }
}

const TCP_FIXTURES = FIXTURE_CAPTURES.filter((f) => existsSync(fixturePath(`${captureStem(f)}.truth.json`)));

describe('every real fixture: final states and close vs truth', () => {
  test.each(TCP_FIXTURES)('%s', (name) => {
    const { truth, conns } = load(name);
    expect(conns.length).toBe(truth.connections.length);
    truth.connections.forEach((t, i) => expectEnded(conns[i]!, t));
  });
});

describe('fixture specifics', () => {
  test('closed-port: REJ, connection_refused from the server, both CLOSED, "Sr"', () => {
    const { conns } = load('closed-port.client.pcapng');
    for (const c of conns) {
      expect(c.summary.state.connState).toBe('REJ');
      expect(c.summary.state.history).toBe('Sr');
      expect(c.summary.anomalies.map((a) => [a.code, a.dir])).toEqual([['connection_refused', 's2c']]);
      expect(c.summary.handshake.complete).toBe(false);
      expect(c.summary.state.transitions.map((t) => `${t.endpoint}:${t.from}>${t.to}`)).toEqual([
        'client:CLOSED>SYN_SENT', 'server:UNKNOWN>CLOSED', 'client:SYN_SENT>CLOSED']);
    }
  });

  test('rst-unread: server RST, RSTR, connection_reset by the server (the RST acks every byte, so not rst_on_close)', () => {
    const [c] = load('rst-unread.server.pcap').conns;
    expect(c!.summary.state.connState).toBe('RSTR');
    expect(c!.summary.state.history).toBe('ShADar');
    expect(c!.summary.anomalies.map((a) => [a.code, a.dir, a.detail?.['by']])).toEqual([['connection_reset', 's2c', 'server']]);
  });

  test('linger-abort: client RST without FIN, RSTO, connection_reset by the client', () => {
    const [c] = load('linger-abort.client.pcap').conns;
    expect(c!.summary.state.connState).toBe('RSTO');
    expect(c!.summary.state.history).toBe('ShADadR');
    expect(c!.summary.anomalies.map((a) => [a.code, a.dir])).toEqual([['connection_reset', 'c2s']]);
  });

  test('syn-retrans: 2 SYN retransmissions about 1 s apart, syn_retransmission events, handshake complete', () => {
    const [c] = load('syn-retrans.client.pcap').conns;
    const h = c!.summary.handshake;
    expect(h.synRetransmissions).toBe(2);
    expect(h.synIntervalsMs.length).toBe(2);
    for (const ms of h.synIntervalsMs) expect(ms).toBeGreaterThan(900), expect(ms).toBeLessThan(1200);
    expect(c!.summary.anomalies.filter((a) => a.code === 'syn_retransmission').length).toBe(2);
    expect(h.complete).toBe(true);
    expect(h.rttMs).not.toBeNull();
    expect(h.rttMs!).toBeLessThan(50); // measured from the SYN that was answered
    expect(c!.summary.state.history.startsWith('Sh')).toBe(true); // same ISN: one S (Zeek too)
  });

  test('simultaneous-close: both TIME_WAIT; the client via CLOSING at both vantage points', () => {
    for (const name of ['simultaneous-close.client.pcap', 'simultaneous-close.server.pcap']) {
      const [c] = load(name).conns;
      const path = (who: string): string[] => c!.summary.state.transitions.filter((t) => t.endpoint === who).map((t) => t.to);
      // client: its FIN is acknowledged only after it processed the server's retransmitted FIN
      expect(path('client').slice(-3)).toEqual(['FIN_WAIT_1', 'CLOSING', 'TIME_WAIT']);
      // server: the client's pure ACK of the server FIN is seen before the client's retransmitted
      // FIN, so on the wire the server went FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT (see the report)
      expect(path('server').slice(-3)).toEqual(['FIN_WAIT_1', 'FIN_WAIT_2', 'TIME_WAIT']);
      expect(c!.summary.close).toEqual({ kind: 'fin', by: 'both' });
    }
  });

  test('half-close: the server keeps sending after the client FIN; no data_after_close', () => {
    const [c] = load('half-close.server.pcapng').conns;
    const srv = c!.summary.state.transitions.filter((t) => t.endpoint === 'server').map((t) => t.to);
    expect(srv).toEqual(['SYN_RECEIVED', 'ESTABLISHED', 'CLOSE_WAIT', 'LAST_ACK', 'CLOSED']);
    expect(c!.summary.anomalies).toEqual([]);
    expect(c!.summary.state.history).toBe('ShADaFdf');
  });

  test('short-conns: 12 connections on reused four-tuples, server closes first and holds TIME_WAIT', () => {
    const { conns } = load('short-conns.client.pcap');
    expect(conns.length).toBe(12);
    expect(new Set(conns.map((c) => c.client)).size).toBeLessThanOrEqual(4);
    for (const c of conns) {
      expect(c.summary.state.server).toBe('TIME_WAIT');
      expect(c.summary.state.client).toBe('CLOSED');
      expect(c.summary.state.history).toBe('ShADadfF');
    }
  });

  test('keepalive: ESTABLISHED through the idle period, SF at the end', () => {
    const [c] = load('keepalive.client.pcap').conns;
    expect(c!.summary.state.connState).toBe('SF');
    expect(c!.summary.anomalies).toEqual([]);
  });
});
