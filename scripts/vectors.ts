/**
 * Generates the vectors this project publishes in `vectors/`, or with `--check` verifies that
 * regenerating them changes nothing (CI runs the check).
 *
 * Each package may have a `gen/` folder; a `gen/*.ts` module that exports
 * `vectors: { file: string; generate(): unknown }[]` is a generator (others are helpers they share).
 * Generators must be deterministic (seeded).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '@asyncpay/testkit/vectors';

interface VectorFile {
  file: string;
  generate(): unknown;
}

const root = repoRoot();
const check = process.argv.includes('--check');
const outDir = join(root, 'vectors');

function generatorModules(): string[] {
  const dirs = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(root, top)).map((name) => join(root, top, name, 'gen')),
  );
  dirs.push(join(root, 'regtest', 'gen'));
  return dirs
    .filter((d) => existsSync(d))
    .flatMap((d) =>
      readdirSync(d)
        .filter((f) => f.endsWith('.ts'))
        .sort()
        .map((f) => join(d, f)),
    );
}

const serialize = (value: unknown): string =>
  `${JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`;

let problems = 0;
const produced = new Set<string>(['README.md']);
for (const mod of generatorModules()) {
  const { vectors } = (await import(pathToFileURL(mod).href)) as { vectors?: VectorFile[] };
  for (const v of vectors ?? []) {
    if (produced.has(v.file)) throw new Error(`two generators write vectors/${v.file}`);
    produced.add(v.file);
    const text = serialize(v.generate());
    if (text !== serialize(v.generate())) {
      console.error(`not deterministic: vectors/${v.file} (${relative(root, mod)})`);
      problems++;
      continue;
    }
    const path = join(outDir, v.file);
    if (check) {
      const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
      if (current !== text) {
        console.error(`out of date: vectors/${v.file} (run pnpm vectors)`);
        problems++;
      } else console.log(`unchanged: vectors/${v.file}`);
    } else {
      writeFileSync(path, text);
      console.log(`wrote vectors/${v.file}`);
    }
  }
}
for (const f of readdirSync(outDir)) {
  if (!produced.has(f)) {
    console.error(`vectors/${f} is produced by no generator`);
    problems++;
  }
}
if (problems > 0) {
  console.error(`${problems} vector file(s) need attention`);
  process.exit(1);
}
