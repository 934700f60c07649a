/**
 * Reader conformance: packet count, first/last timestamps at capinfos' precision, interface link
 * types and the reader's error on refused files, against capinfos/tshark reference answers
 * (../shared/captures/reference). Pure: takes what the pipeline learnt, returns the problems.
 */
import type { CaptureInfo } from '../../src/capture/frame.js';
import type { PacketCounters } from '../../src/pipeline/stats.js';

/**
 * Where the reference tool itself is off, with what we check instead.
 * capinfos 4.0 reports first/last time of this file as those of interface 1's packets (near
 * 2^64 µs), although interface 0's packets (2015 and 2061) are earlier; tshark's per-frame
 * times agree with ours (frame 1 = 1422527998.578402281, frame 60 = 18446744073204.126329).
 */
export const KNOWN_TIME_QUIRKS: Record<string, { first: string; last: string }> = {
  'pcapplusplus__pcapng-example.pcapng': { first: '1422527998.578402281', last: '18446744073204.277451' },
};

/** The reader error expected on the files the reference tools refuse or read only partly. */
export const EXPECTED_ERROR: Record<string, string> = {
  'libpcap__pcap-invalid-version-1.pcap': 'ERR_UNSUPPORTED_VERSION',
  'libpcap__pcapng-invalid-vers-1.pcapng': 'ERR_UNSUPPORTED_VERSION',
  'libpcap__shb-option-too-long.pcapng': 'ERR_BAD_OPTION',
  'suricata-verify__tls_DER-incomplete-header.pcap': 'ERR_BAD_LENGTH',
  'suricata-verify__http-mime-truncated-input.pcap': 'ERR_TRUNCATED_FILE',
  'pcapplusplus__solaris.snoop': 'ERR_UNSUPPORTED_FORMAT',
};

export interface ReaderReference {
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

/** wiretap encapsulation numbers (what capinfos prints) → the LINKTYPE_* values that map to them. */
const WTAP_TO_LINKTYPE: Record<number, number[]> = { 1: [1], 15: [0, 108], 25: [113], 7: [12, 14, 101], 210: [276], 129: [228], 130: [229], 198: [274] };

/** Problems found comparing one capture's reading with the reference; empty when they agree. */
export function checkReader(file: string, ref: ReaderReference, info: CaptureInfo, c: PacketCounters): string[] {
  const ci = { ...ref.capinfos };
  const problems: string[] = [];
  const err = info.errors[0];
  const errText = info.errors.map((e) => `${e.code}: ${e.message}`).join(' | ');
  const quirk = KNOWN_TIME_QUIRKS[file];
  if (quirk !== undefined) {
    ci.first_packet_time = quirk.first;
    ci.last_packet_time = quirk.last;
  }
  if (ci.file_type !== null && ci.file_type !== 'pcap' && ci.file_type !== 'pcapng' && ci.file_type !== 'nsecpcap') {
    // A format we deliberately do not read (e.g. snoop): we must say so clearly.
    if (err?.code !== 'ERR_UNSUPPORTED_FORMAT') problems.push(`format: capinfos reads it as ${ci.file_type}; expected ERR_UNSUPPORTED_FORMAT`);
  } else if (ci.packets === null) {
    // capinfos refused the file: we must report a fatal error and deliver what tshark read.
    if (!info.cutShort || err === undefined) problems.push('readable: capinfos refuses this file but the reader reported no fatal error');
    const want = ref.tshark.frames_read ?? 0;
    if (c.packets !== want) problems.push(`packets: ${c.packets}, tshark read ${want}`);
  } else {
    if (c.packets !== ci.packets) problems.push(`packets: ${c.packets} != ${ci.packets}`);
    if (ci.exit_code !== 0 && !info.cutShort) problems.push('readable: capinfos reports an error, the reader none');
    if (ci.exit_code === 0 && info.errors.length > 0) problems.push(`readable: unexpected error ${errText}`);
    const prec = Number(/\((-?\d+)\)/.exec(String(ci.timestamp_precision ?? ''))?.[1] ?? -1);
    const timed = c.firstTsSec >= 0 && c.untimed === 0;
    if (ci.first_packet_time !== null && ci.first_packet_time !== 'n/a' && timed) {
      if (!sameTime(c.firstTsSec, c.firstTsNsec, ci.first_packet_time, prec)) problems.push(`first: ${fmt(c.firstTsSec, c.firstTsNsec)} != ${ci.first_packet_time}`);
      if (ci.last_packet_time !== null && !sameTime(c.lastTsSec, c.lastTsNsec, ci.last_packet_time, prec)) problems.push(`last: ${fmt(c.lastTsSec, c.lastTsNsec)} != ${ci.last_packet_time}`);
    } else if (ci.first_packet_time === null && ci.packets > 0 && timed) {
      problems.push('first: capinfos shows no first/last time but every packet had one');
    }
    const refLinks = new Set(ci.interfaces.map((i) => Number(/\((\d+) -/.exec(i.encapsulation ?? '')?.[1] ?? NaN)));
    const ours = info.interfaces.map((i) => i.linkType);
    for (const w of refLinks) {
      const lts = WTAP_TO_LINKTYPE[w];
      if (lts !== undefined && !lts.some((lt) => ours.includes(lt))) problems.push(`linktypes: capinfos encapsulation ${w} (linktype ${lts.join('/')}) missing in ${ours.join(',')}`);
      if (lts === undefined && !Number.isNaN(w)) problems.push(`linktypes: no linktype mapping for wiretap encapsulation ${w}`);
    }
    if (ci.interfaces.length > 0 && ci.interfaces.length !== info.interfaces.length) problems.push(`interfaces: ${info.interfaces.length} != ${ci.interfaces.length}`);
  }
  const wantErr = EXPECTED_ERROR[file];
  if (wantErr !== undefined && err?.code !== wantErr) problems.push(`error: expected ${wantErr}, got ${err?.code ?? 'no error'}`);
  return problems;
}
