import { describe, expect, it } from 'vitest';
import { checkCollectionOptions } from '../../../src/config/collection-options.js';
import { ConfigError } from '../../../src/errors.js';

const WHAT = "dropmarkLoader's configuration";
const ENDPOINT = 'https://me.dropmark.com/616548.json';
const ASTRO = { profile: 'astro', images: { dir: 'public/img/dropmark', urlPrefix: '/img/dropmark' } };

async function refusal(raw: unknown, defaults = {}): Promise<ConfigError> {
  const error = await checkCollectionOptions(raw, WHAT, defaults).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("checkCollectionOptions: a collection's keys given in code", () => {
  it("takes the loader's defaults where none is given, then the config file's", async () => {
    const { collection, http } = await checkCollectionOptions(
      { endpoint: ENDPOINT, images: { allowHttp: true }, http: { retries: 1 } },
      WHAT,
      ASTRO,
    );
    expect(collection).toMatchObject({
      endpoint: ENDPOINT,
      profile: 'astro',
      slugs: 'keep',
      images: { mode: 'local', dir: 'public/img/dropmark', urlPrefix: '/img/dropmark', allowHttp: true, svg: 'refuse' },
    });
    expect(http).toMatchObject({ retries: 1, timeoutMs: 30_000, allowPrivateNetworks: false });
  });

  it("says what is wrong as the config file's messages do, the key paths from the collection on", async () => {
    const error = await refusal({ endpoint: 'ftp://x', images: { mode: 'everywhere' }, http: { timeoutMs: 0 } });
    expect(error.message).toBe(
      `${WHAT} is not valid:\n` +
        'endpoint: must be an http(s) URL of a Dropmark feed, such as https://USER.dropmark.com/ID.json\n' +
        'images.mode: must be one of: local, remote, none\n' +
        'http.timeoutMs: must be at least 1 (milliseconds)',
    );
    expect(error.keyPath).toBe('endpoint');
  });

  it('names an unknown key with the known one it most likely meant', async () => {
    const error = await refusal({ endpoint: ENDPOINT, imgaes: { mode: 'none' } });
    expect(error.message).toBe(`${WHAT} is not valid:\nimgaes: unknown key; did you mean images?`);
    expect(error.keyPath).toBe('imgaes');
  });

  it('refuses the keys that only mean something where post files are written', async () => {
    const error = await refusal({ endpoint: ENDPOINT, contentDir: 'src/content', images: { manifest: 'm.json' } });
    expect(error.message).toBe(
      `${WHAT} is not valid:\n` +
        'contentDir: a loader writes no post files; the entries live in the build, so remove it\n' +
        "images.manifest: a loader keeps the record of its images in the build's cache; remove it",
    );
    expect(error.keyPath).toBe('contentDir');
  });

  it("refuses a downloads folder that is the project's root, a hidden folder, or the files' folder too", async () => {
    expect((await refusal({ endpoint: ENDPOINT, images: { dir: '.' } })).message).toBe(
      `${WHAT} is not valid:\nimages.dir: "." is the site folder itself; ` +
        'give downloads a folder of their own, such as static/files',
    );
    expect((await refusal({ endpoint: ENDPOINT, images: { dir: '.git/x' } })).keyPath).toBe('images.dir');
    const same = await refusal({
      endpoint: ENDPOINT,
      images: { dir: 'public/media' },
      files: { dir: 'public/media/' },
    });
    expect(same.message).toBe(
      `${WHAT} is not valid:\nfiles.dir: the same folder as images.dir (public/media/); ` +
        'give the files a folder of their own',
    );
  });

  it('refuses an endpoint holding a key or a password: the options are committed with the code', async () => {
    for (const endpoint of [`${ENDPOINT}?key=s3cret`, 'https://me:s3cret@me.dropmark.com/616548.json']) {
      const error = await refusal({ endpoint });
      expect(error.message).toBe(
        `${WHAT} is not valid:\nendpoint: holds a key or a password, which would be committed with the code; ` +
          `use ${ENDPOINT} and give the read key as DROPMARK_API_KEY in the environment`,
      );
      expect(error.keyPath).toBe('endpoint');
    }
  });

  it('refuses images.mode remote: the built site would point at URLs that expire within the hour', async () => {
    const error = await refusal({ endpoint: ENDPOINT, images: { mode: 'remote' } });
    expect(error.message).toBe(
      `${WHAT} is not valid:\nimages.mode: remote would point the built site at the feed's signed image URLs, ` +
        'which expire within the hour; use local (the default: mirrored into the site) or none',
    );
    expect(error.keyPath).toBe('images.mode');
  });

  it('asks for an object', async () => {
    expect((await refusal('https://me.dropmark.com/1.json')).message).toBe(
      `${WHAT} must be an object holding at least an endpoint (the feed's URL)`,
    );
  });
});
