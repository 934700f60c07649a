/**
 * A flow as a short Markdown page (`--per-flow-dir DIR --markdown`): what a reviewer reads in a
 * pull request next to the JSON file. Text from the capture (addresses, anomaly details) is
 * written inside code spans or escaped table cells.
 */
import type { FlowSummary } from '../flow/flow-summary.js';

function cell(v: unknown): string {
  const s = v === null || v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;');
}

function ms(v: number | null | undefined): string {
  return v === null || v === undefined ? '-' : `${v} ms`;
}

/** The page for one flow of capture `source`. */
export function flowMarkdown(source: string, f: FlowSummary): string {
  const d = f['diagnosis'] as { limitedBy?: string; headline?: string } | null | undefined;
  const lines = [
    `# Flow ${f.id}: \`${f.client.ip}:${f.client.port}\` → \`${f.server.ip}:${f.server.port}\``,
    '',
    `Capture \`${cell(source)}\`, frames ${f.firstFrame}–${f.lastFrame}, ${(f.lastTs - f.firstTs).toFixed(6)} s; record ended: ${f.end}.`,
    '',
  ];
  if (d?.headline) lines.push(`**Diagnosis** (${cell(d.limitedBy)}): ${cell(d.headline)}`, '');
  lines.push(
    '| | client → server | server → client |',
    '|---|---|---|',
    `| packets | ${f.packets.c2s} | ${f.packets.s2c} |`,
    `| payload bytes | ${f.payloadBytes.c2s} | ${f.payloadBytes.s2c} |`,
    `| missed bytes | ${f.missedBytes.c2s} | ${f.missedBytes.s2c} |`,
    `| retransmissions | ${f.retransmissions.c2s} | ${f.retransmissions.s2c} |`,
    `| RTT samples | ${f.rtt.c2s.samples} | ${f.rtt.s2c.samples} |`,
    `| SRTT / RTO | ${ms(f.rtt.c2s.srttMs)} / ${ms(f.rtt.c2s.rtoMs)} | ${ms(f.rtt.s2c.srttMs)} / ${ms(f.rtt.s2c.rtoMs)} |`,
    '',
    `States: client ${f.state.client}, server ${f.state.server}; Zeek conn_state ${f.state.connState}, history \`${cell(f.state.history)}\`; close: ${f.close.kind}${f.close.by ? ` by ${f.close.by}` : ''}; handshake RTT ${ms(f.handshake.rttMs)}.`,
    '',
  );
  const counts = Object.entries(f.anomalyCounts);
  if (counts.length === 0) lines.push('No findings.', '');
  else {
    lines.push('| finding | count | first frames |', '|---|---|---|');
    for (const [code, n] of counts) {
      const frames = f.anomalies.filter((a) => a.code === code).slice(0, 5).map((a) => a.frame);
      lines.push(`| \`${code}\` | ${n} | ${frames.join(', ') || '-'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
