import path from 'node:path';
import { SyncRefusedError } from '../errors.js';
import { TEMP_PREFIX, TEMP_SUFFIX } from '../fs/atomic-write.js';
import { mapInTurns } from '../fs/in-turns.js';
import { readNoFollow, readNoFollowSync } from '../fs/no-follow.js';
import { itemIdFromEditUrl, MANAGED_KEYS } from '../frontmatter/post-keys.js';
import { listFolder, type FolderListing } from './dir-names.js';
import {
  dateAsText,
  frontMatterUnreadable,
  parseFrontMatter,
  parsedOrUndefined,
  quickFrontMatter,
  type ParsedFile,
  type QuickFields,
} from '../frontmatter/read-front-matter.js';
import { lfView, withLfLines, type LineEnd } from '../text/line-ends.js';
import { ownCopy } from '../text/own-copy.js';
import { textHashOf } from '../text/text-hash.js';

/** A Markdown file already in the content dir. */
export interface ExistingFile {
  /** File name without `.md`. */
  name: string;
  /** Path relative to the site dir, with `/`. */
  relPath: string;
  /**
   * The file's text with LF line breaks: what the tool compares with what it would write. Undefined in a compact
   * read (readSiteCompact): a file of only the tool's keys is held as its fields and `textHash`, and its text
   * is read again only when the sync would change it (sync/file-texts.ts).
   */
  text: string | undefined;
  /**
   * A compact file's SHA-256 of its text (text/text-hash.ts): tells, without the text, whether a rendered post is
   * the file as it is. Undefined when `text` is held.
   */
  textHash: string | undefined;
  /** The file's own line ending (CRLF in a checkout with `core.autocrlf`): a rewrite keeps it. */
  lineEnd: LineEnd;
  /** The item id from `dropmark.editURL`: the tool owns the file. Undefined: a file of someone else. */
  id: string | undefined;
  /** The whole front matter, parsed on first use (most files of a sync never need it). */
  readonly data: Record<string, unknown> | undefined;
  body: string | undefined;
  /** `dropmark.locked: true`: a person took the file over; the tool leaves it alone. */
  locked: boolean;
  /** Keys a person added (not managed by the tool), to be kept on update. */
  readonly extraKeys: Record<string, unknown>;
  socialScore: number | undefined;
  socialScoreSimulated: boolean;
  date: string | undefined;
}

/** A file read whole: its text is held (never compact). */
export type WholeFile = ExistingFile & { text: string; textHash: undefined };

export interface SiteSnapshot<F extends ExistingFile = ExistingFile> {
  files: F[];
  /** Leftover temp files of an interrupted sync (ours by name), to clean up. */
  strayTempFiles: string[];
  /** Things passed over, for the log: symlinks, unreadable front matter. */
  warnings: string[];
  /**
   * Files whose front matter could not be read (they are left alone). `id`: the item it names
   * in a `dropmark.editURL:` line, when it looks like the tool's: that item fails, named with the
   * file, until a person repairs it (never a second file for it).
   */
  unreadable: { relPath: string; reason: string; text: string; id?: string }[];
  /** Names (without `.md`) taken by something that is not a regular file: a folder, a symlink. Never written. */
  blocked: string[];
  /** Paths of `.md` files whose names are not UTF-8, escaped (`content/post/\xff.md`): never the tool's, left alone. */
  notUtf8: string[];
}

/**
 * Reads every `*.md` directly in the content dir, each file whole. Symlinks are never followed (a link
 * planted in the output could point anywhere). A missing content dir is an empty site.
 */
export async function readSite(
  siteDir: string,
  contentDir: string,
  managed: ReadonlySet<string> = MANAGED_KEYS,
): Promise<SiteSnapshot<WholeFile>> {
  const { dir, candidates, snapshot } = await listContent(siteDir, contentDir);
  const files = await mapInTurns(candidates, (candidate) => wholeFile(readText(dir, candidate), snapshot, managed));
  return { ...snapshot, files: byName(files) };
}

/**
 * readSite for a pass, which holds every file at once and leaves most as they are: a file of only the tool's keys
 * (read on the fast path) is held compact, as its fields and the hash of its text, not the text. The files that
 * claim one item together are held whole (which is the tool's is told by their bodies, site/claims.ts).
 */
