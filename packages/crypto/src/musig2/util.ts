/**
 * Shared pieces of the MuSig2 modules: BIP-327's notation (`cpoint`, `cbytes_ext`, `xbytes`, `int`,
 * `hash_tag`) expressed on noble's `secp256k1.Point` and `Point.Fn`, the input checks at the API
 * boundary, and the error class that carries BIP-327's "blame signer i".
 *
 * Nothing here does field or point arithmetic by hand: points are noble points, scalars go through
 * `Point.Fn` (integers mod n).
 *
 * @example
 * ```ts
 * import { cpoint, xbytes } from '@asyncpay/crypto/musig2/util';
 * const x = xbytes(cpoint(pk33, 'pubkey'));
 * ```
 * @module
 */
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, equalBytes, numberToBytesBE } from '@noble/curves/utils.js';
import { CryptoError, type CryptoErrorCode } from '../errors.js';

/** A secp256k1 point (noble). */
export type Point = WeierstrassPoint<bigint>;
/** noble's secp256k1 point constructor. */
export const Point = secp256k1.Point;
/** The scalar field: integers mod the group order n. */
export const Fn = secp256k1.Point.Fn;
/** The generator G. */
export const G: Point = Point.BASE;

/** What a BIP-327 "invalid contribution" blames: whose input, and which input. */
export type Musig2Contribution = 'pubkey' | 'pubnonce' | 'aggnonce' | 'aggothernonce' | 'psig';

/**
 * BIP-327's "fail … and blame signer i for invalid contribution". `signer` is the 0-based index of
 * the signer to blame, or `null` when the nonce aggregator is to blame (`aggnonce`,
 * `aggothernonce`). The `code` names the broken value: `INVALID_PUBKEY`, `INVALID_PUBNONCE`,
 * `INVALID_AGGNONCE` or `INVALID_PARTIAL_SIG` — or `BAD_PARTIAL_SIG` for a well-formed partial
 * signature that fails verification.
 *
 * @example
 * ```ts
 * try { keyAgg(pubkeys); } catch (e) {
 *   if (e instanceof Musig2ContributionError) console.log(e.code, e.signer); // INVALID_PUBKEY 1
 * }
 * ```
 */
export class Musig2ContributionError extends CryptoError {
  /** 0-based index of the signer to blame; `null` blames the nonce aggregator. */
  readonly signer: number | null;
  /** Which contribution was invalid, in BIP-327's words. */
  readonly contrib: Musig2Contribution;

  constructor(
    signer: number | null,
    contrib: Musig2Contribution,
    message: string,
    options: { cause?: unknown; code?: CryptoErrorCode } = {},
  ) {
    const field = signer === null ? contrib : `${contrib}s[${signer}]`;
    super(options.code ?? CONTRIBUTION_CODE[contrib], message, { field, cause: options.cause });
    this.name = 'Musig2ContributionError';
    this.signer = signer;
    this.contrib = contrib;
  }
}

const CONTRIBUTION_CODE: Record<Musig2Contribution, CryptoErrorCode> = {
  pubkey: 'INVALID_PUBKEY',
  pubnonce: 'INVALID_PUBNONCE',
  aggnonce: 'INVALID_AGGNONCE',
  aggothernonce: 'INVALID_AGGNONCE',
  psig: 'INVALID_PARTIAL_SIG',
};

/** Wrong type → TypeError, wrong length → RangeError; the message names the field. */
export function abytes(value: unknown, length: number | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field}: expected Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${field}: expected ${length} bytes, got ${value.length}`);
  }
  return value;
}

/** Checks an array of byte strings of one length; names each element `field[i]`. */
export function abytesArray(value: unknown, length: number | undefined, field: string): Uint8Array[] {
  if (!Array.isArray(value)) throw new TypeError(`${field}: expected an array`);
  return value.map((v, i) => abytes(v, length, `${field}[${i}]`));
}

/** Checks a boolean array (tweak modes). */
export function abooleans(value: unknown, field: string): boolean[] {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'boolean')) {
    throw new TypeError(`${field}: expected an array of booleans`);
  }
  return value as boolean[];
}

/** BIP-327 `hash_tag(x)` = SHA256(SHA256(tag) ‖ SHA256(tag) ‖ x). */
export const hashTag: (tag: string, ...parts: Uint8Array[]) => Uint8Array = schnorr.utils.taggedHash;

/** BIP-327 `int(x)`: a 32-byte big-endian integer. */
export const int = (x: Uint8Array): bigint => bytesToNumberBE(x);

/** BIP-327 `int(hash) mod n`. */
export const intModN = (x: Uint8Array): bigint => Fn.create(bytesToNumberBE(x));

/** BIP-327 `bytes(n, x)`. */
export const bytes = (n: number, x: number | bigint): Uint8Array => numberToBytesBE(x, n);

/** A scalar in 1..n-1 read from 32 bytes, or `undefined` if it is 0 or ≥ n. */
export function scalarNot0(x: Uint8Array): bigint | undefined {
  const v = int(x);
  return Fn.isValidNot0(v) ? v : undefined;
}

/** BIP-327 `cpoint(x)`: decode a 33-byte compressed point (prefix 2 or 3); throws on failure. */
export function cpoint(x: Uint8Array): Point {
  if (x.length !== 33 || (x[0] !== 2 && x[0] !== 3)) throw new Error('not a compressed point');
  return Point.fromBytes(x);
}

/** BIP-327 `cpoint_ext(x)`: like `cpoint`, but 33 zero bytes decode to the point at infinity. */
export function cpointExt(x: Uint8Array): Point {
  return x.every((b) => b === 0) ? Point.ZERO : cpoint(x);
}

/** BIP-327 `cbytes(P)`: 33-byte compressed encoding. */
export const cbytes = (P: Point): Uint8Array => P.toBytes(true);

/** BIP-327 `cbytes_ext(P)`: `cbytes`, or 33 zero bytes for the point at infinity. */
export const cbytesExt = (P: Point): Uint8Array => (P.is0() ? new Uint8Array(33) : P.toBytes(true));

/** BIP-327 `xbytes(P)`: the 32-byte x coordinate. */
export const xbytes = (P: Point): Uint8Array => P.toBytes(true).subarray(1);

/** BIP-327 `has_even_y(P)`. */
export const hasEvenY = (P: Point): boolean => (P.y & 1n) === 0n;

/** BIP-327 `lift_x(x)` (BIP-340): the even-y point with this x; throws if there is none. */
export const liftX = (x: Uint8Array): Point => schnorr.utils.lift_x(int(x));

/** `g = 1` if `has_even_y(P)`, else `-1 mod n`. */
export const parityFactor = (P: Point): bigint => (hasEvenY(P) ? 1n : Fn.neg(1n));

/** Constant-time-enough byte equality (noble). */
export const equal = (a: Uint8Array, b: Uint8Array): boolean => equalBytes(a, b);
