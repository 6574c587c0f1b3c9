#!/usr/bin/env node
// Prints the per-file table for bench/MUTATION.md from Stryker JSON reports (later reports
// win for a file they also hold): node scripts/mutation-table.mjs reports/mutation/mutation.json
import { readFileSync } from 'node:fs';

const files = new Map();
for (const report of process.argv.slice(2)) {
  for (const [file, data] of Object.entries(JSON.parse(readFileSync(report, 'utf8')).files))
    files.set(file, data.mutants);
}
const rows = [];
const all = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 };
for (const [file, mutants] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
  const n = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, Ignored: 0 };
  for (const m of mutants) if (m.status in n) n[m.status]++;
  for (const k of Object.keys(n)) all[k] += n[k];
  rows.push(row(file, n));
}
rows.push(row('**all**', all));
console.log('| file | score % | killed | timeout | survived | no coverage | ignored (marked equivalent) |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(r);

function row(name, n) {
  const detected = n.Killed + n.Timeout;
  const valid = detected + n.Survived + n.NoCoverage;
  const score = valid === 0 ? 'n/a' : ((100 * detected) / valid).toFixed(2);
  return `| ${name} | ${score} | ${n.Killed} | ${n.Timeout} | ${n.Survived} | ${n.NoCoverage} | ${n.Ignored} |`;
}
