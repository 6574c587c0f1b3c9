import { parentPort, workerData } from 'node:worker_threads';
import { statNumbersNow } from './stat-numbers.js';

/**
 * A worker thread's whole work (site/fingerprint.ts starts it for a large folder): the stat picture's numbers of one
 * folder, handed back as their buffer. Its data comes from the tool's main thread, never from a file.
 */
const { folder, names } = workerData as { folder: string; names: string[] };
const numbers = statNumbersNow(folder, names);
parentPort?.postMessage(numbers, [numbers.buffer]);
