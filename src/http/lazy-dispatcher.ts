import type { Dispatcher } from 'undici';
import { DropmarkSyncError } from '../errors.js';
import type { Logger } from '../log.js';

export interface LazyDispatcher {
  /** The dispatcher, made on the first call; the same promise after. */
  get: () => Promise<Dispatcher>;
  /** Closes what was made. Never throws: a dispatcher that could not be made was that request's failure. */
  close: () => Promise<void>;
}

/**
 * A dispatcher made on first use (a poll whose feed answers from its own origin loads no undici)
 * and closed once at the end of the run, whatever happened: a run whose dispatcher could not be
 * made (its module gone after an upgrade in place) still releases the site's lock, and a task
 * that asks after the end gets an error instead of a new Agent nobody would close.
 */
export function lazyDispatcher(make: () => Promise<Dispatcher>, logger: Logger): LazyDispatcher {
  let made: Promise<Dispatcher> | undefined;
  let closed = false;
  return {
    get: () => {
      if (closed) return Promise.reject(new DropmarkSyncError('the sync has ended; no new request starts'));
      made ??= make();
      return made;
    },
    close: async () => {
      closed = true;
      const dispatcher = await made?.catch((error: unknown) => {
        logger.debug({ err: error }, 'the dispatcher was never made; nothing to close');
        return undefined;
      });
      await dispatcher?.close().catch((error: unknown) => {
        logger.debug({ err: error }, 'closing the dispatcher failed; its sockets end with the process');
      });
    },
  };
}
