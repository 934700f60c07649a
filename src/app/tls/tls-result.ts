/**
 * The `app.tls` section of a flow report and the flows-table label, built from a `TlsParser`'s
 * state once the flow ended. Pure: plain JSON-safe values, names for codes (hex when unknown).
 * README "app.tls" documents every field.
 */
import { DIR_NAME } from '../../core/direction.js';
import { cipherSuiteName } from './cipher-suites.js';
import { alertLevelName, alertName, groupName, handshakeName, HS, isTls13, versionName } from './constants.js';
import type { TlsDirection } from './direction.js';
import type { CertificateEntry, TlsState } from './tls-parser.js';

/** The negotiated version code: ServerHello `supported_versions`, else its legacy_version; else HRR's. */
export function negotiatedVersion(s: TlsState): number | null {
  if (s.serverHello) return s.serverHello.selectedVersion ?? s.serverHello.legacyVersion;
  if (s.hrr?.selectedVersion != null) return s.hrr.selectedVersion;
  return null;
}

/** Selected cipher suite code (ServerHello, else HelloRetryRequest), or null. */
function chosenSuite(s: TlsState): number | null {
  const sh = s.serverHello ?? s.hrr;
  return sh && sh.cipherSuite >= 0 ? sh.cipherSuite : null;
}

export function tlsResult(s: TlsState): Record<string, unknown> {
  const v = negotiatedVersion(s);
  const ch = s.clientHello;
  const sh = s.serverHello;
  const suite = chosenSuite(s);
  return {
    version: v === null ? (s.sslv2Server ? 'SSL 2.0' : null) : versionName(v),
    sni: ch?.sni ?? null,
    alpn: { offered: ch?.alpn ?? [], selected: sh?.alpn ?? null },
    cipherSuite: suite === null ? null : cipherSuiteName(suite),
    cipherSuiteId: suite,
    hrr: s.hrr !== null,
    resumed: resumed(s),
    clientHello: ch === null ? (s.clientHelloUnread ? { unread: s.clientHelloUnread } : null) : {
      frame: ch.frame,
      dir: DIR_NAME[ch.dir],
      format: ch.format,
      count: s.clientHellos,
      legacyVersion: versionName(ch.legacyVersion),
      sessionIdLength: ch.sessionId.length,
      cipherSuites: ch.cipherSuites,
      grease: ch.grease,
      compressionMethods: ch.compressionMethods,
      extensions: ch.extensions,
      supportedVersions: ch.supportedVersions.map(versionName),
      keyShareGroups: ch.keyShareGroups.map(groupName),
      psk: ch.psk,
      earlyData: ch.earlyData,
      ...(ch.listCapped > 0 ? { listEntriesNotKept: ch.listCapped } : {}),
    },
    serverHello: sh === null ? (s.serverHelloUnread ? { unread: s.serverHelloUnread } : null) : {
      frame: sh.frame,
      legacyVersion: versionName(sh.legacyVersion),
      selectedVersion: sh.selectedVersion === null ? null : versionName(sh.selectedVersion),
      compression: sh.compression,
      extensions: sh.extensions,
      keyShareGroup: sh.keyShareGroup === null ? null : groupName(sh.keyShareGroup),
      psk: sh.psk,
    },
    helloRetryRequest: s.hrr === null ? null : {
      frame: s.hrr.frame,
      keyShareGroup: s.hrr.keyShareGroup === null ? null : groupName(s.hrr.keyShareGroup),
    },
    certificate: certificate(s, s.certificates[1], true),
    clientCertificate: certificate(s, s.certificates[0], false),
    alerts: s.alerts.map((a) => ({
      dir: DIR_NAME[a.dir], frame: a.frame, level: alertLevelName(a.level), description: alertName(a.description),
    })),
    ...(s.alertsNotListed > 0 ? { alertsNotListed: s.alertsNotListed } : {}),
    encryptedFrom: { c2s: encFrom(s.dirs[0]), s2c: encFrom(s.dirs[1]) },
    records: { c2s: { ...s.dirs[0].counts }, s2c: { ...s.dirs[1].counts } },
    messages: { c2s: messages(s.dirs[0]), s2c: messages(s.dirs[1]) },
    stopped: { c2s: stopped(s.dirs[0]), s2c: stopped(s.dirs[1]) },
    cut: { c2s: s.dirs[0].cutAt(), s2c: s.dirs[1].cutAt() },
    ...(s.cutBytes[0] + s.cutBytes[1] > 0 ? { cutBytes: { c2s: s.cutBytes[0], s2c: s.cutBytes[1] } } : {}),
    findings: Object.fromEntries(s.codeCounts),
    ...(s.findingsNotListed > 0 ? { findingsNotListed: s.findingsNotListed } : {}),
  };
}

