import { packageTestConfig } from '@asyncpay/testkit/vitest';

// The browser test opens every page of the built site: one test per page, a few pages at a time.
export default packageTestConfig(import.meta.dirname, {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  maxConcurrency: 4,
});
