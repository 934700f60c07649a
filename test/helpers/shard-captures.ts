/**
 * Seeded synthetic captures for the sharded-analysis tests: many short TCP connections from a
 * few clients and client ports to a few servers, so four-tuples are reused (after a close, and
 * while the earlier connection is still open), connections that stay open (idle expiry),
 * resets, SYN retransmissions, connections picked up mid-stream, missing segments; optionally
 * timestamps that go backwards (capture order kept), one wild future timestamp, and packets
 * without a timestamp (pcapng Simple Packet Blocks).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFrame, TCP_FLAG } from '../../src/synth/packet.js';
import { PcapWriter } from '../../src/synth/pcap-writer.js';
import { PcapngWriter } from '../../src/synth/pcapng-writer.js';
import { prng } from './prng.js';

const { SYN, ACK, FIN, RST, PSH } = TCP_FLAG;

export interface ScenarioOptions {
  seed: number;
  /** Connections in all. */
  connections: number;
  /** Distinct client addresses and ports per client (few: four-tuples are reused). */
  clients?: number;
  portsPerClient?: number;
  /** Seconds over which connections start (default 60). */
  spanSec?: number;
  /** Share of packets whose timestamp is moved back by up to `jitterSec` (capture order kept). */
  jitter?: number;
  jitterSec?: number;
  /** One packet in the middle gets a timestamp this many seconds in the future (0: none). */
  wildSec?: number;
  /** Share of packets written without a timestamp (pcapng Simple Packet Blocks; needs pcapng). */
  untimed?: number;
  /** Share of IPv6 connections. */
  ipv6?: number;
  format?: 'pcap' | 'pcapng';
}

interface Pkt {
  t: number;
  order: number;
  data: Uint8Array;
}

/** Writes the scenario to a temporary file; returns its path. */
export async function scenarioCapture(o: ScenarioOptions): Promise<string> {
  const rnd = prng(o.seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const pkts: Pkt[] = [];
  const clients = o.clients ?? 4;
  const ports = o.portsPerClient ?? 6;
  const span = o.spanSec ?? 60;
  for (let c = 0; c < o.connections; c++) {
    const v6 = rnd() < (o.ipv6 ?? 0);
    const ci = int(clients);
    const cli = v6 ? `2001:db8::${ci + 1}` : `10.1.0.${ci + 1}`;
    const srv = v6 ? `2001:db8:1::${int(2) + 1}` : `10.2.0.${int(2) + 1}`;
    const cport = 40000 + int(ports);
    const sport = rnd() < 0.7 ? 80 : 443;
    let t = rnd() * span;
    let cseq = int(2 ** 32);
    let sseq = int(2 ** 32);
    const add = (fromClient: boolean, flags: number, payload = 0, seq?: number): void => {
      const tcp = {
        srcPort: fromClient ? cport : sport,
        dstPort: fromClient ? sport : cport,
        seq: seq ?? (fromClient ? cseq : sseq),
        ack: flags & ACK ? (fromClient ? sseq : cseq) : 0,
        flags,
        window: 65535,
        payload: new Uint8Array(payload).fill(0x41 + (c % 26)),
      };
      const ip = v6 ? { version: 6 as const, src: fromClient ? cli : srv, dst: fromClient ? srv : cli } : { version: 4 as const, src: fromClient ? cli : srv, dst: fromClient ? srv : cli };
      pkts.push({ t, order: pkts.length, data: buildFrame({ ip, tcp }) });
      t += 0.0005 + rnd() * 0.05;
    };
    const kind = rnd();
    const midstream = kind < 0.08;
    if (!midstream) {
      add(true, SYN);
      if (rnd() < 0.1) add(true, SYN); // retransmitted SYN, same ISN
      cseq = (cseq + 1) >>> 0;
      add(false, SYN | ACK);
      sseq = (sseq + 1) >>> 0;
      add(true, ACK);
    }
    const rounds = 1 + int(6);
    for (let r = 0; r < rounds; r++) {
      const n = 1 + int(800);
      const lost = rnd() < 0.1;
      if (!lost) add(true, ACK | PSH, n);
      cseq = (cseq + n) >>> 0;
      add(false, ACK);
      const m = 1 + int(1400);
      add(false, ACK | PSH, m);
      sseq = (sseq + m) >>> 0;
      add(true, ACK);
    }
    const end = rnd();
    if (end < 0.6) {
      add(true, FIN | ACK);
      cseq = (cseq + 1) >>> 0;
      add(false, FIN | ACK);
      sseq = (sseq + 1) >>> 0;
      add(true, ACK);
    } else if (end < 0.75) {
      add(rnd() < 0.5, RST | ACK);
    } // else: left open (idle expiry or end of capture)
  }
  pkts.sort((a, b) => a.t - b.t || a.order - b.order);
  const ts = pkts.map((p) => p.t);
  const jitter = o.jitter ?? 0;
  for (let i = 0; i < ts.length; i++) if (rnd() < jitter) ts[i] = Math.max(0, ts[i]! - rnd() * (o.jitterSec ?? 2));
  if ((o.wildSec ?? 0) > 0) ts[ts.length >> 1]! += o.wildSec!;
  const dir = mkdtempSync(join(tmpdir(), 'tcpscope-shard-'));
  const path = join(dir, `scenario-${o.seed}.${o.format ?? 'pcap'}`);
  const base = 1_700_000_000;
  const sec = (t: number): number => base + Math.floor(t);
  const nsec = (t: number): number => Math.round((t % 1) * 1e6) * 1000;
  if ((o.format ?? 'pcap') === 'pcap') {
    const w = new PcapWriter();
    pkts.forEach((p, i) => w.writePacket({ tsSec: sec(ts[i]!), tsNsec: nsec(ts[i]!), data: p.data }));
    writeFileSync(path, (await w.finish())!);
  } else {
    const w = new PcapngWriter();
    w.addInterface({ linkType: 1, snaplen: 262144, tsresol: 6 });
    const untimed = o.untimed ?? 0;
    pkts.forEach((p, i) => {
      if (rnd() < untimed) w.writeSimplePacket(p.data);
      else w.writePacket({ tsSec: sec(ts[i]!), tsNsec: nsec(ts[i]!), data: p.data });
    });
    writeFileSync(path, (await w.finish())!);
  }
  return path;
}
