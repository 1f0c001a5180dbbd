/**
 * secp256k1 points on top of noble's `secp256k1.Point`, with the encodings BIP-340 uses.
 *
 * - `bytes(P)` / {@link xOnly}: the 32-byte x coordinate (BIP-340 public keys, the `R` of a signature).
 * - `cbytes(P)` / {@link compressed}: the 33-byte 02/03 encoding (adaptor points, pre-signature `R'`).
 * - {@link liftX}: BIP-340 `lift_x`, the even-y point with a given x.
 *
 * Parsing failures raise a {@link CryptoError} whose `code` the caller picks (`INVALID_PUBKEY` for a
 * public key, `INVALID_ADAPTOR` for an adaptor point, …) and whose `field` names the input.
 *
 * @example
 * ```ts
 * const P = liftX(publicKey, 'publicKey', 'INVALID_PUBKEY');
 * const T = parseCompressed(adaptor, 'adaptor', 'INVALID_ADAPTOR');
 * xOnly(P.add(T));
 * ```
 * @module
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { abytes } from './bytes.js';
import { CryptoError, type CryptoErrorCode } from './errors.js';
import { bytesToInt } from './scalar.js';

/** noble's point class. */
export const Point = secp256k1.Point;
/** A secp256k1 point (noble). */
export type Point = InstanceType<typeof secp256k1.Point>;
/** The generator G. */
export const G: Point = Point.BASE;

/** `k·G` for a scalar `k` in `[1, n)` (constant-time in noble). */
export function mulG(k: bigint): Point {
  return G.multiply(k);
}

/** `k·P` allowing `k = 0` (returns the point at infinity); for public values only. */
export function mulPublic(P: Point, k: bigint): Point {
  return P.multiplyUnsafe(k);
}

/** BIP-340 `has_even_y(P)`; false for the point at infinity. */
export function hasEvenY(P: Point): boolean {
  if (P.is0()) return false;
  return P.toAffine().y % 2n === 0n;
}

/** BIP-340 `bytes(P)`: the 32-byte x coordinate. */
export function xOnly(P: Point): Uint8Array {
  if (P.is0()) throw new CryptoError('INVALID_POINT', 'the point at infinity has no x coordinate');
  return schnorr.utils.pointToBytes(P);
}

/** `cbytes(P)`: the 33-byte compressed encoding (02 for even y, 03 for odd y). */
export function compressed(P: Point): Uint8Array {
  if (P.is0()) throw new CryptoError('INVALID_POINT', 'the point at infinity has no compressed encoding');
  return P.toBytes(true);
}

/**
 * `cbytes_ext(P)`: like {@link compressed} but the point at infinity becomes 33 zero bytes,
 * as in BIP-327 and the adaptor spec's test vectors.
 */
export function compressedExt(P: Point): Uint8Array {
  return P.is0() ? new Uint8Array(33) : P.toBytes(true);
}

/**
 * BIP-340 `lift_x(x)`: the point with x coordinate `x` and even y.
 * "Fail if x ≥ p"; "fail if c is not a square mod p" (not on the curve).
 *
 * @throws RangeError unless 32 bytes; CryptoError `code` (default `INVALID_POINT`) if no such point.
 */
export function liftX(bytes: Uint8Array, field: string, code: CryptoErrorCode = 'INVALID_POINT'): Point {
  abytes(bytes, 32, field);
  try {
    return schnorr.utils.lift_x(bytesToInt(bytes));
  } catch (cause) {
    throw new CryptoError(code, `${field} is not the x coordinate of a curve point`, { field, cause });
  }
}

/**
 * Parses a 33-byte compressed point (`cpoint` in BIP-327 and the adaptor spec).
 *
 * @throws RangeError unless 33 bytes; CryptoError `code` (default `INVALID_POINT`) for a bad prefix,
 *   x ≥ p, or an x with no curve point.
 */
export function parseCompressed(
  bytes: Uint8Array,
  field: string,
  code: CryptoErrorCode = 'INVALID_POINT',
): Point {
  abytes(bytes, 33, field);
  if (bytes[0] !== 0x02 && bytes[0] !== 0x03) {
    throw new CryptoError(code, `${field} must start with 0x02 or 0x03`, { field });
  }
  try {
    const P = Point.fromBytes(bytes);
    P.assertValidity();
    return P;
  } catch (cause) {
    throw new CryptoError(code, `${field} is not a valid compressed point`, { field, cause });
  }
}

/**
 * `cpoint_ext`: like {@link parseCompressed} but 33 zero bytes parse as the point at infinity.
 *
 * @throws as {@link parseCompressed}.
 */
export function parseCompressedExt(
  bytes: Uint8Array,
  field: string,
  code: CryptoErrorCode = 'INVALID_POINT',
): Point {
  abytes(bytes, 33, field);
  if (bytes.every((b) => b === 0)) return Point.ZERO;
  return parseCompressed(bytes, field, code);
}

/**
 * BIP-340 key normalization: the secret key `d` such that `d·G` has even y, and the x-only key.
 * "Let d' = int(sk)… Let d = d' if has_even_y(P), otherwise let d = n − d'."
 */
export function evenYKey(d0: bigint): { d: bigint; P: Point; negated: boolean } {
  const P = mulG(d0);
  if (hasEvenY(P)) return { d: d0, P, negated: false };
  return { d: Point.Fn.neg(d0), P: P.negate(), negated: true };
}
