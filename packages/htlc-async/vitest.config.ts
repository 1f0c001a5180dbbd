import { packageTestConfig } from '@asyncpay/testkit/vitest';

// One regtest bitcoind per worker for the on-chain test (test/regtest-*.test.ts), started and stopped
// by the regtest package's global setup. Without bitcoind, CI fails and a local run skips that test
// with a loud banner.
export default packageTestConfig(import.meta.dirname, {
  testTimeout: 120_000,
  globalSetup: ['@asyncpay/regtest/vitest-global-setup'],
  hookTimeout: 60_000,
});
