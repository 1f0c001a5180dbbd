/**
 * Finding bitcoind, and installing it on Debian/Ubuntu hosts when it is nowhere to be found.
 *
 * Order: `$BITCOIND` (must exist if set), then `bitcoind` on PATH, then a copy this package installed
 * earlier, then (only if allowed) a fresh install. The install takes Debian sid's `bitcoin-knots` (a
 * Bitcoin Core derivative, v29) with the runtime libraries it needs, from the same mirror host the system's
 * apt sources use, through a private sources list and private apt state, so the system's apt configuration
 * is never touched. The packages are unpacked with `dpkg -x` into the git-ignored folder `regtest/.bitcoind/`
 * and bitcoind runs through the unpacked dynamic loader (`ld-linux-… --library-path …`), because the host's
 * glibc and libstdc++ may be older than what sid's bitcoind was built against. Nothing is installed system-wide
 * and no root rights are needed.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { RegtestError } from './errors.js';

const run = promisify(execFile);

/** How a bitcoind binary was found. */
export type BitcoindSource = 'env' | 'path' | 'installed';

/** A bitcoind executable the harness can spawn. */
export interface BitcoindBinary {
  /** Absolute path of an executable that takes bitcoind's arguments. */
  path: string;
  /** Where it came from. */
  source: BitcoindSource;
}

/**
 * Debian sid packages the install downloads: bitcoind and every shared library it loads that may be
 * missing or too old on the host (bookworm's libstdc++ is older than the one sid's bitcoind needs).
 */
// prettier-ignore
export const DEBIAN_PACKAGES = [
  'bitcoin-knots',
  'libc6',
  'libstdc++6',
  'libgcc-s1',
  'libevent-core-2.1-7t64',
  'libevent-extra-2.1-7t64',
  'libevent-pthreads-2.1-7t64',
  'libsqlite3-0',
  'libzmq5',
  'libsodium26',
  'libpgm-5.3-0t64',
  'libnorm1t64',
] as const;

/** The git-ignored folder installs go to: `regtest/.bitcoind/`. */
export const INSTALL_DIR: string = join(import.meta.dirname, '..', '.bitcoind');

/** What to tell people when bitcoind cannot be found or installed. */
export const HOW_TO_PROVIDE_BITCOIND =
  'set BITCOIND=/path/to/bitcoind (Bitcoin Core or Knots, v25 or newer) or put bitcoind on PATH';

/** Multiarch names for the architectures the Debian install supports. */
// prettier-ignore
const ARCHES: Record<string, { triplet: string; loader: string }> = {
  amd64: { triplet: 'x86_64-linux-gnu', loader: 'ld-linux-x86-64.so.2' },
  arm64: { triplet: 'aarch64-linux-gnu', loader: 'ld-linux-aarch64.so.1' },
};

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The wrapper script an install leaves behind (also handy to run by hand). */
function installedWrapper(dir: string): string {
  return join(dir, 'knots', 'bin', 'bitcoind');
}

/**
 * Finds bitcoind without installing anything: `$BITCOIND`, then PATH, then an earlier install in `dir`.
 * Returns `undefined` when there is none. Throws `BITCOIND_NOT_FOUND` if `$BITCOIND` is set but is not an
 * executable file (a wrong explicit setting should not silently fall back to something else).
 *
 * @example
 * ```ts
 * const found = findBitcoind(); // { path: '/usr/bin/bitcoind', source: 'path' } or undefined
 * ```
 */
export function findBitcoind(
  env: NodeJS.ProcessEnv = process.env,
  dir: string = INSTALL_DIR,
): BitcoindBinary | undefined {
  const explicit = env.BITCOIND;
  if (explicit !== undefined && explicit !== '') {
    if (!isExecutableFile(explicit)) {
      throw new RegtestError('BITCOIND_NOT_FOUND', `BITCOIND=${explicit} is not an executable file`);
    }
    return { path: explicit, source: 'env' };
  }
  for (const d of (env.PATH ?? '').split(delimiter)) {
    if (d === '') continue;
    const candidate = join(d, 'bitcoind');
    if (isExecutableFile(candidate)) return { path: candidate, source: 'path' };
  }
  const wrapper = installedWrapper(dir);
  if (existsSync(join(dir, 'knots', 'installed.json')) && isExecutableFile(wrapper)) {
    return { path: wrapper, source: 'installed' };
  }
  return undefined;
}

