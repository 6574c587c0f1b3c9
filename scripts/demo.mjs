// Offline demo: serves the bundled sample feed (41 real items) and a stand-in for Dropmark's
// image CDN on 127.0.0.1, then runs the built CLI against them with config/demo.yaml,
// writing into output/ (the default site dir). Run: npm run demo
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

const PORT = Number(process.env.DEMO_PORT ?? 47613);
const feed = JSON.parse(
  await readFile(new URL('../test/fixtures/healthcareguys-2019-05-09/feed.json', import.meta.url), 'utf8'),
);

// The feed's thumbnails are real signed URLs of 2019, long dead: point them at this server,
// signed one hour ahead as Dropmark does, and serve a small placeholder image for each.
const images = {
  '.jpg': [
    'image/jpeg',
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP////////////////////////////////////////////////////////' +
      '//////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  ],
  '.png': [
    'image/png',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  ],
  '.gif': ['image/gif', 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'],
  '.svg': [
    'image/svg+xml',
    Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1" fill="#09f"/></svg>',
    ).toString('base64'),
  ],
};
const typeOf = (path) =>
  images[(/\.[a-z]+$/i.exec(path)?.[0] ?? '.jpg').toLowerCase().replace('.jpeg', '.jpg')] ?? images['.jpg'];

function currentFeed() {
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const items = feed.items.map((item) => {
    if (!item.thumbnail) return item;
    const path = new URL(item.thumbnail).pathname;
    return {
      ...item,
      thumbnail: `http://127.0.0.1:${PORT}/cdn${path}?Expires=${expires}&Signature=demo&Key-Pair-Id=DEMO`,
    };
  });
  return JSON.stringify({ ...feed, items });
}

const server = createServer((req, res) => {
  const path = req.url?.split('?')[0] ?? '/';
  if (path === '/616548.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(currentFeed());
  } else if (path.startsWith('/cdn/')) {
    const [type, base64] = typeOf(path);
    res.writeHead(200, { 'content-type': type }).end(Buffer.from(base64, 'base64'));
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
}).catch((error) => {
  process.stderr.write(`demo: cannot listen on 127.0.0.1:${PORT} (${error.code}); set DEMO_PORT to a free port\n`);
  process.exit(1);
});
process.stderr.write(`demo: serving the sample feed and its images on http://127.0.0.1:${PORT}/\n`);

const cli = new URL('../dist/cli.js', import.meta.url).pathname;
const args = [
  'sync',
  '--config',
  'config/demo.yaml',
  '--endpoint',
  `http://127.0.0.1:${PORT}/616548.json`,
  ...process.argv.slice(2),
];
const child = spawn(process.execPath, [cli, ...args], { stdio: 'inherit' });
const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
server.close();
process.stderr.write('demo: posts in output/content/post/, images in output/static/img/content/post/.\n');
process.stderr.write('demo: run "npm run demo" again: the feed comes re-signed, and nothing changes.\n');
process.exitCode = code;
