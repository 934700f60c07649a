/**
 * `tcpscope live -i IFACE [-f FILTER] [-c N] [--duration S] [-w FILE] ...` and
 * `tcpscope interfaces`: sniff an interface through libpcap (capture/live.ts) into the same
 * analysis as files (pipeline `createAnalysis`) and the same report sink as `analyze`. Flows are
 * reported as they finish (off a TTY the default form is NDJSON: a line per finished flow, then
 * the summary); at the end — `-c`/`--duration` reached, Ctrl-C or SIGTERM — `-w` is flushed and
 * the final report is written exactly as `analyze` would write it.
 *
 * First slice of issue 7: no live-updating TTY view and no libpcap drop counters yet (the `cap`
 * binding does not expose pcap_stats); `captures[].dropped` is null (unknown).
 */
import { createAnalysis } from '../pipeline/analyze.js';
import { newCaptureInfo, type CaptureInfo, type Frame } from '../capture/frame.js';
import { LiveCapture, LiveCaptureError, listInterfaces } from '../capture/live.js';
import { PcapWriter } from '../synth/pcap-writer.js';
import { EXIT, type CliIo } from './io.js';
import { ReportSink, type AnalyzeFormat } from './report-sink.js';
import { flowFilter } from './flow-filter.js';
import type { BehaviourOptions } from '../analysis/flow-behaviour.js';

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
}

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
    },
    { ...io, stderrIsTty: false },
  );
  sink.beginCapture(0, source, []);
  const { afterChunk: _none, ...pipeline } = sink.pipelineOptions();
  const analysis = createAnalysis(pipeline);
  let writer: PcapWriter | null = null;
  let capture: LiveCapture;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  try {
    let w: PcapWriter | null = null;
    capture = new LiveCapture(
      {
        device: args.device,
        filter: args.filter,
        ...(args.snaplen !== undefined ? { snaplen: args.snaplen } : {}),
        ...(args.bufferMb !== undefined ? { bufferMb: args.bufferMb } : {}),
      },
      (f: Frame) => {
        analysis.onFrame(f);
        w?.writeRecord(f.tsSec, f.tsNsec, f.buf, f.off, f.caplen, f.origLen);
        if (args.count !== undefined && f.frameNo >= args.count) done();
      },
    );
    if (args.writeFile !== undefined) writer = w = new PcapWriter({ out: args.writeFile, linkType: capture.linkType, snaplen: capture.snaplen, nanosecond: true });
  } catch (e) {
    if (e instanceof LiveCaptureError) {
      io.err(`tcpscope: ${e.message}`);
      return EXIT.USAGE;
    }
    throw e;
  }
  if (!args.quiet) io.err(`tcpscope: capturing on ${args.device}${args.filter ? ` (filter: ${args.filter})` : ''}; Ctrl-C to stop`);
  const onSignal = (): void => done();
  const timer = args.durationSec !== undefined ? setTimeout(done, args.durationSec * 1000) : null;
  if (args.stop !== undefined) void args.stop.then(done);
  else {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  await finished;
  capture.stop();
  if (timer !== null) clearTimeout(timer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (writer !== null) await writer.finish();
  const info = liveInfo(source, capture);
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
