import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nock from 'nock';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DropmarkSyncError } from '../../../src/errors.js';
import {
  downloadImage,
  type DownloadDeps,
  type DownloadOptions,
  type ImageSink,
} from '../../../src/images/download.js';
import { ImageError } from '../../../src/images/image-error.js';
import { JPEG, PNG, SVG } from '../../support/images.js';

const CDN = 'https://cdn2.dropmarkusercontent.com';
const IMAGE = `${CDN}/353804/7c81/thumbnail/first.jpg`;

const options: DownloadOptions = {
  allowedHosts: ['*.dropmarkusercontent.com'],
  allowHttp: false,
  allowPrivateNetworks: false,
  maxBytes: 1000,
  timeoutMs: 5000,
  retries: 2,
  retryDelayMs: 1,
  maxRetryAfterMs: 1000,
  svg: 'refuse',
};

const agent = new Agent();
let dir: string;
let sink: ImageSink;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dms-download-'));
  let n = 0;
  sink = {
    create: () => {
      const file = path.join(dir, `staged-${n++}`);
      return { path: file, stream: createWriteStream(file) };
    },
    discard: (file) => rm(file, { force: true }),
  };
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterAll(() => agent.close());

const deps = (over: Partial<DownloadDeps> = {}): DownloadDeps => ({ dispatcher: agent, now: Date.now, sink, ...over });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('the image was downloaded'),
    (e: unknown) => e as ImageError,
  );
const image = () => nock(CDN).get('/353804/7c81/thumbnail/first.jpg');

describe('downloadImage', () => {
  it('stages the bytes, with their hash, size and sniffed type (a PNG at .jpg is a PNG)', async () => {
    image().reply(200, PNG);
    const got = await downloadImage(IMAGE, options, deps());
    expect(got).toMatchObject({ size: PNG.length, type: { ext: '.png' } });
    expect(await readFile(got.path)).toEqual(PNG);
  });

  it('retries a 503, then takes the image', async () => {
    image().reply(503).get('/353804/7c81/thumbnail/first.jpg').reply(200, JPEG);
    expect((await downloadImage(IMAGE, options, deps())).type.ext).toBe('.jpg');
  });

  it('a 403 means the signature died: expired, not retried', async () => {
    image().reply(403);
    const error = await failure(downloadImage(IMAGE, options, deps()));
    expect(error).toBeInstanceOf(ImageError);
    expect(error).toBeInstanceOf(DropmarkSyncError);
    expect(error).toMatchObject({
      expired: true,
      retryable: false,
      message: 'HTTP 403 (the signed URL has probably expired)',
    });
  });

  it('a 429 that stays: the last Retry-After is kept on the error', async () => {
    image().times(3).reply(429, '', { 'retry-after': '0' });
    const error = await failure(downloadImage(IMAGE, options, deps()));
    expect(error).toMatchObject({ message: 'HTTP 429', expired: false, retryable: true, retryAfterMs: 0 });
  });

  it('an expired signature is known before any request', async () => {
    const error = await failure(downloadImage(`${IMAGE}?Expires=1557430063&Signature=x`, options, deps()));
    expect(error).toMatchObject({ expired: true, message: 'the signed URL has expired' });
  });

  it('a redirect to a host not allowed is refused, and nothing is asked of it', async () => {
    image().reply(302, '', { location: 'https://evil.example.net/x.jpg' });
    expect((await failure(downloadImage(IMAGE, options, deps()))).message).toBe(
      'host evil.example.net is not in the allowed hosts (images.allowedHosts)',
    );
  });

  it('a redirect to http is refused unless images.allowHttp', async () => {
    image().reply(302, '', { location: 'http://cdn3.dropmarkusercontent.com/x.jpg' });
    expect((await failure(downloadImage(IMAGE, options, deps()))).message).toMatch(
      /^http: URLs are refused; images are fetched over https only/,
    );
  });

  it('an oversized body leaves no staged file, names images.maxBytes, and is not retried', async () => {
    image().reply(200, Buffer.concat([JPEG, Buffer.alloc(2000)]));
    const error = await failure(downloadImage(IMAGE, options, deps()));
    expect(error).toMatchObject({ message: 'the image is larger than 1000 bytes (images.maxBytes)', retryable: false });
    expect(await readdir(dir)).toEqual([]);
  });

  it('bytes that are not an image are refused, and leave no staged file', async () => {
    image().reply(200, '<!doctype html><html>sign in</html>');
    expect((await failure(downloadImage(IMAGE, options, deps()))).message).toMatch(/not an image/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('an SVG is refused by default', async () => {
    image().reply(200, SVG);
    expect((await failure(downloadImage(IMAGE, options, deps()))).message).toMatch(/^SVG refused/);
  });

  it('a disk that fails while staging is said as such, not as a network failure', async () => {
    image().reply(200, JPEG);
    const full: ImageSink = {
      create: () => ({ path: path.join(dir, 'x'), stream: createWriteStream(path.join(dir, 'no-such-dir', 'x')) }),
      discard: async () => {},
    };
    const error = await failure(downloadImage(IMAGE, options, deps({ sink: full })));
    expect(error).toMatchObject({ code: 'ENOENT' });
  });
});
