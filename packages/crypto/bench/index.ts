/**
 * The crypto package's benchmarks (`pnpm --filter @asyncpay/crypto bench`): each bench module that
 * exists in this folder is run in turn, one table each. A module exports one async function named
 * in the list below.
 * @module
 */
import { existsSync } from 'node:fs';

/** Bench modules of this folder and the function each exports. */
const MODULES: readonly (readonly [file: string, run: string])[] = [
  ['adaptor.ts', 'benchAdaptor'],
  ['musig2.ts', 'benchMusig2'],
];

for (const [file, run] of MODULES) {
  const url = new URL(`./${file}`, import.meta.url);
  if (!existsSync(url)) continue;
  const mod = (await import(url.href)) as Record<string, () => Promise<void>>;
  const fn = mod[run];
  if (typeof fn !== 'function') throw new Error(`bench/${file} does not export ${run}()`);
  await fn();
}
