import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The tool's schemas use zod/mini, the tree-shakable form of zod: the classic API builds every
 * schema with all of its methods, which cost `status` and a cron poll ~15 ms of start-up
 * (bench/RESULTS.md). zod/mini carries no messages of its own ("Invalid input"), so each module
 * with a schema imports this one for its effect: English messages, set once. (Re-exporting the
 * `z` namespace from here would defeat esbuild's tree-shaking and bundle every locale.)
 */
config(en());
