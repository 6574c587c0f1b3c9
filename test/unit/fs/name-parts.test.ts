import { describe, expect, it } from 'vitest';
import { bodiesPath } from '../../../src/fs/name-parts.js';
import { stateName } from '../../../src/fs/name-parts.js';

describe('state file names', () => {
  it.each([
    ['content/post', 'content-post'],
    ['./content/post/', 'content-post'],
    ['content//post', 'content-post'],
    ['content\\post', 'content-post'],
    ['content_post', 'content_5fpost'],
    ['content-post', 'content_2dpost'],
    ['Content/Post', '_43ontent-_50ost'],
    ['static/img/content/post', 'static-img-content-post'],
    ['posts/été', 'posts-_c3_a9t_c3_a9'],
  ])('%s -> %s', (dir, name) => expect(stateName(dir)).toBe(name));

  it('never gives two folders one name (the collisions found: content/post and content_post)', () => {
    const dirs = [
      'content/post',
      'content_post',
      'content-post',
      'content.post',
      'content post',
      'Content/post',
      'content/p/ost',
      'content/p_ost',
    ];
    expect(new Set(dirs.map(stateName)).size).toBe(dirs.length);
    expect(bodiesPath('content/post')).toBe('data/dropmark-sync/bodies-content-post.json');
    expect(bodiesPath('content_post')).toBe('data/dropmark-sync/bodies-content_5fpost.json');
  });
});
