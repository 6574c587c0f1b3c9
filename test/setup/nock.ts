import nock from 'nock';
import { afterEach, expect } from 'vitest';

/**
 * No test reaches the internet: nock sees Node's http and global fetch (which the HTTP
 * client uses), and refuses any host but loopback, where the end-to-end tests keep their
 * real servers. Hosts come as `host:port` (an IPv6 one without brackets).
 */
export const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[?::1\]?)(?::\d+)?$/;

nock.disableNetConnect();
nock.enableNetConnect(LOOPBACK);

// Every answer a test set up must have been asked for: one that was not is a request the code
// under test no longer makes. A test that means to leave one checks and cleans it itself.
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending, 'every nock answer set up was asked for').toEqual([]);
});