/** One `deb` entry of an apt sources file. */
export interface AptSource {
  /** The repository URI, e.g. `http://deb.debian.org/debian`. */
  uri: string;
  /** Suites, e.g. `['bookworm', 'bookworm-updates']`. */
  suites: string[];
  /** The keyring file from `Signed-By`, when it names a file. */
  signedBy?: string;
}

/**
 * Parses apt sources: the one-line format (`deb [signed-by=…] URI suite comp…`) and the deb822 format
 * (`Types: deb` / `URIs:` / `Suites:` / `Signed-By:` stanzas). Only `deb` entries are returned; disabled
 * stanzas (`Enabled: no`) and comments are skipped.
 */
export function parseAptSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  // Whole-line comments go (a blank line would end a deb822 stanza); other lines lose trailing comments.
  const lines = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .map((l) => l.replace(/#.*$/, '').trimEnd());
  if (lines.some((l) => /^(Types|URIs):/i.test(l))) {
    for (const stanza of lines.join('\n').split(/\n\s*\n/)) {
      const fields = new Map<string, string>();
      let last = '';
      for (const l of stanza.split('\n')) {
        const m = /^([A-Za-z-]+):\s*(.*)$/.exec(l);
        if (m) {
          last = m[1]!.toLowerCase();
          fields.set(last, m[2]!);
        } else if (/^\s/.test(l) && last !== '') fields.set(last, `${fields.get(last)}\n${l.trim()}`);
      }
      if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
      if (/^(no|false)$/i.test(fields.get('enabled') ?? '')) continue;
      const signed = (fields.get('signed-by') ?? '').trim();
      const suites = (fields.get('suites') ?? '').split(/\s+/).filter(Boolean);
      for (const uri of (fields.get('uris') ?? '').split(/\s+/).filter(Boolean)) {
        out.push({ uri, suites, ...(signed.startsWith('/') ? { signedBy: signed } : {}) });
      }
    }
    return out;
  }
  for (const l of lines) {
    const m = /^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(.*)$/.exec(l.trim());
    if (!m) continue;
    const signed = /signed-by=(\S+)/.exec(m[1] ?? '')?.[1];
    const [suite] = m[3]!.split(/\s+/);
    out.push({ uri: m[2]!, suites: suite ? [suite] : [], ...(signed ? { signedBy: signed } : {}) });
  }
  return out;
}

/**
 * The Debian archive the system's apt sources point at (`/etc/apt/sources.list`, `sources.list.d/*.list`
 * and `*.sources`): the first http(s) URI whose path ends in `/debian` (so not `debian-security`, not an
 * Ubuntu archive). Returns `undefined` if there is none.
 */
export function systemDebianMirror(etcApt = '/etc/apt'): AptSource | undefined {
  const files: string[] = [join(etcApt, 'sources.list')];
  const parts = join(etcApt, 'sources.list.d');
  if (existsSync(parts)) {
    for (const f of readdirSync(parts).sort()) {
      if (f.endsWith('.list') || f.endsWith('.sources')) files.push(join(parts, f));
    }
  }
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const s of parseAptSources(readFileSync(f, 'utf8'))) {
      if (/^https?:\/\/[^/]+(\/.*)?\/debian\/?$/.test(s.uri)) return s;
    }
  }
  return undefined;
}

function readOsRelease(files: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of files) {
    if (!existsSync(f)) continue;
    for (const l of readFileSync(f, 'utf8').split('\n')) {
      const kv = /^([A-Z_]+)=("?)(.*)\2$/.exec(l.trim());
      if (kv) m.set(kv[1]!, kv[3]!);
    }
    break;
  }
  return m;
}

/** The full path of executable `name` on `PATH`, or `undefined`. */
export function which(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const d of (env.PATH ?? '').split(delimiter)) {
    if (d !== '' && isExecutableFile(join(d, name))) return join(d, name);
  }
  return undefined;
}

function onPath(name: string): boolean {
  return which(name) !== undefined;
}

