/**
 * ECDSA signatures for BOLT 3 transactions: BIP-143 (segwit v0) sighashes, deterministic RFC 6979
 * signing ("Transaction signatures are all deterministic, using RFC6979 (using HMAC-SHA256)"), low-S,
 * DER encoding, and the sighash byte that a witness carries.
 *
 * @example
 * ```ts
 * const sig = signWitnessV0(tx, 0, fundingScript, fundingSat, localFundingPrivkey); // DER ‖ 0x01
 * ```
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { concatBytes } from '@noble/hashes/utils.js';
import type { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import { abytes, parsePrivkey } from './keys.js';

/** `SIGHASH_ALL`. */
export const SIGHASH_ALL = 0x01;
/** `SIGHASH_SINGLE|SIGHASH_ANYONECANPAY`: the remote's HTLC signatures under `option_anchors` (BOLT 5). */
export const SIGHASH_SINGLE_ANYONECANPAY = 0x83;

/** Sign a 32-byte digest: RFC 6979 nonce (no extra entropy), low-S, DER-encoded (no sighash byte). */
export function ecdsaSignDigest(digest: Uint8Array, privkey: Uint8Array): Uint8Array {
  abytes(digest, 32, 'digest');
  return secp256k1.sign(digest, parsePrivkey(privkey), { prehash: false, lowS: true, format: 'der' });
}

/** Verify a DER signature (no sighash byte) on a 32-byte digest. */
export function ecdsaVerifyDigest(derSignature: Uint8Array, digest: Uint8Array, pubkey: Uint8Array): boolean {
  try {
    return secp256k1.verify(derSignature, digest, pubkey, { prehash: false, lowS: true, format: 'der' });
  } catch {
    return false;
  }
}

/** The BIP-143 digest of input `index` spending `witnessScript` worth `valueSat`. */
export function sighashV0(
  tx: Transaction,
  index: number,
  witnessScript: Uint8Array,
  valueSat: bigint,
  sighashType: number = SIGHASH_ALL,
): Uint8Array {
  return tx.hashForWitnessV0(index, witnessScript, valueSat, sighashType);
}

/** Sign input `index` of `tx` (segwit v0); returns the witness element: DER signature ‖ sighash byte. */
export function signWitnessV0(
  tx: Transaction,
  index: number,
  witnessScript: Uint8Array,
  valueSat: bigint,
  privkey: Uint8Array,
  sighashType: number = SIGHASH_ALL,
): Uint8Array {
  const digest = sighashV0(tx, index, witnessScript, valueSat, sighashType);
  return concatBytes(ecdsaSignDigest(digest, privkey), Uint8Array.of(sighashType));
}

/**
 * Check a witness signature (DER ‖ sighash byte) from a peer on input `index`; throws
 * `INVALID_SIGNATURE` when it does not verify or carries an unexpected sighash type.
 */
export function verifyWitnessV0(
  signature: Uint8Array,
  tx: Transaction,
  index: number,
  witnessScript: Uint8Array,
  valueSat: bigint,
  pubkey: Uint8Array,
  sighashType: number = SIGHASH_ALL,
): void {
  abytes(signature, undefined, 'signature');
  const type = signature[signature.length - 1];
  const der = signature.subarray(0, signature.length - 1);
  const digest = sighashV0(tx, index, witnessScript, valueSat, sighashType);
  if (type !== sighashType || !ecdsaVerifyDigest(der, digest, pubkey)) {
    throw new LnError('INVALID_SIGNATURE', `signature on input ${index} does not verify`, {
      field: 'signature',
    });
  }
}
