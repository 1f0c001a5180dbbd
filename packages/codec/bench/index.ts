/**
 * `pnpm --filter @asyncpay/codec bench`: runs every benchmark suite of this package, one after the
 * other. Each module listed here exports async functions that run and print one suite; add a line per
 * new `bench/*.ts` module.
 */
const suites: (() => Promise<Record<string, unknown>>)[] = [
  () => import('./bolt12.js'),
  () => import('./onion.js'),
];

for (const load of suites) {
  const mod = await load();
  for (const fn of Object.values(mod)) {
    if (typeof fn === 'function') await fn();
  }
}
