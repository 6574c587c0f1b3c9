import { createRequire as __dmsRequire } from 'node:module'; const require = __dmsRequire(import.meta.url);

// src/site/stat-worker.ts
import { parentPort, workerData } from "node:worker_threads";

// src/site/stat-numbers.ts
import { lstatSync } from "node:fs";
var NUMBERS_PER_FILE = 4;
var GONE_IS_UNDEFINED = { throwIfNoEntry: false };
function statInto(numbers2, i, file) {
  const s = lstatSync(file, GONE_IS_UNDEFINED);
  const at = i * NUMBERS_PER_FILE;
  numbers2[at] = s?.size ?? -1;
  numbers2[at + 1] = s?.ino ?? -1;
  numbers2[at + 2] = s?.mtimeMs ?? -1;
  numbers2[at + 3] = s?.ctimeMs ?? -1;
}
function statTable(folder2, names2) {
  const pathOf = pathMaker(folder2, names2);
  const numbers2 = new Float64Array(names2.length * NUMBERS_PER_FILE);
  return { numbers: numbers2, stat: (name, i) => statInto(numbers2, i, pathOf(name)) };
}
function statNumbersNow(folder2, names2) {
  const { numbers: numbers2, stat } = statTable(folder2, names2);
  for (const [i, name] of names2.entries()) stat(name, i);
  return numbers2;
}
var NOT_ASCII = /[^\x00-\x7f]/;
function pathMaker(folder2, names2) {
  if (!names2.some((name) => NOT_ASCII.test(name))) return (name) => folder2 + name;
  const start = Buffer.byteLength(folder2);
  const file = Buffer.alloc(start + names2.reduce((longest, n) => Math.max(longest, n.length), 0));
  file.write(folder2);
  return (name) => file.subarray(0, start + file.write(name, start, "latin1"));
}

// src/site/stat-worker.ts
var { folder, names } = workerData;
var numbers = statNumbersNow(folder, names);
parentPort?.postMessage(numbers, [numbers.buffer]);
