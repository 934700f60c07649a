/**
 * Fast deterministic generator of a large benchmark capture: many interleaved TCP flows
 * (Ethernet / IPv4 / TCP, no options) with handshakes, bulk data server → client, ACKs every
 * other segment, losses before the capture point followed by three duplicate ACKs and a fast
 * retransmission, reordering, duplicated segments, zero-window episodes with window updates,
 * and FIN closes.
 *
 * Speed: nothing is allocated per packet. Each flow slot has a precomputed 54-byte header
 * template and partial checksums; a packet patches length/id/seq/ack/flags/window and both
 * checksums (the constant payload pattern's sum comes from a prefix-sum table) in one reused
 * scratch buffer, which the writer copies (up to the snap length) into its big output buffer.
 */
import { PcapWriter } from './pcap-writer.js';
import { PcapngWriter } from './pcapng-writer.js';
import { Rng } from './rng.js';

export interface BenchCaptureOptions {
  /** Packet records to write (default 2_000_000). */
  packets?: number;
  /** Distinct TCP connections (default 10_000). Each gets packets/flows records (±1). */
  flows?: number;
  /** PRNG seed (default 1). Same options → byte-identical file. */
  seed?: number;
  /** 'pcap' (µs), 'pcap-nsec' or 'pcapng' (if_tsresol 9). Default 'pcap'. */
  format?: 'pcap' | 'pcap-nsec' | 'pcapng';
  /** Snap length (default 128: headers + a little payload); 0 = full frames. */
  snaplen?: number;
  /** Flows open at the same time (default min(flows, 1000)). */
  concurrency?: number;
  /** Epoch seconds of the first packet (default 1_700_000_000). */
  startSec?: number;
}

export interface BenchCaptureResult {
  packets: number;
  flows: number;
  /** File size in bytes. */
  bytes: number;
}

const HDR = 54;
const MSS = 1448;
const QCAP = 16;
/** Descriptor fields in a slot's queue: dir (0 c→s, 1 s→c), seq off, ack off, flags, len, win. */
const NF = 6;
const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

/** Payload pattern and prefix sums of its 16-bit big-endian words (prefix[n] = sum of first n bytes). */
function payloadTables(): { pattern: Uint8Array; prefix: Float64Array } {
  const pattern = new Uint8Array(MSS);
  for (let i = 0; i < MSS; i++) pattern[i] = (i * 31 + 7) & 0xff;
  const prefix = new Float64Array(MSS + 1);
  for (let n = 1; n <= MSS; n++) {
    const i = n - 1;
    prefix[n] = prefix[n - 1]! + (i % 2 === 0 ? pattern[i]! << 8 : pattern[i]!);
  }
  return { pattern, prefix };
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 65536);
  return s;
}

/** Generator state, struct-of-arrays over flow slots. */
class BenchState {
  readonly rng: Rng;
  readonly ips: Uint32Array; // per slot: client ip, server ip
  readonly ports: Uint16Array; // per slot: client port, server port
  readonly isn: Float64Array; // per slot: client isn, server isn
  readonly sNxt: Float64Array; // server next relative seq
  readonly ipId: Uint16Array; // per slot × dir
  readonly emitted: Int32Array;
  readonly target: Int32Array;
  readonly phase: Int8Array; // 0 handshake queued, 1 data, 2 closing queued
  readonly q: Float64Array; // ring queue per slot
  readonly qHead: Int32Array;
  readonly qLen: Int32Array;
  readonly active: Int32Array; // slot → flow id (-1 free)

  constructor(slots: number, seed: number) {
    this.rng = new Rng(seed);
    this.ips = new Uint32Array(slots * 2);
    this.ports = new Uint16Array(slots * 2);
    this.isn = new Float64Array(slots * 2);
    this.sNxt = new Float64Array(slots);
    this.ipId = new Uint16Array(slots * 2);
    this.emitted = new Int32Array(slots);
    this.target = new Int32Array(slots);
    this.phase = new Int8Array(slots);
    this.q = new Float64Array(slots * QCAP * NF);
    this.qHead = new Int32Array(slots);
    this.qLen = new Int32Array(slots);
    this.active = new Int32Array(slots).fill(-1);
  }

  push(slot: number, dir: number, seq: number, ack: number, flags: number, len: number, win: number): void {
    const i = ((this.qHead[slot]! + this.qLen[slot]!) % QCAP) * NF + slot * QCAP * NF;
    const q = this.q;
    q[i] = dir; q[i + 1] = seq; q[i + 2] = ack; q[i + 3] = flags; q[i + 4] = len; q[i + 5] = win;
    this.qLen[slot]!++;
  }

