import { Agent, type Dispatcher } from 'undici';
import { guardedLookup } from './address.js';

/**
 * The dispatcher for URLs the feed names (images, redirects): connect timeout and the guarded
 * lookup. Its own module, imported on first use: undici's Agent is the largest code a sync
 * would load, and a poll whose feed never leaves its origin needs none.
 */
export function createGuardedDispatcher(timeoutMs: number, allowPrivate: boolean): Dispatcher {
  return new Agent({ connect: { timeout: timeoutMs, lookup: guardedLookup(allowPrivate) } });
}
