/**
 * Writes everything the site shows that is not hand-written, into `generated/` (git-ignored), before
 * every build:
 *
 * - `compare.json`: the output of `asyncpay compare --json`, or, while the CLI has no `compare`
 *   command, a record saying that no scheme has run yet. A `compare` that exists but fails, fails the
 *   build: the page never shows stale or invented numbers.
 * - `vectors.json`: the upstream vector files, grouped as the provenance notes group them, each with
 *   the test files that read it; and the vector files this project publishes in `vectors/`.
 * - `examples/<name>.txt`: what each file in `docs/examples/` prints, for the pages to show under it.
 * - `api/`: the API reference, rendered by TypeDoc from the doc comments of every package's source
 *   entry points (`packages/<name>/src/**` and `regtest/src/**`). A package that does not exist yet is
 *   simply absent.
 */
import { spawn } from 'node:child_process';
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

function node(
  args: string[],
  cwd: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return node(['--conditions=source', '--import', 'tsx', join(root, 'apps/cli/src/bin.ts'), ...args], root);
}

/**
 * Whether the on-chain column can be measured: in CI bitcoind is always installed (and must work); on
 * a developer's machine only if one is configured or was installed by the regtest harness.
 */
function regtestAvailable(): boolean {
  return (
    process.env.CI === 'true' ||
    Boolean(process.env.BITCOIND) ||
    existsSync(join(root, 'regtest/.bitcoind/knots/bin/bitcoind'))
  );
}

async function generateCompare(): Promise<CompareFile> {
  const regtest = regtestAvailable();
  const command = regtest ? 'asyncpay compare --json --regtest' : 'asyncpay compare --json';
  if (!existsSync(join(root, 'apps/cli/src/bin.ts'))) {
    return { available: false, command, reason: 'The command line is not part of this checkout.' };
  }
  const help = await cli(['--help']);
  const listed = help.stdout.split('\n').some((line) => /^\s+compare\s/.test(line));
  if (!listed) {
    return {
      available: false,
      command,
      reason: 'The command line has no compare command yet, so no scheme has run.',
    };
  }
  const r = await cli(['compare', '--json', ...(regtest ? ['--regtest'] : [])]);
  if (r.status !== 0) {
    throw new Error(`${command} failed with exit code ${r.status}:\n${r.stderr}`);
  }
  return { available: true, command, data: JSON.parse(r.stdout) };
}

// ---------------------------------------------------------------------------------------------------
// examples/