  /** Start flow `flow` in `slot` with a budget of `target` packets; queues the handshake. */
  start(slot: number, flow: number, target: number): void {
    this.active[slot] = flow;
    this.ips[slot * 2] = (10 << 24) | (flow & 0xffffff);
    this.ips[slot * 2 + 1] = ((192 << 24) | (168 << 16) | ((flow % 251) << 8) | 1) >>> 0;
    this.ports[slot * 2] = 1024 + ((flow * 7919) % 64000);
    this.ports[slot * 2 + 1] = flow % 3 === 0 ? 80 : 443;
    // Every 16th flow starts near 2^32 so its sequence numbers wrap.
    this.isn[slot * 2] = this.rng.u32();
    this.isn[slot * 2 + 1] = flow % 16 === 0 ? 4294967296 - 5000 - this.rng.int(100000) : this.rng.u32();
    this.sNxt[slot] = 1;
    this.emitted[slot] = 0;
    this.target[slot] = target;
    this.qHead[slot] = 0;
    this.qLen[slot] = 0;
    this.phase[slot] = 1;
    this.push(slot, 0, 0, 0, F.SYN, 0, 65535);
    if (target > 1) this.push(slot, 1, 0, 1, F.SYN | F.ACK, 0, 65535);
    if (target > 2) this.push(slot, 0, 1, 1, F.ACK, 0, 65535);
  }

  /** Queue the next episode of the flow in `slot` (data, loss, reorder, dup, zero window, or close). */
  refill(slot: number): void {
    const left = this.target[slot]! - this.emitted[slot]!;
    const s = this.sNxt[slot]!;
    if (this.phase[slot] === 2 || left <= 12) {
      this.phase[slot] = 2;
      const kinds = [[1, s, 1, F.FIN | F.ACK], [0, 1, s + 1, F.ACK], [0, 1, s + 1, F.FIN | F.ACK], [1, s + 1, 2, F.ACK]] as const;
      for (let k = 0; k < Math.min(left, 4); k++) {
        const d = kinds[k]!;
        this.push(slot, d[0], d[1], d[2], d[3], 0, 65535);
      }
      for (let k = 4; k < left; k++) this.push(slot, 0, 2, s + 1, F.ACK, 0, 65535); // pad with late ACKs
      return;
    }
    const r = this.rng.float();
    const L = MSS;
    const D = F.ACK | F.PSH;
    if (r < 0.02) {
      // Loss before capture: seg k not emitted; 3 dup ACKs; fast retransmission; cumulative ACK.
      for (let k = 1; k <= 3; k++) {
        this.push(slot, 1, s + k * L, 1, D, L, 65535);
        this.push(slot, 0, 1, s, F.ACK, 0, 65535);
      }
      this.push(slot, 1, s, 1, D, L, 65535);
      this.push(slot, 0, 1, s + 4 * L, F.ACK, 0, 65535);
      this.sNxt[slot] = s + 4 * L;
    } else if (r < 0.03) {
      // Reordering: k+1 seen before k.
      this.push(slot, 1, s + L, 1, D, L, 65535);
      this.push(slot, 1, s, 1, D, L, 65535);
      this.push(slot, 0, 1, s + 2 * L, F.ACK, 0, 65535);
      this.sNxt[slot] = s + 2 * L;
    } else if (r < 0.035) {
      // Zero window: the receiver's buffer fills, then a window update reopens it.
      this.push(slot, 1, s, 1, D, L, 65535);
      this.push(slot, 0, 1, s + L, F.ACK, 0, 0);
      this.push(slot, 0, 1, s + L, F.ACK, 0, 65535);
      this.sNxt[slot] = s + L;
    } else if (r < 0.04) {
      // Duplicate segment (captured twice).
      this.push(slot, 1, s, 1, D, L, 65535);
      this.push(slot, 1, s, 1, D, L, 65535);
      this.push(slot, 0, 1, s + L, F.ACK, 0, 65535);
      this.sNxt[slot] = s + L;
    } else {
      const l2 = r < 0.1 ? 1 + this.rng.int(L) : L;
      this.push(slot, 1, s, 1, F.ACK, L, 65535);
      this.push(slot, 1, s + L, 1, D, l2, 65535);
      this.push(slot, 0, 1, s + L + l2, F.ACK, 0, 65535);
      this.sNxt[slot] = s + L + l2;
    }
  }
}

/**
 * Write the benchmark capture to `path`. Deterministic: the same options give the same bytes.
 * 2 M packets take a few seconds (see the synth tests for the measured rate).
 */
