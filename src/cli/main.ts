/**
 * Command-line entry: argument parsing (yargs) and dispatch. Exit status: 0 ok, 1 findings
 * requested by `--fail-on`/thresholds or baseline drift (CI mode), 2 usage or input error. Errors go to stderr, one line
 * each, without stack traces unless `--debug`.
 */
import yargs from 'yargs';
import { TcpscopeError, UsageError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import { runAnalyze, type AnalyzeArgs } from './analyze.js';
import { ciOptions } from './ci-args.js';
import { SORT_ORDERS } from '../report/flow-sort.js';
import { runExtract } from './extract.js';
import { runInterfaces, runLive } from './live.js';
import { runFollow } from './follow.js';
import { runPackets } from './packets.js';
import { EXIT, type CliIo, processIo } from './io.js';

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exit: number = EXIT.OK;
  const debug = argv.includes('--debug');
  // yargs turns a lone '-' positional into ''; carry it through under a placeholder.
  const args = argv.map((a) => (a === '-' ? STDIN_ARG : a));
  const parser = yargs()
    .scriptName('tcpscope')
    .usage('$0 <command> [options]\n\nWhat a TCP connection did and why: a packet-capture analyzer for TCP.')
    .version(VERSION)
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces on errors' })
    .command(
      'packets <file>',
      'Print one line per packet, like tcpdump -n (or NDJSON)',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: "pcap/pcapng file (gzip ok), or '-' for stdin" })
          .option('count', { alias: 'c', type: 'number', describe: 'Stop after N packets' })
          .option('format', { choices: ['text', 'ndjson'] as const, default: 'text' as const })
          .option('nano', { type: 'boolean', default: false, describe: 'Print nanosecond timestamps' })
          .option('verify-checksums', { type: 'boolean', default: false, describe: 'Verify IP/TCP/UDP checksums' }),
      async (args) => {
        exit = await runPackets(
          {
            file: unStdin(args.file),
            count: args.count ?? null,
            format: args.format,
            nano: args.nano,
            verifyChecksums: args['verify-checksums'],
          },
          io,
        );
      },
    )
    .command(
      'analyze <files..>',
      'Analyze captures: capture summary and every TCP flow (roles, packets, bytes, states, close)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: "pcap/pcapng files (gzip ok), or '-' for stdin" })
          .option('format', { choices: ['text', 'json', 'ndjson', 'csv', 'junit'] as const, default: 'text' as const, describe: 'text: terminal report; json: the whole report; ndjson: a line per flow as flows finish, then a summary line; csv: a row per flow; junit: a test case per flow (CI)' })
          .option('verify-checksums', { type: 'boolean', default: false, describe: 'Verify IP/TCP/UDP checksums (slower)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress output' })
          .option('top', { type: 'number', default: 20, describe: 'Flows listed per capture in the text report' })
          .option('sort', { choices: SORT_ORDERS, default: 'interest' as const, describe: 'Order of the flows table: interest (worst findings first), id, bytes, packets, duration, retx, rtt' })
          .option('host', { type: 'string', coerce: asList, describe: 'Only flows with an endpoint at this address or CIDR prefix (repeatable)' })
          .option('port', { type: 'string', coerce: asNumberList, describe: 'Only flows with an endpoint on this port (repeatable)' })
          .option('flow', { type: 'string', coerce: asNumberList, describe: 'Only this flow id (repeatable); the text report then shows the flow in depth' })
          .option('rtt-estimator', { choices: ['rfc6298', 'classic'] as const, default: 'rfc6298' as const, describe: 'SRTT/RTO estimator: RFC 6298 (alpha 1/8, beta 1/4, K 4) or the classic RFC 793 one (SRTT = 0.9 old + 0.1 sample)' })
          .option('min-rto-ms', { type: 'number', default: 1000, describe: 'RTO floor of the estimator (RFC 6298: 1000; Linux: 200)' })
          .option('stall-threshold-ms', { type: 'number', default: 200, describe: 'Report zero_window_stall for zero-window periods at least this long' })
          .option('two-pass', { type: 'boolean', default: false, describe: 'Revise labels with later evidence (D-SACK, TSecr: spurious retransmissions) and say so in the events' })
          .option('fail-on', { type: 'string', coerce: (v: string | string[]) => (Array.isArray(v) ? v : [v]), group: 'CI mode:', describe: 'Exit 1 when a flow matches: CODE, CODE>N, CODE>=N, CODE<N, CODE=N, or error/warning/note (comma-separated)' })
          .option('max-rtt-ms', { type: 'number', group: 'CI mode:', describe: 'Exit 1 when a flow has an RTT sample above this' })
          .option('max-retrans-rate', { type: 'number', group: 'CI mode:', describe: 'Exit 1 when a direction retransmits more than this fraction of its data segments' })
          .option('per-flow-dir', { type: 'string', group: 'CI mode:', describe: 'Write DIR/<capture>/flow-<id>.json per flow (stable names)' })
          .option('markdown', { type: 'boolean', group: 'CI mode:', describe: 'Also write flow-<id>.md next to each per-flow JSON' })
          .option('baseline', { type: 'string', group: 'CI mode:', describe: 'Compare each flow with DIR/<capture>/flow-<id>.json; exit 1 on drift' })
          .option('update-baseline', { type: 'boolean', group: 'CI mode:', describe: 'Rewrite the --baseline directory from this run' })
          .option('count-tolerance', { type: 'string', group: 'CI mode:', describe: 'Baseline tolerance for counts: N or N% (default 0)' })
          .option('time-tolerance', { type: 'string', group: 'CI mode:', describe: 'Baseline tolerance for timings: N (ms) or N% (default 10% with 1 ms slack)' })
          .option('filter', { alias: 'f', type: 'string', describe: "Capture-style filter, pcap-filter subset: host/net/port/portrange [src|dst], tcp/udp/icmp/ip/ip6, not/and/or, ( ) - e.g. 'host 10.0.0.1 and port 443'" })
          .option('html', { type: 'string', describe: 'Also write a self-contained HTML report with graphs (offline; time-sequence, RTT, in flight, throughput) to FILE' })
          .option('threads', { type: 'string', default: 'auto', coerce: asThreads, describe: 'Threads for the flow analysis: N (the main thread and N - 1 workers), or auto (2 for captures of about two million packets or more when a second core is idle, else 1); 1 = on the main thread. The output is the same' })
          .option('app', { type: 'boolean', default: true, describe: 'Application-layer analysis: protocols recognised by content (HTTP/1.x, TLS), the report\'s app sections; --no-app turns it off' })
          .option('junit', { type: 'string', group: 'CI mode:', describe: 'Write a JUnit XML report (a test case per flow) to FILE' }),
      async (args) => {
        exit = await runAnalyze(
          {
            files: args.files.map(unStdin),
            format: args.format,
            verifyChecksums: args['verify-checksums'],
            quiet: args.quiet,
            top: args.top,
            sort: args.sort,
            select: { host: args.host, port: args.port, flow: args.flow },
            ...(args.html !== undefined ? { htmlFile: args.html } : {}),
            ...(args.filter !== undefined ? { filter: args.filter } : {}),
            threads: args.threads,
            app: args.app,
            behaviour: { rttEstimator: args['rtt-estimator'], minRtoMs: args['min-rto-ms'], stallThresholdMs: args['stall-threshold-ms'], twoPass: args['two-pass'] },
            ...withCi(
              ciOptions({
                failOn: args['fail-on'],
                maxRttMs: args['max-rtt-ms'],
                maxRetransRate: args['max-retrans-rate'],
                perFlowDir: args['per-flow-dir'],
                markdown: args.markdown,
                baseline: args.baseline,
                updateBaseline: args['update-baseline'],
                countTolerance: args['count-tolerance'],
                timeTolerance: args['time-tolerance'],
              }),
              args.junit,
            ),
          },
          io,
        );
      },
    )
    .command(
      'live',
      'Sniff an interface (libpcap, through the optional cap binding) with the same analysis as files; Ctrl-C stops and prints the final report',
      (y) =>
        y
          .option('interface', { alias: 'i', type: 'string', demandOption: true, describe: 'Interface (see tcpscope interfaces; any = all, Linux cooked frames)' })
          .option('filter', { alias: 'f', type: 'string', default: '', describe: "BPF filter compiled by libpcap, e.g. 'tcp port 8080'" })
          .option('count', { alias: 'c', type: 'number', describe: 'Stop after N packets' })
          .option('duration', { type: 'number', describe: 'Stop after S seconds' })
          .option('write', { alias: 'w', type: 'string', describe: 'Also save what was captured to FILE (pcap, nanosecond timestamps)' })
          .option('snaplen', { type: 'number', describe: 'Bytes kept per packet (default 262144)' })
          .option('buffer', { type: 'number', describe: "Kernel capture buffer in MiB (default: room for ~2000 packets of the interface's MTU, 16 to 128; 128 on lo)" })
          .option('format', { choices: ['text', 'json', 'ndjson', 'csv'] as const, describe: 'Final report form (default: text on a terminal, else ndjson: a line per flow as flows finish)' })
          .option('top', { type: 'number', default: 20, describe: 'Flows listed in the text report' })
          .option('html', { type: 'string', describe: 'Also write the HTML report with graphs to FILE' })
          .option('via', { choices: ['cap', 'tcpdump'] as const, default: 'cap' as const, describe: 'cap: libpcap through the cap binding (time of delivery); tcpdump: tcpdump -U -w - (kernel timestamps, drop counters)' })
          .option('view', { type: 'boolean', default: true, describe: 'On a terminal (stderr), the live view of open flows with a line per finding as it happens (--no-view: none)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No status lines on stderr (and no live view)' })
          .option('app', { type: 'boolean', default: true, describe: 'Application-layer analysis (HTTP/1.x, TLS); --no-app turns it off' }),
      async (args) => {
        exit = await runLive(
          {
            device: args.interface,
            filter: args.filter,
            via: args.via,
            format: args.format ?? (io.stdoutIsTty === true ? 'text' : 'ndjson'),
            quiet: args.quiet,
            view: args.view,
            top: args.top,
            ...(args.count !== undefined ? { count: args.count } : {}),
            ...(args.duration !== undefined ? { durationSec: args.duration } : {}),
            ...(args.write !== undefined ? { writeFile: args.write } : {}),
            ...(args.snaplen !== undefined ? { snaplen: args.snaplen } : {}),
            ...(args.buffer !== undefined ? { bufferMb: args.buffer } : {}),
            ...(args.html !== undefined ? { htmlFile: args.html } : {}),
            app: args.app,
          },
          io,
        );
      },
    )
    .command(
      'interfaces',
      'List the interfaces live capture can open, with their addresses',
      (y) => y,
      () => {
        exit = runInterfaces(io);
      },
    )
    .command(
      'follow <file>',
      'Write one flow\'s byte streams, like Wireshark\'s Follow TCP Stream',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: "pcap/pcapng file (gzip ok), or '-' for stdin" })
          .option('flow', { type: 'number', demandOption: true, describe: 'Flow id (as in analyze; like tcp.stream)' })
          .option('dir', { choices: ['c2s', 's2c', 'both'] as const, default: 'both' as const, describe: 'Direction(s) to write' })
          .option('raw', { type: 'boolean', describe: 'The bytes as they are (gaps reported on stderr)' })
          .option('ascii', { type: 'boolean', describe: 'Printable text, other bytes as . (default)' })
          .option('hex', { type: 'boolean', describe: 'A hexdump per chunk' })
          .conflicts('raw', ['ascii', 'hex'])
          .conflicts('ascii', 'hex'),
      async (args) => {
        if (!Number.isInteger(args.flow) || args.flow < 0) throw new UsageError(`--flow must be a flow id (0, 1, 2 …), not ${String(args.flow)}`);
        const mode = args.raw ? 'raw' : args.hex ? 'hex' : 'ascii';
        exit = await runFollow({ file: unStdin(args.file), flow: args.flow, dir: args.dir, mode }, io);
      },
    )
    .command(
      'extract <file>',
      'Write every flow direction to a file (--out; gaps filled with 0x00 and listed in .gaps.json) and/or every HTTP body, decoded (--http)',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: "pcap/pcapng file (gzip ok), or '-' for stdin" })
          .option('out', { type: 'string', describe: 'Directory for the flow files (created if missing)' })
          .option('http', { type: 'string', describe: 'Directory for HTTP message bodies, transfer- and content-decoded (gzip, deflate, br), with index.json' })
          .check((a) => {
            if (a.out === undefined && a.http === undefined) throw new UsageError('extract needs --out DIR, --http DIR or both');
            return true;
          }),
      async (args) => {
        exit = await runExtract({ file: unStdin(args.file), ...(args.out !== undefined ? { out: args.out } : {}), ...(args.http !== undefined ? { http: args.http } : {}) }, io);
      },
    )
    .demandCommand(1, 'Name a command: packets, analyze, follow or extract (see --help).')
    .strict()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, io.columns))
    .exitProcess(false)
    // A usage error must stop before any command runs: throw, one line.
    .fail((msg, err) => {
      throw err ?? new UsageError(oneLine(msg));
    });

  let output = '';
  try {
    // With a callback yargs hands --help/--version text back instead of printing it.
    await parser.parseAsync(args, {}, (_err, _argv, out) => {
      output = out;
    });
  } catch (err) {
    return reportError(err, debug, io);
  }
  if (output !== '') io.stdout.write(`${output}\n`);
  return exit;
}

