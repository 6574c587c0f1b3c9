/**
 * The images this tool wrote, kept in the site beside the content (it changes only when an
 * image changes, so it is fine to commit, and it reads well in a diff): file name -> the
 * image's identity (its URL without the signature), size and hash. Without it, images are
 * downloaded again and compared, never trusted; only files listed here are ever deleted.
 */
export interface ImageManifest {
  files: Record<string, ImageRecord>;
}

export interface ImageRecord {
  source: string;
  bytes: number;
  sha256: string;
}

export function parseManifest(text: string | undefined): ImageManifest {
  if (!text) return { files: {} };
  try {
    const data = JSON.parse(text) as { files?: unknown };
    const files: Record<string, ImageRecord> = {};
    if (data.files && typeof data.files === 'object') {
      for (const [name, raw] of Object.entries(data.files as Record<string, unknown>)) {
        const r = raw as Partial<ImageRecord> | null;
        if (r && typeof r.source === 'string' && typeof r.sha256 === 'string' && typeof r.bytes === 'number' && safeName(name)) {
          files[name] = { source: r.source, bytes: r.bytes, sha256: r.sha256 };
        }
      }
    }
    return { files };
  } catch {
    return { files: {} };
  }
}

/** Deterministic text: names sorted, two-space JSON, a final newline. */
export function serializeManifest(manifest: ImageManifest): string {
  const files: Record<string, ImageRecord> = {};
  for (const name of Object.keys(manifest.files).sort()) {
    const r = manifest.files[name] as ImageRecord;
    files[name] = { source: r.source, bytes: r.bytes, sha256: r.sha256 };
  }
  return `${JSON.stringify({ files }, null, 2)}\n`;
}

/** Only plain names the tool itself would write: no separators, no dot files. */
export function safeName(name: string): boolean {
  return /^[a-z0-9][a-z0-9-]*\.(?:jpg|jpeg|png|gif|webp|svg)$/.test(name);
}
