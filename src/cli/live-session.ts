/**
 * The clock of `tcpscope live`'s display: every `tickMs` (250 ms) the findings met since the last
 * tick go to the output as lines; every `sampleEvery` ticks (about once a second) the open flows
 * are sampled (report/live-model.ts) and the status — packets, rates, kernel drops, tcpscope's own
 * backlog — is shown. Runs between packets, on the event loop; nothing here is per packet.
 */
import type { Analysis } from '../pipeline/analyze.js';
import type { LiveModel } from '../report/live-model.js';
import type { LiveStatus } from '../report/live-view.js';
import type { LiveOutput } from './live-display.js';

/** What the capture source says about itself, asked once a tick. */
export interface LiveSourceCounters {
  /** Packets handed to the analysis. */
  packets(): number;
  /** Packets the source skipped because tcpscope was behind (cap), 0 when it cannot. */
  skipped(): number;
  /** Kernel counters, null when the source cannot tell (cap). */
  kernel(): { received: number | null; dropped: number | null } | null;
  /** Analysis lag behind the newest captured packet, ms (null unknown). */
  lagMs(now: number): number | null;
  /** Ask for fresh counters (tcpdump: SIGUSR1), answered by the next tick. */
  poll?(): void;
}

export interface LiveSessionOptions {
  device: string;
  filter: string;
  via: 'cap' | 'tcpdump';
  tickMs?: number;
  sampleEvery?: number;
  /** Epoch seconds now (tests inject a clock). */
  now?: () => number;
  /** Output lines dropped because stdout did not keep up (the report sink's count). */
  outputDropped?: () => number;
}

const wallClock = (): number => (performance.timeOrigin + performance.now()) / 1000;

export class LiveSession {
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;
  private readonly started: number;
  private lastPackets = 0;
  private lastSampleT: number;
  private lastSkipped = 0;
  private elu = performance.eventLoopUtilization();
  private cpuMark = process.cpuUsage();
  private readonly now: () => number;
  /** Until the source is open: nothing captured yet. */
  private source: LiveSourceCounters = { packets: () => 0, skipped: () => 0, kernel: () => null, lagMs: () => null };

  constructor(
    private readonly o: LiveSessionOptions,
    private readonly model: LiveModel,
    private readonly analysis: Pick<Analysis, 'forEachLiveFlow' | 'liveFlows'>,
    private readonly output: LiveOutput,
  ) {
    this.now = o.now ?? wallClock;
    this.started = this.now();
    this.lastSampleT = this.started;
  }

  /** The capture source, once open. */
  setSource(source: LiveSourceCounters): void {
    this.source = source;
  }

  start(): void {
    this.elu = performance.eventLoopUtilization();
    this.cpuMark = process.cpuUsage();
    this.update();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 250);
  }

  private tick(): void {
    this.ticks++;
    if (this.ticks % (this.o.sampleEvery ?? 4) === 0) this.update();
    else this.flushEvents();
  }

  private flushEvents(): void {
    const model = this.model;
    model.stalls(this.now());
    if (model.needsNames()) this.analysis.forEachLiveFlow((f) => model.name(f));
    this.output.events(model.takeEvents());
  }

  /** Events, then a sample of the open flows and the status. */
  private update(final = false): void {
    if (!final) this.source.poll?.();
    this.flushEvents();
    const now = this.now();
    if (this.output.wantsRows) this.model.sample(now, (visit) => this.analysis.forEachLiveFlow(visit));
    this.output.update(this.status(now), this.model.rows(), now, final);
  }

  /** The status now (also the NDJSON stats line). */
  status(now: number): LiveStatus {
    const src = this.source;
    const packets = src.packets();
    const dt = now - this.lastSampleT;
    const pps = dt > 0 ? (packets - this.lastPackets) / dt : 0;
    this.lastPackets = packets;
    this.lastSampleT = now;
    const skipped = src.skipped();
    const skippedNow = skipped - this.lastSkipped;
    this.lastSkipped = skipped;
    const elu = performance.eventLoopUtilization(this.elu);
    this.elu = performance.eventLoopUtilization();
    const cpuUsed = process.cpuUsage(this.cpuMark);
    this.cpuMark = process.cpuUsage();
    // Too short an interval (the first draw) says nothing about load.
    const busy = elu.idle + elu.active >= 200 ? elu.utilization : null;
    const cpu = busy === null || dt <= 0 ? null : (cpuUsed.user + cpuUsed.system) / 1e6 / dt;
    const lag = src.lagMs(now);
    return {
      device: this.o.device,
      filter: this.o.filter,
      via: this.o.via,
      elapsedSec: Math.round(Math.max(0, now - this.started) * 1000) / 1000,
      packets,
      packetsPerSec: Math.round(pps),
      openFlows: this.analysis.liveFlows,
      flowsDone: this.model.flowsDone,
      kernel: src.kernel(),
      skipped,
      busy: busy === null ? null : Math.round(busy * 1000) / 1000,
      cpu: cpu === null ? null : Math.round(cpu * 1000) / 1000,
      lagMs: lag === null ? null : Math.round(lag),
      behind: skippedNow > 0 || (lag !== null && lag > 1000) || (busy !== null && busy >= 0.98),
      eventsDropped: this.model.eventsDropped,
      outputDropped: this.o.outputDropped?.() ?? 0,
    };
  }

  /** The capture ended: the last findings and status, then the terminal is left clean. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.update(true);
    this.output.stop();
  }
}
