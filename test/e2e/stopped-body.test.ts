import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const NODE_GET = pathToFileURL(path.resolve(import.meta.dirname, '../../dist/http/node-get.js')).href;

/**
 * The endpoint's GET (dist/http/node-get.js) in a process of its own: nock, which every test process loads,
 * stands between Node's http client and its socket, and there a body is never held the way this needs. The
 * whole body has come, partly unread (a stream holds ~128 kB before it pauses the socket), when the stop comes.
 */
const PROGRAM = `
import { createServer } from 'node:http';
import { nodeGet } from ${JSON.stringify(NODE_GET)};
const body = 'x'.repeat(150000);
let flushed;
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-length': String(body.length) });
  flushed = new Promise((resolve) => res.end(body, () => resolve()));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const stop = new AbortController();
const answer = await nodeGet(new URL('http://127.0.0.1:' + server.address().port + '/feed.json'), {}, stop.signal);
await flushed;
// Turns of the loop, not of the clock: once the server has flushed them, the bytes wait in this process's socket.
for (let turn = 0; turn < 3; turn++) await new Promise(setImmediate);
stop.abort(new Error('the deadline'));
const { text } = await import('node:stream/consumers');
const read = await text(answer.body).then((t) => ({ length: t.length }), (e) => ({ error: e.message }));
server.closeAllConnections();
server.close();
process.stdout.write(JSON.stringify(read));
`;

it('a stop after the whole body came fails the body: none of it is dropped in silence', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', PROGRAM]);
  expect(JSON.parse(stdout)).toEqual({ error: 'the request was stopped' });
});