/** Runs every example in docs/examples, as its test does, and keeps what it prints for the pages. */
async function generateExampleOutputs(): Promise<string[]> {
  const dir = join(root, 'docs/examples');
  const target = join(out, 'examples');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'vitest.config.ts')
    : [];
  await Promise.all(
    files.map(async (file) => {
      const r = await node(['--conditions=source', '--import', 'tsx', join(dir, file)], dir);
      if (r.status !== 0)
        throw new Error(`docs/examples/${file} failed with exit code ${r.status}:\n${r.stderr}`);
      writeFileSync(join(target, `${file.replace(/\.ts$/, '')}.txt`), r.stdout);
    }),
  );
  return files;
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
  // A test names a file by its whole path, or by its folder and its name apart (`${DIR}/name.json`).
  const names = (text: string, file: string): boolean => {
    if (text.includes(file)) return true;
    const parts = file.split('/');
    const name = parts.at(-1) ?? file;
    const folder = parts.length > 1 ? parts.slice(0, -1).join('/') : '';
    return text.includes(`/${name}`) && folder !== '' && text.includes(folder);
  };
  const testedBy = (file: string): string[] => sources.filter((s) => names(s.text, file)).map((s) => s.path);

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
    testedBy: sources.filter((s) => s.text.includes(file)).map((s) => s.path),
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
  const scratch = join(out, 'typedoc');
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const packages = apiPackages();
  const lines = [
    '---',
    'sidebar_position: 0',
    'sidebar_label: Overview',
    'title: API reference',
    'slug: /',
    '---',
    '',
    '# API reference',
    '',
    'Generated at build time by TypeDoc from the doc comments in each package’s source, one page per',
    'package. Every file under a package’s `src/` is an entry point: `src/bigsize.ts` of `@asyncpay/codec`',
    'is imported as `@asyncpay/codec/bigsize`.',
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
    lines.push(`| [\`${p.name}\`](./${slug}.md) | \`${p.dir}\` | ${p.entries.length} |`);
  }
  writeFileSync(join(dir, 'index.md'), `${lines.join('\n')}\n`);

  // One TypeDoc run over every package (one TypeScript program, and links across packages), split
  // into one page per package afterwards.
  const td = await import('typedoc');
  mkdirSync(scratch, { recursive: true });
  const entries = packages.flatMap((p) => p.entries.map((e) => join(root, e)));
  const tsconfig = join(scratch, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true, rootDir: root },
      include: entries,
    }),
  );
  const app = await td.Application.bootstrapWithPlugins({
    name: 'asyncpay',
    entryPoints: entries,
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
  if (!project) throw new Error('TypeDoc could not convert the packages');
  const typedocDir = join(scratch, 'md');
  await app.outputs.writeOutput({ name: 'markdown', path: typedocDir }, project);
  const pages = apiPages(packages, typedocDir);
  for (const page of pages) writeFileSync(join(dir, `${page.slug}.md`), page.text);
  return pages.map((p) => p.name);
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

/**
 * Joins the per-module pages TypeDoc wrote for one package into a single page (one `##` section per
 * module, headings one level down), and points every link at the anchor Docusaurus will really give the
 * heading it means: TypeDoc numbers repeated names its own way, and modules now share one page.
 */
/**
 * The comment that opens a source file, when it describes the file (it is followed by imports or a blank
 * line) rather than the first declaration; TypeDoc shows it only with an `@module` tag.
 */
function fileComment(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const m = /^\s*\/\*\*([\s\S]*?)\*\/[ \t]*\n(\s*\n|import |export \{|export \* )/.exec(
    readFileSync(path, 'utf8'),
  );
  if (!m?.[1] || /@module|@packageDocumentation/.test(m[1])) return undefined;
  // Headings would shift the page's anchors, and block tags read better in bold: both become bold text.
  let fenced = false;
  return m[1]
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, ''))
    .map((line) => {
      if (line.startsWith('```')) fenced = !fenced;
      if (fenced) return line;
      const tag = /^@(\w+)\s*(.*)$/.exec(line);
      if (tag?.[1]) return `**${tag[1][0]?.toUpperCase()}${tag[1].slice(1)}** ${tag[2] ?? ''}`.trimEnd();
      return line.replace(/^#{1,6}\s+(.*)$/, '**$1**');
    })
    .join('\n')
    .trim();
}

interface Section {
  /** The TypeDoc output file, relative to its folder. */
  file: string;
  /** The page (package slug) the section lands on. */
  slug: string;
  /** The module's path inside the package's `src/`, e.g. `musig2/keyagg`. */
  title: string;
  moduleAnchor: string;
  /** Anchor Docusaurus will give each heading, by its undeduplicated slug (first occurrence). */
  anchors: Map<string, string>;
  intro: string | undefined;
  body: string;
}

/**
 * Joins the per-module pages TypeDoc wrote into one page per package (a `##` section per module, headings
 * one level down), and points every link at the anchor Docusaurus will really give the heading it means:
 * TypeDoc numbers repeated names its own way, and modules now share pages.
 */
function apiPages(
  packages: { dir: string; name: string }[],
  typedocDir: string,
): { name: string; slug: string; text: string }[] {
  const files = walk(typedocDir, (f) => f.endsWith('.md') && f !== 'index.md');
  const byFile = new Map<string, Section>();
  const pages = packages.map((p) => {
    const slugOfPage = p.name.replace(/^@asyncpay\//, '');
    const prefix = `${p.dir}/src/`;
    const seen = new Map<string, number>();
    const unique = (base: string): string => {
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      return n === 0 ? base : `${base}-${n}`;
    };
    const sections = files
      .filter((f) => f.startsWith(prefix))
      .map((file): Section => {
        const title = file.slice(prefix.length).replace(/\.md$/, '');
        const moduleAnchor = unique(slug(title));
        const intro = fileComment(join(root, p.dir, 'src', `${title}.ts`));
        const anchors = new Map<string, string>();
        let fenced = false;
        const body = readFileSync(join(typedocDir, file), 'utf8')
          .split('\n')
          .map((line) => {
            if (line.startsWith('```')) fenced = !fenced;
            const m = fenced ? null : /^(#{1,6})\s+(.*)$/.exec(line);
            if (!m?.[1] || m[2] === undefined) return line;
            const base = slug(m[2]);
            const anchor = unique(base);
            if (!anchors.has(base)) anchors.set(base, anchor);
            return `${'#'.repeat(Math.min(m[1].length + 1, 6))} ${m[2]}`;
          })
          .join('\n');
        const section = { file, slug: slugOfPage, title, moduleAnchor, anchors, intro, body };
        byFile.set(file, section);
        return section;
      });
    return { name: p.name, slug: slugOfPage, sections };
  });

  const link = (from: Section, target: string, anchor: string | undefined): string | undefined => {
    const file = target === '' ? from.file : join(dirname(from.file), target).split('\\').join('/');
    const to = byFile.get(file);
    if (!to) return undefined;
    const at =
      anchor === undefined
        ? to.moduleAnchor
        : (to.anchors.get(anchor) ?? to.anchors.get(anchor.replace(/-\d+$/, '')) ?? to.moduleAnchor);
    return to.slug === from.slug ? `#${at}` : `./${to.slug}.md#${at}`;
  };

  return pages
    .filter((page) => page.sections.length > 0)
    .map((page, i) => {
      const out = [
        '---',
        `title: ${JSON.stringify(page.name)}`,
        `sidebar_position: ${i + 1}`,
        'toc_max_heading_level: 2',
        '---',
        '',
        `Modules: ${page.sections.map((s) => `[${s.title}](#${s.moduleAnchor})`).join(' · ')}`,
        '',
      ];
      for (const s of page.sections) {
        const body = s.body.replace(
          /\]\(([^)#\s]*\.md|)(?:#([^)\s]+))?\)/g,
          (whole, target: string, anchor?: string) => {
            if (target === '' && anchor === undefined) return whole;
            const to = link(s, target, anchor);
            return to ? `](${to})` : whole;
          },
        );
        out.push(`## ${s.title}`, '', ...(s.intro ? [s.intro, ''] : []), body.trim(), '');
      }
      return { name: page.name, slug: page.slug, text: `${out.join('\n')}\n` };
    });
}

// ---------------------------------------------------------------------------------------------------

mkdirSync(out, { recursive: true });
// `asyncpay compare` runs every scheme in a child process while TypeDoc works here.
const comparing = generateCompare();
const running = generateExampleOutputs();
const vectors = generateVectors();
writeJson('vectors.json', vectors);
const api = await generateApi();
const compare = await comparing;
writeJson('compare.json', compare);
const examples = await running;
console.log(
  `generated: compare.json (${compare.available ? 'from asyncpay compare' : 'no schemes have run yet'}), ` +
    `vectors.json (${vectors.groups.reduce((n, g) => n + g.files.length, 0)} upstream files${
      vectors.upstreamFound ? '' : ', upstream folder not found'
    }, ${vectors.ours.length} of ours), examples/ (${examples.length} outputs), ` +
    `api/ (${api.length ? api.join(', ') : 'no packages yet'})`,
);
