import { availableParallelism } from 'node:os';
import { packageTestConfig } from '@asyncpay/testkit/vitest';

// One regtest bitcoind per worker for the on-chain tests (test/regtest-*.test.ts), started and stopped
// by the regtest package's global setup. Without bitcoind, CI fails and a local run skips those tests
// with a loud banner. At most four workers: the setup starts at most four nodes, and two test files
// mining on one shared node would break each other's locktime checks.
export default packageTestConfig(import.meta.dirname, {
  globalSetup: ['@asyncpay/regtest/vitest-global-setup'],
  hookTimeout: 60_000,
  maxWorkers: Math.max(1, Math.min(4, availableParallelism() - 1)),
});
