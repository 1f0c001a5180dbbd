/**
 * 2-of-2 MuSig2 (BIP-327, from `@asyncpay/crypto`) taproot keys and key-path signatures: the taproot
 * channel's funding output, and any output whose internal key is a MuSig2 aggregate.
 *
 * The aggregate is taken over the two keys in BIP-327 KeySort order, then x-only tweaked with
 * `hash_TapTweak(x(P) ‖ merkle_root)` (BIP-341; no merkle root for a key-path-only output, as BIP-86).
 *
 * @example
 * ```ts
 * const key = musigTaprootKey([alicePub, bobPub]);
 * const msg = keyPathSighash(tx, 0, [{ scriptPubKey: key.scriptPubKey, amountSat }]);
 * const aggnonce = nonceAgg([alice.pubnonce, bob.pubnonce]);
 * const sig = aggregateKeyPath(key, msg, aggnonce, [
 *   partialSignKeyPath(key, msg, aggnonce, alice.secnonce, aliceSk),
 *   partialSignKeyPath(key, msg, aggnonce, bob.secnonce, bobSk),
 * ]);
 * tx.setWitness(0, [sig]);
 * ```
 * @module
 */
import { getXonlyPubkey, individualPubkey, keyAgg, keySort } from '@asyncpay/crypto/musig2/keyagg';
import { nonceAgg, nonceGen } from '@asyncpay/crypto/musig2/nonce';
import { partialSigAgg, partialSigVerify, type SessionContext, sign } from '@asyncpay/crypto/musig2/session';
import type { Transaction } from 'bitcoinjs-lib';
import { abytes } from '../bolt3/keys.js';
import { LnError } from '../errors.js';
import { type TaprootOutput, taprootOutput } from './taptree.js';

/** BIP-341 `SIGHASH_DEFAULT` (a 64-byte signature, no sighash byte). */
export const SIGHASH_DEFAULT = 0x00;

/** A MuSig2 aggregate used as a taproot internal key. */
export interface MusigTaprootKey {
  /** The two individual keys in KeySort order (the order of every session and of `pubnonces`). */
  readonly pubkeys: readonly [Uint8Array, Uint8Array];
  /** The untweaked aggregate, x-only (the internal key). */
  readonly internalKey: Uint8Array;
  /** The P2TR output (its `tweak` is the session's x-only tweak). */
  readonly output: TaprootOutput;
  /** `OP_1 <x(Q)>`. */
  readonly scriptPubKey: Uint8Array;
}

/** The MuSig2 taproot key of two pubkeys, with optional tapscript leaves. */
export function musigTaprootKey(
  pubkeys: readonly Uint8Array[],
  leaves: readonly Uint8Array[] = [],
): MusigTaprootKey {
  if (pubkeys.length !== 2) throw new RangeError('pubkeys: expected two keys');
  for (const [i, k] of pubkeys.entries()) abytes(k, 33, `pubkeys[${i}]`);
  const sorted = keySort(pubkeys) as [Uint8Array, Uint8Array];
  let internalKey: Uint8Array;
  try {
    internalKey = getXonlyPubkey(keyAgg(sorted));
  } catch (cause) {
    throw new LnError('INVALID_KEY', 'the keys do not aggregate', { field: 'pubkeys', cause });
  }
  const output = taprootOutput(internalKey, leaves);
  return { pubkeys: sorted, internalKey, output, scriptPubKey: output.scriptPubKey };
}

/** The taproot channel funding output: MuSig2(local, remote funding keys), key path only. */
export function taprootFundingOutput(
  localFundingPubkey: Uint8Array,
  remoteFundingPubkey: Uint8Array,
): MusigTaprootKey {
  return musigTaprootKey([localFundingPubkey, remoteFundingPubkey]);
}

