/**
 * Every application-layer protocol's finding codes, for the anomaly catalog
 * (`analysis/anomalies.ts` spreads them in: severities, descriptions, `--fail-on` codes).
 * Plain constant tables only: no parser code comes with them.
 */
import { HTTP_FINDINGS } from './http/http-findings.js';
import { TLS_FINDINGS } from './tls/findings.js';

export const APP_FINDINGS = { ...HTTP_FINDINGS, ...TLS_FINDINGS } as const;
