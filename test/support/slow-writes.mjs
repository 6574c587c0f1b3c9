// Loaded with `node --import` by the crash harness: every rename, link and removal waits
// SLOW_WRITES_MS first, so a SIGKILL lands between a written temp file and its rename (or, for a
// new file, its link to the new name). The
// product has no hook for this; the test slows the file system under it.
import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';

const ms = Number(process.env.SLOW_WRITES_MS ?? 0);
if (ms > 0) {
  const { rename, link, unlink } = fs;
  fs.rename = async (...args) => {
    await delay(ms);
    return rename(...args);
  };
  fs.link = async (...args) => {
    await delay(ms);
    return link(...args);
  };
  fs.unlink = async (...args) => {
    await delay(ms);
    return unlink(...args);
  };
  syncBuiltinESMExports();
}