/** One spent output, as BIP-341 sighashes need all of them. */
export interface SpentOutput {
  /** Its scriptPubKey. */
  readonly scriptPubKey: Uint8Array;
  /** Its value. */
  readonly amountSat: bigint;
}

/** BIP-341 key-path sighash of input `index` (`SIGHASH_DEFAULT` unless told). */
export function keyPathSighash(
  tx: Transaction,
  index: number,
  spent: readonly SpentOutput[],
  sighashType = SIGHASH_DEFAULT,
): Uint8Array {
  return tx.hashForWitnessV1(
    index,
    spent.map((s) => s.scriptPubKey),
    spent.map((s) => s.amountSat),
    sighashType,
  );
}

/** The BIP-327 session of a key-path signature on `msg`. */
export function keyPathSession(key: MusigTaprootKey, msg: Uint8Array, aggnonce: Uint8Array): SessionContext {
  // the tweak is hash_TapTweak(x(P) ‖ merkle_root) (key.output.tweak); BIP-341 applies it x-only
  return { aggnonce, pubkeys: key.pubkeys, tweaks: [key.output.tweak], isXonly: [true], msg };
}

/** One signer's partial signature (consumes `secnonce`). */
export function partialSignKeyPath(
  key: MusigTaprootKey,
  msg: Uint8Array,
  aggnonce: Uint8Array,
  secnonce: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array {
  return sign(secnonce, secretKey, keyPathSession(key, msg, aggnonce));
}

/**
 * Check the peer's partial signature before aggregating; `pubnonces` are in `key.pubkeys` order.
 * Throws `INVALID_PARTIAL_SIG`.
 */
export function verifyPartialKeyPath(
  key: MusigTaprootKey,
  msg: Uint8Array,
  pubnonces: readonly Uint8Array[],
  psig: Uint8Array,
  signerPubkey: Uint8Array,
): void {
  const signer = key.pubkeys.findIndex((k) => k.every((b, i) => b === signerPubkey[i]));
  const ok =
    signer >= 0 &&
    partialSigVerify({
      psig,
      pubnonces,
      pubkeys: key.pubkeys,
      tweaks: [key.output.tweak],
      isXonly: [true],
      msg,
      signer,
    });
  if (!ok)
    throw new LnError('INVALID_PARTIAL_SIG', 'the partial signature does not verify', { field: 'psig' });
}

/** Aggregate both partial signatures into the 64-byte BIP-340 key-path signature. */
export function aggregateKeyPath(
  key: MusigTaprootKey,
  msg: Uint8Array,
  aggnonce: Uint8Array,
  psigs: readonly Uint8Array[],
): Uint8Array {
  return partialSigAgg(psigs, keyPathSession(key, msg, aggnonce));
}

/**
 * A key-path signature by one party who holds both secret keys (e.g. the peer after a revocation: the
 * revocation secret and its own PTLC secret), made as a full two-signer MuSig2 session so that the
 * result is exactly what two cooperating signers would produce.
 */
export function signKeyPathAlone(
  key: MusigTaprootKey,
  msg: Uint8Array,
  secretKeys: readonly [Uint8Array, Uint8Array],
): Uint8Array {
  const byPubkey = new Map(secretKeys.map((sk) => [bytesKey(individualPubkey(sk)), sk]));
  const sks = key.pubkeys.map((pk) => byPubkey.get(bytesKey(pk)));
  if (sks.some((sk) => sk === undefined)) {
    throw new LnError('INVALID_KEY', 'the secret keys do not match the aggregate', { field: 'secretKeys' });
  }
  const nonces = key.pubkeys.map((pk, i) => nonceGen({ pk, sk: sks[i]!, msg }));
  const aggnonce = nonceAgg(nonces.map((n) => n.pubnonce));
  const psigs = nonces.map((n, i) => partialSignKeyPath(key, msg, aggnonce, n.secnonce, sks[i]!));
  return aggregateKeyPath(key, msg, aggnonce, psigs);
}

function bytesKey(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
