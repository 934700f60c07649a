/**
 * Conformance check of the capture readers against the capinfos/tshark reference facts in
 * /work/shared/captures/reference/<file>.json (or the directory given as argv[2]):
 * packet count, first/last packet time (capinfos's earliest/latest, exact to its printed
 * digits) and the link types used by packets. Files capinfos cannot read must give a reader
 * error. Prints one line per file; exit status 1 when any file disagrees.
 *
 *   npx tsx scripts/check-readers.ts [captures-dir]
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture } from '../src/capture/open.js';
import type { Frame } from '../src/capture/frame.js';

/**
 * Where the reference tool itself is off, with what we check instead.
 * capinfos 4.0 reports first/last time of this file as those of interface 1's packets (near
 * 2^64 µs), although interface 0's packets (2015 and 2061) are earlier; tshark's per-frame
 * times agree with ours (frame 1 = 1422527998.578402281, frame 60 = 18446744073204.126329).
 */
const KNOWN_TIME_QUIRKS: Record<string, { first: string; last: string }> = {
  'pcapplusplus__pcapng-example.pcapng': { first: '1422527998.578402281', last: '18446744073204.277451' },
};

/** The reader error expected on the files the reference tools refuse or read only partly. */
const EXPECTED_ERROR: Record<string, string> = {
  'libpcap__pcap-invalid-version-1.pcap': 'ERR_UNSUPPORTED_VERSION',
  'libpcap__pcapng-invalid-vers-1.pcapng': 'ERR_UNSUPPORTED_VERSION',
  'libpcap__shb-option-too-long.pcapng': 'ERR_BAD_OPTION',
  'suricata-verify__tls_DER-incomplete-header.pcap': 'ERR_BAD_LENGTH',
  'suricata-verify__http-mime-truncated-input.pcap': 'ERR_TRUNCATED_FILE',
  'pcapplusplus__solaris.snoop': 'ERR_UNSUPPORTED_FORMAT',
};

interface Reference {
  capinfos: {
    file_type: string | null;
    timestamp_precision: string | string[] | null;
    exit_code: number;
    packets: number | null;
    first_packet_time: string | null;
    last_packet_time: string | null;
    stderr: string | null;
    interfaces: { encapsulation?: string }[];
  };
  tshark: { frames_read: number | null; read_error: string | null };
}

/**
 * capinfos prints `sec.frac` with the file's precision digits, computing the fraction as
 * nsecs / 10^(9-digits) WITHOUT normalising (so 1 s may print as ".1000000").
 */
function parseCapinfosTime(s: string): { sec: bigint; frac: bigint; digits: number } {
  const [a, b = ''] = s.split('.');
  return { sec: BigInt(a ?? '0'), frac: BigInt(b === '' ? '0' : b), digits: b.length };
}

/** Our (sec, nsec) compared with capinfos's printed value at its digits. */
function sameTime(sec: number, nsec: number, ref: string, precision: number): boolean {
  const r = parseCapinfosTime(ref);
  const digits = precision >= 0 ? precision : r.digits;
  const scale = 10n ** BigInt(9 - Math.min(digits, 9));
  const ours = BigInt(Math.round(sec)) * 1_000_000_000n + BigInt(nsec);
  const theirs = r.sec * 1_000_000_000n + r.frac * scale;
  return ours / scale === theirs / scale;
}

