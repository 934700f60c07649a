/**
 * Flow table: numbering, roles (each inference path), reuse of four-tuples, SYN
 * retransmissions, expiry in packet time, eviction, IPv6.
 */
import { describe, expect, test } from 'vitest';
import { serverScore, senderIsClientByPort } from '../../src/flow/roles.js';
import { TCP_FLAG, table, type Seg } from './flow-helpers.js';

const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;
const C = '10.0.0.1';
const S = '10.0.0.2';

/** A client→server / server→client segment on the default tuple. */
const c2s = (flags: number, extra: Partial<Seg> = {}): Seg => ({ src: C, dst: S, sport: 40000, dport: 80, flags, ...extra });
const s2c = (flags: number, extra: Partial<Seg> = {}): Seg => ({ src: S, dst: C, sport: 80, dport: 40000, flags, ...extra });

function handshakeAndClose(isn: number, t0 = 0): Seg[] {
  return [
    c2s(SYN, { seq: isn, t: t0 }),
    s2c(SYN | ACK, { seq: 5000, ack: isn + 1, t: t0 + 0.001 }),
    c2s(ACK, { seq: isn + 1, ack: 5001, t: t0 + 0.002 }),
    c2s(FIN | ACK, { seq: isn + 1, ack: 5001, t: t0 + 0.003 }),
    s2c(FIN | ACK, { seq: 5001, ack: isn + 2, t: t0 + 0.004 }),
    c2s(ACK, { seq: isn + 2, ack: 5002, t: t0 + 0.005 }),
  ];
}

describe('roles', () => {
  test('SYN sender is the client', () => {
    const { t, done, feed } = table();
    feed([s2c(SYN, { seq: 1 }), c2s(SYN | ACK, { ack: 2 })]);
    t.flush();
    expect(done).toHaveLength(1);
    expect(done[0]!.client).toEqual({ ip: S, port: 80 });
    expect(done[0]!.roleInferred).toBe('syn');
    expect(done[0]!.packets).toEqual({ c2s: 1, s2c: 1 });
  });

  test('a SYN/ACK alone makes its sender the server', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN | ACK, { seq: 1, ack: 7 }), s2c(ACK, { seq: 7, ack: 2 })]);
    t.flush();
    expect(done[0]!.server).toEqual({ ip: C, port: 40000 });
    expect(done[0]!.roleInferred).toBe('syn-ack');
  });

  test('mid-stream: the well-known port is the server even when it sends first', () => {
    const { t, done, feed } = table();
    feed([s2c(ACK | PSH, { payload: 10 }), c2s(ACK)]);
    t.flush();
    expect(done[0]!.client).toEqual({ ip: C, port: 40000 });
    expect(done[0]!.server).toEqual({ ip: S, port: 80 });
    expect(done[0]!.roleInferred).toBe('port');
    expect(done[0]!.packets).toEqual({ c2s: 1, s2c: 1 });
  });

  test('mid-stream between two ephemeral ports: the first packet sender is the client', () => {
    const { t, done, feed } = table();
    feed([{ src: S, dst: C, sport: 50000, dport: 50001, flags: ACK }]);
    t.flush();
    expect(done[0]!.client).toEqual({ ip: S, port: 50000 });
    expect(done[0]!.roleInferred).toBe('first-packet');
  });

  test('port scores', () => {
    expect(serverScore(443)).toBe(2);
    expect(serverScore(8080)).toBe(2);
    expect(serverScore(5011)).toBe(1);
    expect(serverScore(51000)).toBe(0);
    expect(senderIsClientByPort(51000, 5011)).toEqual({ client: true, how: 'port' });
    expect(senderIsClientByPort(443, 51000)).toEqual({ client: false, how: 'port' });
  });
});