/**
 * Was the session resumed? TLS ≤ 1.2: the ServerHello echoes the ClientHello's non-empty
 * session id (RFC 5246 §7.4.1.3), or the server went from its ServerHello (and a
 * NewSessionTicket) straight to ChangeCipherSpec, the abbreviated handshake of a resumption by
 * session ticket (RFC 5077 §3.1); TLS 1.3: the server accepted a pre-shared key (RFC 8446
 * §4.2.11). Null without both hellos.
 */
function resumed(s: TlsState): boolean | null {
  const ch = s.clientHello;
  const sh = s.serverHello;
  if (!ch || !sh) return null;
  if (s.tls13) return sh.psk;
  const a = ch.sessionId;
  const b = sh.sessionId;
  if (a.length > 0 && a.length === b.length && a.every((x, i) => x === b[i])) return true;
  const srv = s.dirs[1];
  const full = srv.hs.messages.some((t) => t === HS.CERTIFICATE || t === HS.SERVER_KEY_EXCHANGE || t === HS.SERVER_HELLO_DONE);
  return !full && srv.encFrame >= 0 && !srv.hs.lost;
}

/**
 * The server's (or client's) certificate: in TLS 1.3 it is encrypted (`visible: false`); in
 * TLS ≤ 1.2 it is `present` with count and sizes, or `present: false` when the sender's
 * ChangeCipherSpec came without one (resumed session, PSK or anonymous suite). Null when the
 * handshake was not seen that far. A client certificate is reported only when sent.
 */
function certificate(s: TlsState, e: CertificateEntry | null, server: boolean): Record<string, unknown> | null {
  const v = negotiatedVersion(s);
  if (v !== null && isTls13(v)) return server ? { visible: false, present: null } : null;
  if (e !== null) {
    const f = e.facts;
    return {
      visible: true, present: true, frame: e.frame, length: e.length,
      count: f?.count ?? null, sizes: f?.sizes ?? null, bytes: f?.bytes ?? null,
      ...(e.unread ? { unread: e.unread } : {}),
    };
  }
  if (!server) return null;
  // The server's encrypted records started without a Certificate in plaintext.
  if (v !== null && s.dirs[1].encFrame >= 0 && !s.dirs[1].hs.lost) return { visible: true, present: false };
  return null;
}

function encFrom(d: TlsDirection): { frame: number; ts: number; offset: number } | null {
  return d.encFrame < 0 ? null : { frame: d.encFrame, ts: d.encTs, offset: d.encOffset };
}

function messages(d: TlsDirection): string[] {
  const out = d.hs.messages.map(handshakeName);
  if (d.hs.messagesNotListed > 0) out.push(`… ${d.hs.messagesNotListed} more`);
  return out;
}

function stopped(d: TlsDirection): { offset: number; reason: string; unparsedBytes: number } | null {
  return d.stopped === null ? null : { ...d.stopped, unparsedBytes: d.unparsedBytes };
}

/**
 * `TLS1.3 example.com h2`: version (`TLS` before a ServerHello, `SSLv2-hello` for an SSL
 * 2.0-format hello), SNI, ALPN (selected; `[offered,…]` in brackets when the server's choice is
 * not visible, as in TLS 1.3), and `alert:<description>` for a fatal plaintext alert.
 */
export function tlsLabel(s: TlsState): string {
  const v = negotiatedVersion(s);
  const parts: string[] = [];
  if (v !== null) parts.push(shortVersion(v));
  else if (s.clientHello?.format === 'sslv2') parts.push('SSLv2-hello');
  else parts.push('TLS');
  const ch = s.clientHello;
  if (ch?.sni) parts.push(ch.sni);
  // The selected protocol when the ServerHello shows it (TLS ≤ 1.2); else the offered list in brackets.
  const sel = s.serverHello?.alpn;
  if (sel) parts.push(sel);
  else if (ch && ch.alpn.length > 0) parts.push(`[${ch.alpn.slice(0, 2).join(',')}${ch.alpn.length > 2 ? ',…' : ''}]`);
  const fatal = s.alerts.find((a) => a.level === 2);
  if (fatal) parts.push(`alert:${alertName(fatal.description)}`);
  return parts.join(' ');
}

/** `TLS1.3`, `TLS1.3-draft23`, `SSL3.0`, or the hex code. */
function shortVersion(v: number): string {
  const n = versionName(v);
  const m = /^(SSL|TLS) (\d\.\d)(?: \(draft (\d+)\))?$/.exec(n);
  if (!m) return n;
  return `${m[1]}${m[2]}${m[3] ? `-draft${m[3]}` : ''}`;
}