function fmt(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

async function checkFile(dir: string, file: string): Promise<boolean> {
  const ref = JSON.parse(readFileSync(join(dir, 'reference', `${file}.json`), 'utf8')) as Reference;
  let minS = Infinity, minN = 0, maxS = -Infinity, maxN = 0, untimed = 0;
  const links = new Set<number>();
  const sink = (f: Frame): void => {
    links.add(f.linkType);
    if (f.hasTs === false) return void untimed++;
    if (f.tsSec < minS || (f.tsSec === minS && f.tsNsec < minN)) [minS, minN] = [f.tsSec, f.tsNsec];
    if (f.tsSec > maxS || (f.tsSec === maxS && f.tsNsec > maxN)) [maxS, maxN] = [f.tsSec, f.tsNsec];
  };
  const info = await readCapture(join(dir, file), sink);
  const c = ref.capinfos;
  const problems: string[] = [];
  const err = info.errors[0];
  const errText = info.errors.map((e) => `${e.code}: ${e.message}`).join(' | ');
  const quirk = KNOWN_TIME_QUIRKS[file];
  if (quirk !== undefined) {
    c.first_packet_time = quirk.first;
    c.last_packet_time = quirk.last;
  }
  if (c.file_type !== null && c.file_type !== 'pcap' && c.file_type !== 'pcapng' && c.file_type !== 'nsecpcap') {
    // A format we deliberately do not read (e.g. snoop): we must say so clearly.
    if (err?.code !== 'ERR_UNSUPPORTED_FORMAT') problems.push(`capinfos reads it as ${c.file_type}; expected ERR_UNSUPPORTED_FORMAT`);
  } else if (c.packets === null) {
    // capinfos refused the file: we must report a fatal error; tshark's frame count (if any) is what we should deliver.
    if (!info.cutShort || err === undefined) problems.push('capinfos refuses this file but the reader reported no fatal error');
    const want = ref.tshark.frames_read ?? 0;
    if (info.packets !== want) problems.push(`packets ${info.packets}, tshark read ${want}`);
  } else {
    if (info.packets !== c.packets) problems.push(`packets ${info.packets} != ${c.packets}`);
    if (c.exit_code !== 0 && !info.cutShort) problems.push('capinfos reports an error, the reader none');
    if (c.exit_code === 0 && info.errors.length > 0) problems.push(`unexpected error ${errText}`);
    const prec = Number(/\((-?\d+)\)/.exec(String(c.timestamp_precision ?? ''))?.[1] ?? -1);
    if (c.first_packet_time !== null && c.first_packet_time !== 'n/a' && untimed === 0) {
      if (!sameTime(minS, minN, c.first_packet_time, prec)) problems.push(`first ${fmt(minS, minN)} != ${c.first_packet_time}`);
      if (c.last_packet_time !== null && !sameTime(maxS, maxN, c.last_packet_time, prec)) problems.push(`last ${fmt(maxS, maxN)} != ${c.last_packet_time}`);
    } else if (c.first_packet_time === null && c.packets > 0 && untimed === 0) {
      problems.push('capinfos shows no first/last time but every packet had one');
    }
    const refLinks = new Set(c.interfaces.map((i) => Number(/\((\d+) -/.exec(i.encapsulation ?? '')?.[1] ?? NaN)));
    // wiretap encapsulation numbers -> the LINKTYPE_* values that map to them.
    const wtapToLink: Record<number, number[]> = { 1: [1], 15: [0], 25: [113], 7: [12, 14, 101], 210: [276], 129: [228], 130: [229], 198: [274] };
    const ourIfLinks = info.interfaces.map((i) => i.linkType);
    for (const w of refLinks) {
      const lts = wtapToLink[w];
      if (lts !== undefined && !lts.some((lt) => ourIfLinks.includes(lt))) problems.push(`capinfos interface encapsulation ${w} (linktype ${lts.join('/')}) missing in ${ourIfLinks.join(',')}`);
      if (lts === undefined && !Number.isNaN(w)) problems.push(`no linktype mapping for wiretap encapsulation ${w}`);
    }
    if (c.interfaces.length > 0 && c.interfaces.length !== info.interfaces.length) problems.push(`interfaces ${info.interfaces.length} != ${c.interfaces.length}`);
  }
  const wantErr = EXPECTED_ERROR[file];
  if (wantErr !== undefined && err?.code !== wantErr) problems.push(`expected ${wantErr}, got ${err?.code ?? 'no error'}`);
  const ok = problems.length === 0;
  const times = info.packets > 0 && untimed < info.packets ? ` ${fmt(minS, minN)}..${fmt(maxS, maxN)}` : '';
  const extra = untimed > 0 ? ` (${untimed} without timestamp)` : '';
  const note = err !== undefined ? `  [${errText}]` : '';
  console.log(`${ok ? 'OK  ' : 'FAIL'} ${file}: ${info.format ?? '-'} ${info.packets} pkts${extra} links=${[...links].join(',') || '-'}${times}${note}`);
  for (const p of problems) console.log(`       ${p}`);
  return ok;
}

async function main(): Promise<void> {
  const dir = process.argv[2] ?? '/work/shared/captures';
  if (!existsSync(join(dir, 'reference'))) {
    console.error(`${dir}/reference not found`);
    process.exit(2);
  }
  const files = readdirSync(dir).filter((f) => existsSync(join(dir, 'reference', `${f}.json`))).sort();
  let bad = 0;
  for (const f of files) if (!(await checkFile(dir, f))) bad++;
  console.log(`\n${files.length - bad}/${files.length} files agree with the reference`);
  process.exitCode = bad === 0 ? 0 : 1;
}

await main();