describe('numbering and reuse', () => {
  test('flows are numbered in order of first packet; both directions map to one flow', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN), { src: C, dst: S, sport: 40001, dport: 80, flags: SYN }, s2c(SYN | ACK, { ack: 1001 })]);
    t.flush();
    expect(done.map((f) => [f.id, f.client.port, f.packets.c2s + f.packets.s2c])).toEqual([
      [0, 40000, 2],
      [1, 40001, 1],
    ]);
    expect(t.tupleCount).toBe(2);
  });

  test('a SYN after the connection closed starts a new flow with reused_ports', () => {
    const { t, done, feed } = table();
    feed([...handshakeAndClose(1000), ...handshakeAndClose(1000, 1)]);
    t.flush();
    expect(done.map((f) => f.id)).toEqual([0, 1]);
    expect(done[0]!.end).toBe('reused');
    expect(done[1]!.anomalyCounts).toEqual({ reused_ports: 1 });
    expect(done[1]!.anomalies[0]).toMatchObject({ code: 'reused_ports', frame: 7, dir: 'c2s' });
    expect(t.counters.reused).toBe(1);
  });

  test('a port reused after the closed flow was finalised (closed timeout, 5 s) is still reused_ports', () => {
    const { t, done, feed } = table();
    // Expiry runs on packet time settled by two packets: other traffic moves the clock on.
    const other = (t: number): Seg => ({ src: '10.9.9.9', dst: S, sport: 50000, dport: 443, flags: ACK, t });
    feed([...handshakeAndClose(1000), other(29.9), other(29.95), ...handshakeAndClose(2000, 30)]);
    t.flush();
    expect(done.map((f) => [f.id, f.end])).toEqual([
      [0, 'closed-idle'],
      [1, 'capture-end'],
      [2, 'capture-end'],
    ]);
    expect(done[2]!.anomalyCounts).toEqual({ reused_ports: 1 });
    expect(t.counters.reused).toBe(1);
    expect(t.counters.expiredClosed).toBe(1);
  });

  test('after an idle expiry: a SYN with another ISN is a reused port, the same ISN (a late SYN copy) is not', () => {
    for (const [isn, reused] of [
      [77, 0],
      [88, 1],
    ] as const) {
      const { t, done, feed } = table();
      const other = (t: number): Seg => ({ src: '10.9.9.9', dst: S, sport: 50000, dport: 443, flags: ACK, t });
      feed([c2s(SYN, { seq: 77 }), s2c(SYN | ACK, { seq: 5000, ack: 78, t: 0.001 }), c2s(ACK, { seq: 78, ack: 5001, t: 0.002 }), other(399), other(399.5), c2s(SYN, { seq: isn, t: 400 })]);
      t.flush();
      expect(done.map((f) => f.end)).toEqual(['idle', 'capture-end', 'capture-end']);
      expect(done[2]!.anomalyCounts['reused_ports'] ?? 0).toBe(reused);
    }
  });

  test('a SYN with a new ISN on an open connection starts a new flow', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN, { seq: 1 }), c2s(SYN, { seq: 99999 }), c2s(SYN, { seq: 5 })]);
    t.flush();
    expect(done).toHaveLength(3);
    expect(done.map((f) => f.anomalyCounts['reused_ports'] ?? 0)).toEqual([0, 1, 1]);
  });

  test('a retransmitted SYN (same ISN) stays in its flow', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN, { seq: 7 }), c2s(SYN, { seq: 7, t: 1 }), c2s(SYN, { seq: 7, t: 3 }), s2c(SYN | ACK, { ack: 8, t: 3.1 })]);
    t.flush();
    expect(done).toHaveLength(1);
    expect(done[0]!.packets).toEqual({ c2s: 3, s2c: 1 });
  });

  test('simultaneous open (a SYN from each side) is one flow', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN, { seq: 1 }), s2c(SYN, { seq: 9 }), c2s(SYN | ACK, { seq: 1, ack: 10 }), s2c(SYN | ACK, { seq: 9, ack: 2 })]);
    t.flush();
    expect(done).toHaveLength(1);
  });

  test('a SYN after RST starts a new flow; a SYN/ACK alone never does', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN, { seq: 1 }), s2c(RST | ACK, { ack: 2 }), s2c(SYN | ACK, { seq: 50, ack: 2 }), c2s(SYN, { seq: 1 })]);
    t.flush();
    expect(done.map((f) => f.packets)).toEqual([
      { c2s: 1, s2c: 2 },
      { c2s: 1, s2c: 0 },
    ]);
  });
});

