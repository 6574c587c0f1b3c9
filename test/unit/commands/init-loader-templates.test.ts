import { describe, expect, it } from 'vitest';
import {
  ASTRO_LOADER_PAGE,
  astroLoaderConfig,
  ELEVENTY_LOADER_PAGE,
  eleventyLoaderConfig,
  jsString,
} from '../../../src/commands/init-loader-templates.js';
import { docExample } from '../../support/doc-examples.js';

/** docs/loaders.md shows what `init --mode loader` writes: its examples are these templates, word for word. */
describe("docs/loaders.md's examples are the files init --mode loader writes", () => {
  const shape = 'https://USER.dropmark.com/ID.json';
  it.each([
    ['src/content.config.ts', astroLoaderConfig(shape)],
    ['src/pages/links/[slug].astro', ASTRO_LOADER_PAGE],
    ['eleventy.config.mjs', eleventyLoaderConfig(shape)],
    ['links.liquid', ELEVENTY_LOADER_PAGE],
  ])('%s', (file, template) => {
    expect(docExample('loaders.md', file)).toBe(template);
  });
});

describe('the endpoint as a JavaScript string', () => {
  it.each([
    ['https://me.dropmark.com/1.json', "'https://me.dropmark.com/1.json'"],
    ["https://me.dropmark.com/1.json?a='b", '"https://me.dropmark.com/1.json?a=\'b"'],
    ['https://me.dropmark.com/1.json?a=\\', '"https://me.dropmark.com/1.json?a=\\\\"'],
    ['https://me.dropmark.com/1.json\n//', '"https://me.dropmark.com/1.json\\n//"'],
    ['https://me.dropmark.com/\u2028.json', '"https://me.dropmark.com/\u2028.json"'],
  ])('%j -> %s', (text, literal) => {
    expect(jsString(text)).toBe(literal);
  });
});
