import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Handler } from './feed-server.js';

/**
 * A loopback stand-in for Dropmark's CloudFront: URLs carry `Expires` and `Signature`; an
 * expired or wrongly signed URL gets 403, as the real CDN answers.
 */
export class FakeCdn {
  readonly objects = new Map<string, { body: Buffer; type: string }>();
  readonly hits: string[] = [];
  /** Bytes appended to every object's body (the benchmark's large images share one buffer). */
  suffix: Buffer | undefined;
  /** Each object is served once, then answers 404 (old thumbnails often stop working). */
  serveOnce = false;
  /**
   * Milliseconds before each answer, as a distant CDN takes (0: at once). A timer, not a busy
   * wait, so many requests wait at the same time, as they would on a real network.
   */
  latencyMs = 0;
  constructor(private readonly base: () => string) {}

  put(path: string, body: Buffer, type = 'image/jpeg'): void {
    this.objects.set(path, { body, type });
  }

  /** A signed URL for `path`, valid `ttlSeconds` from now (negative: already expired). */
  sign(path: string, ttlSeconds = 3600): string {
    const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
    return `${this.base()}${path}?Expires=${expires}&Signature=${signature(path, expires)}&Key-Pair-Id=APKTEST`;
  }

  readonly handler: Handler = (req, res) => {
    if (this.latencyMs > 0) setTimeout(() => this.answer(req, res), this.latencyMs);
    else this.answer(req, res);
  };

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    this.hits.push(url.pathname);
    const expires = Number(url.searchParams.get('Expires'));
    if (
      !expires ||
      expires * 1000 < Date.now() ||
      url.searchParams.get('Signature') !== signature(url.pathname, expires)
    ) {
      res.writeHead(403, { 'content-type': 'text/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const object = this.objects.get(url.pathname);
    if (!object) {
      res.writeHead(404).end();
      return;
    }
    if (this.serveOnce) this.objects.delete(url.pathname);
    const length = object.body.length + (this.suffix?.length ?? 0);
    res.writeHead(200, { 'content-type': object.type, 'content-length': length });
    if (this.suffix) res.write(object.body);
    res.end(this.suffix ?? object.body);
  }
}

function signature(path: string, expires: number): string {
  return createHmac('sha256', 'test-key').update(`${path}:${expires}`).digest('base64url');
}
