import { packageTestConfig } from '@asyncpay/testkit/vitest';

// One regtest node per worker, started and stopped by the package's own global setup (other packages
// name it '@asyncpay/regtest/vitest-global-setup').
export default packageTestConfig(import.meta.dirname, {
  globalSetup: ['./src/vitest-global-setup.ts'],
  hookTimeout: 60_000,
});
