/**
 * Writes everything the site shows that is not hand-written, into `generated/` (git-ignored), before
 * every build:
 *
 * - `compare.json`: the output of `asyncpay compare --json`, or, while the CLI has no `compare`
 *   command, a record saying that no scheme has run yet. A `compare` that exists but fails, fails the
 *   build: the page never shows stale or invented numbers.
 * - `vectors.json`: the upstream vector files, grouped as the provenance notes group them, each with
 *   the test files that read it; and the vector files this project publishes in `vectors/`.
 * - `api/`: the API reference, rendered by TypeDoc from the doc comments of every package's source
 *   entry points (`packages/<name>/src/**` and `regtest/src/**`). A package that does not exist yet is
 *   simply absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { upstreamVectorsDir } from '@asyncpay/testkit/vectors';

const site = resolve(import.meta.dirname, '..');
const root = resolve(site, '../..');
const out = join(site, 'generated');

/** Every file under `dir` (relative to it, with `/`), skipping dependency and build folders. */
function walk(dir: string, keep: (path: string) => boolean = () => true): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path);
      else {
        const rel = relative(dir, path).split('\\').join('/');
        if (keep(rel)) found.push(rel);
      }
    }
  };
  visit(dir);
  return found;
}

function writeJson(name: string, value: unknown): void {
  writeFileSync(join(out, name), `${JSON.stringify(value, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------
// compare.json

export interface CompareFile {
  /** Whether `asyncpay compare --json` exists and ran. */
  available: boolean;
  /** The command that produced `data`. */
  command: string;
  /** Why there is no data, in one sentence, when `available` is false. */
  reason?: string;
  /** The command's JSON output, verbatim. */
  data?: unknown;
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(root, 'apps/cli/src/bin.ts'), ...args],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function generateCompare(): CompareFile {
  const command = 'asyncpay compare --json';
  if (!existsSync(join(root, 'apps/cli/src/bin.ts'))) {
    return { available: false, command, reason: 'The command line is not part of this checkout.' };
  }
  const help = cli(['--help']);
  const listed = help.stdout.split('\n').some((line) => /^\s+compare\s/.test(line));
  if (!listed) {
    return {
      available: false,
      command,
      reason: 'The command line has no compare command yet, so no scheme has run.',
    };
  }
  const r = cli(['compare', '--json']);
  if (r.status !== 0) {
    throw new Error(`${command} failed with exit code ${r.status}:\n${r.stderr}`);
  }
  return { available: true, command, data: JSON.parse(r.stdout) };
}

// ---------------------------------------------------------------------------------------------------
// vectors.json

/** The groups of upstream vectors the project's tests gate on, by path prefix. */
// prettier-ignore
const GROUPS: { prefix: string; title: string; what: string }[] = [
  { prefix: 'bolts/extracted/bolt01-', title: 'BOLT 1', what: 'BigSize, fundamental types and TLV streams' },
  {
    prefix: 'bolts/bolt04/',
    title: 'BOLT 4',
    what: 'Sphinx onions, failure onions, route blinding, onion messages',
  },
  { prefix: 'bolts/bolt12/', title: 'BOLT 12', what: 'offers, the string format, merkle signatures' },
  { prefix: 'bips/bip-0340/', title: 'BIP-340', what: 'Schnorr signatures' },
  { prefix: 'bips/bip-0327/', title: 'BIP-327', what: 'MuSig2' },
  {
    prefix: 'schnorr-adaptor/',
    title: 'Schnorr adaptor signatures',
    what: 'pre-sign, adapt, extract (the secp256k1-zkp module spec)',
  },
];

export interface VectorFile {
  file: string;
  /** Test files (repository paths) that name this vector file. */
  testedBy: string[];
}

export interface VectorsFile {
  /** Whether the upstream folder was found when the site was built. */
  upstreamFound: boolean;
  groups: { title: string; what: string; files: VectorFile[] }[];
  /** Upstream files outside the groups above that a test reads. */
  other: VectorFile[];
  /** The vector files this project publishes, under `vectors/`. */
  ours: VectorFile[];
}

/** Test sources of every package, with their text. */
function testSources(): { path: string; text: string }[] {
  const dirs = ['packages', 'apps']
    .flatMap((top) =>
      existsSync(join(root, top)) ? readdirSync(join(root, top)).map((n) => `${top}/${n}`) : [],
    )
    .concat('regtest', 'docs/examples');
  return dirs.flatMap((d) =>
    walk(join(root, d), (p) => /^(test|bench)\/.*\.ts$/.test(p)).map((p) => ({
      path: `${d}/${p}`,
      text: readFileSync(join(root, d, p), 'utf8'),
    })),
  );
}

function generateVectors(): VectorsFile {
  const sources = testSources();
  const testedBy = (file: string): string[] =>
    sources.filter((s) => s.text.includes(`'${file}'`) || s.text.includes(`"${file}"`)).map((s) => s.path);

  const upstream = upstreamVectorsDir();
  const upstreamFound = existsSync(upstream);
  const files = walk(upstream, (p) => /\.(json|csv)$/.test(p));
  const groups = GROUPS.map((g) => ({
    title: g.title,
    what: g.what,
    files: files.filter((f) => f.startsWith(g.prefix)).map((file) => ({ file, testedBy: testedBy(file) })),
  }));
  const other = files
    .filter((f) => !GROUPS.some((g) => f.startsWith(g.prefix)))
    .map((file) => ({ file, testedBy: testedBy(file) }))
    .filter((v) => v.testedBy.length > 0);
  const ours = walk(join(root, 'vectors'), (p) => p.endsWith('.json')).map((file) => ({
    file,
    testedBy: testedBy(file),
  }));
  return { upstreamFound, groups, other, ours };
}

// ---------------------------------------------------------------------------------------------------
// api/

/** The packages whose source the API reference covers, in sidebar order. */
function apiPackages(): { dir: string; name: string; entries: string[] }[] {
  const dirs = existsSync(join(root, 'packages'))
    ? readdirSync(join(root, 'packages'))
        .sort()
        .map((n) => `packages/${n}`)
    : [];
  return dirs
    .concat('regtest')
    .filter((d) => existsSync(join(root, d, 'package.json')) && existsSync(join(root, d, 'src')))
    .map((d) => {
      const pkg = JSON.parse(readFileSync(join(root, d, 'package.json'), 'utf8')) as {
        name: string;
        private?: boolean;
      };
      return { dir: d, name: pkg.name, private: pkg.private === true };
    })
    .filter((p) => !p.private)
    .map((p) => ({
      dir: p.dir,
      name: p.name,
      entries: walk(join(root, p.dir, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(
        (f) => `${p.dir}/src/${f}`,
      ),
    }))
    .filter((p) => p.entries.length > 0);
}

async function generateApi(): Promise<string[]> {
  const dir = join(out, 'api');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packages = apiPackages();
  const lines = [
    '---',
    'sidebar_position: 0',
    'title: API reference',
    'slug: /',
    '---',
    '',
    '# API reference',
    '',
    'Generated at build time by TypeDoc from the doc comments in each package’s source. Every file under',
    'a package’s `src/` is an entry point: `src/bigsize.ts` of `@asyncpay/codec` is imported as',
    '`@asyncpay/codec/bigsize`.',
    '',
  ];
  if (packages.length === 0) {
    lines.push('No package has source files yet.', '');
    writeFileSync(join(dir, 'index.md'), lines.join('\n'));
    return [];
  }
  lines.push('| package | folder | modules |', '| --- | --- | --- |');
  for (const p of packages) {
    const slug = p.name.replace(/^@asyncpay\//, '');
    lines.push(`| [\`${p.name}\`](./${slug}/index.md) | \`${p.dir}\` | ${p.entries.length} |`);
  }
  writeFileSync(join(dir, 'index.md'), `${lines.join('\n')}\n`);

  const td = await import('typedoc');
  const rendered: string[] = [];
  for (const [i, p] of packages.entries()) {
    const slug = p.name.replace(/^@asyncpay\//, '');
    const tsconfig = join(out, `tsconfig.${slug}.json`);
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: { noEmit: true, rootDir: join(root, p.dir, 'src') },
        include: p.entries.map((e) => join(root, e)),
      }),
    );
    const app = await td.Application.bootstrapWithPlugins({
      name: p.name,
      entryPoints: p.entries.map((e) => join(root, e)),
      entryPointStrategy: 'resolve',
      tsconfig,
      plugin: ['typedoc-plugin-markdown'],
      skipErrorChecking: true,
      excludePrivate: true,
      excludeInternal: true,
      readme: 'none',
      disableSources: true,
      logLevel: 'Warn',
      validation: { notExported: false, invalidLink: false, notDocumented: false },
      // typedoc-plugin-markdown options
      outputFileStrategy: 'modules',
      entryFileName: 'index',
      hidePageHeader: true,
      hidePageTitle: true,
      hideBreadcrumbs: true,
      useCodeBlocks: true,
      parametersFormat: 'table',
    } as Partial<import('typedoc').TypeDocOptions>);
    const project = await app.convert();
    if (!project) throw new Error(`TypeDoc could not convert ${p.name}`);
    const pkgDir = join(dir, slug);
    await app.outputs.writeOutput({ name: 'markdown', path: pkgDir }, project);
    writeFileSync(
      join(pkgDir, '_category_.json'),
      JSON.stringify({ label: p.name, position: i + 1, link: { type: 'doc', id: `${slug}/index` } }),
    );
    rendered.push(p.name);
  }
  polishApiPages(dir);
  return rendered;
}

