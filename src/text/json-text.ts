import { describeError } from '../errors.js';
import * as z from 'zod/mini';
import './zod-english.js';

/**
 * JSON text as a zod schema, to pipe into the schema of a file read back from disk: broken
 * syntax and a wrong shape are then one failure, handled in one place by the reader.
 */
export const jsonText = z.pipe(
  z.string(),
  z.transform((text, ctx): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      ctx.issues.push({ code: 'custom', message: `not JSON (${describeError(error)})`, input: text });
      return z.NEVER;
    }
  }),
);
