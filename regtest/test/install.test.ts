import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBitcoind, installBitcoind, parseAptSources, systemDebianMirror, which } from '../src/install.js';
import { btcToSats, satsToBtc } from '../src/rpc.js';

describe('apt sources parsing (the mirror the install takes packages from)', () => {
  it('reads deb822 stanzas, skipping comments, deb-src and disabled ones', () => {
    const text = [
      'Types: deb',
      '# http://snapshot.debian.org/archive/debian/20250520T000000Z',
      'URIs: http://deb.debian.org/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
      'Types: deb-src',
      'URIs: http://src.example/debian',
      'Suites: bookworm',
      '',
      'Types: deb',
      'Enabled: no',
      'URIs: http://off.example/debian',
      'Suites: bookworm',
    ].join('\n');
    expect(parseAptSources(text)).toEqual([
      {
        uri: 'http://deb.debian.org/debian',
        suites: ['bookworm', 'bookworm-updates'],
        signedBy: '/usr/share/keyrings/debian-archive-keyring.gpg',
      },
    ]);
  });

  it('reads one-line entries with and without options', () => {
    const text = [
      '# comment',
      'deb [arch=amd64 signed-by=/k.gpg] http://ftp.de.debian.org/debian bookworm main',
      'deb-src http://ftp.de.debian.org/debian bookworm main',
      'deb http://security.debian.org/debian-security bookworm-security main # trailing',
    ].join('\n');
    expect(parseAptSources(text)).toEqual([
      { uri: 'http://ftp.de.debian.org/debian', suites: ['bookworm'], signedBy: '/k.gpg' },
      { uri: 'http://security.debian.org/debian-security', suites: ['bookworm-security'] },
    ]);
  });
});

describe('the host the install reads', () => {
  function host(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'asyncpay-host-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  }

  it('takes the Debian archive from the system sources, not security or Ubuntu archives', () => {
    const dir = host({
      'apt/sources.list': 'deb http://archive.ubuntu.com/ubuntu noble main\n',
      'apt/sources.list.d/a.sources':
        'Types: deb\nURIs: http://security.debian.org/debian-security\nSuites: x\n',
      'apt/sources.list.d/b.list': 'deb [signed-by=/k.gpg] http://mirror.example/debian/ bookworm main\n',
    });
    try {
      expect(systemDebianMirror(join(dir, 'apt'))).toEqual({
        uri: 'http://mirror.example/debian/',
        suites: ['bookworm'],
        signedBy: '/k.gpg',
      });
      expect(systemDebianMirror(join(dir, 'nothing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses with UNSUPPORTED_HOST, saying how to provide bitcoind, off Debian or without a Debian mirror', async () => {
    const dir = host({
      'fedora-os-release': 'ID=fedora\nVERSION_ID=41\n',
      'ubuntu-os-release': 'ID=ubuntu\nID_LIKE=debian\n',
      'apt/sources.list': 'deb http://archive.ubuntu.com/ubuntu noble main\n',
    });
    try {
      const base = { dir: join(dir, 'install'), etcApt: join(dir, 'apt') };
      const fedora = installBitcoind({ ...base, osRelease: join(dir, 'fedora-os-release') });
      await expect(fedora).rejects.toMatchObject({ code: 'UNSUPPORTED_HOST' });
      await expect(fedora).rejects.toThrow(/BITCOIND/);
      if (process.platform === 'linux' && which('apt-get') && which('dpkg')) {
        const ubuntu = installBitcoind({ ...base, osRelease: join(dir, 'ubuntu-os-release') });
        await expect(ubuntu).rejects.toMatchObject({ code: 'UNSUPPORTED_HOST' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('finding bitcoind', () => {
  it('prefers $BITCOIND, then PATH, and finds nothing in an empty environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncpay-find-'));
    try {
      const fake = join(dir, 'bitcoind');
      writeFileSync(fake, '#!/bin/sh\n');
      chmodSync(fake, 0o755);
      const nothing = join(dir, 'no-install');
      expect(findBitcoind({ BITCOIND: fake, PATH: '/usr/bin' }, nothing)).toEqual({
        path: fake,
        source: 'env',
      });
      expect(findBitcoind({ PATH: `/nonexistent:${dir}` }, nothing)).toEqual({ path: fake, source: 'path' });
      expect(findBitcoind({ PATH: '' }, nothing)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with BITCOIND_NOT_FOUND when $BITCOIND names no executable', () => {
    expect(() => findBitcoind({ BITCOIND: '/nonexistent/bitcoind' })).toThrow(
      expect.objectContaining({ code: 'BITCOIND_NOT_FOUND' }),
    );
  });
});

describe('amounts', () => {
  it('formats satoshis as exact BTC decimal strings and back', () => {
    expect(satsToBtc(0n)).toBe('0.00000000');
    expect(satsToBtc(12_345)).toBe('0.00012345');
    expect(satsToBtc(2_100_000_000_000_000n)).toBe('21000000.00000000');
    expect(btcToSats(0.00012345)).toBe(12_345n);
    expect(btcToSats(20_999_999.9769)).toBe(2_099_999_997_690_000n);
    expect(() => satsToBtc(-1n)).toThrow(RangeError);
  });
});
