import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bodiesUnderSameFrontMatter,
  keysChanged,
  parsedOrUndefined,
  parseFrontMatter,
} from '../../src/frontmatter/read-front-matter.js';
import { plan } from '../../src/plan/post-plan.js';
import { emitYaml, type YamlMap } from '../../src/render/yaml-emitter.js';
import { existingFile } from '../support/builders.js';
import { propertyOptions } from '../support/property.js';

// A post whose front matter block is the one the tool renders, byte for byte, is compared by its body alone, without
// parsing YAML (read-front-matter.ts, bodiesUnderSameFrontMatter). Held here to the full parse on texts built to
// break it: bodies and values with delimiter lines, CRs, a `---` glued to text, blocks cut short.

const piece = fc.constantFrom(
  '---',
  '----',
  '--- x',
  '...',
  '\n',
  '\r\n',
  '\r',
  ' ',
  'a: b',
  '- x',
  '#',
  '+++',
  'text',
);
const tricky = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const text = fc.oneof(tricky, fc.string({ maxLength: 20 }));
const values = fc.dictionary(
  fc.constantFrom('title', 'link', 'tags', 'body', 'a'),
  fc.oneof(text, fc.array(text, { maxLength: 3 })),
  {
    minKeys: 1,
  },
);
/** A post as the tool renders it: the real emitter's YAML between the delimiters, then the body. */
const rendered = (data: Record<string, unknown>, body: string) => `---\n${emitYaml(data as YamlMap)}---\n${body}`;

/** What the plan decides from the full parse: undefined when both mean the same, else the keys that change. */
function byParsing(onDisk: string, wanted: string): string[] | undefined {
  const a = parsedOrUndefined(onDisk);
  const b = parsedOrUndefined(wanted);
  const same = a !== undefined && b !== undefined && a.body === b.body && isDeepStrictEqual(a.data, b.data);
  return same ? undefined : keysChanged(a, b);
}

const onDiskOf = fc.oneof(
  // The same block, another body; the block with a changed value; the block cut or glued to more.
  fc.tuple(values, text, text).map(([data, body, other]) => [rendered(data, body), rendered(data, other)] as const),
  fc.tuple(values, values, text).map(([data, other, body]) => [rendered(data, body), rendered(other, body)] as const),
  fc.tuple(values, text, piece).map(([data, body, glued]) => {
    const wanted = rendered(data, body);
    return [wanted, wanted.replace('\n---\n', `\n---${glued}`)] as const;
  }),
);

describe('a front matter block the same as the one rendered', () => {
  it('gives the bodies the parser gives, and only when both blocks read to the same values', () => {
    fc.assert(
      fc.property(onDiskOf, ([wanted, onDisk]) => {
        const bodies = bodiesUnderSameFrontMatter(onDisk, wanted);
        if (bodies === undefined) return;
        const [a, b] = [parseFrontMatter(onDisk), parseFrontMatter(wanted)];
        expect(bodies).toEqual([a?.body, b?.body]);
        expect(a?.data).toEqual(b?.data);
      }),
      propertyOptions(400),
    );
  });

  it("the plan's update and changed keys are those of the full parse", () => {
    fc.assert(
      fc.property(onDiskOf, ([wanted, onDisk]) => {
        const want = { id: '1', relPath: 'content/post/a.md', text: wanted, title: 'T', link: '', editUrl: '' };
        const result = plan([want], [existingFile('a', '1', { text: onDisk })], {
          deletions: 'delete',
          allowMassDelete: false,
          feedItemCount: 1,
        });
        const expected = onDisk === wanted ? undefined : byParsing(onDisk, wanted);
        const got = result.changes[0]?.kind === 'update' ? result.changes[0].changedKeys : undefined;
        expect(got).toEqual(expected);
        expect(result.unchanged).toBe(expected === undefined ? 1 : 0);
      }),
      propertyOptions(400),
    );
  });
});