export async function readSiteCompact(
  siteDir: string,
  contentDir: string,
  managed: ReadonlySet<string> = MANAGED_KEYS,
): Promise<SiteSnapshot> {
  const { dir, candidates, snapshot } = await listContent(siteDir, contentDir);
  const read = (candidate: Candidate): ExistingFile => {
    const text = readText(dir, candidate);
    const quick = quickFrontMatter(text.text, managed);
    return quick ? compactFile(text, quick) : parsedFile(text, snapshot, managed);
  };
  const files = await mapInTurns(candidates, read);
  return { ...snapshot, files: byName(await holdClaimants(files, (file) => readAgain(siteDir, file, managed))) };
}

type Candidate = { name: string; relPath: string };

/** The content folder's listing: the `.md` files to read, and the snapshot of everything else it holds. */
async function listContent(
  siteDir: string,
  contentDir: string,
): Promise<{ dir: string; candidates: Candidate[]; snapshot: Omit<SiteSnapshot, 'files'> }> {
  const dir = path.join(siteDir, contentDir);
  const snapshot: Omit<SiteSnapshot, 'files'> = {
    strayTempFiles: [],
    warnings: [],
    unreadable: [],
    blocked: [],
    notUtf8: [],
  };
  const candidates: Candidate[] = [];
  let listing: FolderListing;
  try {
    listing = await listFolder(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dir, candidates, snapshot };
    throw error;
  }
  const relDir = contentDir.split(path.sep).join('/').replace(/\/+$/, '');
  for (const name of listing.notUtf8.filter((n) => n.endsWith('.md'))) {
    snapshot.notUtf8.push(`${relDir}/${name}`);
    snapshot.warnings.push(`${relDir}/${name}: ${NOT_UTF8}`);
  }
  for (const { name, dirent: entry } of listing.entries) {
    const relPath = `${relDir}/${name}`;
    if (name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX)) {
      if (entry.isFile()) snapshot.strayTempFiles.push(relPath);
      continue;
    }
    if (!name.endsWith('.md')) {
      const taken = nameTakenBy(name, entry.isDirectory());
      if (taken !== undefined) snapshot.blocked.push(taken);
      continue;
    }
    if (entry.isFile()) {
      candidates.push({ name, relPath });
      continue;
    }
    // Like a file of someone else: an item whose slug it is gets another name.
    snapshot.blocked.push(name.slice(0, -'.md'.length));
    const what = entry.isSymbolicLink() ? 'a symbolic link' : entry.isDirectory() ? 'a folder' : 'not a regular file';
    snapshot.warnings.push(`${relPath} is ${what}; left alone`);
  }
  return { dir, candidates, snapshot };
}

/**
 * A content file's text, read in synchronous calls: the folder is read one file after another (mapInTurns), since
 * through libuv's pool each file cost four thread hops (open, stat, read, close): 100k files took ~6 s of wall time
 * and ~8 s of CPU against ~1 s this way on a local disk.
 */
function readText(dir: string, { name, relPath }: Candidate): FileText {
  const { text } = readNoFollowSync(path.join(dir, name));
  return { name: name.slice(0, -'.md'.length), relPath, ...lfView(text) };
}

const byName = <F extends ExistingFile>(files: F[]): F[] =>
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * A file of a compact read, read again whole: a sync needs its text after all. A file that is no longer what the first
 * read found (a person edited, replaced or removed it meanwhile) refuses the sync, nothing written: what the sync
 * decided, it decided from the file as it was.
 */
export function readAgain(siteDir: string, file: ExistingFile, managed: ReadonlySet<string> = MANAGED_KEYS): WholeFile {
  const again = readIfStill(siteDir, file.relPath);
  if (again === undefined || textHashOf(again.text) !== file.textHash) {
    throw new SyncRefusedError(
      `${file.relPath} changed while this sync read the content folder; nothing was written. Run the sync again`,
    );
  }
  // What the folder's read would warn of, the first read did: an unchanged file of only the tool's keys has nothing.
  return wholeFile({ ...again, name: file.name }, { unreadable: [], warnings: [] }, managed);
}

