/**
 * The schemes `asyncpay demo` and `asyncpay compare` know: one loader per scheme package, imported on
 * demand (so `asyncpay decode` never loads a scheme and its stores). A new scheme is one more line in
 * {@link LOADERS}; nothing else in the command line changes.
 */
import type { Scheme } from '@asyncpay/ln/scheme';

/** The seed demo and compare use unless `--seed` says otherwise, so that two runs print the same. */
export const DEFAULT_SEED = 'asyncpay';

/** One loader per scheme package; each resolves to the schemes that package exports. */
// prettier-ignore
const LOADERS: (() => Promise<Scheme[]>)[] = [
  async () => [(await import('@asyncpay/htlc-async/scheme')).htlcScheme],
  async () => [(await import('@asyncpay/htlc-async/unblock/scheme')).unblockScheme],
];

/**
 * Every registered scheme, in registration order (the order of demo `all` and of the comparison).
 * Throws if two schemes share an id.
 *
 * @example for (const s of await schemes()) console.log(s.id, s.title)
 */
export async function schemes(): Promise<Scheme[]> {
  const all = (await Promise.all(LOADERS.map((load) => load()))).flat();
  const ids = new Set<string>();
  for (const s of all) {
    if (ids.has(s.id)) throw new Error(`two schemes are registered with the id '${s.id}'`);
    ids.add(s.id);
  }
  return all;
}
