/**
 * Loading test vectors.
 *
 * Upstream vectors (BOLTs, BIPs, the Schnorr-adaptor spec) are read verbatim from the folder named by
 * `ASYNCPAY_VECTORS`, by default `../shared/vectors` beside the repository root. They are never copied
 * into this repository. A missing file is an error, never a skip.
 *
 * Our own vectors live in `vectors/` at the repository root and are produced by `pnpm vectors`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder holding pnpm-workspace.yaml). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('repository root not found above the testkit');
    dir = up;
  }
  return dir;
}

/** The folder upstream vectors are read from. */
export function upstreamVectorsDir(): string {
  return process.env.ASYNCPAY_VECTORS
    ? resolve(process.env.ASYNCPAY_VECTORS)
    : resolve(repoRoot(), '../shared/vectors');
}

/** Read an upstream vector file as text, e.g. `bolts/bolt12/offers-test.json`. Throws if absent. */
export function readUpstreamText(file: string): string {
  const path = join(upstreamVectorsDir(), file);
  if (!existsSync(path)) {
    throw new Error(
      `upstream vector file ${file} not found under ${upstreamVectorsDir()}: ` +
        'set ASYNCPAY_VECTORS to the folder holding the bolts/ and bips/ vector trees',
    );
  }
  return readFileSync(path, 'utf8');
}

/**
 * Parse JSON keeping integers that a double cannot hold exactly: any integer literal of 16 or more
 * digits becomes a string (convert with `BigInt`).
 */
export function parseJsonKeepingBigInts<T = unknown>(text: string): T {
  const quoted = text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"');
  return JSON.parse(quoted) as T;
}

/** Read and parse an upstream JSON vector file (big integers kept as strings). */
export function readUpstreamJson<T = unknown>(file: string): T {
  return parseJsonKeepingBigInts<T>(readUpstreamText(file));
}

/** Read an upstream CSV vector file into rows keyed by the header (no quoting is used in those files). */
export function readUpstreamCsv(file: string): Record<string, string>[] {
  const [header, ...rows] = readUpstreamText(file).trim().split(/\r?\n/);
  if (header === undefined) return [];
  const keys = header.split(',');
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(keys.map((k, i) => [k, cells[i] ?? '']));
  });
}

/** Read one of our own published vector files from `vectors/`. */
export function readOurJson<T = unknown>(file: string): T {
  return parseJsonKeepingBigInts<T>(readFileSync(join(repoRoot(), 'vectors', file), 'utf8'));
}

/**
 * The name of a describe block that runs every case of a vector file. The reporter lists these after
 * the run, so the output names each file and counts its cases.
 */
export function vectorSuite(origin: 'upstream' | 'ours', file: string, cases: number): string {
  return `${origin} ${file} [${cases} case${cases === 1 ? '' : 's'}]`;
}
