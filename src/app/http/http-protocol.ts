/**
 * HTTP/1.x for the application-layer registry: detection by the start line's shape
 * (`http-detect.ts`) and a parser per flow (`http-parser.ts`).
 */
import type { HttpLimits } from '../../core/limits.js';
import type { AppDetectVerdict, AppProtocol } from '../app-parser.js';
import { startLineShape } from './http-detect.js';
import { HttpParser, type HttpBodySink } from './http-parser.js';

export interface HttpProtocolOptions {
  limits?: Readonly<Partial<HttpLimits>>;
  /** A body sink per flow (`extract --http`), or none. */
  bodySink?: (flowId: number) => HttpBodySink | null;
}

/** Detector verdict for HTTP on a direction's first bytes. */
export function detectHttp(bytes: Uint8Array): AppDetectVerdict {
  const s = startLineShape(bytes);
  return s === 'need-more' ? 'need-more' : s === 'no' ? 'no' : 'yes';
}

export function httpProtocol(opts: HttpProtocolOptions = {}): AppProtocol {
  return {
    name: 'http',
    detect: detectHttp,
    // A capture that begins inside a message finds the next start line.
    midStream: true,
    create: (flowId) => new HttpParser({ ...(opts.limits !== undefined ? { limits: opts.limits } : {}), bodySink: opts.bodySink?.(flowId) ?? null }),
  };
}
