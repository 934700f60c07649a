/**
 * A small test driver for the reassembler on whole captures (independent of the real flow
 * table): decode every packet, group TCP packets by four-tuple, split a four-tuple into a new
 * connection on a SYN with a new ISN, feed each direction's segments to its reassembler and the
 * other direction's ACKs to `acked`, close everything at the end.
 */
import { createHash } from 'node:crypto';
import { readCapture, parseCaptureBytes } from '../../src/capture/open.js';
import { DIR, type Direction } from '../../src/core/direction.js';
import { formatIp } from '../../src/dissectors/address.js';
import { LAYER, TCP_FLAG, type DecodedPacket } from '../../src/dissectors/decoded-packet.js';
import { DecodeStage } from '../../src/pipeline/decode-stage.js';
import type { StreamEndReason, StreamSink } from '../../src/reassembly/stream-sink.js';
import { TcpStreamReassembler } from '../../src/reassembly/tcp-reassembler.js';

/** One direction's result. */
export interface DirResult {
  length: number;
  delivered: number;
  missed: number;
  sha256: string;
  /** The rebuilt bytes (gaps as zeros). */
  bytes: Uint8Array;
  gaps: Array<[number, number]>;
  end: StreamEndReason | null;
  inconsistent: number;
  reassembler: TcpStreamReassembler;
}

export interface ConnResult {
  client: string;
  server: string;
  clientIsn: number;
  dirs: [DirResult, DirResult];
}

class Collect implements StreamSink {
  chunks: Uint8Array[] = [];
  gaps: Array<[number, number]> = [];
  delivered = 0;
  missed = 0;
  end: StreamEndReason | null = null;
  inconsistent = 0;
  onData(_d: Direction, _o: number, buf: Uint8Array, off: number, len: number): void {
    this.chunks.push(buf.slice(off, off + len));
    this.delivered += len;
  }
  onGap(_d: Direction, offset: number, len: number): void {
    this.chunks.push(new Uint8Array(len));
    this.gaps.push([offset, len]);
    this.missed += len;
  }
  onOverlap(_d: Direction, _o: number, _l: number, inconsistent: boolean): void {
    if (inconsistent) this.inconsistent++;
  }
  onEnd(_d: Direction, reason: StreamEndReason): void {
    this.end = reason;
  }
}

interface Conn {
  client: string;
  server: string;
  clientIsn: number;
  sinks: [Collect, Collect];
  r: [TcpStreamReassembler, TcpStreamReassembler];
}

function endpoint(pkt: DecodedPacket, src: boolean): string {
  return `${formatIp(pkt.buf, src ? pkt.srcOff : pkt.dstOff, pkt.ipVersion)}|${src ? pkt.sport : pkt.dport}`;
}

export class CaptureDriver {
  private readonly byTuple = new Map<string, Conn>();
  readonly conns: Conn[] = [];
  readonly stage = new DecodeStage((pkt, frame) => this.onPacket(pkt, frame.frameNo));

  private onPacket(pkt: DecodedPacket, frame: number): void {
    if ((pkt.layers & LAYER.TCP) === 0) return;
    const a = endpoint(pkt, true);
    const b = endpoint(pkt, false);
    const key = a < b ? `${a}>${b}` : `${b}>${a}`;
    const flags = pkt.tcpFlags;
    const pureSyn = (flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    let c = this.byTuple.get(key);
    if (c === undefined || (pureSyn && !(c.client === a && c.clientIsn === pkt.seq))) {
      c = this.newConn(a, b, pureSyn ? pkt.seq : -1);
      this.byTuple.set(key, c);
    }
    const dir = a === c.client ? DIR.C2S : DIR.S2C;
    if ((flags & TCP_FLAG.ACK) !== 0) c.r[1 - dir]!.acked(pkt.ack, frame);
    c.r[dir].segment(pkt.seq, flags, pkt.buf, pkt.payloadOff, pkt.payloadCapLen, pkt.payloadWireLen, frame);
  }

  private newConn(client: string, server: string, isn: number): Conn {
    const sinks: [Collect, Collect] = [new Collect(), new Collect()];
    const c: Conn = {
      client, server, clientIsn: isn, sinks,
      r: [new TcpStreamReassembler(DIR.C2S, sinks[0]), new TcpStreamReassembler(DIR.S2C, sinks[1])],
    };
    this.conns.push(c);
    return c;
  }

  finish(frame: number): ConnResult[] {
    return this.conns.map((c) => {
      c.r[0].close(frame);
      c.r[1].close(frame);
      const one = (d: 0 | 1): DirResult => {
        const s = c.sinks[d];
        const bytes = Buffer.concat(s.chunks);
        return {
          length: bytes.length, delivered: s.delivered, missed: s.missed, bytes,
          sha256: createHash('sha256').update(bytes).digest('hex'), gaps: s.gaps, end: s.end,
          inconsistent: s.inconsistent, reassembler: c.r[d],
        };
      };
      const dirs: [DirResult, DirResult] = [one(0), one(1)];
      return { client: c.client, server: c.server, clientIsn: c.clientIsn, dirs };
    });
  }
}

/** Reassemble every TCP connection of the capture file at `path`. */
export async function reassembleFile(path: string): Promise<ConnResult[]> {
  const d = new CaptureDriver();
  let last = 0;
  await readCapture(path, (f) => {
    last = f.frameNo;
    d.stage.onFrame(f);
  });
  return d.finish(last + 1);
}

/** Reassemble every TCP connection of an in-memory capture. */
export function reassembleBytes(bytes: Uint8Array): ConnResult[] {
  const d = new CaptureDriver();
  let last = 0;
  parseCaptureBytes(bytes, 'mem', (f) => {
    last = f.frameNo;
    d.stage.onFrame(f);
  });
  return d.finish(last + 1);
}
