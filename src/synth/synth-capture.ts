/**
 * A synthetic capture: a set of scripted TCP connections (and any extra frames) on one link,
 * written as pcap / pcap-nsec / pcapng together with its truth (see `truth.ts`).
 *
 * Frames are collected with their capture times and sorted (stable) when written, so
 * operations of different connections may interleave in time. Same seed + same script →
 * byte-identical capture.
 */
import type { Writable } from 'node:stream';
import { linkTypeOf } from './link-layer.js';
import type { LinkSpec } from './link-layer.js';
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { Rng } from './rng.js';
import { TcpConnection } from './tcp-conn.js';
import type { EndpointOptions, ScriptHost } from './tcp-conn.js';
import { streamTruth } from './truth.js';
import type { CaptureTruth, ConnectionTruth, TruthFrame } from './truth.js';

export interface SynthCaptureOptions {
  /** PRNG seed (default 1). */
  seed?: number;
  /** Link layer of every frame (default Ethernet II). */
  link?: LinkSpec;
  /** Snap length written to the file (default 262144; records are cut to it). */
  snaplen?: number;
  /** Epoch seconds of time 0 (default 1_700_000_000). */
  startSec?: number;
  /** Capture point (default 'client'). */
  vantage?: 'client' | 'server';
  /** One-way delay between the hosts, ns (default 10 ms: RTT 20 ms). */
  owdNs?: number;
}

export interface ConnectionOptions {
  ipVersion?: 4 | 6;
  client?: Partial<EndpointOptions>;
  server?: Partial<EndpointOptions>;
  /** Start time of the connection's script, ns (default: the latest time used so far). */
  startNs?: number;
  /** Fragment IP datagrams larger than this many bytes (default: no fragmentation). */
  fragmentSize?: number;
  /** IPv4 total length 0 on segments larger than the MSS (TSO/BIG TCP capture). */
  tsoZeroLength?: boolean;
}

interface Pending {
  tNs: number;
  order: number;
  frames: Uint8Array[];
  truth: TruthFrame;
}

export type SynthFormat = 'pcap' | 'pcap-nsec' | 'pcapng';

export class SynthCapture implements ScriptHost {
  readonly rng: Rng;
  readonly link: LinkSpec;
  readonly vantage: 'client' | 'server';
  readonly owdNs: number;
  readonly seed: number;
  readonly snaplen: number;
  readonly startSec: number;
  readonly connections: TcpConnection[] = [];
  private readonly pending: Pending[] = [];

  constructor(o: SynthCaptureOptions = {}) {
    this.seed = o.seed ?? 1;
    this.rng = new Rng(this.seed);
    this.link = o.link ?? { kind: 'ethernet' };
    this.vantage = o.vantage ?? 'client';
    this.owdNs = o.owdNs ?? 10e6;
    this.snaplen = o.snaplen ?? 262144;
    this.startSec = o.startSec ?? 1_700_000_000;
  }

  /** Latest capture time used so far, ns. */
  get endNs(): number {
    return this.pending.reduce((m, p) => Math.max(m, p.tNs), 0);
  }

  /** Add a TCP connection; defaults: 10.0.0.1 → 10.0.0.2 (or 2001:db8::1/2), ports 40000+id → 80. */
  connection(o: ConnectionOptions = {}): TcpConnection {
    const id = this.connections.length;
    const v6 = o.ipVersion === 6;
    const ep = (p: Partial<EndpointOptions> | undefined, ip: string, port: number): EndpointOptions => ({
      ip, port, isn: this.rng.u32(), mss: v6 ? 1440 : 1460, wscale: 7, sack: true, timestamps: true, rcvBuf: 262144, ...p,
    });
    const conn = new TcpConnection(id, this,
      ep(o.client, v6 ? '2001:db8::1' : '10.0.0.1', 40000 + id), ep(o.server, v6 ? '2001:db8::2' : '10.0.0.2', 80));
    conn.ipVersion = v6 ? 6 : 4;
    conn.now = o.startNs ?? this.endNs;
    conn.fragmentSize = o.fragmentSize ?? 0;
    conn.tsoZeroLength = o.tsoZeroLength ?? false;
    this.connections.push(conn);
    return conn;
  }

  /** Called by connections: frames (empty when dropped before capture) at capture time `tNs`. */
  addFrame(tNs: number, frames: Uint8Array[], truth: TruthFrame): void {
    this.pending.push({ tNs, order: this.pending.length, frames, truth });
  }

  /** Frames in capture order with frame numbers assigned, and the truth. */
  finalize(): { frames: { tNs: number; data: Uint8Array }[]; truth: CaptureTruth } {
    const sorted = [...this.pending].sort((a, b) => a.tNs - b.tNs || a.order - b.order);
    const frames: { tNs: number; data: Uint8Array }[] = [];
    for (const p of sorted) {
      p.truth.frames = p.frames.map((data) => {
        frames.push({ tNs: p.tNs, data });
        return frames.length;
      });
      p.truth.frame = p.truth.frames[0] ?? null;
    }
    return { frames, truth: this.truth(sorted.map((p) => p.truth)) };
  }

  private truth(frames: TruthFrame[]): CaptureTruth {
    const connections: ConnectionTruth[] = this.connections.map((c) => ({
      id: c.id, ipVersion: c.ipVersion,
      client: { ip: c.client.opts.ip, port: c.client.opts.port }, server: { ip: c.server.opts.ip, port: c.server.opts.port },
      isn: { client: c.client.opts.isn >>> 0, server: c.server.opts.isn >>> 0 }, midstream: c.midstream,
      options: {
        mss: { client: c.client.opts.mss, server: c.server.opts.mss },
        wscale: c.wsOn ? { client: c.client.opts.wscale ?? 0, server: c.server.opts.wscale ?? 0 } : null,
        sack: c.sackOn, timestamps: c.tsOn,
      },
      streams: {
        client: streamTruth(c.client.stream.subarray(0, c.client.streamLen)),
        server: streamTruth(c.server.stream.subarray(0, c.server.streamLen)),
      },
      ended: c.ended, firstClose: c.firstClose,
    }));
    return {
      version: 1, seed: this.seed, linkType: linkTypeOf(this.link), snaplen: this.snaplen, startSec: this.startSec,
      vantage: this.vantage, connections, frames,
    };
  }

  /**
   * Write the capture (to `out`, or to memory) and return the bytes (memory only) and the truth.
   * pcapng gets one interface (if_tsresol 9, if_name 'synth0').
   */
  async write(format: SynthFormat = 'pcap', out?: string | Writable): Promise<{ bytes: Uint8Array | null; truth: CaptureTruth }> {
    const { frames, truth } = this.finalize();
    const linkType = linkTypeOf(this.link);
    const w = format === 'pcapng'
      ? new PcapngWriter(out === undefined ? {} : { out })
      : new PcapWriter({ linkType, snaplen: this.snaplen, nanosecond: format === 'pcap-nsec', ...(out === undefined ? {} : { out }) });
    if (w instanceof PcapngWriter) w.addInterface({ linkType, snaplen: this.snaplen, name: 'synth0', tsresol: 9 });
    for (const f of frames) {
      const sec = this.startSec + Math.floor(f.tNs / 1e9);
      const rec = { tsSec: sec, tsNsec: Math.round(f.tNs % 1e9), data: f.data };
      if (!w.writePacket(rec)) await w.drain();
    }
    return { bytes: await w.finish(), truth };
  }
}
