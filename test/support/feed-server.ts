import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoggedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A loopback HTTP server for tests: each request is answered by the next queued handler
 * (the last one repeats), and every request is logged.
 */
export interface TestServer {
  url: string;
  requests: LoggedRequest[];
  /** Replaces the queue of answers. */
  answer(...handlers: Handler[]): void;
  close(): Promise<void>;
}

export async function startServer(
  ...handlers: Handler[]
): Promise<TestServer & { route(prefix: string, handler: Handler): void }> {
  let queue = handlers;
  const requests: LoggedRequest[] = [];
  const routes: [string, Handler][] = [];
  const server = createServer((req, res) => {
    // The longest matching prefix wins, so a test can override part of a route.
    const routed = routes
      .filter(([prefix]) => req.url?.startsWith(prefix))
      .sort((a, b) => b[0].length - a[0].length)[0];
    if (routed) {
      routed[1](req, res);
      return;
    }
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const handler = queue.length > 1 ? queue.shift() : queue[0];
    if (!handler) {
      res.writeHead(500).end('no handler');
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(...next: Handler[]) {
      queue = next;
    },
    /** Requests under `prefix` go to `handler` (and are not in `requests`): a CDN beside the feed. */
    route(prefix: string, handler: Handler) {
      routes.push([prefix, handler]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

export const status =
  (code: number, headers: Record<string, string> = {}, body = ''): Handler =>
  (_req, res) => {
    res.writeHead(code, headers);
    res.end(body);
  };

/** A 200 that declares 100 bytes, sends 10, then drops the connection: a body cut off mid-way. */
export const cutOffBody: Handler = (_req, res) => {
  res.writeHead(200, { 'content-length': '100' });
  res.write('x'.repeat(10));
  setImmediate(() => res.socket?.destroy());
};
