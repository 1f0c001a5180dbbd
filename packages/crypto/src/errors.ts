/**
 * The one error class of `@asyncpay/crypto`.
 *
 * Every cryptographic refusal in this package is a {@link CryptoError} with a stable
 * {@link CryptoErrorCode}. Tests and callers branch on `code`, never on the message.
 * Plain argument mistakes (wrong JS type, wrong byte length) stay `TypeError` / `RangeError`
 * as in noble; `CryptoError` is for inputs that have the right shape but are not valid
 * cryptographic objects (a point off the curve, a scalar ≥ n, a reused nonce, …).
 *
 * @example
 * ```ts
 * import { CryptoError } from '@asyncpay/crypto/errors';
 * try { adapt(preSig, badSecret); } catch (e) {
 *   if (e instanceof CryptoError && e.code === 'INVALID_SCALAR') { … }
 * }
 * ```
 * @module
 */

/**
 * Closed union of error codes. New codes are appended, never renamed.
 *
 * - Points and scalars: `INVALID_POINT`, `INVALID_SCALAR`, `INVALID_SECRET_KEY`, `INVALID_SIGNATURE`
 * - Adaptor signatures: `INVALID_PRESIGNATURE`, `INVALID_ADAPTOR`, `PRESIGNATURE_MISMATCH`,
 *   `SECRET_MISMATCH`
 * - Receipts: `INVALID_RECEIPT_MESSAGE`, `NONCE_REUSED`, `NONCE_UNKNOWN`, `NONCE_POOL_EXHAUSTED`
 * - Pay-for-signature / multi-hop locks: `INVALID_LOCK`, `LOCK_MISMATCH`
 * - MuSig2 (BIP-327 and adaptor MuSig2): `INVALID_PUBKEY`, `INVALID_PUBNONCE`, `INVALID_PARTIAL_SIG`,
 *   `INVALID_TWEAK`, `INVALID_SECNONCE`, `INVALID_CONTRIBUTION`, `INVALID_SIGNER_INDEX`,
 *   `DUPLICATE_SECNONCE_USE`, `BAD_PARTIAL_SIG`, `ADAPTOR_MISMATCH`
 */
export type CryptoErrorCode =
  // points, scalars, keys, signatures
  | 'INVALID_POINT'
  | 'INVALID_SCALAR'
  | 'INVALID_SECRET_KEY'
  | 'INVALID_SIGNATURE'
  // adaptor signatures
  | 'INVALID_PRESIGNATURE'
  | 'INVALID_ADAPTOR'
  | 'PRESIGNATURE_MISMATCH'
  | 'SECRET_MISMATCH'
  // receipts
  | 'INVALID_RECEIPT_MESSAGE'
  | 'NONCE_REUSED'
  | 'NONCE_UNKNOWN'
  | 'NONCE_POOL_EXHAUSTED'
  // pay-for-signature, multi-hop locks
  | 'INVALID_LOCK'
  | 'LOCK_MISMATCH'
  // MuSig2
  | 'INVALID_PUBKEY'
  | 'INVALID_PUBNONCE'
  | 'INVALID_PARTIAL_SIG'
  | 'INVALID_TWEAK'
  | 'INVALID_SECNONCE'
  | 'INVALID_CONTRIBUTION'
  | 'INVALID_SIGNER_INDEX'
  | 'DUPLICATE_SECNONCE_USE'
  | 'BAD_PARTIAL_SIG'
  | 'ADAPTOR_MISMATCH'
  | 'INVALID_AGGNONCE'
  | 'UNVERIFIED_PARTIAL_SIGS';

/** Options of {@link CryptoError}: the offending field and the underlying cause, if any. */
export interface CryptoErrorOptions {
  /** Name of the offending input field, e.g. `'adaptor'` or `'pubnonces[1]'`. */
  field?: string;
  /** The error this one wraps (e.g. a noble parse error). */
  cause?: unknown;
}

/**
 * A typed cryptographic failure with a stable `code` and, when known, the offending `field`.
 *
 * @example
 * ```ts
 * throw new CryptoError('NONCE_REUSED', 'nonce 7 was already used', { field: 'nonceId' });
 * ```
 */
export class CryptoError extends Error {
  /** Stable machine-readable code; see {@link CryptoErrorCode}. */
  readonly code: CryptoErrorCode;
  /** Name of the offending input, when there is one. */
  readonly field?: string;

  constructor(code: CryptoErrorCode, message: string, options: CryptoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CryptoError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
  }
}

/** True when `e` is a {@link CryptoError}, optionally with the given `code`. */
export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
