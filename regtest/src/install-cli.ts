/**
 * `pnpm --filter @asyncpay/regtest run install-bitcoind`: makes sure a bitcoind is available (see
 * {@link ensureBitcoind}) and prints which one. Idempotent: when bitcoind is already found it only prints.
 * Exits 1 with a one-line reason when bitcoind can be neither found nor installed.
 */

import { RegtestError } from './errors.js';
import { ensureBitcoind } from './install.js';

const started = performance.now();
try {
  const found = await ensureBitcoind({ log: (line) => console.log(`install-bitcoind: ${line}`) });
  const ms = Math.round(performance.now() - started);
  console.log(`install-bitcoind: bitcoind (${found.source}) ${found.path} [${ms} ms]`);
} catch (e) {
  if (!(e instanceof RegtestError)) throw e;
  console.error(`install-bitcoind: ${e.code}: ${e.message}`);
  process.exitCode = 1;
}
