// Fails when a function in src/ is longer than MAX_LINES and not listed below with its reason
// (npm test runs it). A function longer than a screen is a design smell: split it into named steps.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const MAX_LINES = 60;

// Functions that may stay long: file, name, and why (the same reason is in the comment above each).
const ALLOWED = [
  {
    file: 'src/commands/init-templates.ts',
    name: 'workflowText',
    why: 'one YAML document, read as the file it writes',
  },
  { file: 'src/render/yaml-emitter.ts', name: 'analyzeScalar', why: "follows libyaml's C function line for line" },
];

const files = execFileSync('git', ['ls-files', '-z', 'src'], { encoding: 'utf8' })
  .split('\0')
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'));

let failures = 0;
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name?.getText() ?? '(anonymous)';
      if (last - first + 1 > MAX_LINES && !ALLOWED.some((a) => a.file === file && a.name === name)) {
        failures += 1;
        console.log(`${file}:${first + 1}: ${name} is ${last - first + 1} lines (max ${MAX_LINES})`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

if (failures > 0) {
  console.error(`check-functions: ${failures} function(s) in src/ longer than ${MAX_LINES} lines; split them`);
  process.exit(1);
}
