/**
 * The one error class of `@asyncpay/ln`.
 *
 * Every refusal of this package is an {@link LnError} with a stable {@link LnErrorCode}. Tests and
 * callers branch on `code`, never on the message. Plain argument mistakes (wrong JS type, wrong byte
 * length) stay `TypeError` / `RangeError`; `LnError` is for inputs that have the right shape but break
 * a rule of the protocol (a secret that does not derive from the earlier ones, an output below dust…).
 *
 * @example
 * ```ts
 * import { LnError } from '@asyncpay/ln/errors';
 * try { store.insertSecret(secret, index); } catch (e) {
 *   if (e instanceof LnError && e.code === 'SHACHAIN_MISMATCH') { … }
 * }
 * ```
 * @module
 */

/**
 * Closed union of error codes. New codes are appended, never renamed.
 *
 * - Keys and secrets: `INVALID_KEY`, `INVALID_SECRET_INDEX`, `SHACHAIN_MISMATCH`, `SHACHAIN_UNKNOWN_INDEX`
 * - Transactions: `DUST`, `INVALID_AMOUNT`, `INVALID_HTLC`, `INVALID_SIGNATURE`, `INVALID_PREIMAGE`
 * - Taproot channels: `INVALID_NONCE`, `INVALID_PARTIAL_SIG`, `INVALID_ADAPTOR_SIG`
 * - On-chain channels: `UNKNOWN_PER_COMMITMENT_POINT` (a commitment to sign whose point the peer has
 *   not promised yet), `NO_SIGNED_COMMITMENT` (a force-close before the peer signed any commitment)
 */
export type LnErrorCode =
  // keys and per-commitment secrets
  | 'INVALID_KEY'
  | 'INVALID_SECRET_INDEX'
  | 'SHACHAIN_MISMATCH'
  | 'SHACHAIN_UNKNOWN_INDEX'
  // transactions
  | 'DUST'
  | 'INVALID_AMOUNT'
  | 'INVALID_HTLC'
  | 'INVALID_SIGNATURE'
  | 'INVALID_PREIMAGE'
  // taproot channels
  | 'INVALID_NONCE'
  | 'INVALID_PARTIAL_SIG'
  | 'INVALID_ADAPTOR_SIG'
  // off-chain channel state (BOLT 2)
  | 'INSUFFICIENT_BALANCE'
  | 'HTLC_BELOW_MINIMUM'
  | 'TOO_MANY_HTLCS'
  | 'HTLC_ID_MISMATCH'
  | 'UNKNOWN_HTLC'
  | 'HTLC_NOT_PENDING'
  | 'CLTV_EXPIRY_TOO_SOON'
  | 'CLTV_EXPIRY_TOO_FAR'
  | 'HOLD_DEADLINE_PASSED'
  // the optional on-chain side of a channel
  | 'UNKNOWN_PER_COMMITMENT_POINT'
  | 'NO_SIGNED_COMMITMENT';

/** Options of {@link LnError}: the offending field and the underlying cause, if any. */
export interface LnErrorOptions {
  /** Name of the offending input field, e.g. `'index'` or `'htlcs[2]'`. */
  field?: string;
  /** The error this one wraps. */
  cause?: unknown;
}

/**
 * A typed protocol failure with a stable `code` and, when known, the offending `field`.
 *
 * @example
 * ```ts
 * throw new LnError('DUST', 'to_local is below the dust limit', { field: 'toLocalMsat' });
 * ```
 */
export class LnError extends Error {
  /** Stable machine-readable code; see {@link LnErrorCode}. */
  readonly code: LnErrorCode;
  /** Name of the offending input, when there is one. */
  readonly field?: string;

  constructor(code: LnErrorCode, message: string, options: LnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LnError';
    this.code = code;
    if (options.field !== undefined) this.field = options.field;
  }
}

/** True when `e` is an {@link LnError}, optionally with the given `code`. */
export function isLnError(e: unknown, code?: LnErrorCode): e is LnError {
  return e instanceof LnError && (code === undefined || e.code === code);
}
