/**
 * The BIP-340 challenge, shared by plain signatures, adaptor signatures, receipts and
 * pay-for-signature.
 *
 * @example
 * ```ts
 * const e = challenge(xOnly(R), xOnly(P), m);
 * ```
 * @module
 */
import { abytes } from './bytes.js';
import { TAGS, taggedHash } from './hash.js';
import { scalarFromHash } from './scalar.js';

/**
 * BIP-340: "Let e = int(hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)) mod n".
 *
 * @param rx 32-byte x coordinate of the (final) nonce.
 * @param px 32-byte x-only public key.
 * @param message the message, any length.
 */
export function challenge(rx: Uint8Array, px: Uint8Array, message: Uint8Array): bigint {
  abytes(rx, 32, 'rx');
  abytes(px, 32, 'px');
  abytes(message, undefined, 'message');
  return scalarFromHash(taggedHash(TAGS.challenge, rx, px, message));
}
