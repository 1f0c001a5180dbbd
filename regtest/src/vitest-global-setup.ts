/**
 * A vitest global setup that gives every test worker its own regtest node, the way viem's test suite
 * gives every worker an anvil: `setup` starts one node per worker (`maxWorkers`, at most
 * {@link MAX_NODES}), hands their {@link NodeInfo}s to the workers with `project.provide`, and the
 * returned teardown stops them all. In a test, {@link regtestNode} (from `@asyncpay/regtest/vitest`) picks
 * the node of the current worker by `VITEST_POOL_ID`.
 *
 * Opting in, in a package's `vitest.config.ts` (and `"@asyncpay/regtest": "workspace:*"` in its
 * devDependencies):
 *
 * ```ts
 * export default packageTestConfig(import.meta.dirname, {
 *   globalSetup: ['@asyncpay/regtest/vitest-global-setup'],
 * });
 * ```
 *
 * When bitcoind can be neither found nor installed, the setup fails the run if `CI` is set; otherwise it
 * prints a loud warning and provides no nodes, and tests guarded with `describe.skipIf(!regtestAvailable())`
 * are skipped.
 */
import type { TestProject } from 'vitest/node';
import { RegtestError } from './errors.js';
import { type NodeInfo, type RegtestNode, start } from './harness.js';
import { ensureBitcoind } from './install.js';

/** What the global setup provides to the workers under the key `asyncpayRegtest`. */
export interface RegtestProvided {
  /** One node per worker; worker `VITEST_POOL_ID` = k uses `nodes[(k - 1) % nodes.length]`. */
  nodes: NodeInfo[];
  /** Why there are no nodes (bitcoind missing outside CI). */
  unavailable?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by `@asyncpay/regtest/vitest-global-setup`. */
    asyncpayRegtest: RegtestProvided;
  }
}

/** The most nodes the setup starts, however many workers there are (workers beyond it share nodes). */
export const MAX_NODES = 4;

/** Whether this run is CI, where a missing bitcoind must fail the run instead of skipping. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** The loud message printed when regtest tests are skipped locally. */
export function skipBanner(reason: string): string {
  const line = '!'.repeat(100);
  return [
    line,
    '!! REGTEST TESTS SKIPPED: no bitcoind.',
    `!! ${reason}`,
    '!! Run `bash scripts/setup.sh --test` (Debian/Ubuntu) or set BITCOIND. In CI (CI=true) this fails the run.',
    line,
  ].join('\n');
}

/**
 * Starts the nodes and provides them; returns the teardown that stops them all.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default packageTestConfig(import.meta.dirname, {
 *   globalSetup: ['@asyncpay/regtest/vitest-global-setup'],
 * });
 * ```
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    await ensureBitcoind();
  } catch (e) {
    if (isCi() || !(e instanceof RegtestError)) throw e;
    const reason = `${e.code}: ${e.message}`;
    console.warn(skipBanner(reason));
    project.provide('asyncpayRegtest', { nodes: [], unavailable: reason });
    return async () => {};
  }
  const count = Math.max(1, Math.min(project.config.maxWorkers || 1, MAX_NODES));
  const settled = await Promise.allSettled(Array.from({ length: count }, () => start()));
  const nodes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n: RegtestNode) => n.stop()));
  };
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  project.provide('asyncpayRegtest', { nodes: nodes.map((n) => n.info) });
  return stopAll;
}