export async function writeBenchCapture(path: string, opts: BenchCaptureOptions = {}): Promise<BenchCaptureResult> {
  const packets = opts.packets ?? 2_000_000;
  const flows = Math.max(1, Math.min(opts.flows ?? 10_000, packets));
  const slots = Math.max(1, Math.min(opts.concurrency ?? 1000, flows));
  const format = opts.format ?? 'pcap';
  const snaplen = opts.snaplen ?? 128;
  const st = new BenchState(slots, opts.seed ?? 1);
  const { pattern, prefix } = payloadTables();
  const scratch = new Uint8Array(HDR + MSS);
  scratch.set(pattern, HDR);
  initTemplate(scratch);
  const pcap = format === 'pcapng' ? null : new PcapWriter({ out: path, snaplen, nanosecond: format === 'pcap-nsec', bufferSize: 8 << 20 });
  const ng = format === 'pcapng' ? new PcapngWriter({ out: path, bufferSize: 8 << 20 }) : null;
  ng?.addInterface({ linkType: 1, snaplen, name: 'bench0', tsresol: 9 });
  const per = Math.floor(packets / flows);
  const extra = packets % flows;
  let nextFlow = 0;
  let liveSlots = 0;
  const startFlow = (slot: number): void => {
    st.start(slot, nextFlow, per + (nextFlow < extra ? 1 : 0));
    nextFlow++;
    liveSlots++;
  };
  for (let s = 0; s < slots; s++) startFlow(s);
  let sec = opts.startSec ?? 1_700_000_000;
  let nsec = 0;
  let written = 0;
  while (written < packets && liveSlots > 0) {
    let slot = st.rng.int(slots);
    while (st.active[slot] === -1) slot = (slot + 1) % slots;
    if (st.qLen[slot] === 0) st.refill(slot);
    const len = encode(st, slot, scratch, prefix);
    nsec += 200 + st.rng.int(9600);
    if (nsec >= 1_000_000_000) { sec++; nsec -= 1_000_000_000; }
    if (pcap !== null) pcap.writeRecord(sec, nsec, scratch, 0, len, len);
    else ng!.writeRecord(0, sec, nsec, scratch, 0, len, len);
    written++;
    if (++st.emitted[slot]! >= st.target[slot]!) {
      st.active[slot] = -1;
      liveSlots--;
      if (nextFlow < flows) startFlow(slot);
    }
  }
  await (pcap ?? ng)!.finish();
  return { packets: written, flows: nextFlow, bytes: (pcap ?? ng)!.bytes };
}

/** Constant parts of the Ethernet/IPv4/TCP header. */
function initTemplate(b: Uint8Array): void {
  b.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00], 0);
  b[14] = 0x45;
  b[15] = 0;
  b[20] = 0x40; // DF
  b[21] = 0;
  b[22] = 64;
  b[23] = 6;
  b[46] = 0x50; // data offset 5
  b[52] = 0;
  b[53] = 0;
}

/** Pop the slot's next descriptor and write its frame into `b[0..HDR+len)`; returns the frame length. */
function encode(st: BenchState, slot: number, b: Uint8Array, prefix: Float64Array): number {
  const qi = slot * QCAP * NF + st.qHead[slot]! * NF;
  const q = st.q;
  const dir = q[qi]!;
  const len = q[qi + 4]!;
  st.qHead[slot] = (st.qHead[slot]! + 1) % QCAP;
  st.qLen[slot]!--;
  const src = st.ips[slot * 2 + dir]!;
  const dst = st.ips[slot * 2 + 1 - dir]!;
  const seq = (st.isn[slot * 2 + dir]! + q[qi + 1]!) % 4294967296;
  const ack = q[qi + 3]! & F.ACK ? (st.isn[slot * 2 + 1 - dir]! + q[qi + 2]!) % 4294967296 : 0;
  const flags = q[qi + 3]!;
  const win = q[qi + 5]!;
  const sp = st.ports[slot * 2 + dir]!;
  const dp = st.ports[slot * 2 + 1 - dir]!;
  const id = st.ipId[slot * 2 + dir]!;
  st.ipId[slot * 2 + dir] = (id + 1) & 0xffff;
  const total = 40 + len;
  // Ethernet: swap MAC low bytes with direction.
  b[5] = dir === 0 ? 2 : 1;
  b[11] = dir === 0 ? 1 : 2;
  put16(b, 16, total);
  put16(b, 18, id);
  put32(b, 26, src);
  put32(b, 30, dst);
  const addrSum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff);
  put16(b, 24, ~fold(0x4500 + total + id + 0x4000 + 0x4006 + addrSum) & 0xffff);
  put16(b, 34, sp);
  put16(b, 36, dp);
  put32(b, 38, seq);
  put32(b, 42, ack);
  b[47] = flags;
  put16(b, 48, win);
  const tcpSum = addrSum + 6 + 20 + len + sp + dp + Math.floor(seq / 65536) + (seq & 0xffff) +
    Math.floor(ack / 65536) + (ack & 0xffff) + (0x5000 | flags) + win + prefix[len]!;
  put16(b, 50, ~fold(tcpSum) & 0xffff);
  return HDR + len;
}

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >>> 24) & 0xff;
  b[at + 1] = (v >>> 16) & 0xff;
  b[at + 2] = (v >>> 8) & 0xff;
  b[at + 3] = v & 0xff;
}
