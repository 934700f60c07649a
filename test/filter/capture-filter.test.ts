/**
 * The capture filter (pcap-filter subset) against tcpdump itself: on every real fixture, for
 * each expression, the TCP packets tcpscope analyzes equal the packets `tcpdump -r FILE 'tcp and
 * (EXPR)'` prints. Skipped without tcpdump. Plus syntax errors that name the problem.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { compileFilter, FilterSyntaxError } from '../../src/filter/capture-filter.js';
import { analyzeCapture } from '../../src/pipeline/analyze.js';
import { fixturePath } from '../helpers/fixture-captures.js';
import { runCli } from '../helpers/fake-cli-io.js';

const hasTcpdump = spawnSync('sh', ['-c', 'command -v tcpdump'], { stdio: 'ignore' }).status === 0;

const FILES = ['bulk-loss.client.pcap', 'bulk-loss-v6.client.pcapng', 'short-conns.client.pcap', 'closed-port.client.pcapng', 'http-chunked.server.pcap', 'slow-reader.client.pcap', 'keepalive.client.pcap'];
const EXPRS = [
  'host 10.201.1.1',
  'src host 10.201.2.1',
  'dst port 5011',
  'port 40000 or 40002',
  'portrange 5000-5005',
  'net 10.201.0.0/16 and not port 5001',
  'ip6',
  'ip6 and src net fd00:201:1::/64',
  '(port 5003 or port 5011) and dst host 10.201.2.1',
  'tcp port 5013',
  '! port 40000',
  'src portrange 40000-40001 || dst host fd00:201:2::1',
  'ip and not (src port 5011 or dst port 8080)',
];

function tcpdumpCount(file: string, expr: string): number {
  const r = spawnSync('tcpdump', ['-nn', '-r', file, `tcp and (${expr})`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tcpdump failed on ${expr}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.trim() !== '').length;
}

describe.skipIf(!hasTcpdump)('same packets as tcpdump', () => {
  test.each(FILES)('%s', async (name) => {
    const file = fixturePath(name);
    let compared = 0;
    for (const expr of EXPRS) {
      const r = await analyzeCapture(file, { packetFilter: compileFilter(expr) });
      const ours = r.flows.reduce((n, f) => n + f.packets.c2s + f.packets.s2c, 0);
      expect({ expr, n: ours }).toEqual({ expr, n: tcpdumpCount(file, expr) });
      expect(ours + r.filteredOut).toBe(r.counters.tcp);
      if (ours > 0 && r.filteredOut > 0) compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('syntax', () => {
  test.each([
    ['tcp[13] & 2 != 0', /not supported/],
    ['host', /needs a value/],
    ['host example.com', /not an IPv4\/IPv6 address/],
    ['port 99999', /not a port number/],
    ['host 10.0.0.1 port 80', /unexpected 'port'/],
    ['(port 80', /missing '\)'/],
    ['net 10.0.0.0/33', /bad prefix length/],
  ])('%s', (expr, msg) => {
    expect(() => compileFilter(expr)).toThrow(FilterSyntaxError);
    expect(() => compileFilter(expr)).toThrow(msg);
  });

  test('the CLI: --filter in the report, bad filter exit 2 naming it', async () => {
    const r = await runCli(['analyze', '--format', 'json', '--filter', 'port 40000', fixturePath('short-conns.client.pcap')]);
    const rep = JSON.parse(r.stdout) as { flows: unknown[]; summary: { captureFilter: unknown } };
    expect(rep.flows.length).toBe(5);
    expect(rep.summary.captureFilter).toEqual({ expression: 'port 40000', tcpPacketsFilteredOut: 70 });
    const bad = await runCli(['analyze', '--filter', 'tcp[13]', fixturePath('short-conns.client.pcap')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toMatch(/^tcpscope: --filter 'tcp\[13\]': /);
  });
});
