/**
 * The bench's loopback Dropmark: one server for the feed and, under /cdn/, a FakeCdn for the
 * images. Every `resign()` signs each image URL afresh, as Dropmark does between two polls, so a
 * no-op sync sees a feed whose bytes changed though its items did not.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FakeCdn } from '../test/support/cdn.js';
import { startServer } from '../test/support/feed-server.js';
import { feedJson, type SyntheticItem } from '../test/support/synthetic.js';

type Server = Awaited<ReturnType<typeof startServer>>;

export class BenchFeed {
  readonly cdn: FakeCdn;
  /** The feed's bytes as last served. */
  body = Buffer.alloc(0);
  /** How many requests were answered 304 Not Modified. */
  notModified = 0;
  private items: readonly SyntheticItem[] = [];
  private etag: string | undefined;
  private generation = 0;

  private constructor(private readonly server: Server) {
    this.cdn = new FakeCdn(() => server.url);
    server.route('/cdn/', this.cdn.handler);
    server.answer((req, res) => this.answer(req, res));
  }

  static async start(): Promise<BenchFeed> {
    return new BenchFeed(await startServer());
  }

  get url(): string {
    return `${this.server.url}/feed.json`;
  }

  /** Serves `items`, freshly signed; with `etag`, a request that sends it back gets 304. */
  serve(items: readonly SyntheticItem[], etag?: string): void {
    this.items = items;
    this.etag = etag;
    this.resign();
  }

  /** New signatures on every image URL (a later Expires, so a different Signature). */
  resign(): void {
    this.generation += 1;
    const ttl = 3600 + this.generation;
    this.body = Buffer.from(feedJson(this.items, (p) => this.cdn.sign(p, ttl)));
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    // The request log would keep every request's headers for the whole bench.
    this.server.requests.length = 0;
    if (this.etag !== undefined && req.headers['if-none-match'] === this.etag) {
      this.notModified += 1;
      res.writeHead(304, { etag: this.etag }).end();
      return;
    }
    const headers = { 'content-type': 'application/json', 'content-length': String(this.body.length) };
    res.writeHead(200, this.etag === undefined ? headers : { ...headers, etag: this.etag }).end(this.body);
  }
}
