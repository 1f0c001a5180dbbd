/**
 * The recipient's used-nonce store: the one piece of state that keeps receipts safe.
 *
 * Signing two different receipt messages with one nonce pair leaks the recipient's secret key
 * (three signatures give three linear equations in the two nonce secrets and the key; see
 * `test/receipt-nonce-reuse.test.ts`). So before the recipient reveals a receipt scalar it records
 * the nonce id as used, durably and atomically, and refuses any later use of the same id.
 *
 * The interface is synchronous because the check-and-mark must be one atomic step; the SQLite
 * implementation (`./sqlite-store.ts`) makes it one transaction.
 *
 * @example
 * ```ts
 * const store: UsedNonceStore = new MemoryUsedNonceStore();
 * store.markUsed(12345n, m);     // ok
 * store.markUsed(12345n, m2);    // CryptoError NONCE_REUSED
 * ```
 * @module
 */
import { abigint, abytes } from '../bytes.js';
import { CryptoError } from '../errors.js';

/** Persistent, atomic record of which receipt nonce ids have been used. */
export interface UsedNonceStore {
  /**
   * Records `nonceId` as used for the 32-byte receipt message `message`, in one atomic step that is
   * durable when it returns. Must be called *before* the receipt scalar is revealed.
   *
   * @throws CryptoError `NONCE_REUSED` when the id was already used (for any message).
   */
  markUsed(nonceId: bigint, message: Uint8Array): void;
  /** True when `nonceId` has been marked used. */
  isUsed(nonceId: bigint): boolean;
}

/** Largest nonce id (ids are u64). */
export const MAX_NONCE_ID: bigint = (1n << 64n) - 1n;

/** Checks a nonce id and a 32-byte message; shared by the store implementations. */
export function checkMarkArgs(nonceId: bigint, message: Uint8Array): void {
  abigint(nonceId, MAX_NONCE_ID + 1n, 'nonceId');
  abytes(message, 32, 'message');
}

/** The error every store raises for a second use. */
export function nonceReused(nonceId: bigint): CryptoError {
  return new CryptoError('NONCE_REUSED', `receipt nonce ${nonceId} was already used`, { field: 'nonceId' });
}

/**
 * An in-memory {@link UsedNonceStore}. Not persistent: for tests and for the payer-side simulations
 * only, never for a real recipient.
 */
export class MemoryUsedNonceStore implements UsedNonceStore {
  readonly #used = new Map<bigint, Uint8Array>();

  /** {@inheritDoc UsedNonceStore.markUsed} */
  markUsed(nonceId: bigint, message: Uint8Array): void {
    checkMarkArgs(nonceId, message);
    if (this.#used.has(nonceId)) throw nonceReused(nonceId);
    this.#used.set(nonceId, message.slice());
  }

  /** {@inheritDoc UsedNonceStore.isUsed} */
  isUsed(nonceId: bigint): boolean {
    return this.#used.has(nonceId);
  }
}
