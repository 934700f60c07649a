/**
 * TLS for the application-layer registry: detection on a direction's first bytes (`detect.ts`,
 * at most 11 bytes needed) and a `TlsParser` per flow. Shaped like the framework's
 * `AppProtocol` ({ name, detect(bytes, dir), create(flowId) }); registering TLS is adding
 * `tlsProtocol()` to the registry's list.
 */
import type { Direction } from '../../core/direction.js';
import { detectTls } from './detect.js';
import { TlsParser, type TlsParserOptions } from './tls-parser.js';

export interface TlsProtocol {
  readonly name: 'tls';
  detect(bytes: Uint8Array, dir: Direction): 'yes' | 'no' | 'need-more';
  create(flowId: number): TlsParser;
}

export function tlsProtocol(opts: Readonly<Partial<TlsParserOptions>> = {}): TlsProtocol {
  return {
    name: 'tls',
    detect: (bytes) => detectTls(bytes, 0, bytes.length),
    create: () => new TlsParser(opts),
  };
}
