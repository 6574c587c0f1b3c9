// Fails when a tracked .ts, .mjs or .js file under src/, test/, bench/ or scripts/ has a line over MAX_LENGTH
// characters (npm test runs it).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX_LENGTH = 120;

// Lines that may stay long: a file, a substring of the line, and why.
const ALLOWED = [];

const FOLDERS = ['src', 'test', 'bench', 'scripts'];
const EXTENSIONS = ['.ts', '.mjs', '.js'];

const files = execFileSync('git', ['ls-files', '-z', '--', ...FOLDERS], { encoding: 'utf8' })
  .split('\0')
  .filter((file) => EXTENSIONS.some((extension) => file.endsWith(extension)));

let failures = 0;
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split(/\r?\n/);
  lines.forEach((line, index) => {
    const length = [...line].length;
    if (length <= MAX_LENGTH) return;
    if (ALLOWED.some((a) => a.file === file && line.includes(a.substring))) return;
    failures += 1;
    console.log(`${file}:${index + 1}: ${length} characters (max ${MAX_LENGTH})`);
  });
}

if (failures > 0) {
  console.error(`check-lines: ${failures} line(s) in ${FOLDERS.join('/, ')}/ longer than ${MAX_LENGTH} characters`);
  process.exit(1);
}
