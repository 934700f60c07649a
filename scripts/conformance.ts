/**
 * `npm run conformance [DIR]`: tcpscope against the reference answers in
 * ../shared/captures/reference (capinfos, tshark, tcptrace; see ../shared/captures/MANIFEST.md).
 * One line per capture — `agree`, `explained` (an understood difference, with its reason from
 * conformance/notes.ts) or `DISAGREE` — and a total. Exits 1 on any unexplained disagreement or
 * crash. Not part of `npm test`: the corpus exists only on this team's machines.
 *
 * Checks per capture (the word before ':' in a difference names the check):
 *   format/readable/error — refused files give the expected clear error; files read partly by
 *                tshark are read up to the same record and reported cut short
 *   packets    — packet records (capinfos; tshark's frames for files capinfos refuses)
 *   first/last — earliest/latest timestamps at capinfos' precision
 *   linktypes/interfaces — interface link types and count (capinfos)
 *   tcp        — frames carrying a decoded TCP header (tshark's tcp_frames)
 *   conv       — distinct TCP four-tuples (tshark's conv,tcp rows split reused four-tuples, so
 *                this now compares with tshark's stream count only where no four-tuple is reused)
 *   streams    — TCP flows (tcp.stream count, tshark.tcp_stream_count)
 *   stream-packets — per flow, packets each way vs tshark.streams[].a_to_b / b_to_a (tshark's a
 *                is the first packet's sender, matched to our client/server by address and port)
 *   unique-bytes — per connection, stream bytes each way vs tcptrace's unique_bytes_sent
 *   ip-checksum / tcp-checksum — frames whose IPv4 header / TCP checksum does not verify
 *                (tshark with checksum checks on; tcpscope's "bad" plus "left to offload")
 *   analysis-<flag> — per-segment classification, frame by frame, vs tshark's tcp.analysis.<flag>
 *                frames (conformance/analysis-check.ts); the catalog's deliberate difference (Linux
 *                persist probes) is recognised and listed as explained. At the end: the per-code
 *                agreement table summed over the corpus and every differing frame with its reason.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeCapture } from '../src/pipeline/analyze.js';
import { checkReader, type ReaderReference } from './conformance/reader-check.js';
import { EXPLAINED } from './conformance/notes.js';
import { addRows, compareFlags, diffStrings, formatTable, segmentCollector, TSHARK_FLAGS, type FlagRow, type TsharkFlag } from './conformance/analysis-check.js';

interface Reference extends ReaderReference {
  tshark: ReaderReference['tshark'] & {
    exit_code: number;
    tcp_frames: number;
    conv_tcp: { count: number };
    tcp_stream_count?: number;
    streams?: RefStream[];
    bad_checksums: { ip_bad_frames: number[]; tcp_bad_frames: number[] };
    analysis_flags?: Record<string, { frames: number[] }>;
  };
  tcptrace: RefTcptrace;
}

interface RefTcptrace {
  usable: boolean;
  summary: { index: number; host_a: string; host_b: string; unique_bytes_sent: [number | null, number | null] }[];
}

interface RefStream {
  stream: number;
  a: { addr: string; port: number };
  b: { addr: string; port: number };
  a_to_b: { packets: number };
  b_to_a: { packets: number };
}

/** Flows vs tshark's streams: count, and packets per direction of each (same ids: both number by first packet). */
function checkStreams(t: Reference['tshark'], r: Awaited<ReturnType<typeof analyzeCapture>>, diffs: string[]): void {
  if (t.tcp_stream_count === undefined) return;
  if (t.tcp_stream_count !== r.flows.length) diffs.push(`streams: tshark ${t.tcp_stream_count}, tcpscope ${r.flows.length}`);
  const bad: string[] = [];
  for (const s of t.streams ?? []) {
    const f = r.flows[s.stream];
    if (f === undefined) continue;
    const aIsClient = f.client.ip === s.a.addr && f.client.port === s.a.port;
    const ours = aIsClient ? [f.packets.c2s, f.packets.s2c] : [f.packets.s2c, f.packets.c2s];
    if (ours[0] !== s.a_to_b.packets || ours[1] !== s.b_to_a.packets) bad.push(`#${s.stream} ${s.a_to_b.packets}/${s.b_to_a.packets} vs ${ours[0]}/${ours[1]}`);
  }
  if (bad.length > 0) diffs.push(`stream-packets: ${short2(bad)}`);
}

