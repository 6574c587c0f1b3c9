import { en } from 'zod/locales';
import * as z from 'zod/mini';

/**
 * zod/mini, the tree-shakable form of zod: the classic API builds every schema with all of its
 * methods, which cost `status` and a cron poll ~15 ms of start-up (bench/RESULTS.md). It carries
 * no messages of its own ("Invalid input"), so English is set here, once, for every schema:
 * import `z` from this module, not from zod.
 */
z.config(en());

export { z };
