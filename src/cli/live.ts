/**
 * `tcpscope live -i IFACE [-f FILTER] [-c N] [--duration S] [-w FILE] ...` and
 * `tcpscope interfaces`: sniff an interface through libpcap (capture/live.ts) into the same
 * analysis as files (pipeline `createAnalysis`) and the same report sink as `analyze`. Flows are
 * reported as they finish (off a TTY the default form is NDJSON: a line per finished flow, then
 * the summary); at the end — `-c`/`--duration` reached, Ctrl-C or SIGTERM — `-w` is flushed and
 * the final report is written exactly as `analyze` would write it.
 *
 * While it captures (cli/live-session.ts): on a terminal (stderr), the live view of the open flows
 * with a line for each finding as it happens; with NDJSON output, `event` and `stats` lines among
 * the flow lines. Kernel drop counts come only through `--via tcpdump` (the `cap` binding does not
 * expose pcap_stats; with cap `captures[].dropped` is null); packets tcpscope skipped itself
 * because it fell behind (capture/live.ts) are counted and said.
 */
import { createAnalysis, type Analysis } from '../pipeline/analyze.js';
import { TcpdumpSource } from '../capture/tcpdump-source.js';
import { newCaptureInfo, type CaptureInfo, type Frame } from '../capture/frame.js';
import { LiveCapture, LiveCaptureError, listInterfaces } from '../capture/live.js';
import { PcapWriter } from '../synth/pcap-writer.js';
import { PcapngWriter } from '../synth/pcapng-writer.js';
import { EXIT, type CliIo } from './io.js';
import { ReportSink, type AnalyzeFormat } from './report-sink.js';
import { flowFilter } from './flow-filter.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';
import { LiveModel } from '../report/live-model.js';
import { palette, wantColor } from '../report/colors.js';
import { LiveOutputs, NdjsonLiveOutput, TtyView, type LiveOutput, type TtyStream } from './live-display.js';
import { LiveSession } from './live-session.js';

export interface LiveArgs {
  device: string;
  filter: string;
  count?: number;
  durationSec?: number;
  writeFile?: string;
  snaplen?: number;
  bufferMb?: number;
  format: AnalyzeFormat;
  quiet: boolean;
  top?: number;
  behaviour?: BehaviourOptions;
  htmlFile?: string;
  /** Stop signal for tests (default: SIGINT/SIGTERM of the process). */
  stop?: Promise<void>;
  /** Capture with tcpdump (kernel timestamps, drop counters) instead of the cap binding. */
  via?: 'cap' | 'tcpdump';
  /** Show the live view on stderr when it is a terminal (default true; --quiet also turns it off). */
  view?: boolean;
  /** Application-layer parsing (default on; `--no-app` off). */
  app?: boolean;
}

/** NDJSON/CSV output queued at most while stdout does not keep up (then lines are dropped and counted). */
const MAX_QUEUED_OUTPUT = 8 << 20;