describe('expiry and eviction (packet time)', () => {
  test('an open flow idle past idleTimeoutSec is finalised; the next packet starts a new flow', () => {
    const { t, done, feed } = table({ idleTimeoutSec: 10 });
    feed([c2s(ACK, { t: 0 }), c2s(ACK, { t: 5 }), { src: '10.9.9.9', dst: S, sport: 1, dport: 80, flags: ACK, t: 16 }, c2s(ACK, { t: 17 })]);
    expect(done.map((f) => [f.id, f.end])).toEqual([[0, 'idle']]);
    t.flush();
    expect(done.map((f) => f.id)).toEqual([0, 1, 2]);
    expect(t.counters.expiredIdle).toBe(1);
  });

  test('a closed flow expires after the shorter closedTimeoutSec', () => {
    const { t, done, feed } = table({ idleTimeoutSec: 100, closedTimeoutSec: 2 });
    const other = (t: number): Seg => ({ src: '10.9.9.9', dst: S, sport: 1, dport: 80, flags: ACK, t });
    feed([...handshakeAndClose(1), other(3), other(3.1)]);
    expect(done.map((f) => f.end)).toEqual(['closed-idle']);
    expect(t.counters.expiredClosed).toBe(1);
    t.flush();
  });

  test('one frame with a wild timestamp does not expire the flows', () => {
    const { t, done, feed } = table({ idleTimeoutSec: 10 });
    feed([c2s(ACK, { t: 100 }), s2c(ACK, { t: 1e9 }), c2s(ACK, { t: 100.1 }), c2s(ACK, { t: 100.2 })]);
    t.flush();
    expect(done).toHaveLength(1);
    expect(done[0]!.packets).toEqual({ c2s: 3, s2c: 1 });
  });

  test('timestamps going backwards never expire anything early', () => {
    const { t, done, feed } = table({ idleTimeoutSec: 10 });
    feed([c2s(ACK, { t: 100 }), c2s(ACK, { t: 1 }), c2s(ACK, { t: 105 })]);
    t.flush();
    expect(done).toHaveLength(1);
  });

  test('past maxFlows the least recently active flow is evicted and counted', () => {
    const { t, done, feed } = table({ maxFlows: 2 });
    const flow = (port: number, time: number): Seg => ({ src: C, dst: S, sport: port, dport: 80, flags: SYN, t: time });
    feed([flow(1, 0), flow(2, 0.1), flow(1, 0.2), flow(3, 0.3)]);
    expect(done.map((f) => [f.id, f.end, f.anomalyCounts['limit_reached']])).toEqual([[1, 'evicted', 1]]);
    expect(t.counters.evicted).toBe(1);
    expect(t.liveFlows).toBe(2);
    t.flush();
    expect(done.map((f) => f.id)).toEqual([1, 0, 2]);
    expect(t.counters.peakLive).toBe(2);
  });
});

describe('IPv6', () => {
  test('IPv6 flows: roles, both directions, addresses', () => {
    const { t, done, feed } = table();
    const a = 'fd00::1';
    const b = 'fd00::2';
    feed([
      { src: a, dst: b, sport: 40000, dport: 443, flags: SYN, seq: 1 },
      { src: b, dst: a, sport: 443, dport: 40000, flags: SYN | ACK, ack: 2 },
      { src: a, dst: b, sport: 40000, dport: 443, flags: ACK, seq: 2 },
      { src: a, dst: 'fd00::3', sport: 40000, dport: 443, flags: SYN },
    ]);
    t.flush();
    expect(done).toHaveLength(2);
    expect(done[0]).toMatchObject({ client: { ip: a, port: 40000 }, server: { ip: b, port: 443 }, packets: { c2s: 2, s2c: 1 } });
  });
});

describe('anomaly cap', () => {
  test('events listed per flow are capped; counts stay complete', () => {
    const { t, done, feed } = table({ maxAnomaliesPerFlow: 2 });
    feed([c2s(SYN, { seq: 1 }), c2s(SYN, { seq: 2 }), c2s(SYN, { seq: 3 })]);
    t.flush();
    expect(done[2]!.anomalyCounts).toEqual({ reused_ports: 1 });
  });

  test('a cap of 0 lists nothing but still counts', () => {
    const { t, done, feed } = table({ maxAnomaliesPerFlow: 0 });
    feed([c2s(SYN, { seq: 1 }), c2s(SYN, { seq: 2 })]);
    t.flush();
    expect(done[1]!.anomalyCounts).toEqual({ reused_ports: 1 });
    expect(done[1]!.anomalies).toEqual([]);
  });
});

describe('ISNs', () => {
  test('ISNs of 2^31 and above are reported unsigned; a new ISN on the tuple is a new flow', () => {
    const { t, done, feed } = table();
    feed([c2s(SYN, { seq: 0xfffffff0 }), s2c(SYN | ACK, { seq: 0x80000000, ack: 0xfffffff1 }), c2s(SYN, { seq: 0xfffffff0 }), c2s(SYN, { seq: 0x90000000 })]);
    t.flush();
    expect(done).toHaveLength(2);
    expect(done[0]!.isn).toEqual({ client: 0xfffffff0, server: 0x80000000 });
    expect(done[1]!.isn).toEqual({ client: 0x90000000, server: null });
  });
});
