/**
 * Scalars modulo the secp256k1 group order n, on top of noble's `Point.Fn`.
 *
 * Scalars are `bigint` in `[0, n)`; on the wire they are 32 big-endian bytes. Two ways in:
 * - {@link scalarFromBytes}: strict, refuses values ≥ n (a signature's `s`, a secret key, an adaptor
 *   secret). BIP-340: "fail if s ≥ n".
 * - {@link scalarFromHash}: reduces mod n (a hash output used as a challenge or coefficient).
 *   BIP-340: "e = int(hashBIP0340/challenge(…)) mod n".
 *
 * @example
 * ```ts
 * const t = scalarFromBytes(secret, 'secret');          // CryptoError INVALID_SCALAR if ≥ n
 * const e = scalarFromHash(taggedHash('BIP0340/challenge', rx, px, m));
 * scalarToBytes(Fn.add(t, e));
 * ```
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { abytes } from './bytes.js';
import { CryptoError, type CryptoErrorCode } from './errors.js';

/** noble's scalar field (integers mod n): `add`, `sub`, `mul`, `neg`, `inv`, `create`, `isValid`. */
export const Fn = secp256k1.Point.Fn;

/** The secp256k1 group order n. */
export const N: bigint = Fn.ORDER;

/** 32 big-endian bytes of a scalar in `[0, n)`. */
export function scalarToBytes(k: bigint): Uint8Array {
  if (!Fn.isValid(k)) throw new RangeError(`scalar must be in [0, n), got ${k}`);
  return Fn.toBytes(k);
}

/**
 * The scalar encoded in 32 big-endian bytes, refusing values ≥ n.
 *
 * @param bytes 32 bytes.
 * @param field name of the input, for error messages.
 * @param code the error code to raise when the value is ≥ n (default `INVALID_SCALAR`).
 * @throws CryptoError with `code` when the value is ≥ n.
 */
export function scalarFromBytes(
  bytes: Uint8Array,
  field: string,
  code: CryptoErrorCode = 'INVALID_SCALAR',
): bigint {
  abytes(bytes, 32, field);
  const k = bytesToInt(bytes);
  if (k >= N) throw new CryptoError(code, `${field} is not below the group order n`, { field });
  return k;
}

/**
 * Like {@link scalarFromBytes} but also refuses zero (secret keys, nonces, adaptor secrets).
 *
 * @throws CryptoError with `code` when the value is 0 or ≥ n.
 */
export function nonzeroScalarFromBytes(
  bytes: Uint8Array,
  field: string,
  code: CryptoErrorCode = 'INVALID_SCALAR',
): bigint {
  const k = scalarFromBytes(bytes, field, code);
  if (k === 0n) throw new CryptoError(code, `${field} must not be zero`, { field });
  return k;
}

/** Interprets any byte string (typically a 32-byte hash) as a big-endian integer and reduces it mod n. */
export function scalarFromHash(bytes: Uint8Array): bigint {
  abytes(bytes, undefined, 'hash');
  return Fn.create(bytesToInt(bytes));
}

/** Big-endian unsigned integer of arbitrary length (no reduction); noble's `bytesToNumberBE`. */
export function bytesToInt(bytes: Uint8Array): bigint {
  return bytesToNumberBE(bytes);
}

/** A scalar given either as 32 bytes or as a bigint, validated into `[0, n)`. */
export type ScalarInput = Uint8Array | bigint;

/**
 * Normalizes a {@link ScalarInput} to a bigint in `[0, n)`.
 *
 * @throws TypeError for other types; RangeError for a byte string not 32 bytes long or a negative
 *   bigint; CryptoError `INVALID_SCALAR` for a value ≥ n.
 */
export function toScalar(value: ScalarInput, field: string): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`${field} must not be negative`);
    if (value >= N) {
      throw new CryptoError('INVALID_SCALAR', `${field} is not below the group order n`, { field });
    }
    return value;
  }
  return scalarFromBytes(value, field);
}
