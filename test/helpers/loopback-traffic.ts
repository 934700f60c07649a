/**
 * Real TCP on loopback for the live-capture tests: servers that read everything, read nothing
 * for a while (the receive window closes: zero-window stall), or close without reading (Linux
 * answers unread data with RST), and clients that send a given amount and close.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface TestServer {
  port: number;
  close(): void;
}

async function listen(server: Server): Promise<TestServer> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

/** Reads everything, closes when the client does. */
export function bulkServer(): Promise<TestServer> {
  return listen(
    createServer((s: Socket) => {
      s.on('data', () => undefined);
      s.on('end', () => s.end());
      s.on('error', () => undefined);
    }),
  );
}

/**
 * Reads nothing for `pauseMs` (Node never reads from the kernel: the window closes), then
 * everything; `resumedAt()` says when it started reading (0 before).
 */
export async function slowServer(pauseMs: number): Promise<TestServer & { resumedAt(): number }> {
  let resumed = 0;
  const srv = await listen(
    createServer({ pauseOnConnect: true }, (s: Socket) => {
      s.on('error', () => undefined);
      setTimeout(() => {
        resumed = Date.now();
        s.on('data', () => undefined);
        s.on('end', () => s.end());
        s.resume();
      }, pauseMs);
    }),
  );
  return { ...srv, resumedAt: () => resumed };
}

/** Never reads, and closes each connection after `afterMs`: with data unread, Linux sends RST. */
export function rudeServer(afterMs: number): Promise<TestServer> {
  return listen(
    createServer({ pauseOnConnect: true }, (s: Socket) => {
      s.on('error', () => undefined);
      setTimeout(() => s.destroy(), afterMs);
    }),
  );
}

/** Connects, sends `bytes` with FIN after them, resolves when the connection is gone (closed or reset). */
export function sendAndClose(port: number, bytes: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const c = connect(port, '127.0.0.1', () => c.end(Buffer.alloc(bytes, 7)));
    c.on('data', () => undefined);
    c.on('error', () => undefined);
    c.on('close', () => resolve());
  });
}

/** One connection that sends `chunk` bytes every `everyMs` for `forMs`, then FIN; resolves when it is gone. */
export function streamFor(port: number, forMs: number, chunk = 500_000, everyMs = 100): Promise<void> {
  return new Promise<void>((resolve) => {
    const c = connect(port, '127.0.0.1', async () => {
      for (const end = Date.now() + forMs; Date.now() < end; await sleep(everyMs)) c.write(Buffer.alloc(chunk, 7));
      c.end();
    });
    c.on('data', () => undefined);
    c.on('error', () => undefined);
    c.on('close', () => resolve());
  });
}
