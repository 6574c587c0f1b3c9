import { describe, expect, it } from 'vitest';
import { fileNameOf, fileNameProblem, parseFileName } from '../../../src/frontmatter/file-names.js';

const TOKENS = 'the tokens are {slug}, {id} and {date}';
const ONLY = 'may hold only letters, digits, ".", "_", "-" besides its tokens';
const HIDDEN = 'must not start with "." (a hidden file)';

describe('fileNameProblem: which patterns can name files', () => {
  it.each([
    '{slug}.md',
    '{id}.md',
    '{date}-{slug}.md',
    '{slug}-{id}.md',
    '{slug}_{id}.md',
    '{slug}.{id}.md',
    // A dot after a leading token is inside the name, not its start.
    '{date}.{slug}.md',
    // Text before the first token, ending in a dot or not.
    'post-{slug}.md',
    'post.{slug}.md',
    // Every character class the rule allows, at the ends of its ranges.
    'AZaz09._-{id}.md',
  ])('%s names files', (pattern) => {
    expect(fileNameProblem(pattern)).toBeUndefined();
  });

  it.each([
    // Not Markdown.
    ['{slug}', 'must end in .md (the files are Markdown)'],
    ['{slug}.MD', 'must end in .md (the files are Markdown)'],
    ['{slug}.md.txt', 'must end in .md (the files are Markdown)'],
    // A folder in the pattern, either separator; checked before the tokens.
    ['posts/{slug}.md', 'must be a file name, not a path: the folder is contentDir'],
    ['posts\\{slug}.md', 'must be a file name, not a path: the folder is contentDir'],
    ['{name}/{slug}.md', 'must be a file name, not a path: the folder is contentDir'],
    // Tokens are the three lower-case words, nothing else; the first unknown one is named.
    ['{name}.md', `has an unknown token {name}; ${TOKENS}`],
    ['{Slug}.md', `has an unknown token {Slug}; ${TOKENS}`],
    ['{}-{slug}.md', `has an unknown token {}; ${TOKENS}`],
    ['{slug}-{a}-{b}.md', `has an unknown token {a}; ${TOKENS}`],
    // Braces that make no token.
    ['{slug}{.md', `has a stray { or }; ${TOKENS}`],
    ['{slug}}.md', `has a stray { or }; ${TOKENS}`],
    ['}{slug}.md', `has a stray { or }; ${TOKENS}`],
    // Nothing that tells two items apart.
    ['{date}.md', 'must hold {slug} or {id}, so that no two items share a file'],
    ['.md', 'must hold {slug} or {id}, so that no two items share a file'],
    ['posts.md', 'must hold {slug} or {id}, so that no two items share a file'],
    // Each of {slug} and {id} once.
    ['{slug}-{slug}.md', 'may hold {slug} and {id} once each'],
    ['{id}-{id}.md', 'may hold {slug} and {id} once each'],
    ['{slug}-{id}-{slug}.md', 'may hold {slug} and {id} once each'],
    // A hidden file.
    ['.{slug}.md', HIDDEN],
    ['.post-{id}.md', HIDDEN],
    // Characters outside letters, digits, ".", "_", "-": the neighbours of the allowed ranges too.
    ['{slug} x.md', ONLY],
    ['{slug}@.md', ONLY],
    ['{slug}[.md', ONLY],
    ['{slug}`.md', ONLY],
    ['{slug}:.md', ONLY],
    ['{slug}~.md', ONLY],
    ['{slug}+{id}.md', ONLY],
    ['{slug}#.md', ONLY],
    ['é-{slug}.md', ONLY],
  ])('%s: %s', (pattern, problem) => {
    expect(fileNameProblem(pattern)).toBe(problem);
  });
});

describe('fileNameOf: the name (without .md) a pattern gives', () => {
  const values = { slug: 'himss-x', id: '7', date: '2019-02-26' };
  it.each([
    ['{slug}.md', 'himss-x'],
    ['{id}.md', '7'],
    ['{date}-{slug}.md', '2019-02-26-himss-x'],
    ['{slug}.{id}.md', 'himss-x.7'],
    ['post-{id}.md', 'post-7'],
  ])('%s -> %s', (pattern, name) => {
    expect(fileNameOf(pattern, values)).toBe(name);
  });
});

describe('parseFileName: the values a name was made of, only the tokens the pattern holds', () => {
  it.each([
    ['{id}.md', '7', { id: '7' }],
    ['{id}.md', '18085640', { id: '18085640' }],
    ['{slug}.md', 'Any Name a person gave', { slug: 'Any Name a person gave' }],
    ['{date}-{slug}.md', '2019-02-26-himss-x', { date: '2019-02-26', slug: 'himss-x' }],
    ['{slug}-{id}.md', 'himss-x-7', { slug: 'himss-x', id: '7' }],
    // The pattern's "." is a dot, not any character.
    ['{id}.{slug}.md', '7.x', { id: '7', slug: 'x' }],
    // Its letters are letters: "d" is not a digit class, "w" not a word class.
    ['d{slug}.md', 'dx', { slug: 'x' }],
    ['w{id}.md', 'w7', { id: '7' }],
  ])('%s reads %s', (pattern, name, values) => {
    // Strict: a token the pattern does not hold is absent, not present as undefined.
    expect(parseFileName(pattern, name)).toStrictEqual(values);
  });

  it.each([
    ['{id}.md', 'x7'],
    ['{id}.md', '7x'],
    ['{id}.md', ''],
    ['{slug}.md', ''],
    ['{date}-{slug}.md', 'himss-x'],
    ['{date}-{slug}.md', '2019-2-26-himss-x'],
    ['{id}.{slug}.md', '7-x'],
    ['d{slug}.md', '5x'],
    ['w{id}.md', '_7'],
    ['post-{slug}.md', 'x-post-y'],
  ])('%s could not have made %j', (pattern, name) => {
    expect(parseFileName(pattern, name)).toBeUndefined();
  });

  it('reads a name the same way every time it is asked (the compiled pattern is reused)', () => {
    expect(parseFileName('{date}-{slug}.md', '2020-01-02-a')).toStrictEqual({ date: '2020-01-02', slug: 'a' });
    expect(parseFileName('{date}-{slug}.md', '2020-01-02-a')).toStrictEqual({ date: '2020-01-02', slug: 'a' });
    expect(parseFileName('{date}-{slug}.md', 'a')).toBeUndefined();
  });
});
