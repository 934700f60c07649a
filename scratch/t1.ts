import { parse, C, S, exchanges, messages } from '../test/app/http-driver.js';
const ev = [
  { dir: C, data: 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nHEAD /c HTTP/1.1\r\n\r\nPOST /d HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n' },
  { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nxyz\r\n0\r\nX-T: 1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n' },
  { dir: C, data: 'hello' },
  { dir: S, data: 'HTTP/1.1 201 Created\r\nConnection: close\r\n\r\nbody until close' },
  { dir: C, end: 'fin' }, { dir: S, end: 'fin' },
] as const;
const r = parse(ev as any);
console.log(exchanges(r.result), r.findings, JSON.stringify(messages(r.result).map(m=>[m.kind,m.framing,m.bodyLength,m.complete,m.chunks,m.trailers])));
const r1 = parse(ev as any, (_i, n) => Array.from({length:n},(_,k)=>k));
console.log(JSON.stringify(r1.result) === JSON.stringify(r.result));
// bad chunk then resync
const ev2 = [
  { dir: C, data: 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n' },
  { dir: S, data: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nblah\r\n0\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n' },
  { dir: C, end: 'fin' }, { dir: S, end: 'fin' },
];
const r2 = parse(ev2 as any);
console.log(exchanges(r2.result), JSON.stringify(r2.findings), r2.result['skippedBytes']);
// gap in body, gap between
const ev3 = [
  { dir: C, data: 'GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n' },
  { dir: S, data: 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01' }, { dir: S, gap: 5 }, { dir: S, data: '789' },
  { dir: S, gap: 30 }, { dir: S, data: 'garbage\r\nmore garbage HTTP/1.1 200\r\nHTTP/1.1 304 Not Modified\r\n\r\n' },
  { dir: C, end: 'fin' }, { dir: S, end: 'close' },
];
const r3 = parse(ev3 as any);
console.log(exchanges(r3.result), JSON.stringify(r3.findings), r3.result['skippedBytes'], r3.result['lostBytes'], JSON.stringify(messages(r3.result)[1]));