function short2(a: readonly string[]): string {
  return a.length > 6 ? `${a.slice(0, 6).join(', ')}, … (${a.length})` : a.join(', ');
}

const dir = resolve(process.argv[2] ?? join(process.cwd(), '..', 'shared', 'captures'));
if (!existsSync(join(dir, 'reference'))) {
  console.log(`conformance: ${dir}/reference does not exist; nothing to check`);
  process.exit(0);
}

function short(a: readonly number[]): string {
  return a.length > 12 ? `${a.slice(0, 12).join(',')},… (${a.length})` : a.join(',');
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * Unique stream bytes per direction vs tcptrace's `unique_bytes_sent`, for each tcptrace
 * connection that matches exactly one tcpscope flow (tcptrace does not split reused four-tuples).
 * tcpscope's side is the reassembled stream: delivered bytes plus those the snap length cut.
 */
function checkUniqueBytes(tt: RefTcptrace, r: Awaited<ReturnType<typeof analyzeCapture>>, diffs: string[]): void {
  if (!tt.usable) return;
  const bad: string[] = [];
  for (const c of tt.summary) {
    const cut = c.host_a.lastIndexOf(':');
    const ip = c.host_a.slice(0, cut);
    const port = Number(c.host_a.slice(cut + 1));
    const match = r.flows.filter((f) => (f.client.ip === ip && f.client.port === port) || (f.server.ip === ip && f.server.port === port));
    const f = match[0];
    if (match.length !== 1 || f === undefined) continue;
    const aIsClient = f.client.ip === ip && f.client.port === port;
    const c2s = f.payloadBytes.c2s + f.truncatedBytes.c2s;
    const s2c = f.payloadBytes.s2c + f.truncatedBytes.s2c;
    const ours = aIsClient ? [c2s, s2c] : [s2c, c2s];
    const want = c.unique_bytes_sent;
    if (want[0] !== ours[0] || want[1] !== ours[1]) bad.push(`#${c.index} ${want[0]}/${want[1]} vs ${ours[0]}/${ours[1]}`);
  }
  if (bad.length > 0) diffs.push(`unique-bytes: tcptrace ${short2(bad)}`);
}

/** Corpus totals of the per-segment comparison, and every differing frame with its reason. */
const analysisRows = {} as Record<TsharkFlag, FlagRow>;
const analysisDiffs: string[] = [];
let analysisFiles = 0;

/**
 * Per-segment flags vs tshark's tcp.analysis.* frames: adds `analysis-<flag>` diffs for what is not
 * a deliberate difference, returns a function that books the rows once the notes are known.
 */
function checkAnalysis(file: string, t: Reference['tshark'], ours: ReturnType<ReturnType<typeof segmentCollector>['finish']>, diffs: string[]): (explained: (d: string) => string | null) => void {
  const flags = t.analysis_flags;
  if (flags === undefined) return () => undefined;
  const theirs: Record<string, number[]> = {};
  for (const f of TSHARK_FLAGS) theirs[f] = flags[f]?.frames ?? [];
  const { rows, diffs: frames } = compareFlags(theirs, ours);
  const strings = diffStrings(frames);
  diffs.push(...strings);
  return (explained) => {
    analysisFiles++;
    for (const str of strings) {
      const reason = explained(str);
      if (reason === null) continue;
      const flag = str.slice('analysis-'.length, str.indexOf(':')) as TsharkFlag;
      for (const d of frames) if (d.flag === flag && d.reason === null) d.reason = reason;
      const n = frames.filter((d) => d.flag === flag).length - rows[flag].explained;
      rows[flag].explained += n;
      rows[flag].disagree -= n;
    }
    addRows(analysisRows, rows);
    const groups = new Map<string, number[]>();
    for (const d of frames) {
      const key = `${d.flag} ${d.side}\u0000${d.reason ?? 'UNEXPLAINED'}`;
      groups.set(key, [...(groups.get(key) ?? []), d.frame]);
    }
    for (const [key, fr] of groups) {
      const [what, reason] = key.split('\u0000');
      analysisDiffs.push(`${file} ${what} [${fr.join(',')}]: ${reason}`);
    }
  };
}

function printAnalysis(): void {
  console.log(`\nper-segment classification vs tshark 4.0 tcp.analysis.* (frames, summed over ${analysisFiles} captures):`);
  for (const line of formatTable(analysisRows)) console.log(`  ${line}`);
  console.log(analysisDiffs.length === 0 ? '  no differing frames' : '  differing frames, by capture, code and side:');
  for (const d of analysisDiffs) console.log(`  ${d}`);
}

async function checkFile(file: string): Promise<'agree' | 'explained' | 'disagree'> {
  const ref = JSON.parse(readFileSync(join(dir, 'reference', `${file}.json`), 'utf8')) as Reference;
  const collector = segmentCollector();
  let r;
  try {
    r = await analyzeCapture(join(dir, file), { verifyChecksums: true, collectChecksumFrames: true, behaviour: collector.behaviour });
  } catch (e) {
    console.log(`${file}: CRASH ${(e as Error).stack ?? String(e)}`);
    return 'disagree';
  }
  const { info, counters: c } = r;
  const diffs = checkReader(file, ref, info, c);
  const t = ref.tshark;
  let bookAnalysis: (explained: (d: string) => string | null) => void = () => undefined;
  if (info.format !== null && (t.exit_code === 0 || (t.frames_read ?? 0) > 0)) {
    bookAnalysis = checkAnalysis(file, t, collector.finish(r.flows), diffs);
    if (t.tcp_frames !== c.tcp) diffs.push(`tcp: tshark ${t.tcp_frames}, tcpscope ${c.tcp}`);
    // tshark's conv,tcp rows are per connection: compare four-tuples only where tcpscope saw no reuse.
    const convOurs = r.flowCounters.reused > 0 ? r.flows.length : r.tcpConversations;
    if (t.conv_tcp.count !== convOurs) diffs.push(`conv: tshark ${t.conv_tcp.count}, tcpscope ${convOurs}`);
    checkStreams(t, r, diffs);
    checkUniqueBytes(ref.tcptrace, r, diffs);
    const cs = r.checksumFrames;
    if (cs !== null) {
      const ip = union(cs.ipBad, cs.ipOffload);
      const tcp = union(cs.tcpBad, cs.tcpOffload);
      if (t.bad_checksums.ip_bad_frames.join(',') !== ip.join(',')) diffs.push(`ip-checksum: tshark [${short(t.bad_checksums.ip_bad_frames)}], tcpscope [${short(ip)}]`);
      if (t.bad_checksums.tcp_bad_frames.join(',') !== tcp.join(',')) diffs.push(`tcp-checksum: tshark [${short(t.bad_checksums.tcp_bad_frames)}], tcpscope [${short(tcp)}]`);
    }
  }
  const notes = EXPLAINED[file] ?? {};
  const check = (d: string): string => d.slice(0, d.indexOf(':'));
  const unexplained = diffs.filter((d) => notes[check(d)]?.diff !== d);
  bookAnalysis((d) => (notes[check(d)]?.diff === d ? (notes[check(d)]?.reason ?? '') : null));
  const err = info.errors[0];
  const errs = err !== undefined ? ` [${err.code}: ${err.message}]` : '';
  const what = `${c.packets} packets, ${c.tcp} tcp, ${r.tcpConversations} conv, ${r.flows.length} flows`;
  if (diffs.length === 0) {
    console.log(`${file}: agree (${what})${errs}`);
    return 'agree';
  }
  if (unexplained.length === 0) {
    console.log(`${file}: explained (${what}) — ${diffs.map((d) => `${d} [${notes[check(d)]?.reason ?? ''}]`).join('; ')}${errs}`);
    return 'explained';
  }
  console.log(`${file}: DISAGREE (${what}) — ${unexplained.join('; ')}${errs}`);
  return 'disagree';
}

const files = readdirSync(dir).filter((f) => existsSync(join(dir, 'reference', `${f}.json`))).sort();
const tally = { agree: 0, explained: 0, disagree: 0 };
for (const f of files) tally[await checkFile(f)]++;
printAnalysis();
console.log(`\nconformance: ${tally.agree} agree, ${tally.explained} explained, ${tally.disagree} disagree, of ${files.length} captures`);
process.exit(tally.disagree > 0 ? 1 : 0);