/** The text at `relPath`, or undefined when it is gone or is now a symbolic link or no regular file. */
function readIfStill(siteDir: string, relPath: string): FileText | undefined {
  try {
    return readText(siteDir, { name: relPath, relPath });
  } catch (error) {
    if (MOVED_AWAY.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}

const MOVED_AWAY = new Set(['ENOENT', 'ELOOP', 'ENOTREG']);

/** The files of a compact read that claim one item together, held whole (their bodies tell them apart). */
async function holdClaimants(
  files: ExistingFile[],
  readWholeAgain: (file: ExistingFile) => ExistingFile,
): Promise<ExistingFile[]> {
  const claims = new Map<string, number>();
  for (const file of files) if (file.id !== undefined) claims.set(file.id, (claims.get(file.id) ?? 0) + 1);
  const shared = (file: ExistingFile) => file.text === undefined && (claims.get(file.id ?? '') ?? 0) > 1;
  if (!files.some(shared)) return files;
  return mapInTurns(files, (file) => (shared(file) ? readWholeAgain(file) : file));
}

/**
 * The post name another entry of the content folder stands for, in the built site or on a
 * case-insensitive file system: `contact.MD` (the file `contact.md` would be on macOS or
 * Windows), a person's `contact.markdown` or `contact.html` (the same page to Hugo), a folder
 * `contact/` (a page bundle at the same URL). A post of that name would hide it or replace it.
 */
function nameTakenBy(name: string, isDirectory: boolean): string | undefined {
  if (name.startsWith('.')) return undefined;
  if (isDirectory) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : undefined;
}

/**
 * A small text file of the site (a state file), or undefined when there is none; never through a symlink. With LF
 * lines when all of its lines end in CRLF (a checkout with `core.autocrlf`): a state file that says the same thing
 * is the same, and is not written again.
 */
export async function readSiteText(siteDir: string, relPath: string): Promise<string | undefined> {
  try {
    return withLfLines((await readNoFollow(path.join(siteDir, relPath))).text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Every name the tool writes is UTF-8: a file named otherwise is someone else's, whatever it holds. */
export const NOT_UTF8 = 'the file name is not UTF-8; not a file of this tool, left alone';

/** A content file's name (without `.md`), path and text with LF lines. */
type FileText = { name: string; relPath: string; text: string; lineEnd: LineEnd };

/** The keys a person added to a file of only the tool's keys: none (one frozen object for them all). */
const NO_KEYS: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>);

/** One file of the content dir, held whole: through the fast path when it is one of ours, else parsed in full. */
function wholeFile(
  file: FileText,
  snapshot: Pick<SiteSnapshot, 'unreadable' | 'warnings'>,
  managed: ReadonlySet<string>,
): WholeFile {
  const quick = quickFrontMatter(file.text, managed);
  return quick ? heldQuickFile(file, quick) : parsedFile(file, snapshot, managed);
}

/** A file of only the tool's keys, held as its fields and its text's hash (readSiteCompact). */
function compactFile(file: FileText, quick: QuickFields): ExistingFile {
  return {
    name: file.name,
    relPath: file.relPath,
    text: undefined,
    textHash: textHashOf(file.text),
    lineEnd: file.lineEnd,
    // Copies: a value cut out of the text would keep the whole text in memory (text/own-copy.ts).
    id: ownedOrUndefined(itemIdFromEditUrl(quick.editUrl)),
    data: undefined,
    body: undefined,
    ...quickValues(quick),
    date: ownedOrUndefined(quick.date),
  };
}

/** What a file of only the tool's keys says besides its id, date and body: no lock, no key of a person's. */
function quickValues(quick: QuickFields) {
  return {
    locked: false,
    extraKeys: NO_KEYS,
    socialScore: quick.socialScore,
    socialScoreSimulated: quick.socialScoreSimulated,
  };
}

/** A file of only the tool's keys, held whole; its values parsed only when asked for. */
function heldQuickFile(file: FileText, quick: QuickFields): WholeFile {
  let parsed: ParsedFile | undefined | null = null;
  return {
    ...file,
    textHash: undefined,
    id: itemIdFromEditUrl(quick.editUrl),
    body: quick.body,
    ...quickValues(quick),
    date: quick.date,
    get data() {
      if (parsed === null) parsed = parsedOrUndefined(file.text);
      return parsed?.data;
    },
  };
}

/** Any other file, its front matter parsed in full; one that does not parse is noted in the snapshot. */
function parsedFile(
  file: FileText,
  snapshot: Pick<SiteSnapshot, 'unreadable' | 'warnings'>,
  managed: ReadonlySet<string>,
): WholeFile {
  const { relPath, text } = file;
  let parsed: ParsedFile | undefined;
  try {
    parsed = parseFrontMatter(text);
  } catch (error) {
    const reason = frontMatterUnreadable(error);
    const id = ownerIdOf(text);
    snapshot.unreadable.push({ relPath, reason, text, ...(id === undefined ? {} : { id }) });
    snapshot.warnings.push(`${relPath}: ${reason}; left alone`);
  }
  const data = parsed?.data;
  // No prototype: a hand-added `__proto__` key is a key like any other, kept and written back.
  const extraKeys: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(data ?? {})) if (!managed.has(key)) extraKeys[key] = value;
  const score = data?.['socialScore'];
  return {
    ...file,
    textHash: undefined,
    id: itemIdFromEditUrl(data?.['dropmark.editURL']),
    data,
    body: parsed?.body,
    locked: lockedValue(data?.['dropmark.locked'], relPath, snapshot.warnings),
    extraKeys,
    socialScore: typeof score === 'number' && Number.isInteger(score) ? score : undefined,
    socialScoreSimulated: data?.['socialScoreSimulated'] === true,
    date: stringOrUndefined(dateAsText(data?.['date'])),
  };
}

/**
 * `dropmark.locked: true` locks a file. YAML 1.1's yes/on (what Hugo's older YAML reader took
 * for true, and what a person may well write) lock it too, with a warning to write `true`; any
 * other value does not, and says so, instead of being silently ignored.
 */
const TRUE_WORDS = new Set(['yes', 'on', 'y', 'true']);
const FALSE_WORDS = new Set(['no', 'off', 'n', 'false']);

function lockedValue(value: unknown, relPath: string, warnings: string[]): boolean {
  if (value === true) return true;
  if (value === undefined || value === null || value === false) return false;
  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) {
    warnings.push(
      `${relPath}: dropmark.locked is ${JSON.stringify(value)}, read as true (the file is locked); ` +
        'write dropmark.locked: true',
    );
    return true;
  }
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  warnings.push(
    `${relPath}: dropmark.locked is ${JSON.stringify(value)}, which does not lock the file; ` +
      'only true (or yes/on) does, ' +
      'so the file is synced as usual',
  );
  return false;
}

/** The item id of a `dropmark.editURL:` line of a front matter that does not parse as a whole. */
function ownerIdOf(text: string): string | undefined {
  const end = text.indexOf(text.startsWith('+++') ? '\n+++' : '\n---', 3);
  for (const line of text.slice(0, end === -1 ? undefined : end).split('\n')) {
    // YAML `dropmark.editURL: URL`, or TOML `"dropmark.editURL" = "URL"`.
    const m = /^(?:dropmark\.editURL:|"dropmark\.editURL"\s*=)(.*)$/.exec(line);
    if (m) return itemIdFromEditUrl((m[1] ?? '').trim().replace(/^["']|["']$/g, ''));
  }
  return undefined;
}

/** Leftover temp files of an interrupted sync (ours by name) in other folders the sync writes to. */
export async function findStrayTemps(siteDir: string, relDirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const relDir of relDirs) {
    try {
      // A name that is not UTF-8 is never one of the tool's temp files (listFolder sets it apart).
      for (const { name, dirent } of (await listFolder(path.join(siteDir, relDir))).entries) {
        if (dirent.isFile() && name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX))
          out.push(`${relDir}/${name}`);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return out;
}

const stringOrUndefined = (value: unknown) => (typeof value === 'string' ? value : undefined);
const ownedOrUndefined = (value: string | undefined) => (value === undefined ? undefined : ownCopy(value));
