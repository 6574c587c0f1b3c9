import { describe, expect, it } from 'vitest';
import { classify, installNote } from '../../../src/commands/init-package.js';

describe('how the site installs dropmark-sync, as a fresh clone sees it', () => {
  it('a tarball in the site is a file to commit', () => {
    const install = classify('/sites/blog', 'file:vendor/dropmark-sync-0.5.0.tgz');
    expect(install).toEqual({ kind: 'tarball', file: 'vendor/dropmark-sync-0.5.0.tgz' });
    expect(installNote(install)).toEqual({ commit: ['vendor/dropmark-sync-0.5.0.tgz'] });
  });

  it('a tarball outside the site: a warning that names it and the two paths that work', () => {
    const install = classify('/sites/blog', 'file:../dropmark-sync-0.5.0.tgz');
    expect(install).toEqual({ kind: 'outside', spec: 'file:../dropmark-sync-0.5.0.tgz' });
    expect(installNote(install)).toEqual({
      commit: [],
      warning:
        'package.json installs dropmark-sync from file:../dropmark-sync-0.5.0.tgz, outside the site: npm ci on a ' +
        "fresh clone cannot find it. Put the tarball in the site's vendor/ folder and install it from there, or " +
        'install from the git URL (see "Add it to your site" in dropmark-sync\'s README). The workflow needs neither.',
    });
  });

  it('a git URL or a version: nothing more to commit', () => {
    expect(classify('/sites/blog', 'git+https://github.com/OWNER/dropmark-sync.git#v0.5.0')).toEqual({
      kind: 'fetched',
    });
    expect(installNote({ kind: 'fetched' })).toEqual({ commit: [] });
  });
});