export function runInterfaces(io: CliIo): number {
  try {
    const list = listInterfaces();
    for (const d of list) io.stdout.write(`${d.name}${d.note ? ` (${d.note})` : ''}${d.addresses.length ? `  ${d.addresses.join(', ')}` : ''}${d.description ? `  - ${d.description}` : ''}\n`);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof LiveCaptureError) {
      io.err(`tcpscope: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
}

export async function runLive(args: LiveArgs, io: CliIo): Promise<number> {
  const source = `live:${args.device}`;
  const via = args.via ?? 'cap';
  const sink = new ReportSink(
    {
      sources: [source],
      format: args.format,
      verifyChecksums: false,
      quiet: args.quiet,
      select: flowFilter({}),
      byFlowId: false,
      ...(args.top !== undefined ? { top: args.top } : {}),
      ...(args.behaviour !== undefined ? { behaviour: args.behaviour } : {}),
      ...(args.htmlFile !== undefined ? { htmlFile: args.htmlFile } : {}),
      progress: false,
      maxQueuedOutput: MAX_QUEUED_OUTPUT,
    },
    io,
  );
  sink.beginCapture(0, source, []);
  const { afterChunk: _none, ...pipeline } = sink.pipelineOptions();
  // What is shown while capturing: the view on a terminal, event lines with NDJSON.
  const outputs: LiveOutput[] = [];
  const err = io.errStream as (NodeJS.WritableStream & TtyStream) | undefined;
  // Not when NDJSON/CSV lines stream to the same terminal meanwhile (they would tear the view).
  const streamsToTerminal = io.stdoutIsTty === true && (args.format === 'ndjson' || args.format === 'csv');
  if ((args.view ?? true) && !args.quiet && io.stderrIsTty && err !== undefined && !streamsToTerminal) outputs.push(new TtyView(err, palette(wantColor(true))));
  if (args.format === 'ndjson') outputs.push(new NdjsonLiveOutput(sink));
  const model = outputs.length > 0 ? new LiveModel({ stallSec: (args.behaviour?.stallThresholdMs ?? 200) / 1000 }) : null;
  if (model !== null) {
    pipeline.behaviour = { ...pipeline.behaviour, onFinding: model.onFinding };
    const next = pipeline.onFlowEnd!;
    pipeline.onFlowEnd = (f) => {
      model.flowEnded(f.id, f.client, f.server);
      next(f);
    };
  }
  const analysis = createAnalysis({ ...pipeline, ...(args.app === false ? { app: false } : {}) });
  const session =
    model === null
      ? null
      : new LiveSession({ device: args.device, filter: args.filter, via, outputDropped: () => sink.droppedLines }, model, analysis, outputs.length === 1 ? outputs[0]! : new LiveOutputs(outputs));
  return via === 'tcpdump' ? viaTcpdump(args, io, sink, analysis, session) : viaCap(args, io, sink, analysis, session);
}

/** Capture through the cap binding (time of delivery; no kernel drop counts). */
async function viaCap(args: LiveArgs, io: CliIo, sink: ReportSink, analysis: Analysis, session: LiveSession | null): Promise<number> {
  let writer: FrameWriter | null = null;
  let capture: LiveCapture;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  try {
    let w: FrameWriter | null = null;
    capture = new LiveCapture(
      {
        device: args.device,
        filter: args.filter,
        ...(args.snaplen !== undefined ? { snaplen: args.snaplen } : {}),
        ...(args.bufferMb !== undefined ? { bufferMb: args.bufferMb } : {}),
      },
      (f: Frame) => {
        analysis.onFrame(f);
        w?.write(f);
        if (args.count !== undefined && f.frameNo >= args.count) done();
      },
    );
    if (args.writeFile !== undefined) writer = w = openWriter(args.writeFile, capture.linkType, capture.snaplen, args.device);
  } catch (e) {
    if (e instanceof LiveCaptureError) {
      io.err(`tcpscope: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
  const c = capture;
  session?.setSource({ packets: () => c.packets, skipped: () => c.skipped, kernel: () => null, lagMs: () => null });
  if (!args.quiet) io.err(`tcpscope: capturing on ${args.device}${args.filter ? ` (filter: ${args.filter})` : ''}; Ctrl-C to stop`);
  const onSignal = (): void => done();
  const timer = args.durationSec !== undefined ? setTimeout(done, args.durationSec * 1000) : null;
  if (args.stop !== undefined) void args.stop.then(done);
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  session?.start();
  await finished;
  capture.stop();
  if (timer !== null) clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  session?.stop();
  if (writer !== null) await writer.finish();
  if (!args.quiet) {
    const behind = capture.skipped > 0 ? `; tcpscope fell behind ${capture.sheds} time(s) and skipped ${capture.skipped} packets (not analyzed, not written)` : '';
    io.err(`tcpscope: cap: ${capture.packets} packets analyzed${behind}; kernel drop counts are not available through cap (--via tcpdump reports them)`);
  }
  if (sink.droppedLines > 0) io.err(`tcpscope: ${sink.droppedLines} output lines dropped: standard output did not keep up`);
  const info = liveInfo(`live:${args.device}`, capture);
  const result = analysis.finish(info);
  sink.endCapture(result);
  return sink.finish([result]);
}

/** What a live capture says about itself, in the file readers' terms. */
function liveInfo(source: string, c: LiveCapture): CaptureInfo {
  const info = newCaptureInfo(source);
  info.format = 'live';
  info.packets = c.packets;
  info.truncatedRecords = c.truncated;
  info.interfaces.push({ linkType: c.linkType, snaplen: c.snaplen, name: source.slice(5), ticksPerSecond: 1e9, tsresol: -1, tsoffset: 0, section: 0, packets: c.packets, ifDrop: null, ifRecv: null });
  return info;
}

/** Where `-w` saves frames: pcap (nanosecond) or, for a `.pcapng` name, pcapng with the interface named. */
interface FrameWriter {
  write(f: Frame): void;
  finish(): Promise<unknown>;
}

export function openWriter(file: string, linkType: number, snaplen: number, device: string): FrameWriter {
  if (/\.pcapng$/i.test(file)) {
    const w = new PcapngWriter({ out: file, userAppl: 'tcpscope live' });
    w.addInterface({ linkType, snaplen, name: device, tsresol: 9 });
    return { write: (f) => void w.writeRecord(0, f.tsSec, f.tsNsec, f.buf, f.off, f.caplen, f.origLen), finish: () => w.finish() };
  }
  const w = new PcapWriter({ out: file, linkType, snaplen, nanosecond: true });
  return { write: (f) => void w.writeRecord(f.tsSec, f.tsNsec, f.buf, f.off, f.caplen, f.origLen), finish: () => w.finish() };
}

/** The same session with tcpdump capturing (`--via tcpdump`): kernel timestamps and drop counts. */
async function viaTcpdump(args: LiveArgs, io: CliIo, sink: ReportSink, analysis: Analysis, session: LiveSession | null): Promise<number> {
  const src = new TcpdumpSource({
    device: args.device,
    filter: args.filter,
    ...(args.count !== undefined ? { count: args.count } : {}),
    ...(args.snaplen !== undefined ? { snaplen: args.snaplen } : {}),
    ...(args.bufferMb !== undefined ? { bufferMb: args.bufferMb } : {}),
  });
  let writer: FrameWriter | null = null;
  let packets = 0;
  let lastTs = 0;
  session?.setSource({
    packets: () => packets,
    skipped: () => 0,
    kernel: () => {
      const s = src.stats();
      return s.receivedByFilter === null && s.droppedByKernel === null ? null : { received: s.receivedByFilter, dropped: s.droppedByKernel };
    },
    // Behind when tcpdump has captured more than was analyzed: by the age of the newest analyzed packet.
    lagMs: (now) => {
      const captured = src.stats().captured;
      return captured === null || packets === 0 ? null : captured > packets ? Math.max(0, (now - lastTs) * 1000) : 0;
    },
    poll: () => src.requestStats(),
  });
  const stop = (): void => src.stop();
  const timer = args.durationSec !== undefined ? setTimeout(stop, args.durationSec * 1000) : null;
  if (args.stop !== undefined) void args.stop.then(stop);
  else {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  if (!args.quiet) io.err(`tcpscope: capturing on ${args.device} through tcpdump${args.filter ? ` (filter: ${args.filter})` : ''}; Ctrl-C to stop`);
  session?.start();
  let info: CaptureInfo;
  try {
    info = await src.run((f: Frame) => {
      packets++;
      lastTs = f.tsSec + f.tsNsec * 1e-9;
      analysis.onFrame(f);
      if (args.writeFile !== undefined) (writer ??= openWriter(args.writeFile, f.linkType, 262144, args.device)).write(f);
    });
  } catch (e) {
    if (e instanceof LiveCaptureError) {
      session?.stop();
      io.err(`tcpscope: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  } finally {
    if (timer !== null) clearTimeout(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  session?.stop();
  if (writer !== null) await (writer as FrameWriter).finish();
  const stats = src.stats();
  info.format = 'live';
  info.dropped = stats.droppedByKernel;
  if (!args.quiet) io.err(`tcpscope: tcpdump: ${stats.captured ?? '?'} captured, ${stats.receivedByFilter ?? '?'} received by filter, ${stats.droppedByKernel ?? '?'} dropped by kernel`);
  if (sink.droppedLines > 0) io.err(`tcpscope: ${sink.droppedLines} output lines dropped: standard output did not keep up`);
  const result = analysis.finish(info);
  sink.endCapture(result);
  return sink.finish([result]);
}
