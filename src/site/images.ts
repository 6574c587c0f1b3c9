import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import path from 'node:path';
import { safeName } from '../images/manifest.js';
import { readSiteText } from './read.js';

export interface ImageDirSnapshot {
  /** Regular files the tool could have written (symlinks and other names left out). */
  names: Set<string>;
  manifestText: string | undefined;
}

/** What is in the images folder now, and the manifest's text. */
export async function readImageDir(siteDir: string, relDir: string, manifestRelPath: string): Promise<ImageDirSnapshot> {
  const names = new Set<string>();
  try {
    for (const entry of await readdir(path.join(siteDir, relDir), { withFileTypes: true })) {
      if (entry.isFile() && safeName(entry.name)) names.add(entry.name);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { names, manifestText: await readSiteText(siteDir, manifestRelPath) };
}

/** sha256 of files in the images folder, for the few that were downloaded again. */
export async function hashImages(siteDir: string, relDir: string, names: Iterable<string>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of names) {
    try {
      const handle = await open(path.join(siteDir, relDir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        out.set(name, createHash('sha256').update(await handle.readFile()).digest('hex'));
      } finally {
        await handle.close();
      }
    } catch {
      // unreadable or gone: it will be written
    }
  }
  return out;
}

