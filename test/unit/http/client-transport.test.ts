import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardedDispatcher } from '../../../src/http/guarded-agent.js';
import { createHttpClient, type GetOptions } from '../../../src/http/client.js';
import type { HttpError } from '../../../src/http/errors.js';
import { cutOffBody, startServer, status } from '../../support/feed-server.js';
import { feedGetOptions } from '../../support/get-options.js';

/**
 * The transport itself, against a real loopback server, with nock loaded (the setup file)
 * as in every other test: Node 20's own fetch (its bundled undici 6) runs on the Agent of
 * the npm undici 7 package, and nock's pass-through to loopback keeps that dispatcher.
 */
let server: Awaited<ReturnType<typeof startServer>>;
const plain = new Agent();
const guarded = createGuardedDispatcher(2000, false);
beforeAll(async () => {
  server = await startServer(status(200, {}, 'ok'));
});
afterAll(async () => {
  await server.close();
  await Promise.all([plain.close(), guarded.close()]);
});

const options = (over: Partial<GetOptions<string>> = {}) => feedGetOptions(server.url, over);

const client = (dispatcher = plain) =>
  createHttpClient({
    dispatcher,
    guardedDispatcher: guarded,
    allowPrivateNetworks: false,
    now: Date.now,
    random: () => 0,
  });

describe('fetch with an undici Agent as dispatcher (Node 20)', () => {
  it('connects through the Agent given: its lookup is the one asked', async () => {
    const asked: string[] = [];
    const lookup = ((hostname: string, _options: object, callback: (...args: unknown[]) => void) => {
      asked.push(hostname);
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    }) as unknown as LookupFunction;
    const recording = new Agent({ connect: { lookup } });
    try {
      server.answer(status(200, {}, 'via the recording agent'));
      const url = `${server.url.replace('127.0.0.1', 'localhost')}/feed.json`;
      const got = await client(recording).get(url, options({ trustedOrigin: new URL(url).origin }));
      expect(got).toBe('via the recording agent');
      expect(asked).toEqual(['localhost']);
    } finally {
      await recording.close();
    }
  });

  it(
    'a redirect to a name that resolves to loopback is refused by the guarded lookup; ' + 'nothing reaches it',
    async () => {
      const internal: string[] = [];
      server.route('/internal', (req, res) => {
        internal.push(String(req.url));
        res.end('INTERNAL');
      });
      server.answer(status(302, { location: `${server.url.replace('127.0.0.1', 'localhost')}/internal` }));
      const error = (await client()
        .get(`${server.url}/feed.json`, options())
        .catch((e: unknown) => e)) as HttpError;
      expect(error).toMatchObject({ kind: 'refused', code: 'EPRIVATEADDR', retryable: false });
      expect(error.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private or local address; refused/);
      expect(internal).toEqual([]);
    },
  );

  it('a body cut off mid-way is a network failure, retried', async () => {
    server.answer(cutOffBody, status(200, {}, 'whole'));
    const warned: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (_o: object, msg?: string) => warned.push(String(msg)) };
    const got = await createHttpClient({
      dispatcher: plain,
      guardedDispatcher: guarded,
      allowPrivateNetworks: false,
      now: Date.now,
      logger,
      random: () => 0,
    }).get(`${server.url}/feed.json`, options());
    expect(got).toBe('whole');
    expect(warned).toEqual([
      expect.stringMatching(
        /^feed request failed, will retry: the answer from 127\.0\.0\.1:\d+ was cut off \(UND_ERR_SOCKET\)$/,
      ),
    ]);
  });
});
