/**
 * Lightning signed messages, the format of lnd's `signmessage` / `verifymessage`, c-lightning's
 * `signmessage` and LSPS0 `ln_signature` (bLIP-50):
 *
 * 1. digest = SHA256(SHA256("Lightning Signed Message:" ‖ message)) — no separator, no length;
 * 2. a recoverable ECDSA signature over the digest (RFC 6979 deterministic nonce, low S);
 * 3. 65 bytes = `31 + recovery id` ‖ r (32) ‖ s (32) — the header marks a compressed key;
 * 4. encoded in z-base-32.
 *
 * Verification recovers the public key and compares it with the expected node id; there is no separate
 * public key in the signature.
 *
 * @example
 * ```ts
 * const sig = signMessage('test message', secretKeyOne);
 * // 'd9tibmnic9t5y41hg7hkakdcra94akas9ku3rmmj4ag9mritc8ok4p5qzefs78c9pqfhpuftqqzhydbdwfg7u6w6wdxcqpqn4sj4e73e'
 * verifyMessage('test message', sig, secp256k1.getPublicKey(secretKeyOne)); // true
 * ```
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, equalBytes } from '../bytes.js';
import { SignatureError } from '../errors.js';
import { zbase32Decode, zbase32Encode } from './zbase32.js';

/** The prefix hashed before every signed message. */
export const LIGHTNING_MESSAGE_PREFIX = 'Lightning Signed Message:';

const encoder = new TextEncoder();
const PREFIX = encoder.encode(LIGHTNING_MESSAGE_PREFIX);

function messageBytes(message: string | Uint8Array): Uint8Array {
  if (typeof message === 'string') return encoder.encode(message);
  if (message instanceof Uint8Array) return message;
  throw new TypeError('message must be a string or a Uint8Array');
}

/** SHA256d("Lightning Signed Message:" ‖ message), the digest that is signed. */
export function messageDigest(message: string | Uint8Array): Uint8Array {
  return sha256(sha256(concatBytes(PREFIX, messageBytes(message))));
}

/** The 65-byte signature: header (31 + recovery id) ‖ r ‖ s. */
export function signMessageRaw(message: string | Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== 32)
    throw new RangeError('secretKey must be 32 bytes');
  const rec = secp256k1.sign(messageDigest(message), secretKey, { prehash: false, format: 'recovered' });
  // noble's 'recovered' layout is recovery ‖ r ‖ s; lnd's header is 27 + 4 (compressed) + recovery.
  const out = rec.slice();
  out[0] = 31 + rec[0]!;
  return out;
}

/** Sign `message` and return the z-base-32 string (deterministic: RFC 6979). */
export function signMessage(message: string | Uint8Array, secretKey: Uint8Array): string {
  return zbase32Encode(signMessageRaw(message, secretKey));
}

/**
 * Recover the 33-byte compressed public key that signed `message`. A signature string that is not
 * z-base-32 fails with `DecodeError('STRING_FORMAT')`; one that is not 65 bytes, has a bad header or does
 * not recover fails with `SignatureError('BAD_SIGNATURE')`.
 */
export function recoverMessageSigner(message: string | Uint8Array, signature: string): Uint8Array {
  const raw = zbase32Decode(signature, 'signature');
  const bad = (why: string, cause?: unknown) =>
    new SignatureError('BAD_SIGNATURE', `signature: ${why}`, { field: 'signature', cause });
  if (raw.length !== 65) throw bad(`${raw.length} bytes, expected 65`);
  const header = raw[0]!;
  // 31..34: compressed key, recovery id 0..3 (27..30 would be uncompressed keys, which nodes never use).
  if (header < 31 || header > 34) throw bad(`header byte ${header}`);
  const rec = raw.slice();
  rec[0] = header - 31;
  try {
    return secp256k1.recoverPublicKey(rec, messageDigest(message), { prehash: false });
  } catch (cause) {
    throw bad('does not recover a public key', cause);
  }
}

/** True when `signature` over `message` recovers to `publicKey` (33-byte compressed). Never throws on bad input. */
export function verifyMessage(
  message: string | Uint8Array,
  signature: string,
  publicKey: Uint8Array,
): boolean {
  try {
    return equalBytes(recoverMessageSigner(message, signature), publicKey);
  } catch {
    return false;
  }
}
