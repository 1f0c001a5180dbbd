/**
 * The test side of `@asyncpay/regtest/vitest-global-setup`: the node of the current vitest worker.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { regtestAvailable, regtestNode } from '@asyncpay/regtest/vitest';
 *
 * describe.skipIf(!regtestAvailable())('on-chain', () => {
 *   it('confirms a payment', async () => {
 *     const node = regtestNode();
 *     const { txid } = await node.fund(await node.newAddress(), 10_000n);
 *     await node.mine(1);
 *     expect((await node.waitForTx(txid, { confirmations: 1 })).confirmations).toBe(1);
 *   });
 * });
 * ```
 *
 * The node is shared by the test files the worker runs one after another: do not `stop()` it, and do
 * not assume an exact height or balance — mine and compare relative to what you read.
 */
import { inject } from 'vitest';
import { RegtestError } from './errors.js';
import { connect, type RegtestNode } from './harness.js';
import type { RegtestProvided } from './vitest-global-setup.js';

function provided(): RegtestProvided | undefined {
  return inject('asyncpayRegtest');
}

/** Whether a regtest node was provided (false only locally when bitcoind is missing: tests skip). */
export function regtestAvailable(): boolean {
  const p = provided();
  if (p === undefined) {
    throw new Error(
      "no regtest nodes provided: add globalSetup: ['@asyncpay/regtest/vitest-global-setup'] to vitest.config.ts",
    );
  }
  return p.nodes.length > 0;
}

/** This worker's node (picked by `VITEST_POOL_ID`). Throws `BITCOIND_NOT_FOUND` when none was provided. */
export function regtestNode(): RegtestNode {
  const p = provided();
  if (!p || p.nodes.length === 0) {
    throw new RegtestError('BITCOIND_NOT_FOUND', p?.unavailable ?? 'no regtest nodes provided');
  }
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  const index = (Number.isInteger(pool) && pool > 0 ? pool - 1 : 0) % p.nodes.length;
  return connect(p.nodes[index]!);
}