function unsupported(why: string): RegtestError {
  return new RegtestError(
    'UNSUPPORTED_HOST',
    `bitcoind not found, and it cannot be installed automatically here (${why}): ${HOW_TO_PROVIDE_BITCOIND}`,
  );
}

/** Options for {@link installBitcoind}. */
export interface InstallOptions {
  /** Folder to install into; default {@link INSTALL_DIR}. */
  dir?: string;
  /** Debian mirror URI; default: the one the system's apt sources use ({@link systemDebianMirror}). */
  mirror?: string;
  /** Keyring that signs the mirror's Release file; default: the system source's `Signed-By`. */
  keyring?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Where the host's apt configuration is (default `/etc/apt`; tests point it elsewhere). */
  etcApt?: string;
  /** The host's os-release file (default `/etc/os-release`, then `/usr/lib/os-release`). */
  osRelease?: string;
}

async function step(what: string, file: string, args: string[], cwd?: string): Promise<void> {
  try {
    await run(file, args, { cwd, maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    const tail = stderr.split('\n').slice(-6).join('\n');
    throw new RegtestError('INSTALL_FAILED', `${what} failed: ${tail || (e as Error).message}`, { cause: e });
  }
}

/**
 * Installs Debian sid's bitcoind into `dir` (see the module comment) and returns the wrapper script that
 * runs it. Does nothing and returns at once if an install is already there. Throws `UNSUPPORTED_HOST` on
 * hosts without apt-get/dpkg, on architectures other than amd64/arm64, or when no Debian mirror is
 * configured; `INSTALL_FAILED` when a download or unpack step fails.
 *
 * @example
 * ```ts
 * const { path } = await installBitcoind({ log: console.log }); // …/regtest/.bitcoind/knots/bin/bitcoind
 * ```
 */
export async function installBitcoind(options: InstallOptions = {}): Promise<BitcoindBinary> {
  const dir = options.dir ?? INSTALL_DIR;
  const log = options.log ?? (() => {});
  const done = findBitcoind({}, dir);
  if (done) return done;

  if (process.platform !== 'linux') throw unsupported(`${process.platform} is not Linux`);
  const os = readOsRelease(
    options.osRelease ? [options.osRelease] : ['/etc/os-release', '/usr/lib/os-release'],
  );
  const family = `${os.get('ID') ?? ''} ${os.get('ID_LIKE') ?? ''}`;
  if (!/\b(debian|ubuntu)\b/.test(family)) throw unsupported(`not Debian or Ubuntu: ${os.get('ID') ?? '?'}`);
  if (!onPath('apt-get') || !onPath('dpkg')) throw unsupported('apt-get or dpkg missing');
  const arch = (await run('dpkg', ['--print-architecture'])).stdout.trim();
  const names = ARCHES[arch];
  if (!names) throw unsupported(`architecture ${arch}`);
  const system = systemDebianMirror(options.etcApt);
  const mirror = options.mirror ?? system?.uri;
  if (!mirror) throw unsupported(`no Debian mirror in ${options.etcApt ?? '/etc/apt'} sources`);
  const keyring =
    options.keyring ??
    system?.signedBy ??
    (existsSync('/usr/share/keyrings/debian-archive-keyring.gpg')
      ? '/usr/share/keyrings/debian-archive-keyring.gpg'
      : undefined);

  await mkdir(dir, { recursive: true });
  const stage = join(dir, `knots.tmp-${process.pid}-${Date.now()}`);
  const apt = join(stage, 'apt');
  const debs = join(stage, 'debs');
  const root = join(stage, 'root');
  try {
    for (const d of [join(apt, 'lists', 'partial'), join(apt, 'cache', 'archives', 'partial'), debs, root]) {
      await mkdir(d, { recursive: true });
    }
    const signed = keyring ? `[signed-by=${keyring}] ` : '';
    await writeFile(join(apt, 'sources.list'), `deb ${signed}${mirror} sid main\n`);
    // Private sources, lists, cache and preferences: the system's apt state is neither read nor written.
    // prettier-ignore
    const opts = [
      '-q',
      '-o',
      `Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
      '-o',
      'Dir::Etc::SourceParts=/dev/null',
      '-o',
      `Dir::State::Lists=${join(apt, 'lists')}`,
      '-o',
      `Dir::Cache=${join(apt, 'cache')}`,
      '-o',
      'Dir::Etc::Preferences=/dev/null',
      '-o',
      'Dir::Etc::PreferencesParts=/dev/null',
      '-o',
      'Debug::NoLocking=1',
      '-o',
      'Acquire::Languages=none',
      '-o',
      'APT::Sandbox::User=root',
    ];
    log(`apt-get update (${mirror} sid, private lists)`);
    await step('apt-get update', 'apt-get', [...opts, '--error-on=any', 'update']);
    log(`apt-get download ${DEBIAN_PACKAGES.join(' ')}`);
    await step('apt-get download', 'apt-get', [...opts, 'download', ...DEBIAN_PACKAGES], debs);
    const files = (await readdir(debs)).filter((f) => f.endsWith('.deb')).sort();
    for (const f of files) await step(`dpkg -x ${f}`, 'dpkg', ['-x', join(debs, f), root]);
    log(`unpacked ${files.length} packages`);

    const loader = join(root, 'usr', 'lib', names.triplet, names.loader);
    const daemon = join(root, 'usr', 'bin', 'bitcoind');
    if (!existsSync(loader) || !existsSync(daemon)) {
      throw new RegtestError('INSTALL_FAILED', `unpacked packages lack ${names.loader} or bitcoind`);
    }
    // The loader is linked under the name `bitcoind`, so the process shows up as bitcoind (ps, pgrep).
    await mkdir(join(stage, 'ld'));
    await symlink(
      join('..', 'root', 'usr', 'lib', names.triplet, names.loader),
      join(stage, 'ld', 'bitcoind'),
    );
    await mkdir(join(stage, 'bin'));
    const libs = [`$here/root/usr/lib/${names.triplet}`, `$here/root/lib/${names.triplet}`].join(':');
    const wrapper = [
      '#!/bin/sh',
      "# bitcoind from Debian sid's bitcoin-knots, run with its own dynamic loader and libraries.",
      '# Installed by @asyncpay/regtest (src/install.ts); delete the folder to reinstall.',
      'here=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)',
      `exec "$here/ld/bitcoind" --library-path "${libs}" "$here/root/usr/bin/bitcoind" "$@"`,
      '',
    ].join('\n');
    await writeFile(join(stage, 'bin', 'bitcoind'), wrapper);
    await chmod(join(stage, 'bin', 'bitcoind'), 0o755);
    await step('bitcoind -version', join(stage, 'bin', 'bitcoind'), ['-version']);
    await rm(apt, { recursive: true, force: true });
    await rm(debs, { recursive: true, force: true });
    const manifest = { mirror, suite: 'sid', arch, packages: files, installedAt: new Date().toISOString() };
    await writeFile(join(stage, 'installed.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    try {
      await rename(stage, join(dir, 'knots'));
    } catch (e) {
      // Another process finished first: keep its copy.
      if (!findBitcoind({}, dir)) throw e;
    }
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
  const installed = findBitcoind({}, dir);
  if (!installed) throw new RegtestError('INSTALL_FAILED', `no bitcoind in ${dir} after installing`);
  log(`installed ${installed.path}`);
  return installed;
}

/** Options for {@link ensureBitcoind}. */
export interface EnsureOptions extends InstallOptions {
  /** Install when nothing is found (default true). With false, a miss throws `BITCOIND_NOT_FOUND`. */
  install?: boolean;
  /** Environment to read `BITCOIND` and `PATH` from (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/**
 * {@link findBitcoind}, falling back to {@link installBitcoind}: the call to make before starting a node.
 *
 * @example
 * ```ts
 * const bitcoind = await ensureBitcoind(); // finds, or installs on Debian/Ubuntu, or throws
 * ```
 */
export async function ensureBitcoind(options: EnsureOptions = {}): Promise<BitcoindBinary> {
  const found = findBitcoind(options.env ?? process.env, options.dir ?? INSTALL_DIR);
  if (found) return found;
  if (options.install === false) {
    throw new RegtestError('BITCOIND_NOT_FOUND', `bitcoind not found: ${HOW_TO_PROVIDE_BITCOIND}`);
  }
  return installBitcoind(options);
}
