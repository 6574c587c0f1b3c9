import { fileTypeFromBuffer } from 'file-type';
export interface ImageType {
  mime: string;
  ext: string;
}

/** What the bytes are, by their magic numbers; undefined when they are not an image we accept. */
export function sniffImage(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
    return { mime: 'image/jpeg', ext: '.jpg' };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { mime: 'image/png', ext: '.png' };
  }
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { mime: 'image/gif', ext: '.gif' };
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return { mime: 'image/webp', ext: '.webp' };
  if (looksLikeSvg(bytes)) return { mime: 'image/svg+xml', ext: '.svg' };
  return undefined;
}

/** Only says the bytes may be an SVG; checkSvg (svg.ts) parses them and decides what is written. */
function looksLikeSvg(bytes: Buffer): boolean {
  let text = bytes.subarray(0, 4096).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Skip an XML declaration, comments and a doctype; the first element must be <svg.
  text = text.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*/i, '');
  return /^<svg[\s>/]/i.test(text);
}

/**
 * What an uploaded file is, by its bytes alone (the well-kept file-type package reads their
 * magic numbers; the URL's extension and the feed's `mime` are never asked): one of `types`,
 * or refused. Text formats (HTML, scripts, SVG) have no magic number file-type names, so they
 * are refused with everything else it cannot identify.
 */
export async function sniffUpload(
  head: Buffer,
  types: readonly string[],
): Promise<{ type: ImageType } | { refused: string; excluded: boolean }> {
  const found = await fileTypeFromBuffer(head);
  if (found === undefined)
    return { refused: 'the bytes are of no type that can be identified (files.types)', excluded: false };
  // `excluded`: a known type the owner's files.types leaves out, a choice rather than a broken download.
  if (!types.includes(found.ext))
    return {
      refused: `the bytes are ${found.mime} (.${found.ext}), a type files.types does not allow`,
      excluded: true,
    };
  return { type: { mime: found.mime, ext: `.${found.ext}` } };
}
