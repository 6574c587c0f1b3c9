export interface ImageType {
  mime: string;
  ext: string;
}

/** What the bytes are, by their magic numbers; undefined when they are not an image we accept. */
export function sniffImage(bytes: Buffer): ImageType | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { mime: 'image/jpeg', ext: '.jpg' };
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return { mime: 'image/png', ext: '.png' };
  }
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { mime: 'image/gif', ext: '.gif' };
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return { mime: 'image/webp', ext: '.webp' };
  if (looksLikeSvg(bytes)) return { mime: 'image/svg+xml', ext: '.svg' };
  return undefined;
}

function looksLikeSvg(bytes: Buffer): boolean {
  let text = bytes.subarray(0, 4096).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Skip an XML declaration, comments and a doctype; the first element must be <svg.
  text = text.replace(/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*/i, '');
  return /^<svg[\s>/]/i.test(text);
}

/**
 * An SVG is served from the site's own origin, where a script in it would run with the
 * site's rights. Returns why it is refused, or undefined when it holds none of: script,
 * event handler attributes, foreignObject, entity declarations, external references.
 */
export function unsafeSvgReason(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8');
  if (/<script[\s>/]/i.test(text)) return 'it contains a script';
  if (/[\s"'/]on[a-z]+\s*=/i.test(text)) return 'it contains an event handler attribute';
  if (/<foreignObject[\s>/]/i.test(text)) return 'it contains foreignObject';
  if (/<!ENTITY/i.test(text)) return 'it declares entities';
  if (/javascript:/i.test(text)) return 'it contains a javascript: URL';
  const hrefs = text.matchAll(/(?:xlink:)?href\s*=\s*["']\s*([^"']*)["']/gi);
  for (const [, target] of hrefs) {
    if (!target?.startsWith('#')) return `it references ${target ? 'an external resource' : 'an empty target'}`;
  }
  if (/url\(\s*['"]?\s*(?!#)[^)'"\s]/i.test(text)) return 'it references an external resource in CSS';
  if (/@import/i.test(text)) return 'it imports a stylesheet';
  return undefined;
}
