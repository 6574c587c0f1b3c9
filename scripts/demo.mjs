// Offline demo: serves the bundled sample feed (41 real items) on 127.0.0.1 and runs the
// built CLI against it, writing into output/ (the default site dir). Run: npm run demo
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const feed = await readFile(new URL('../test/fixtures/healthcareguys-2019-05-09/feed.json', import.meta.url));
const server = createServer((req, res) => {
  if (req.url?.split('?')[0] === '/616548.json') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(feed);
  } else {
    res.writeHead(404).end();
  }
});
// A fixed port keeps source.apiendpoint, and so the files, the same from run to run.
const DEMO_PORT = Number(process.env.DEMO_PORT ?? 47613);
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(DEMO_PORT, '127.0.0.1', resolve);
}).catch((error) => {
  process.stderr.write(`demo: cannot listen on 127.0.0.1:${DEMO_PORT} (${error.code}); set DEMO_PORT to a free port\n`);
  process.exit(1);
});
const { port } = server.address();
const endpoint = `http://127.0.0.1:${port}/616548.json`;
process.stderr.write(`demo: serving the sample feed at ${endpoint}\n`);

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const child = spawn(process.execPath, [cli, 'sync', '--endpoint', endpoint, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
server.close();
process.stderr.write(`demo: the files are in output/content/post/; run "npm run demo" again and nothing changes.\n`);
process.exitCode = code;
