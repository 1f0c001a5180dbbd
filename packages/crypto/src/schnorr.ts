/**
 * BIP-340 Schnorr signatures through `@noble/curves`, with this package's input checks.
 *
 * noble implements the BIP; these wrappers only add the boundary checks (typed errors naming the
 * field) and keep one import path for the rest of the package. Messages may be of any length, as
 * BIP-340 allows since its 2023 revision (test vectors 15–18).
 *
 * @example
 * ```ts
 * import { getPublicKey, sign, verify } from '@asyncpay/crypto/schnorr';
 * const sig = sign(message, secretKey, auxRand);
 * verify(sig, message, getPublicKey(secretKey)); // true
 * ```
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { abytes } from './bytes.js';
import { challenge as challengeScalar } from './challenge.js';
import { nonzeroScalarFromBytes } from './scalar.js';

/**
 * The 32-byte x-only public key of a secret key. BIP-340: "Let d' = int(sk); fail if d' = 0 or
 * d' ≥ n; return bytes(d'·G)".
 *
 * @throws CryptoError `INVALID_SECRET_KEY` when the key is 0 or ≥ n.
 */
export function getPublicKey(secretKey: Uint8Array): Uint8Array {
  nonzeroScalarFromBytes(secretKey, 'secretKey', 'INVALID_SECRET_KEY');
  return schnorr.getPublicKey(secretKey);
}

/**
 * BIP-340 `Sign(sk, m, a)`: a 64-byte signature `bytes(R) ‖ bytes((k + e·d) mod n)`.
 *
 * @param message any length.
 * @param secretKey 32 bytes, in `[1, n)`.
 * @param auxRand 32 bytes of fresh randomness; defaults to noble's CSPRNG.
 * @throws CryptoError `INVALID_SECRET_KEY` when the key is 0 or ≥ n.
 */
export function sign(message: Uint8Array, secretKey: Uint8Array, auxRand?: Uint8Array): Uint8Array {
  abytes(message, undefined, 'message');
  nonzeroScalarFromBytes(secretKey, 'secretKey', 'INVALID_SECRET_KEY');
  if (auxRand !== undefined) abytes(auxRand, 32, 'auxRand');
  return schnorr.sign(message, secretKey, auxRand);
}

/**
 * BIP-340 `Verify(pk, m, sig)`. Returns false for every well-shaped input that is not a valid
 * signature, including a public key not on the curve, `r ≥ p` or `s ≥ n` (BIP-340: "fail if …").
 *
 * @throws TypeError / RangeError only for inputs of the wrong type or length.
 */
export function verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  abytes(signature, 64, 'signature');
  abytes(message, undefined, 'message');
  abytes(publicKey, 32, 'publicKey');
  return schnorr.verify(signature, message, publicKey);
}

/**
 * The BIP-340 challenge `e = int(hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)) mod n`.
 *
 * @param rx 32-byte x coordinate of the nonce.
 * @param px 32-byte x-only public key.
 */
export function challenge(rx: Uint8Array, px: Uint8Array, message: Uint8Array): bigint {
  return challengeScalar(rx, px, message);
}
