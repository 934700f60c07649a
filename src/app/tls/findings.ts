/**
 * The TLS parser's finding codes (they become flow anomaly events with these codes; the
 * framework merges this catalog into the report's). Same shape as `analysis/anomalies.ts`.
 */
import type { Severity } from '../../analysis/anomalies.js';

export const TLS_FINDINGS = {
  tls_malformed: { severity: 'warning', description: 'TLS record or handshake message that does not parse: what was wrong and its offset in the stream' },
  tls_record_oversize: { severity: 'warning', description: 'TLS record longer than 2^14 + 2048 bytes (RFC 5246 §6.2.3, RFC 8446 §5.2)' },
  tls_alert: { severity: 'warning', description: 'fatal TLS alert sent in plaintext (level and description)' },
  tls_gap: { severity: 'warning', description: 'bytes missing from a TLS stream lost handshake facts or the record boundaries: what was lost' },
  tls_limit: { severity: 'note', description: 'a TLS parser cap was hit (handshake message larger than its buffer, findings listed): what was skipped' },
} as const satisfies Record<string, { severity: Severity; description: string }>;

export type TlsFindingCode = keyof typeof TLS_FINDINGS;

/** Findings kept per flow (counted beyond, `findingsNotListed` in the result). */
export const MAX_TLS_FINDINGS = 32;
