import { describe, expect, it } from 'vitest';
import { editJekyllConfig } from '../../../src/commands/init-jekyll.js';

describe("init's edit of Jekyll's _config.yml", () => {
  it('adds exclude and timezone to the config jekyll new --blank writes, keeping its comments', () => {
    const blank = [
      'url: "" # the base hostname & protocol for your site, e.g. http://example.com',
      'baseurl: "" # the subpath of your site, e.g. /blog',
      'title: "" # the name of your site, e.g. ACME Corp.',
      '',
    ].join('\n');
    expect(editJekyllConfig(blank)).toEqual({
      text: `${blank}exclude: [dropmark-sync.yaml, data/dropmark-sync]\ntimezone: UTC\n`,
    });
  });

  it('adds only what is missing to a list, keeps a timezone, and keeps long values on their line', () => {
    const long = `description: ${'word '.repeat(30).trim()}`;
    const text = `${long}\ntimezone: Europe/Paris\nexclude:\n  - /dropmark-sync.yaml\n  - vendor\n`;
    expect(editJekyllConfig(text)).toEqual({
      text: `${long}\ntimezone: Europe/Paris\nexclude:\n  - /dropmark-sync.yaml\n  - vendor\n  - data/dropmark-sync\n`,
    });
  });

  it('changes nothing when everything is there', () => {
    expect(editJekyllConfig('exclude: [dropmark-sync.yaml, data/dropmark-sync/]\ntimezone: UTC\n')).toEqual({
      unchanged: true,
    });
  });

  it.each([
    ['title: [unclosed\n', /^it is not valid YAML \(.+\); add dropmark-sync\.yaml and data\/dropmark-sync to its/],
    ['exclude: vendor\n', /^its exclude is not a list; add /],
    ['- a list\n', /^it is not a mapping of settings; add /],
  ])('refuses %j, saying what to add by hand', (text, problem) => {
    const edit = editJekyllConfig(text);
    expect('problem' in edit && edit.problem).toMatch(problem);
  });
});
