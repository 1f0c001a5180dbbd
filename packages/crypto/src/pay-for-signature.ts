/**
 * Pay-for-signature: buying a Schnorr signature (or a MuSig2 partial signature) with a PTLC.
 *
 * A BIP-340 signature `(R, s)` by key `P` on `m` satisfies `s·G = R + e·P` with
 * `e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)`. Anyone who knows the signer's nonce `R`
 * can compute that *signature point* in advance and lock a PTLC to it; claiming the PTLC reveals
 * `s`, which completes the signature. This is the identity Ketterer's 2019 async-payment design,
 * Lightning Rod and Towns's receipts all rest on (Suredbits, "Payment Points Part 4").
 *
 * Even-y conventions, as BIP-340 verification applies them: `R = lift_x(bytes(R))` and
 * `P = lift_x(bytes(P))`, both with even y. The signature point `S` itself can have either parity;
 * it is a lock, encoded as 33 compressed bytes.
 *
 * For MuSig2 (BIP-327) the point of signer i's partial signature is, per PartialSigVerify,
 * `s_i·G = Re_i + (e·a_i·g·gacc)·P_i`, where `Re_i = R1_i + b·R2_i`, negated when the final
 * nonce `R` has odd y, and `g = −1` when the (tweaked) aggregate key `Q` has odd y.
 * {@link partialSignaturePoint} takes those session values explicitly ({@link PartialSigPointInput}),
 * so any BIP-327 session — including an adaptor session, whose `b`, `R` and `e` already include
 * the adaptor point — can supply them.
 *
 * @example
 * ```ts
 * const S = signaturePoint(sellerKey, sellerNonce, m);              // buyer: the lock
 * const pre = presign(buyerSecret, claimDigest, S);                  // buyer pre-signs the claim
 * // seller adapts with s and publishes the claim signature …
 * const s = extractSoldScalar(claimSig, pre, S);                     // buyer learns s
 * const sig = completeSignature(sellerNonce, s, S);                  // (R, s): a BIP-340 signature
 * ```
 * @module
 */
import { extractSecret } from './adaptor.js';
import { abool, abytes, concatBytes } from './bytes.js';
import { challenge } from './challenge.js';
import { CryptoError } from './errors.js';
import {
  compressed,
  evenYKey,
  G,
  hasEvenY,
  liftX,
  mulG,
  mulPublic,
  type Point,
  parseCompressed,
  xOnly,
} from './point.js';
import {
  Fn,
  nonzeroScalarFromBytes,
  type ScalarInput,
  scalarFromBytes,
  scalarToBytes,
  toScalar,
} from './scalar.js';

/** A signature point and the challenge it used. */
export interface SignaturePoint {
  /** 33-byte compressed `S = R + e·P`. */
  S: Uint8Array;
  /** The challenge `e`. */
  e: bigint;
}

/**
 * The point `s·G = R + e·P` of the BIP-340 signature that key `publicKey` will make on `message`
 * with nonce `nonce` (both x-only, lifted to even y as BIP-340 verification does).
 *
 * @param publicKey 32-byte x-only key `bytes(P)`.
 * @param nonce 32-byte `bytes(R)`, the signer's committed nonce.
 * @param message any length.
 * @throws CryptoError `INVALID_PUBKEY`, `INVALID_POINT` (nonce not on the curve, or S infinite).
 */
export function signaturePoint(
  publicKey: Uint8Array,
  nonce: Uint8Array,
  message: Uint8Array,
): SignaturePoint {
  const P = liftX(publicKey, 'publicKey', 'INVALID_PUBKEY');
  const R = liftX(nonce, 'nonce', 'INVALID_POINT');
  const e = challenge(nonce, publicKey, message);
  const S = R.add(mulPublic(P, e));
  if (S.is0()) throw new CryptoError('INVALID_POINT', 'signature point is infinite', { field: 'nonce' });
  return { S: compressed(S), e };
}

/**
 * What a BIP-327 session provides about one signer, for {@link partialSignaturePoint}.
 * Scalars may be 32 bytes or bigints.
 */
