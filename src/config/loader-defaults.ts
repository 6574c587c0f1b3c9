/**
 * What each loader assumes unless its options say otherwise: the profile, and the folders it mirrors
 * images and files into (Astro serves public/ as it is; the Eleventy plugin copies its folders into the
 * built site). One place, because `init --mode loader` writes the `.gitignore` lines for these folders,
 * and checks the endpoint under the name the build's own message would give.
 */
export const LOADER_DEFAULTS = {
  astro: {
    what: "dropmarkLoader's configuration",
    keys: {
      profile: 'astro',
      images: { dir: 'public/img/dropmark', urlPrefix: '/img/dropmark' },
      files: { dir: 'public/files/dropmark', urlPrefix: '/files/dropmark' },
    },
  },
  eleventy: {
    what: "the dropmark plugin's configuration",
    keys: {
      profile: 'eleventy',
      images: { dir: 'assets/img/dropmark', urlPrefix: '/assets/img/dropmark' },
      files: { dir: 'assets/files/dropmark', urlPrefix: '/assets/files/dropmark' },
    },
  },
} as const;
