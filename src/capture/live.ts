/**
 * Live capture through the `cap` libpcap binding (an optional dependency): open an interface
 * with a BPF filter compiled by libpcap, and deliver each packet as a `Frame` — the same
 * contract as the file readers, so the same pipeline analyzes it.
 *
 * Timestamps: `cap` does not hand over libpcap's per-packet timestamp, so each packet is stamped
 * when the binding delivers it, from `performance.timeOrigin + performance.now()` (a monotonic
 * high-resolution clock anchored once to the wall clock; ~0.25 µs resolution at today's epoch).
 * The error is the delay between the kernel's receipt and the delivery to JavaScript, and
 * packets delivered in one batch get nearly the same time. For kernel timestamps use
 * `tcpdump -U -w - ... | tcpscope analyze -` (README, "Live capture").
 *
 * Every failure to open becomes a `LiveCaptureError` saying exactly why: the binding is not
 * installed, libpcap's shared library is missing, no permission (root or CAP_NET_RAW +
 * CAP_NET_ADMIN), no such interface, or libpcap's own message for a bad filter.
 *
 * Falling behind: cap delivers packets from one native loop that calls `pcap_dispatch` until the
 * kernel buffer is empty, so while analysis is slower than the traffic nothing else runs — no
 * timer, no view, no SIGINT handler. When that loop has held the process for `maxStallMs`
 * (default 1 s) the capture sheds: it skips packets (counted in `skipped`; neither analyzed nor
 * written) until the loop returns, which takes only as long as draining the kernel buffer at a
 * memcpy per packet. The kernel's own drops stay unknown (cap does not expose pcap_stats).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { LINKTYPE } from './link-type.js';
import type { Frame, FrameSink } from './frame.js';

/** Why a live capture could not start (the CLI prints it and exits 2). */
export class LiveCaptureError extends Error {}

interface CapInstance {
  open(device: string, filter: string, bufSize: number, buffer: Buffer): string;
  close(): void;
  on(event: 'packet', cb: (nbytes: number, truncated: boolean) => void): void;
  removeAllListeners(event?: string): void;
  setMinBytes?: (n: number) => void;
}

interface CapDevice {
  name: string;
  description?: string;
  addresses: { addr?: string; netmask?: string; broadaddr?: string }[];
  flags?: string;
}

interface CapModule {
  Cap: (new () => CapInstance) & { deviceList(): CapDevice[] };
}

let capModule: CapModule | null = null;

/**
 * Cap instances that are done (open failed, or closed): kept referenced for the life of the
 * process. cap 0.2's native destructor tears its libuv poll handle down again when the object is
 * garbage-collected, which aborts the process (`uv_poll_stop: !uv__is_closing(handle)`) — seen
 * both after a failed open and after close(). One small object per capture session.
 */
const RETIRED: CapInstance[] = [];

/** The `cap` binding, or a LiveCaptureError saying why it cannot be loaded. */
export function loadCap(): CapModule {
  if (capModule !== null) return capModule;
  const require = createRequire(import.meta.url);
  try {
    capModule = require('cap') as CapModule;
    return capModule;
  } catch (e) {
    const msg = (e as Error).message;
    if (/Cannot find module 'cap'/.test(msg)) throw new LiveCaptureError("live capture needs the optional dependency 'cap', which is not installed (install libpcap-dev, then npm install cap)");
    if (/libpcap|\.so/.test(msg)) throw new LiveCaptureError(`the 'cap' binding cannot load libpcap (install libpcap0.8 / libpcap-dev): ${msg}`);
    throw new LiveCaptureError(`the 'cap' binding cannot be loaded (rebuild it against this Node with npm rebuild cap; libpcap-dev is needed): ${msg}`);
  }
}

/** An interface as `tcpscope interfaces` lists it. */
export interface InterfaceListing {
  name: string;
  description: string | null;
  addresses: string[];
  /** `lo` (loopback) or `any` (all interfaces, Linux cooked frames). */
  note: string | null;
}

export function listInterfaces(): InterfaceListing[] {
  const { Cap } = loadCap();
  return Cap.deviceList().map((d) => ({
    name: d.name,
    description: d.description ?? null,
    addresses: d.addresses.map((a) => a.addr).filter((a): a is string => typeof a === 'string'),
    note: d.name === 'any' ? 'all interfaces (Linux cooked frames)' : d.name === 'lo' || /loopback/i.test(d.flags ?? '') ? 'loopback' : null,
  }));
}

/**
 * Default kernel buffer for `device`, MiB. In immediate mode libpcap uses a TPACKET_V2 ring whose
 * slots are as large as the interface's MTU allows (64 KiB on loopback, MTU 65536), so a fixed
 * 16 MiB holds ~10,000 packets on Ethernet but only ~250 on `lo` — a scheduling hiccup of a few
 * milliseconds then drops packets. Enough for ~2,000 packets of the MTU, 16 to 128 MiB; 16 when
 * the MTU cannot be read (not Linux, `any`).
 */
export function defaultBufferMb(device: string): number {
  let mtu = 0;
  try {
    mtu = Number(readFileSync(`/sys/class/net/${device.replace(/[/\\]/g, '')}/mtu`, 'utf8').trim());
  } catch {
    return 16;
  }
  if (!Number.isFinite(mtu) || mtu <= 0) return 16;
  return Math.min(128, Math.max(16, Math.ceil((2048 * (mtu + 128)) / (1 << 20))));
}

