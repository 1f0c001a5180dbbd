import { packageTestConfig } from '@asyncpay/testkit/vitest';

// One regtest bitcoind per worker for the on-chain tests (test/regtest-*.test.ts), started and stopped
// by the regtest package's global setup. Without bitcoind, CI fails and a local run skips those tests
// with a loud banner.
export default packageTestConfig(import.meta.dirname, {
  globalSetup: ['@asyncpay/regtest/vitest-global-setup'],
  hookTimeout: 60_000,
});
