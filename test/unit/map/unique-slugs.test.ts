import { describe, expect, it } from 'vitest';
import { assignSlugs, compareIds } from '../../../src/map/unique-slugs.js';
import { feedItem } from '../../support/builders.js';

const item = feedItem;
const none = { existingById: new Map<string, string>(), taken: new Set<string>() };

describe('assignSlugs', () => {
  it('gives the lowest id the plain slug and the other <slug>-<id>, whatever the feed order', () => {
    const a = item('200', 'Same title');
    const b = item('100', 'Same title');
    expect(assignSlugs([a, b], none)).toEqual(
      new Map([
        ['200', 'example-same-title-200'],
        ['100', 'example-same-title'],
      ]),
    );
    expect(assignSlugs([b, a], none)).toEqual(assignSlugs([a, b], none));
  });

  it('lets the item whose file already has the name keep it', () => {
    const slugs = assignSlugs([item('100', 'Same title'), item('200', 'Same title')], {
      existingById: new Map([['200', 'example-same-title']]),
      taken: new Set(),
    });
    expect(slugs.get('200')).toBe('example-same-title');
    expect(slugs.get('100')).toBe('example-same-title-100');
  });

  it('keeps a <slug>-<id> file when the collision is gone', () => {
    const slugs = assignSlugs([item('200', 'Same title')], {
      existingById: new Map([['200', 'example-same-title-200']]),
      taken: new Set(),
    });
    expect(slugs.get('200')).toBe('example-same-title-200');
  });

  it('never takes the name of a file the tool does not own', () => {
    const slugs = assignSlugs([item('1', 'About')], { existingById: new Map(), taken: new Set(['example-about']) });
    expect(slugs.get('1')).toBe('example-about-1');
  });

  it('gives numeric ids numeric order', () => {
    const slugs = assignSlugs([item('10', 'T'), item('9', 'T')], none);
    expect(slugs.get('9')).toBe('example-t');
  });
});

describe('assignSlugs: renamed titles', () => {
  const claims = (mode: 'keep' | 'follow-title' | undefined, existing: [string, string][], locked: string[] = []) => ({
    ...(mode ? { mode } : {}),
    locked: new Set(locked),
    existingById: new Map(existing),
    taken: new Set<string>(),
  });

  it.each([
    // [mode, the file name on disk, the name it gets for the title "New title"]
    [undefined, 'example-old-title', 'example-old-title'], // keep is the default
    ['keep', 'example-old-title', 'example-old-title'],
    ['follow-title', 'example-old-title', 'example-new-title'],
    ['follow-title', 'example-new-title', 'example-new-title'],
    ['follow-title', 'example-new-title-7', 'example-new-title-7'], // the collision form still fits
    ['follow-title', 'example-new-title-8', 'example-new-title'], // another id's collision form does not
    ['follow-title', 'example-new-title-7-2', 'example-new-title'],
  ] as const)('mode %s: a file named %s becomes %s', (mode, onDisk, name) => {
    expect(assignSlugs([item('7', 'New title')], claims(mode, [['7', onDisk]])).get('7')).toBe(name);
  });

  it('a locked file keeps its name even in follow-title mode', () => {
    const slugs = assignSlugs(
      [item('7', 'New title'), item('8', 'Other')],
      claims(
        'follow-title',
        [
          ['7', 'example-old-title'],
          ['8', 'example-gone'],
        ],
        ['7'],
      ),
    );
    expect(slugs).toEqual(
      new Map([
        ['7', 'example-old-title'],
        ['8', 'example-other'],
      ]),
    );
  });

  it('in follow-title mode, a file that fits keeps its name against a lower id of the same title', () => {
    const slugs = assignSlugs([item('1', 'New title'), item('7', 'New title')], {
      mode: 'follow-title',
      existingById: new Map([['7', 'example-new-title']]),
      taken: new Set(),
    });
    expect(slugs).toEqual(
      new Map([
        ['7', 'example-new-title'],
        ['1', 'example-new-title-1'],
      ]),
    );
  });

  it('follow-title without any locked ids', () => {
    const slugs = assignSlugs([item('7', 'New title')], {
      mode: 'follow-title',
      existingById: new Map([['7', 'example-old']]),
      taken: new Set(),
    });
    expect(slugs.get('7')).toBe('example-new-title');
  });

  it('an item without a file is named from its title in every mode', () => {
    expect(assignSlugs([item('7', 'New title')], claims('keep', [])).get('7')).toBe('example-new-title');
  });
});

