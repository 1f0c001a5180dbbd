/**
 * BOLT 3 "Keys": per-commitment key derivation.
 *
 * Public keys are 33-byte compressed SEC1 points; secrets are 32-byte big-endian scalars. BOLT 3 prints
 * private keys "as 32 bytes plus a trailing 1 (Bitcoin's convention for 'compressed' private keys)":
 * {@link parsePrivkey} accepts that 33-byte form too.
 *
 * @example
 * ```ts
 * const localHtlcPubkey = derivePubkey(localHtlcBasepoint, perCommitmentPoint);
 * const revocationPubkey = deriveRevocationPubkey(remoteRevocationBasepoint, perCommitmentPoint);
 * ```
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { LnError } from '../errors.js';

const Point = secp256k1.Point;
const Fn = Point.Fn;

/** Throw `TypeError`/`RangeError` unless `value` is a Uint8Array of `length` bytes. */
export function abytes(value: unknown, length: number | undefined, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${field} must be a Uint8Array`);
  if (length !== undefined && value.length !== length) {
    throw new RangeError(`${field} must be ${length} bytes, got ${value.length}`);
  }
  return value;
}

/**
 * A 32-byte secret key from either 32 bytes or BOLT 3's 33-byte form with the trailing `01`
 * ("compressed" flag). Throws `INVALID_KEY` when the scalar is 0 or ≥ n.
 */
export function parsePrivkey(key: Uint8Array, field = 'privkey'): Uint8Array {
  abytes(key, undefined, field);
  let raw = key;
  if (key.length === 33 && key[32] === 0x01) raw = key.subarray(0, 32);
  if (raw.length !== 32) throw new RangeError(`${field} must be 32 bytes (or 33 ending in 01)`);
  const k = bytesToNumberBE(raw);
  if (!Fn.isValidNot0(k)) throw new LnError('INVALID_KEY', `${field} is not a valid secret key`, { field });
  return Uint8Array.from(raw);
}

/** Parse a compressed point, throwing `INVALID_KEY` when it is not on the curve. */
export function parsePoint(pubkey: Uint8Array, field = 'pubkey'): InstanceType<typeof Point> {
  abytes(pubkey, 33, field);
  try {
    return Point.fromBytes(pubkey);
  } catch (cause) {
    throw new LnError('INVALID_KEY', `${field} is not a valid compressed point`, { field, cause });
  }
}

/** The compressed public key of a secret key (32 bytes or BOLT 3's 33-byte form). */
export function pubkeyOf(privkey: Uint8Array): Uint8Array {
  return secp256k1.getPublicKey(parsePrivkey(privkey), true);
}

/** BOLT 3: "per_commitment_point = per_commitment_secret * G". */
export function perCommitmentPoint(perCommitmentSecret: Uint8Array): Uint8Array {
  return pubkeyOf(perCommitmentSecret);
}

function hashScalar(...parts: Uint8Array[]): bigint {
  // SHA256 output is used as a scalar; a value ≥ n has negligible probability and is reduced.
  return Fn.create(bytesToNumberBE(sha256(concatBytes(...parts))));
}

/**
 * BOLT 3: "pubkey = basepoint + SHA256(per_commitment_point || basepoint) * G".
 * Used for `localpubkey`, `local_htlcpubkey`, `remote_htlcpubkey`, `local_delayedpubkey`, `remote_delayedpubkey`.
 */
export function derivePubkey(basepoint: Uint8Array, perCommitmentPoint: Uint8Array): Uint8Array {
  const B = parsePoint(basepoint, 'basepoint');
  parsePoint(perCommitmentPoint, 'perCommitmentPoint');
  const t = hashScalar(perCommitmentPoint, basepoint);
  return B.add(Point.BASE.multiply(t)).toBytes(true);
}

/** BOLT 3: "privkey = basepoint_secret + SHA256(per_commitment_point || basepoint)". */
export function derivePrivkey(basepointSecret: Uint8Array, perCommitmentPoint: Uint8Array): Uint8Array {
  const secret = parsePrivkey(basepointSecret, 'basepointSecret');
  const basepoint = secp256k1.getPublicKey(secret, true);
  const t = hashScalar(perCommitmentPoint, basepoint);
  return numberToBytesBE(Fn.add(bytesToNumberBE(secret), t), 32);
}

/**
 * BOLT 3: "revocationpubkey = revocation_basepoint * SHA256(revocation_basepoint || per_commitment_point)
 * + per_commitment_point * SHA256(per_commitment_point || revocation_basepoint)".
 */
export function deriveRevocationPubkey(
  revocationBasepoint: Uint8Array,
  perCommitmentPoint: Uint8Array,
): Uint8Array {
  const R = parsePoint(revocationBasepoint, 'revocationBasepoint');
  const P = parsePoint(perCommitmentPoint, 'perCommitmentPoint');
  const a = hashScalar(revocationBasepoint, perCommitmentPoint);
  const b = hashScalar(perCommitmentPoint, revocationBasepoint);
  return R.multiply(a).add(P.multiply(b)).toBytes(true);
}

/**
 * BOLT 3: "revocationprivkey = revocation_basepoint_secret * SHA256(revocation_basepoint || per_commitment_point)
 * + per_commitment_secret * SHA256(per_commitment_point || revocation_basepoint)".
 */
export function deriveRevocationPrivkey(
  revocationBasepointSecret: Uint8Array,
  perCommitmentSecret: Uint8Array,
): Uint8Array {
  const rs = parsePrivkey(revocationBasepointSecret, 'revocationBasepointSecret');
  const ps = parsePrivkey(perCommitmentSecret, 'perCommitmentSecret');
  const R = secp256k1.getPublicKey(rs, true);
  const P = secp256k1.getPublicKey(ps, true);
  const a = hashScalar(R, P);
  const b = hashScalar(P, R);
  const k = Fn.add(Fn.mul(bytesToNumberBE(rs), a), Fn.mul(bytesToNumberBE(ps), b));
  return numberToBytesBE(k, 32);
}
