import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';

/**
 * The targets of every link GitHub Flavored Markdown makes of `markdown`, in order: written
 * links, and the autolinks of both of GitHub's passes as the unified collective models them
 * (the parse-time literal autolinks; then, on the text, www., http(s):// and e-mail addresses).
 */
export function gfmLinks(markdown: string): string[] {
  const tree = fromMarkdown(markdown, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const urls: string[] = [];
  const visit = (node: { type: string; url?: string; children?: unknown[] }) => {
    if (node.type === 'link' && node.url !== undefined) urls.push(node.url);
    for (const child of node.children ?? []) visit(child as typeof node);
  };
  visit(tree);
  return urls;
}
