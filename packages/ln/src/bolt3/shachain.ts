/**
 * BOLT 3 per-commitment secrets: generation from a seed and "Efficient Per-commitment Secret Storage".
 *
 * Indices are 48-bit; BOLT 3: "The first secret used: MUST be index 281474976710655, and from there, the
 * index is decremented." Indices are `bigint` so the whole range is exact.
 *
 * @example
 * ```ts
 * const secret = generateFromSeed(seed, FIRST_SECRET_INDEX);
 * const store = new ShachainStore();
 * store.insertSecret(secret, FIRST_SECRET_INDEX); // throws LnError('SHACHAIN_MISMATCH') on a bad secret
 * ```
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { LnError } from '../errors.js';
import { abytes } from './keys.js';

/** The largest index, 2^48 − 1: the first secret a channel uses. */
export const FIRST_SECRET_INDEX = (1n << 48n) - 1n;

function checkIndex(index: bigint, field = 'index'): bigint {
  if (typeof index !== 'bigint') throw new TypeError(`${field} must be a bigint`);
  if (index < 0n || index > FIRST_SECRET_INDEX) {
    throw new LnError('INVALID_SECRET_INDEX', `${field} must be in [0, 2^48 - 1]`, { field });
  }
  return index;
}

/**
 * BOLT 3 `derive_secret(base, bits, I)`: "for B in bits - 1 down to 0: if B set in I: flip(B) in P;
 * P = SHA256(P)", where "flip(B)" alternates "the (B mod 8) bit of the (B div 8) byte".
 */
export function deriveSecret(base: Uint8Array, bits: number, index: bigint): Uint8Array {
  abytes(base, 32, 'base');
  checkIndex(index);
  let p = Uint8Array.from(base);
  for (let b = bits - 1; b >= 0; b--) {
    if ((index >> BigInt(b)) & 1n) {
      p[b >> 3]! ^= 1 << (b & 7);
      p = sha256(p);
    }
  }
  return p;
}

/** BOLT 3 `generate_from_seed(seed, I)`: the I'th per-commitment secret of a seed. */
export function generateFromSeed(seed: Uint8Array, index: bigint): Uint8Array {
  return deriveSecret(seed, 48, index);
}

/** BOLT 3 `where_to_put_secret(I)`: the number of trailing zero bits of I (48 for I = 0). */
export function whereToPutSecret(index: bigint): number {
  checkIndex(index);
  for (let b = 0; b < 48; b++) if ((index >> BigInt(b)) & 1n) return b;
  return 48;
}

/** One stored (secret, index) pair. */
export interface ShachainEntry {
  /** The secret received for `index`. */
  readonly secret: Uint8Array;
  /** Its 48-bit index. */
  readonly index: bigint;
}

/**
 * The receiver's compact store of the peer's revealed per-commitment secrets: at most 49 entries,
 * from which every secret received so far can be re-derived.
 */
export class ShachainStore {
  readonly #known: (ShachainEntry | undefined)[] = [];
  #next: bigint = FIRST_SECRET_INDEX;

  /** The index the next secret must have (secrets arrive in descending order). */
  get nextIndex(): bigint {
    return this.#next;
  }

  /** A snapshot of the stored buckets (for persistence). */
  entries(): readonly (ShachainEntry | undefined)[] {
    return [...this.#known];
  }

  /**
   * BOLT 3 `insert_secret(secret, I)`: "A double-check, that all previous secrets derive correctly, is
   * needed; if this check fails, the secrets were not generated from the same seed."
   *
   * Stricter than the pseudo-code: the index must be exactly the next one in descending order
   * (`INVALID_SECRET_INDEX` otherwise), as BOLT 2 requires of `revoke_and_ack`.
   * A secret that does not derive the earlier ones throws `SHACHAIN_MISMATCH` and changes nothing.
   */
  insertSecret(secret: Uint8Array, index: bigint): void {
    abytes(secret, 32, 'secret');
    checkIndex(index);
    if (index !== this.#next) {
      throw new LnError('INVALID_SECRET_INDEX', `expected secret index ${this.#next}, got ${index}`, {
        field: 'index',
      });
    }
    const pos = whereToPutSecret(index);
    for (let b = 0; b < pos; b++) {
      const known = this.#known[b];
      if (known === undefined) continue;
      const derived = deriveSecret(secret, pos, known.index);
      if (!equalBytes(derived, known.secret)) {
        throw new LnError('SHACHAIN_MISMATCH', `the secret for index ${index} does not derive bucket ${b}`, {
          field: 'secret',
        });
      }
    }
    this.#known[pos] = { secret: Uint8Array.from(secret), index };
    this.#next = index - 1n;
  }

  /**
   * BOLT 3 `derive_old_secret(I)`: find a stored secret whose index is a prefix of I and derive from it.
   * Throws `SHACHAIN_UNKNOWN_INDEX` when I has not been received yet.
   */
  deriveOldSecret(index: bigint): Uint8Array {
    checkIndex(index);
    for (let b = 0; b < this.#known.length; b++) {
      const known = this.#known[b];
      if (known === undefined) continue;
      const mask = ~((1n << BigInt(b)) - 1n) & FIRST_SECRET_INDEX;
      if ((index & mask) === known.index) return deriveSecret(known.secret, b, index);
    }
    throw new LnError('SHACHAIN_UNKNOWN_INDEX', `index ${index} has not been received yet`, {
      field: 'index',
    });
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}
