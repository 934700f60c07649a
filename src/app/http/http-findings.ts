/**
 * The HTTP parser's finding codes (flow anomaly events with these codes; merged into the report's
 * catalog by `app/app-findings.ts`). Same shape as `analysis/anomalies.ts`.
 */
import type { Severity } from '../../analysis/anomalies.js';

export const HTTP_FINDINGS = {
  http_malformed: { severity: 'warning', description: 'HTTP/1.x message that breaks the syntax of RFC 9112 (detail.reasons say how: bad start line, bad chunk size, bare CR, conflicting lengths, head too large, ...)' },
  http_resync: { severity: 'warning', description: 'HTTP/1.x parsing lost the message framing (capture gap or malformed message) and resumed at the next start line; detail.skipped bytes were not parsed' },
} as const satisfies Record<string, { severity: Severity; description: string }>;