describe('assignSlugs: a name is never given twice', () => {
  it('the slug and <slug>-<id> both taken: <slug>-<id>-2, then -3', () => {
    const taken = new Set(['example-about', 'example-about-1', 'example-about-1-2']);
    expect(assignSlugs([item('1', 'About')], { existingById: new Map(), taken }).get('1')).toBe('example-about-1-3');
    taken.delete('example-about-1-2');
    expect(assignSlugs([item('1', 'About')], { existingById: new Map(), taken }).get('1')).toBe('example-about-1-2');
  });

  it('two items whose files claim one name: the first keeps it, the other is named from its title', () => {
    const slugs = assignSlugs([item('2', 'Beta'), item('1', 'Alpha')], {
      existingById: new Map([
        ['2', 'shared'],
        ['1', 'shared'],
      ]),
      taken: new Set(),
    });
    expect(slugs).toEqual(
      new Map([
        ['2', 'shared'],
        ['1', 'example-alpha'],
      ]),
    );
  });

  it('a kept name is not given again to an item named from its title', () => {
    const slugs = assignSlugs([item('1', 'Same'), item('2', 'Same')], {
      existingById: new Map([['2', 'example-same']]),
      taken: new Set(),
    });
    expect(slugs).toEqual(
      new Map([
        ['2', 'example-same'],
        ['1', 'example-same-1'],
      ]),
    );
  });
});

describe('compareIds: numeric order of decimal ids', () => {
  it.each([
    ['9', '10', -1],
    ['10', '9', 1],
    ['19', '20', -1],
    ['20', '19', 1],
    ['123', '123', 0],
    ['18085640', '18085641', -1],
  ])('%s vs %s: %i', (a, b, sign) => expect(Math.sign(compareIds(a, b))).toBe(sign));
});

describe('assignSlugs: names are compared as a case-insensitive file system does', () => {
  it("never takes a person's file name that differs only in case: About.md stays, the item gets <slug>-<id>", () => {
    const slugs = assignSlugs([item('7', 'About', '')], { existingById: new Map(), taken: new Set(['About']) });
    expect(slugs.get('7')).toBe('about-7');
  });

  it('takes an NFD and an NFC spelling of a name for one name', () => {
    // `é` as e + U+0301 (how macOS may hand a name over) against the pattern's precomposed U+00E9.
    const slugs = assignSlugs([item('7', 'Notes', '')], {
      existingById: new Map(),
      taken: new Set(['cafe\u0301-notes']),
      fileName: { pattern: 'caf\u00e9-{slug}.md', dateOf: () => '' },
    });
    expect(slugs.get('7')).toBe('caf\u00e9-notes-7');
  });

  it('gives two items whose kept names differ only in case two names', () => {
    const slugs = assignSlugs([item('1', 'One', ''), item('2', 'Two', '')], {
      existingById: new Map([
        ['1', 'Shared'],
        ['2', 'shared'],
      ]),
      taken: new Set(),
    });
    expect(slugs).toEqual(
      new Map([
        ['1', 'Shared'],
        ['2', 'two'],
      ]),
    );
  });

  it('in follow-title mode, keeps a name that fits the title but for its case (renaming it would move nothing)', () => {
    const slugs = assignSlugs([item('7', 'New title', '')], {
      mode: 'follow-title',
      existingById: new Map([['7', 'New-Title']]),
      taken: new Set(),
    });
    expect(slugs.get('7')).toBe('New-Title');
  });
});

describe('assignSlugs: names a generator treats specially', () => {
  const reserved = new Set(['index', '_index', 'posts']);

  it.each([
    ['Index', 'index-7'],
    ['INDEX', 'index-7'],
    ['Posts', 'posts-7'],
    ['Indexes', 'indexes'],
  ])('an item titled %s is named %s', (title, name) => {
    expect(assignSlugs([item('7', title, '')], { ...none, reserved }).get('7')).toBe(name);
  });

  it('a pattern that makes a reserved name from a slug: <slug>-<id>', () => {
    const slugs = assignSlugs([item('7', 'Index', '')], {
      ...none,
      reserved,
      fileName: { pattern: '_{slug}.md', dateOf: () => '' },
    });
    expect(slugs.get('7')).toBe('_index-7');
  });

  it('an unlocked file of the tool that has a reserved name is renamed; a locked one keeps it', () => {
    const claims = { existingById: new Map([['7', 'index']]), taken: new Set<string>(), reserved };
    expect(assignSlugs([item('7', 'Index', '')], claims).get('7')).toBe('index-7');
    expect(assignSlugs([item('7', 'Index', '')], { ...claims, locked: new Set(['7']) }).get('7')).toBe('index');
  });
});
