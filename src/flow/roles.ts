/**
 * Which end of a TCP four-tuple is the server, when no SYN or SYN/ACK says so (a capture
 * picked up mid-connection): by ports, the way Zeek flips originator and responder for
 * mid-stream connections (well-known or known service port vs an ephemeral one), and failing
 * that the sender of the first packet is the client.
 */

/** How a flow's roles were decided (`roleInferred` in the report). */
export type RoleInference = 'syn' | 'syn-ack' | 'port' | 'first-packet';

/**
 * Registered ports (>= 1024) that are services often enough to be taken for the server side:
 * proxies, databases, message brokers, web alternates, remote desktops.
 */
const SERVICE_PORTS: ReadonlySet<number> = new Set([
  1080, 1194, 1433, 1521, 1883, 2049, 2181, 2375, 2376, 3000, 3128, 3306, 3389, 4443, 5000, 5001, 5432, 5601, 5672,
  5900, 5984, 6379, 6443, 8000, 8008, 8080, 8081, 8443, 8888, 9000, 9042, 9090, 9092, 9200, 9300, 9418, 11211, 27017,
]);

/** Start of the ephemeral range most stacks use (Linux 32768-60999, IANA/Windows/BSD 49152-65535). */
export const EPHEMERAL_MIN = 32768;

/**
 * How much a port looks like a server's: 2 = well-known (< 1024) or a known service port,
 * 1 = registered range below the ephemeral ports, 0 = ephemeral.
 */
export function serverScore(port: number): number {
  if (port < 1024 || SERVICE_PORTS.has(port)) return 2;
  return port < EPHEMERAL_MIN ? 1 : 0;
}

/**
 * For a flow first seen on a packet from `srcPort` to `dstPort` with neither SYN nor SYN/ACK:
 * true when the packet's sender is the client. Ports decide when their scores differ;
 * otherwise the first packet's sender is the client.
 */
export function senderIsClientByPort(srcPort: number, dstPort: number): { client: boolean; how: RoleInference } {
  const s = serverScore(srcPort);
  const d = serverScore(dstPort);
  if (s === d) return { client: true, how: 'first-packet' };
  return { client: d > s, how: 'port' };
}
