import { micromark } from 'micromark';
import { gfmFootnote, gfmFootnoteHtml } from 'micromark-extension-gfm-footnote';
import { gfmTable, gfmTableHtml } from 'micromark-extension-gfm-table';

/**
 * A post's body as HTML, for a generator that hands data to its templates instead of rendering
 * Markdown files (Eleventy's global data): CommonMark, with the GFM tables and footnotes the
 * sanitizer parses too (map/sanitize-body.ts). The body's raw HTML is let through because the
 * sanitizer already rebuilt it from its allow-list, as every generator's Markdown lets it through
 * from a post file; micromark still drops a link or image whose URL is not a safe protocol.
 */
export function bodyHtml(body: string): string {
  return micromark(body, {
    allowDangerousHtml: true,
    extensions: [gfmTable(), gfmFootnote()],
    htmlExtensions: [gfmTableHtml(), gfmFootnoteHtml()],
  });
}
