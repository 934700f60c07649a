/**
 * HTTP on the public corpus (/work/shared/captures, read-only; skipped when absent or without
 * tshark): per flow, the requests (method, URI) and the responses (status) tcpscope parsed whole
 * must be the ones tshark's HTTP dissector shows, in the same order (per direction: tshark lists
 * by frame, tcpscope by message; pipelined requests and responses interleave differently):
 *
 *   tshark -n -r F [-o tcp.reassemble_out_of_order:TRUE] -Y http -T fields
 *          -e tcp.stream -e http.request.method -e http.request.uri -e http.response.code
 *
 * tcpscope's `complete` messages without missing body bytes are compared: tshark shows a message
 * only once it reassembled all of it, so a message cut by a capture gap, the snap length or the
 * capture's end is in tcpscope's report (marked incomplete) and not in tshark's. tshark lines
 * without a method or a code ("Continuation" frames of a body it could not place) are not
 * messages. Where tcpscope differs otherwise, `KNOWN` says exactly why.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { HAS_TSHARK } from '../synth/tshark.js';
import { REPO } from '../helpers/fixture-captures.js';

const CORPUS = join(REPO, '..', 'shared', 'captures');
const SKIP = !existsSync(CORPUS) ? `${CORPUS} not found` : !HAS_TSHARK ? 'tshark not installed' : null;
if (SKIP !== null) console.warn(`HTTP corpus comparison skipped: ${SKIP}`);

/**
 * Captures with HTTP, and whether tshark reassembles out-of-order segments for the comparison.
 * With its default (off), tshark gives up on a message whose segments arrived out of order
 * (206_example_b: a 206 of 816,896 bytes; example2: a 302 whose last segment it calls a
 * retransmission); with it on, tshark waits forever for segments a lossy capture never has
 * (650HttpResponses: 263 messages instead of 365), so that one file is compared with the default.
 */
const CAPTURES: readonly [string, boolean][] = [
  ['pcapplusplus__650HttpResponses.pcap', false],
  ['suricata-verify__http-chunked-input.pcap', true],
  ['zeek__100-continue.pcap', true],
  ['zeek__206_example_a.pcap', true],
  ['zeek__206_example_b.pcap', true],
  ['zeek__docker-http-upgrade.pcap', true],
  ['zeek__post.pcap', true],
  ['pcapplusplus__four_ipv6_http_streams.pcap', true],
  ['pcapplusplus__raw_ip.pcap', true],
  ['pcapplusplus__example2.pcap', true],
  ['suricata-verify__TLPW1-tcp-174.56.47.59-10.3.11.101-tcp-80-49309.pcap', true],
  ['pcapplusplus__one_http_stream_rst.pcap', true],
  ['gopacket__test_loopback.pcap', true],
  ['pcapplusplus__frag_http_req.pcap', true],
  ['pcapplusplus__nanosecs_big_endian.pcap', true],
  ['zeek__http-qinq-0.pcap', true],
  ['zeek__http-vlan-0.pcap', true],
  ['zeek__vlan-qinqinq.pcap', true],
  ['suricata-verify__tcp-urgent1.pcap', true],
  ['zeek__handshake-reorder.pcap', true],
  ['zeek__payload-syn.pcap', true],
  ['tcpdump__accecn_handshake.pcap', true],
  ['tcpdump__ipv4_tcp_http_xml_tso.pcap', true],
  ['zeek__missing-syn.pcap', true],
];

/**
 * Differences with a reason: capture → flow key (`<tcp.stream> request|response`) → what
 * tcpscope lists instead of tshark's list.
 */
const KNOWN: Readonly<Record<string, Record<string, { tcpscope: string[]; why: string }>>> = {
  'suricata-verify__http-chunked-input.pcap': {
    '0 request': {
      tcpscope: [],
      why:
        'request smuggling test: `Content-Length: 0` and `Transfer-Encoding: ,<TAB>chunked,`. RFC 9110 §5.6.1 has recipients ignore ' +
        'empty list elements, so the coding is chunked (TE wins over CL, RFC 9112 §6.3) and the body never comes: tcpscope ' +
        'reports the request incomplete with http_malformed te-and-cl; tshark does not recognise the coding and takes CL 0',
    },
  },
  'suricata-verify__tcp-urgent1.pcap': {
    '0 request': {
      tcpscope: ['GET /malicXious'],
      why:
        'the request carries an urgent byte (X); tcpscope keeps urgent data in the byte stream (RFC 6093 §4: it is part of ' +
        'the stream), where a receiver without SO_OOBINLINE drops it; tshark does not show the request as HTTP at all',
    },
  },
};

interface Lists {
  [flowKind: string]: string[];
}

function tsharkLists(file: string, outOfOrder: boolean): Lists {
  const args = ['-n', '-r', file, ...(outOfOrder ? ['-o', 'tcp.reassemble_out_of_order:TRUE'] : []), '-Y', 'http', '-T', 'fields', '-E', 'separator=\t'];
  for (const f of ['tcp.stream', 'http.request.method', 'http.request.uri', 'http.response.code']) args.push('-e', f);
  // An empty configuration directory: personal preferences cannot change the dissection.
  const env = { ...process.env, WIRESHARK_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'tcpscope-ws-')) };
  const out = execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'], env });
  const lists: Lists = {};
  for (const line of out.split('\n')) {
    const [stream, method, uri, code] = line.split('\t');
    if (stream === undefined || stream === '') continue;
    if (method !== undefined && method !== '') (lists[`${stream} request`] ??= []).push(`${method} ${uri ?? ''}`);
    else if (code !== undefined && code !== '') (lists[`${stream} response`] ??= []).push(code);
  }
  return lists;
}

async function tcpscopeLists(file: string): Promise<Lists> {
  const r = await analyzeCapture(file);
  const lists: Lists = {};
  for (const f of r.flows) {
    const http = (f['app'] as { http?: { messages: Record<string, unknown>[] } } | undefined)?.http;
    for (const m of http?.messages ?? []) {
      if (m['complete'] !== true || m['bodyMissingBytes'] !== undefined) continue;
      if (m['kind'] === 'request') (lists[`${f.id} request`] ??= []).push(`${String(m['method'])} ${String(m['uri'])}`);
      else (lists[`${f.id} response`] ??= []).push(String(m['status']));
    }
  }
  return lists;
}

/** URIs are listed up to `maxValueChars` (1024) characters, then cut with '…': compare that much. */
function cut(list: readonly string[]): string[] {
  return list.map((s) => (s.length > 1024 + 4 ? s.slice(0, 1024) : s.replace(/…$/, '')).slice(0, 1024));
}

describe.skipIf(SKIP !== null)('HTTP messages against tshark on the corpus', () => {
  test.each(CAPTURES)('%s', async (name, outOfOrder) => {
    const file = join(CORPUS, name);
    const theirs = tsharkLists(file, outOfOrder);
    const ours = await tcpscopeLists(file);
    const known = KNOWN[name] ?? {};
    const keys = [...new Set([...Object.keys(theirs), ...Object.keys(ours)])].sort();
    expect(keys.length, 'the capture has HTTP').toBeGreaterThan(0);
    for (const k of keys) {
      const want = known[k]?.tcpscope ?? theirs[k] ?? [];
      expect(cut(ours[k] ?? []), `${name} flow ${k}${known[k] ? ` (known: ${known[k].why})` : ''}`).toEqual(cut(want));
    }
  });
});
