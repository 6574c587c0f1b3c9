/**
 * The minimal files `init` writes into a site that lacks them: a post layout showing the
 * title, date, link, image and tags (the ones docs/profiles.md shows), Eleventy's image
 * and files passthrough, Astro's content config. Dates are shown in UTC, as the posts write them, so a
 * build on a machine in another time zone shows the same day.
 */

export const HUGO_SINGLE = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<article>
  <h1>{{ .Title }}</h1>
  <p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time></p>
  <p><a href="{{ .Params.link }}">{{ .Params.link }}</a></p>
  {{ with .Params.image }}<img src="{{ . }}" alt="">{{ end }}
  {{ with .Params.tags }}<ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
  {{ .Content }}
</article>
</body>
</html>
`;

export const JEKYLL_POST = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>
<body>
<article>
  <h1>{{ page.title | escape }}</h1>
  <p><time datetime="{{ page.date | date_to_xmlschema }}">{{ page.date | date: "%-d %B %Y" }}</time></p>
  <p><a href="{{ page.link | escape }}">{{ page.link | escape }}</a></p>
  {% if page.image %}<img src="{{ page.image | relative_url }}" alt="">{% endif %}
  {% if page.tags.size > 0 %}<ul>{% for tag in page.tags %}<li>{{ tag | escape }}</li>{% endfor %}</ul>{% endif %}
  {{ content }}
</article>
</body>
</html>
`;

export const ELEVENTY_POST = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{ title | escape }}</title></head>
<body>
<article>
  <h1>{{ title | escape }}</h1>
  <p><time datetime="{{ page.date | date: "%Y-%m-%dT%H:%M:%SZ", "UTC" }}">
    {{- page.date | date: "%-d %B %Y", "UTC" }}</time></p>
  <p><a href="{{ link | escape }}">{{ link | escape }}</a></p>
  {% if image %}<img src="{{ image }}" alt="">{% endif %}
  {% if tags.size > 0 %}<ul>{% for tag in tags %}<li>{{ tag | escape }}</li>{% endfor %}</ul>{% endif %}
  {{ content }}
</article>
</body>
</html>
`;

/** Eleventy copies no file that is not a template unless told to: the images and uploaded files are. */
export function eleventyConfig(imagesDir: string, filesDir: string): string {
  return `// Written by "dropmark-sync init": Eleventy copies the synced images and files only when told to.
export default function (eleventyConfig) {
  eleventyConfig.addPassthroughCopy(${JSON.stringify(imagesDir)});
  eleventyConfig.addPassthroughCopy(${JSON.stringify(filesDir)});
}
`;
}

/** A \`string\` heroImage is a site path under public/; an \`image()\` one is imported, and optimized by <Image>. */
export const ASTRO_PAGE = `---
import { Image } from 'astro:assets';
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
  const posts = await getCollection('blog');
  return posts.map((post) => ({ params: { slug: post.id }, props: post }));
}

const post = Astro.props;
const { Content } = await render(post);
const { title, description, pubDate, heroImage, link, tags } = post.data;
const day = { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' } as const;
---
<article>
  <h1>{title}</h1>
  <p><time datetime={pubDate.toISOString()}>{pubDate.toLocaleDateString('en-GB', day)}</time></p>
  {link && <p><a href={link}>{link}</a></p>}
  {heroImage && (typeof heroImage === 'string' ? <img src={heroImage} alt="" /> : <Image src={heroImage} alt="" />)}
  {tags && tags.length > 0 && <ul>{tags.map((tag) => <li>{tag}</li>)}</ul>}
  <p>{description}</p>
  <Content />
</article>
`;

/** Astro's blog starter schema, with the keys it leaves out (link, tags) so a page can show them. */
export function astroContentConfig(contentDir: string): string {
  return `// Written by "dropmark-sync init": the blog collection, as Astro's blog starter declares it,
// with the link and tags the astro profile writes too.
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

const blog = defineCollection({
  loader: glob({ base: ${JSON.stringify(`./${contentDir}`)}, pattern: '**/*.{md,mdx}' }),
  schema: ({ image }) =>
    z.object({
      title: z.string(),
      description: z.string(),
      pubDate: z.coerce.date(),
      updatedDate: z.coerce.date().optional(),
      heroImage: image().optional(),
      link: z.string().optional(),
      tags: z.array(z.string()).optional(),
    }),
});

export const collections = { blog };
`;
}