/** cap's link-type names → LINKTYPE_* numbers (what pcap files and the dissectors use). */
function linkTypeOf(name: string): number {
  switch (name) {
    case 'ETHERNET':
      return LINKTYPE.ETHERNET;
    case 'LINKTYPE_LINUX_SLL':
      return LINKTYPE.LINUX_SLL;
    case 'RAW':
      return LINKTYPE.RAW;
    case 'NULL':
      return LINKTYPE.NULL;
    case 'IEEE802_11_RADIO':
      return 127;
    default: {
      const m = /Unknown linktype (\d+)/.exec(name);
      if (m !== null) return Number(m[1]) === LINKTYPE.RAW_12 ? LINKTYPE.RAW : Number(m[1]);
      throw new LiveCaptureError(`libpcap reports a link type tcpscope cannot name: ${name}`);
    }
  }
}

export interface LiveOptions {
  device: string;
  /** BPF filter (libpcap syntax); '' for everything. */
  filter: string;
  /**
   * Size of the packet buffer handed to cap (default 262144). Note: cap 0.2 itself fixes
   * libpcap's snap length at 65535, so larger frames (loopback GSO frames reach 65550) arrive cut
   * and their missing bytes are counted as truncated; `--via tcpdump` has no such limit.
   */
  snaplen?: number;
  /** libpcap's buffer in MiB (default: `defaultBufferMb(device)`). */
  bufferMb?: number;
  /** Skip packets once cap's delivery loop has held the process this long (default 1000 ms); see the module doc. */
  maxStallMs?: number;
}

/** An open live capture: frames go to `sink` until `stop()`. */
export class LiveCapture {
  readonly linkType: number;
  readonly snaplen: number;
  /** Packets delivered, and those cut by the snap length (the binding's buffer). */
  packets = 0;
  truncated = 0;
  /** Packets skipped while behind (see the module doc), and how many times shedding started. */
  skipped = 0;
  sheds = 0;
  private readonly cap: CapInstance;
  private readonly buffer: Buffer;
  private readonly frame: Frame;
  private open = true;
  /** `performance.now()` when the event loop last got a turn (a timer), and whether packets are being skipped. */
  private loopMark = performance.now();
  private shedding = false;
  private readonly loopTimer: NodeJS.Timeout;

  constructor(opts: LiveOptions, sink: FrameSink) {
    const { Cap } = loadCap();
    const devices = Cap.deviceList().map((d) => d.name);
    if (!devices.includes(opts.device)) throw new LiveCaptureError(`no such interface '${opts.device}' (interfaces: ${devices.join(', ') || 'none visible'}; see tcpscope interfaces)`);
    this.snaplen = opts.snaplen ?? 262144;
    this.buffer = Buffer.alloc(this.snaplen);
    this.cap = new Cap();
    let lt: string;
    try {
      lt = this.cap.open(opts.device, opts.filter, (opts.bufferMb ?? defaultBufferMb(opts.device)) * 1024 * 1024, this.buffer);
    } catch (e) {
      // Never close() a failed open (it aborts) and never let it be collected: see RETIRED.
      RETIRED.push(this.cap);
      throw classifyOpenError(e as Error, opts);
    }
    this.linkType = linkTypeOf(lt);
    this.cap.setMinBytes?.(0);
    const frame: Frame = { frameNo: 0, tsSec: 0, tsNsec: 0, caplen: 0, origLen: 0, linkType: this.linkType, ifIndex: 0, buf: this.buffer, off: 0, fileOffset: 0, epbFlags: 0, hasTs: true };
    this.frame = frame;
    const origin = performance.timeOrigin;
    const maxStall = opts.maxStallMs ?? 1000;
    this.loopTimer = setInterval(() => {
      this.loopMark = performance.now();
    }, 50);
    this.loopTimer.unref();
    this.cap.on('packet', (nbytes: number, truncated: boolean) => {
      const now = performance.now();
      if (this.shedding || now - this.loopMark > maxStall) {
        this.shed();
        return;
      }
      const ms = origin + now;
      const sec = Math.floor(ms / 1000);
      frame.tsSec = sec;
      frame.tsNsec = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
      frame.frameNo = ++this.packets;
      frame.caplen = nbytes;
      frame.origLen = nbytes;
      if (truncated) this.truncated++;
      sink(frame);
    });
  }

  /** One packet skipped: the loop has not let go for too long (until it does: setImmediate runs after it). */
  private shed(): void {
    this.skipped++;
    if (this.shedding) return;
    this.shedding = true;
    this.sheds++;
    setImmediate(() => {
      this.shedding = false;
      this.loopMark = performance.now();
    });
  }

  stop(): void {
    if (!this.open) return;
    this.open = false;
    clearInterval(this.loopTimer);
    this.cap.removeAllListeners('packet');
    this.cap.close();
    RETIRED.push(this.cap);
  }
}

function classifyOpenError(e: Error, opts: LiveOptions): LiveCaptureError {
  const m = e.message;
  if (/permission|not permitted|EPERM|EACCES/i.test(m)) {
    return new LiveCaptureError(`no permission to capture on '${opts.device}' (run as root, or give node CAP_NET_RAW and CAP_NET_ADMIN): ${m}`);
  }
  if (/No such device|doesn't exist|no such/i.test(m)) return new LiveCaptureError(`no such interface '${opts.device}': ${m}`);
  if (opts.filter !== '' && /syntax|filter|parse|compile|illegal|unknown/i.test(m)) {
    return new LiveCaptureError(`invalid capture filter '${opts.filter}': libpcap says: ${m}`);
  }
  return new LiveCaptureError(`cannot capture on '${opts.device}': ${m}`);
}
