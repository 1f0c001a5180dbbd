import { packageTestConfig } from '@asyncpay/testkit/vitest';

export default packageTestConfig(import.meta.dirname, { testTimeout: 120_000 });
