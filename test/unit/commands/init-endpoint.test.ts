import { describe, expect, it } from 'vitest';
import { endpointDoubt, endpointWarning } from '../../../src/commands/init-endpoint.js';

describe('endpointDoubt: does the URL look like a Dropmark collection feed', () => {
  it.each([
    'https://shah.dropmark.com/616548.json',
    'https://Some-User.dropmark.com/1.json',
    'https://shah.dropmark.com/616548.json?page=2',
  ])('%s does', (url) => expect(endpointDoubt(url)).toBeUndefined());

  it.each([
    ['https://shah.dropmark.com/616548', 'is not a collection number followed by .json'],
    ['https://shah.dropmark.com/616548/12345', 'is not a collection number followed by .json'],
    ['https://shah.dropmark.com/', 'is not a collection number followed by .json'],
    ['https://app.dropmark.com/items/12345', "is not on a user's dropmark.com address"],
    ['https://www.dropmark.com/616548.json', "is not on a user's dropmark.com address"],
    ['https://example.com/616548.json', "is not on a user's dropmark.com address"],
    ['https://shah.dropmark.com.evil.example/616548.json', "is not on a user's dropmark.com address"],
    ['http://shah.dropmark.com/616548.json', 'is not an https address'],
    ['shah.dropmark.com/616548.json', 'is not a URL'],
  ])('%s: %s', (url, doubt) => expect(endpointDoubt(url)).toBe(doubt));
});

describe('endpointWarning', () => {
  it('says what a feed URL looks like, and that the config is written all the same', () => {
    expect(endpointWarning('https://shah.dropmark.com/616548')).toBe(
      'dropmark-sync init: warning: https://shah.dropmark.com/616548 is not a collection number followed by .json, ' +
        'so it may not be a Dropmark collection feed. A feed URL looks like https://USER.dropmark.com/ID.json: ' +
        'the collection\'s address with ".json" after its number (https://shah.dropmark.com/616548.json). ' +
        'The config is written with it as given; change collections[0].endpoint if it is wrong\n',
    );
  });
  it('never repeats a credential of the URL', () => {
    const warning = endpointWarning('https://me:pw@example.com/feed?api_key=s3cret') ?? '';
    expect(warning).toMatch(/^dropmark-sync init: warning: https:\/\/example\.com\/feed is not on/);
    expect(warning).not.toMatch(/s3cret|pw@/);
  });
  it('says nothing for a feed URL', () => {
    expect(endpointWarning('https://shah.dropmark.com/616548.json')).toBeUndefined();
  });
});
