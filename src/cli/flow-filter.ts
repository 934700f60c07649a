/**
 * Flow selection of `tcpscope analyze`: `--host ADDR|CIDR` (either endpoint), `--port N` (either
 * endpoint), `--flow ID` (repeatable; ids as in the report). Selected flows are the ones shown,
 * written, counted in `summary.anomalyCounts` and judged in CI mode; the whole capture is still
 * analyzed (flow ids and capture counters do not change).
 */
import { BlockList, isIP } from 'node:net';
import { UsageError } from '../core/errors.js';
import type { FlowSummary } from '../flow/flow-summary.js';

export interface FlowFilterArgs {
  host?: string[] | undefined;
  port?: number[] | undefined;
  flow?: number[] | undefined;
}

export interface FlowFilter {
  /** True when the flow is selected. */
  test(f: FlowSummary): boolean;
  /** How the selection reads (for the report), or null when everything is selected. */
  text: string | null;
}

function hostList(hosts: readonly string[]): BlockList {
  const bl = new BlockList();
  for (const h of hosts) {
    const [addr = '', bits] = h.split('/');
    const family = isIP(addr);
    if (family === 0) throw new UsageError(`--host: '${h}' is not an IPv4/IPv6 address or CIDR prefix`);
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) bl.addAddress(addr, type);
    else {
      const n = Number(bits);
      if (!Number.isInteger(n) || n < 0 || n > (family === 6 ? 128 : 32)) throw new UsageError(`--host: bad prefix length in '${h}'`);
      bl.addSubnet(addr, n, type);
    }
  }
  return bl;
}

export function flowFilter(a: FlowFilterArgs): FlowFilter {
  const hosts = a.host ?? [];
  const ports = a.port ?? [];
  const ids = a.flow ?? [];
  for (const p of ports) if (!Number.isInteger(p) || p < 0 || p > 65535) throw new UsageError(`--port: ${p} is not a port number (0-65535)`);
  for (const i of ids) if (!Number.isInteger(i) || i < 0) throw new UsageError(`--flow: ${i} is not a flow id`);
  if (hosts.length + ports.length + ids.length === 0) return { test: () => true, text: null };
  const bl = hostList(hosts);
  const portSet = new Set(ports);
  const idSet = new Set(ids);
  const hostOk = (ip: string): boolean => bl.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
  const parts: string[] = [];
  if (hosts.length > 0) parts.push(`host ${hosts.join('|')}`);
  if (ports.length > 0) parts.push(`port ${ports.join('|')}`);
  if (ids.length > 0) parts.push(`flow ${ids.join('|')}`);
  return {
    text: parts.join(' and '),
    test: (f) =>
      (hosts.length === 0 || hostOk(f.client.ip) || hostOk(f.server.ip)) &&
      (ports.length === 0 || portSet.has(f.client.port) || portSet.has(f.server.port)) &&
      (ids.length === 0 || idSet.has(f.id)),
  };
}