const STDIN_ARG = '\u0000stdin';

/** yargs messages can span lines ("Invalid values:\n  Argument: ..."): one line for stderr. */
function oneLine(msg: string): string {
  return msg.trim().replace(/:\s*\n\s*/g, ': ').replace(/\s*\n\s*/g, '; ');
}

/** A repeatable option's value(s) as a list. */
function asList(v: string | string[]): string[] {
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter((x) => x !== '');
}

/** `--threads`: a positive integer or auto. */
function asThreads(v: string): number | 'auto' {
  if (v === 'auto') return 'auto';
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads must be auto or a number of threads from 1 to 64, not ${v}`);
  return n;
}

function asNumberList(v: number | number[] | string | string[]): number[] {
  return (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).filter((x) => x !== '').map(Number);
}

/** The CI part of the analyze arguments (absent keys when not given: exactOptionalPropertyTypes). */
function withCi(ci: AnalyzeArgs['ci'], junit: string | undefined): Pick<AnalyzeArgs, 'ci' | 'junitFile'> {
  return { ...(ci !== undefined ? { ci } : {}), ...(junit !== undefined ? { junitFile: junit } : {}) };
}

function unStdin(a: string): string {
  return a === STDIN_ARG ? '-' : a;
}

function reportError(err: unknown, debug: boolean, io: CliIo): number {
  if (err instanceof TcpscopeError) {
    io.err(`tcpscope: ${err.message}`);
  } else if (err instanceof Error) {
    io.err(`tcpscope: ${debug ? (err.stack ?? err.message) : err.message}`);
  } else {
    io.err(`tcpscope: ${String(err)}`);
  }
  if (debug && err instanceof TcpscopeError && err.stack) io.err(err.stack);
  return EXIT.USAGE;
}