export interface PartialSigPointInput {
  /** Signer i's 33-byte plain (compressed) public key `P_i`, as given to KeyAgg. */
  publicKey: Uint8Array;
  /** Signer i's 66-byte public nonce `cbytes(R1_i) ‖ cbytes(R2_i)`. */
  pubnonce: Uint8Array;
  /** The KeyAgg coefficient `a_i = KeyAggCoeff(pk1..u, P_i)`. */
  keyAggCoef: ScalarInput;
  /** The nonce coefficient `b` of the session (adaptor sessions: computed over `R1 + T`). */
  nonceCoef: ScalarInput;
  /** The challenge `e` of the session. */
  challenge: ScalarInput;
  /** True when the session's final nonce `R` has odd y (BIP-327 negates `k1`, `k2`). */
  finalNonceOddY: boolean;
  /** True when the (tweaked) aggregate key `Q` has odd y (BIP-327 `g = n − 1`). */
  aggregateKeyOddY: boolean;
  /** The tweak parity accumulator `gacc` (1 or n − 1); 1 when there are no x-only tweaks. */
  gacc: ScalarInput;
}

/**
 * The point `s_i·G` of signer i's partial signature, from BIP-327 PartialSigVerifyInternal:
 * "Let Re_s' = cpoint(pubnonce[0:33]) + b·cpoint(pubnonce[33:66]); let Re_s = Re_s' if
 * has_even_y(R) else −Re_s'; let g = 1 if has_even_y(Q) else n − 1; let g' = g·gacc mod n;
 * fail unless s·G = Re_s + e·a·g'·P".
 *
 * @returns the 33-byte compressed point.
 * @throws CryptoError `INVALID_PUBKEY`, `INVALID_PUBNONCE`, `INVALID_SCALAR`, `INVALID_TWEAK` (gacc
 *   not ±1), `INVALID_POINT` (the point is infinite).
 */
export function partialSignaturePoint(input: PartialSigPointInput): Uint8Array {
  const Pi = parseCompressed(input.publicKey, 'publicKey', 'INVALID_PUBKEY');
  abytes(input.pubnonce, 66, 'pubnonce');
  const R1 = parseCompressed(input.pubnonce.subarray(0, 33), 'pubnonce', 'INVALID_PUBNONCE');
  const R2 = parseCompressed(input.pubnonce.subarray(33, 66), 'pubnonce', 'INVALID_PUBNONCE');
  const a = toScalar(input.keyAggCoef, 'keyAggCoef');
  const b = toScalar(input.nonceCoef, 'nonceCoef');
  const e = toScalar(input.challenge, 'challenge');
  const gacc = toScalar(input.gacc, 'gacc');
  if (gacc !== 1n && gacc !== Fn.neg(1n)) {
    throw new CryptoError('INVALID_TWEAK', 'gacc must be 1 or n − 1', { field: 'gacc' });
  }
  const ReRaw = R1.add(mulPublic(R2, b));
  const Re = abool(input.finalNonceOddY, 'finalNonceOddY') ? ReRaw.negate() : ReRaw;
  const g = abool(input.aggregateKeyOddY, 'aggregateKeyOddY') ? Fn.neg(1n) : 1n;
  const point = Re.add(mulPublic(Pi, Fn.mul(Fn.mul(e, a), Fn.mul(g, gacc))));
  if (point.is0()) throw new CryptoError('INVALID_POINT', 'partial signature point is infinite');
  return compressed(point);
}

/** The BIP-327 session values {@link partialSigPointInputFromSession} reads (structurally typed). */
export interface Musig2SessionValuesLike {
  /** The (tweaked) aggregate key. */
  Q: Point;
  /** The tweak parity accumulator, 1 or n − 1. */
  gacc: bigint;
  /** The nonce coefficient. */
  b: bigint;
  /** The final nonce. */
  R: Point;
  /** The challenge. */
  e: bigint;
}

