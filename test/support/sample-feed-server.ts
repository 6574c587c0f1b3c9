import { afterEach, beforeEach } from 'vitest';
import { json, startServer, type TestServer } from './feed-server.js';
import { sampleFeed } from './fixtures.js';

/**
 * A fresh loopback server answering with the 41-item sample feed for each test of the file;
 * `use` receives it and its feed URL. Closed after each test (closing twice is harmless).
 */
export function useSampleFeedServer(use: (server: TestServer, endpoint: string) => void): void {
  let current: TestServer | undefined;
  beforeEach(async () => {
    current = await startServer(json(sampleFeed()));
    use(current, `${current.url}/616548.json`);
  });
  afterEach(async () => {
    await current?.close();
  });
}