/** The anchor Docusaurus gives a heading (github-slugger's rule), before de-duplication. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`\\*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every heading anchor of a Markdown page, de-duplicated the way Docusaurus does it. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!m?.[1]) continue;
    const base = slug(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/**
 * Gives each generated page a title (the module's path, e.g. `musig2/keyagg`) and makes every in-page
 * link point at an anchor Docusaurus really renders: TypeDoc numbers repeated names its own way
 * (`#name-1`), so a link whose anchor does not exist is pointed at the same name without the number.
 */
function polishApiPages(dir: string): void {
  const pages = walk(dir, (f) => f.endsWith('.md') && f !== 'index.md');
  const texts = new Map(pages.map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
  const anchors = new Map([...texts].map(([f, t]) => [f, anchorsOf(t)]));
  for (const [file, text] of texts) {
    const fixed = text.replace(/\]\(([^)#\s]*)#([^)\s]+)\)/g, (whole, target: string, anchor: string) => {
      const targetFile = target === '' ? file : join(dirname(file), target).split('\\').join('/');
      const known = anchors.get(targetFile);
      if (!known || known.has(anchor)) return whole;
      const base = anchor.replace(/-\d+$/, '');
      return known.has(base) ? `](${target}#${base})` : whole;
    });
    const parts = file.replace(/\.md$/, '').split('/');
    const isPackageIndex = parts.length === 2 && parts[1] === 'index';
    const title = isPackageIndex ? `@asyncpay/${parts[0]}` : parts.slice(1).join('/');
    const label = isPackageIndex ? 'Overview' : parts.at(-1);
    const front = `---\ntitle: ${JSON.stringify(title)}\nsidebar_label: ${JSON.stringify(label)}\n---\n\n`;
    writeFileSync(join(dir, file), front + fixed);
  }
}

// ---------------------------------------------------------------------------------------------------

mkdirSync(out, { recursive: true });
const compare = generateCompare();
writeJson('compare.json', compare);
const vectors = generateVectors();
writeJson('vectors.json', vectors);
const api = await generateApi();
console.log(
  `generated: compare.json (${compare.available ? 'from asyncpay compare' : 'no schemes have run yet'}), ` +
    `vectors.json (${vectors.groups.reduce((n, g) => n + g.files.length, 0)} upstream files${
      vectors.upstreamFound ? '' : ', upstream folder not found'
    }, ${vectors.ours.length} of ours), api/ (${api.length ? api.join(', ') : 'no packages yet'})`,
);
