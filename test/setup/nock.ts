import nock from 'nock';
import { afterEach } from 'vitest';

/**
 * No test reaches the internet: nock sees Node's http and global fetch (which the HTTP
 * client uses), and refuses any host but loopback, where the end-to-end tests keep their
 * real servers. Hosts come as `host:port` (an IPv6 one without brackets).
 */
export const LOOPBACK = /^(?:127\.0\.0\.1|localhost|\[?::1\]?)(?::\d+)?$/;

nock.disableNetConnect();
nock.enableNetConnect(LOOPBACK);

afterEach(() => {
  nock.cleanAll();
});
