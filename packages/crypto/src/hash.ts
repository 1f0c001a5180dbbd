/**
 * BIP-340 tagged hashes: `hash_tag(x) = SHA256(SHA256(tag) ‖ SHA256(tag) ‖ x)`.
 *
 * Every tag this package uses is listed in {@link TAGS}, so the domain separation of each hash can
 * be audited in one place.
 *
 * @example
 * ```ts
 * const e = taggedHash(TAGS.challenge, rx, px, m); // BIP-340 challenge bytes
 * ```
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';

/**
 * The tags of every tagged hash used in `@asyncpay/crypto`.
 *
 * - `challenge`, `aux`, `nonce`: BIP-340.
 * - `adaptorAux`, `adaptorNonce`: the Schnorr adaptor specification (secp256k1-zkp PR #299).
 * - `receipt`, `receiptNonceCoef`, `receiptNonce`: our receipts (see RECEIPTS.md).
 * - `multiHopTweak`: our deterministic multi-hop lock tweaks (`multi-hop-locks.ts`).
 */
export const TAGS = {
  /** BIP-340: `e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)`. */
  challenge: 'BIP0340/challenge',
  /** BIP-340 auxiliary randomness. */
  aux: 'BIP0340/aux',
  /** BIP-340 nonce derivation. */
  nonce: 'BIP0340/nonce',
  /** Schnorr adaptor spec: `t = d XOR hash_SchnorrAdaptor/aux(a)`. */
  adaptorAux: 'SchnorrAdaptor/aux',
  /** Schnorr adaptor spec: `k0 = hash_SchnorrAdaptor/nonce(t ‖ cbytes(T) ‖ bytes(P) ‖ m) mod n`. */
  adaptorNonce: 'SchnorrAdaptor/nonce',
  /** Receipt message: `m = hash_asyncpay/receipt(serialization)`. */
  receipt: 'asyncpay/receipt',
  /** Receipt nonce binding: `b = hash_asyncpay/receipt/noncecoef(bytes(P) ‖ cbytes(R1) ‖ cbytes(R2) ‖ m)`. */
  receiptNonceCoef: 'asyncpay/receipt/noncecoef',
  /** Deterministic receipt nonce pairs: `k_j = hash_asyncpay/receipt/nonce(seed ‖ id ‖ j) mod n`. */
  receiptNonce: 'asyncpay/receipt/nonce',
  /** Deterministic multi-hop lock tweaks: `y_i = hash_asyncpay/multi-hop-lock/tweak(seed ‖ u32(i)) mod n`. */
  multiHopTweak: 'asyncpay/multi-hop-lock/tweak',
} as const;

/** `SHA256(SHA256(tag) ‖ SHA256(tag) ‖ parts[0] ‖ parts[1] ‖ …)`, 32 bytes (noble's implementation). */
export function taggedHash(tag: string, ...parts: Uint8Array[]): Uint8Array {
  return schnorr.utils.taggedHash(tag, ...parts);
}
