import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { validateSite } from '../../../src/site/file-checks.js';
import { tempDir } from '../../support/cli.js';

const SIGNED = 'https://cdn.example/1/bb/team-photo.jpg?Expires=1&Signature=s&Key-Pair-Id=k';
const MESSAGE =
  'holds a signed URL that expires within about an hour and, while it works, is a credential ' +
  'to a private file; replace it with the item’s Dropmark page or a copy of the file in the site ' +
  '(images.mode local mirrors images)';

/** A site with one post of the bookmark profile: its values, `over` put in, and its body. */
async function validated(mode: 'local' | 'remote', over: Record<string, string>, body: string) {
  const siteDir = await tempDir('dms-validate-');
  const values: Record<string, string> = {
    archetype: 'bookmark',
    date: '2024-03-01T10:00:00Z',
    description: '""',
    'dropmark.editURL': 'https://me.dropmark.com/616548/42',
    featuredImage: '""',
    link: 'https://example.org/x',
    linkBrand: 'example.org',
    slug: 'x',
    socialScore: '3',
    socialScoreSimulated: 'true',
    source: '{ name: Dropmark, apiendpoint: "https://me.dropmark.com/616548.json" }',
    title: 'X',
    ...over,
  };
  const text = `---\n${Object.entries(values)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\n---\n${body}`;
  await mkdir(path.join(siteDir, 'content/post'), { recursive: true });
  await writeFile(path.join(siteDir, 'content/post/x.md'), text);
  const config = configSchema.parse({
    siteDir,
    collections: [{ endpoint: 'https://me.dropmark.com/616548.json', images: { mode } }],
  });
  return (await validateSite(config)).problems;
}

describe('validate: a signed URL a person wrote', () => {
  it('in any key or in the body is flagged: it expires, it is a credential, what to do', async () => {
    expect(await validated('local', { link: SIGNED }, `See ${SIGNED.replaceAll('&', '&amp;')}\n`)).toEqual([
      { file: 'content/post/x.md', key: 'link', message: MESSAGE },
      { file: 'content/post/x.md', message: `its body ${MESSAGE}` },
    ]);
  });

  it('mode remote: the image key the tool writes the thumbnail to is not flagged; mode local it is', async () => {
    expect(await validated('remote', { featuredImage: SIGNED }, '')).toEqual([]);
    expect(await validated('local', { featuredImage: SIGNED }, '')).toEqual([
      { file: 'content/post/x.md', key: 'featuredImage', message: MESSAGE },
    ]);
  });
});
