// Loaded with `node --import`: prints every module URL the process loads to stderr, one
// "loaded: URL" line each, so a test can see what a command pays for at start-up.
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      process.stderr.write('loaded: ' + result.url + '\\n');
      return result;
    }`),
);
