// Loaded with `node --import` by the crash harness: every rename and removal waits
// SLOW_WRITES_MS first, so a SIGKILL lands between a written temp file and its rename. The
// product has no hook for this; the test slows the file system under it.
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';

const ms = Number(process.env.SLOW_WRITES_MS ?? 0);
if (ms > 0) {
  const { rename, unlink } = fs;
  fs.rename = async (...args) => {
    await delay(ms);
    return rename(...args);
  };
  fs.unlink = async (...args) => {
    await delay(ms);
    return unlink(...args);
  };
  syncBuiltinESMExports();
}
