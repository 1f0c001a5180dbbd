/**
 * Wire profiles: which set of numbers (TLV types, message types) a codec speaks.
 *
 * Async payments are specified in lightning/bolts#1149, but the first shipping
 * implementation (LDK 0.2) picked some numbers before the spec settled. A
 * `WireProfile` selects between the two so both can be decoded and produced.
 *
 * - `'ldk'`: the numbers LDK 0.2 uses on the wire (the default, since that is
 *   what real nodes send).
 * - `'spec'`: the numbers in the bolts#1149 text.
 *
 * @example
 * ```ts
 * import { DEFAULT_PROFILE, type WireProfile } from '@asyncpay/codec/profile';
 * const profile: WireProfile = opts.profile ?? DEFAULT_PROFILE;
 * ```
 */
export type WireProfile = 'ldk' | 'spec';

/** The profile used when a caller does not name one: `'ldk'`. */
export const DEFAULT_PROFILE: WireProfile = 'ldk';

/** Every profile, in a fixed order (for CLI flags and table-driven tests). */
export const WIRE_PROFILES: readonly WireProfile[] = ['ldk', 'spec'];

/**
 * Narrow an untrusted string (a CLI flag, a JSON field) to a `WireProfile`.
 *
 * @throws RangeError naming `field` when `value` is not a known profile.
 */
export function parseWireProfile(value: string, field = 'profile'): WireProfile {
  if (typeof value !== 'string') throw new TypeError(`${field}: expected a string`);
  if (value === 'ldk' || value === 'spec') return value;
  throw new RangeError(`${field}: unknown profile ${JSON.stringify(value)} (expected 'ldk' or 'spec')`);
}
