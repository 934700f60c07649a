/**
 * The protocols the application layer recognises, in the order their detectors are asked. A
 * protocol is one `AppProtocol` (`app-parser.ts`): a detector on a direction's first bytes and a
 * parser factory; adding one is one line here. Built per analysis (options such as a body
 * sink are per run), never a global mutable table.
 */
import type { AppProtocol } from './app-parser.js';
import { httpProtocol, type HttpProtocolOptions } from './http/http-protocol.js';
import { tlsProtocol } from './tls/tls-protocol.js';
import type { TlsParserOptions } from './tls/tls-parser.js';

export interface AppOptions {
  http?: HttpProtocolOptions;
  tls?: Readonly<Partial<TlsParserOptions>>;
}

/** Every protocol, configured by `opts`. */
export function appProtocols(opts: AppOptions = {}): AppProtocol[] {
  return [
    httpProtocol(opts.http),
    tlsProtocol(opts.tls),
  ];
}
