import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';

/** One entry of a folder whose name is UTF-8 (every name the tool writes is). */
export interface NamedEntry {
  name: string;
  dirent: Dirent<Buffer>;
}

export interface FolderListing {
  entries: NamedEntry[];
  /** Names that are not UTF-8, escaped for a message (`\xff\xfe.md`): never a file of the tool's. */
  notUtf8: string[];
}

/**
 * A folder's entries read by their raw names. Node decodes a name that is not UTF-8 with
 * replacement characters, a name no file has: opening it fails, and one such file (a person's,
 * an archive's) would fail every read of the folder. Such names are set apart instead.
 * Throws what readdir throws (ENOENT for a missing folder).
 */
export async function listFolder(dir: string): Promise<FolderListing> {
  const listing: FolderListing = { entries: [], notUtf8: [] };
  for (const dirent of await readdir(dir, { withFileTypes: true, encoding: 'buffer' })) {
    const name = utf8Name(dirent.name);
    if (name === undefined) listing.notUtf8.push(escapedName(dirent.name));
    else listing.entries.push({ name, dirent });
  }
  return listing;
}

/** The name as text, or undefined when its bytes are not UTF-8 (decoding would not give them back). */
export function utf8Name(raw: Buffer): string | undefined {
  const name = raw.toString('utf8');
  return Buffer.byteLength(name) === raw.length && Buffer.from(name).equals(raw) ? name : undefined;
}

/** Printable ASCII as it is, every other byte (and the backslash) as `\xHH`: safe on any terminal and in any log. */
export function escapedName(raw: Uint8Array): string {
  let out = '';
  for (const byte of raw) {
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
