/**
 * The files `init --mode loader` writes, the same text as docs/loaders.md's examples (a test holds
 * them equal): the docs show what init writes, with the feed's address in place of the endpoint.
 */

/**
 * The endpoint as a JavaScript string, in the single quotes of the examples when it needs no escape;
 * otherwise JSON's quoting, which is JavaScript's too, so no text of the URL can end the string.
 */
export function jsString(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) && !/['\\]/.test(text) ? `'${text}'` : JSON.stringify(text);
}

/** The Astro collection's name: the page reads it, and the docs' example page is at src/pages/links/. */
export const ASTRO_COLLECTION = 'links';

export const ASTRO_LOADER_IMPORT = "import { dropmarkLoader } from 'dropmark-sync/astro';";

/** The collection's declaration, for a content config init writes or for the lines it prints. */
export function astroCollection(endpoint: string): string {
  return `const ${ASTRO_COLLECTION} = defineCollection({
  loader: dropmarkLoader({
    endpoint: ${jsString(endpoint)},
  }),
});`;
}

/** Astro 5's content config holding the one collection. */
export function astroLoaderConfig(endpoint: string): string {
  return `import { defineCollection } from 'astro:content';
${ASTRO_LOADER_IMPORT}

${astroCollection(endpoint)}

export const collections = { ${ASTRO_COLLECTION} };
`;
}

/** Where the page per item is, and its dynamic route's folder (any route there is the site's own page). */
export const ASTRO_PAGE_DIR = `src/pages/${ASTRO_COLLECTION}`;
export const ASTRO_LOADER_PAGE_FILE = `${ASTRO_PAGE_DIR}/[slug].astro`;

/** A page per entry: its title, day (in UTC, as the posts are dated), link, image and body. */
export const ASTRO_LOADER_PAGE = `---
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
  const ${ASTRO_COLLECTION} = await getCollection('${ASTRO_COLLECTION}');
  return ${ASTRO_COLLECTION}.map((entry) => ({ params: { slug: entry.data.slug }, props: { entry } }));
}

const { entry } = Astro.props;
const { Content } = await render(entry);
const { title, pubDate, link, heroImage } = entry.data;
const day = { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' } as const;
---
<article>
  <h1>{title}</h1>
  <p><time datetime={pubDate.toISOString()}>{pubDate.toLocaleDateString('en-GB', day)}</time></p>
  {link && <p><a href={link}>{link}</a></p>}
  {heroImage && <img src={heroImage} alt="" />}
  <Content />
</article>
`;

export const ELEVENTY_PLUGIN_IMPORT = "import dropmark from 'dropmark-sync/eleventy';";

/** The plugin's line in the config function, each line after `indent`. */
export function eleventyPluginCall(endpoint: string, indent = ''): string {
  return `${indent}eleventyConfig.addPlugin(dropmark, {
${indent}  endpoint: ${jsString(endpoint)},
${indent}});`;
}

/** The Eleventy config init writes when the site has none. */
export function eleventyLoaderConfig(endpoint: string): string {
  return `${ELEVENTY_PLUGIN_IMPORT}

export default async function (eleventyConfig) {
${eleventyPluginCall(endpoint, '  ')}
}
`;
}

export const ELEVENTY_LOADER_PAGE_FILE = 'links.liquid';

/** A page per post, from the global data `dropmark`: the same fields as the Astro page. */
export const ELEVENTY_LOADER_PAGE = `---
pagination:
  data: dropmark
  size: 1
  alias: post
permalink: "/links/{{ post.slug }}/"
---
<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{ post.data.title | escape }}</title></head>
<body>
<article>
  <h1>{{ post.data.title | escape }}</h1>
  <p><time datetime="{{ post.data.date | date: "%Y-%m-%dT%H:%M:%SZ", "UTC" }}">
    {{- post.data.date | date: "%-d %B %Y", "UTC" }}</time></p>
  <p><a href="{{ post.data.link | escape }}">{{ post.data.link | escape }}</a></p>
  {% if post.data.image %}<img src="{{ post.data.image | escape }}" alt="">{% endif %}
  {{ post.html }}
</article>
</body>
</html>
`;