/**
 * Builds a {@link PartialSigPointInput} from a MuSig2 session's values `(Q, gacc, b, R, e)` and the
 * signer's key, public nonce and KeyAgg coefficient.
 */
export function partialSigPointInputFromSession(
  session: Musig2SessionValuesLike,
  signer: { publicKey: Uint8Array; pubnonce: Uint8Array; keyAggCoef: ScalarInput },
): PartialSigPointInput {
  return {
    publicKey: signer.publicKey,
    pubnonce: signer.pubnonce,
    keyAggCoef: signer.keyAggCoef,
    nonceCoef: session.b,
    challenge: session.e,
    finalNonceOddY: !hasEvenY(session.R),
    aggregateKeyOddY: !hasEvenY(session.Q),
    gacc: session.gacc,
  };
}

/**
 * Checks that the 32-byte scalar `s` opens the 33-byte lock point `S` (`s·G = S`).
 *
 * @throws CryptoError `INVALID_SCALAR` (s ≥ n), `INVALID_LOCK` (S unparsable), `LOCK_MISMATCH`.
 */
export function checkScalar(lock: Uint8Array, s: Uint8Array): void {
  const S = parseCompressed(lock, 'lock', 'INVALID_LOCK');
  const k = scalarFromBytes(s, 's');
  if (k === 0n || !mulG(k).equals(S)) {
    throw new CryptoError('LOCK_MISMATCH', 's does not open the lock point', { field: 's' });
  }
}

/**
 * Completes the bought signature: checks `s·G = S` and returns `bytes(R) ‖ bytes(s)`, a BIP-340
 * signature (for a partial signature, check with {@link checkScalar} and aggregate instead).
 *
 * @param nonce 32-byte `bytes(R)`.
 * @throws as {@link checkScalar}.
 */
export function completeSignature(nonce: Uint8Array, s: Uint8Array, lock: Uint8Array): Uint8Array {
  abytes(nonce, 32, 'nonce');
  checkScalar(lock, s);
  return concatBytes(nonce, s);
}

/**
 * The buyer's extraction: from the claim transaction's final signature and the buyer's own
 * pre-signature on it (made with adaptor point `S`), the sold scalar `s`, checked against `S`.
 *
 * @throws CryptoError from `adaptor.extractSecret`, e.g. `SECRET_MISMATCH`.
 */
export function extractSoldScalar(
  claimSignature: Uint8Array,
  claimPreSignature: Uint8Array,
  lock: Uint8Array,
): Uint8Array {
  return extractSecret(claimSignature, claimPreSignature, lock);
}

/**
 * The seller's side: a BIP-340 signature on `message` with a nonce committed to in advance
 * (`nonceSecret`, whose `bytes(k·G)` the buyer used in {@link signaturePoint}). Applies BIP-340's
 * negations: `d` when `d·G` has odd y, `k` when `k·G` has odd y.
 *
 * Never sign two different messages with one `nonceSecret`: `d = (s1 − s2)/(e1 − e2)`.
 *
 * @throws CryptoError `INVALID_SECRET_KEY`, `INVALID_SCALAR`.
 */
export function signWithNonce(
  secretKey: Uint8Array,
  nonceSecret: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  const { d, P } = evenYKey(nonzeroScalarFromBytes(secretKey, 'secretKey', 'INVALID_SECRET_KEY'));
  const { d: k, P: R } = evenYKey(nonzeroScalarFromBytes(nonceSecret, 'nonceSecret'));
  abytes(message, undefined, 'message');
  const rx = xOnly(R);
  const e = challenge(rx, xOnly(P), message);
  return concatBytes(rx, scalarToBytes(Fn.add(k, Fn.mul(e, d))));
}

/** `s·G` as 33 compressed bytes, for a scalar in `[1, n)` (e.g. to compare with a lock). */
export function scalarPoint(s: Uint8Array): Uint8Array {
  const k = scalarFromBytes(s, 's');
  if (k === 0n) throw new CryptoError('INVALID_SCALAR', 's must not be zero', { field: 's' });
  return compressed(G.multiply(k));
}
