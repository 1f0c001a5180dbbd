/**
 * Tapscript leaves and outputs of "simple taproot channels" (lightning/bolts PR #995, unmerged): the
 * commitment's `to_local`, `to_remote`, anchors, offered and accepted HTLC outputs and the second-level
 * HTLC output. Keys are 33-byte compressed points; scripts push their x-only form.
 *
 * Each output function returns a {@link TaprootOutput} whose `leaves` are in a fixed, documented order
 * so callers can ask for the matching control block.
 *
 * @example
 * ```ts
 * const out = toLocalOutput(revocationPubkey, localDelayedPubkey, 144);
 * out.scriptPubKey;        // P2TR
 * out.controlBlock(0);     // settle leaf (after to_self_delay)
 * ```
 * @module
 */
import { ripemd160 } from '@noble/hashes/legacy.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { opcodes as OPS, script } from 'bitcoinjs-lib';
import { abytes } from '../bolt3/keys.js';
import { type TaprootOutput, taprootOutput, xOnly } from './taptree.js';

/**
 * The unspendable internal key (no known discrete log) of `to_local` and `to_remote`, so that only their
 * script paths can spend them. This is the `nums_point` of PR #995's test vectors (head 13b21103), which
 * every script and transaction vector uses; the PR's prose still prints an older value (`0245b181…`).
 */
export const TAPROOT_NUMS_POINT: Uint8Array = hexToBytes(
  '02dca094751109d0bd055d03565874e8276dd53e926b44e3bd1bb6bf4bc130a279',
);

function key(k: Uint8Array, field: string): Uint8Array {
  abytes(k, 33, field);
  return xOnly(k);
}

function num(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('script number must be a non-negative integer');
  return script.number.encode(n);
}

/** `to_local` settle leaf: `<local_delayedpubkey> OP_CHECKSIGVERIFY <to_self_delay> OP_CHECKSEQUENCEVERIFY`. */
export function delayedLeaf(localDelayedPubkey: Uint8Array, toSelfDelay: number): Uint8Array {
  return script.compile([
    key(localDelayedPubkey, 'localDelayedPubkey'),
    OPS.OP_CHECKSIGVERIFY,
    num(toSelfDelay),
    OPS.OP_CHECKSEQUENCEVERIFY,
  ]);
}

/** `to_local` revocation leaf: `<local_delayedpubkey> OP_DROP <revocationpubkey> OP_CHECKSIG`. */
export function revocationLeaf(localDelayedPubkey: Uint8Array, revocationPubkey: Uint8Array): Uint8Array {
  return script.compile([
    key(localDelayedPubkey, 'localDelayedPubkey'),
    OPS.OP_DROP,
    key(revocationPubkey, 'revocationPubkey'),
    OPS.OP_CHECKSIG,
  ]);
}

/** `to_local`: NUMS internal key; leaves `[settle, revocation]`. */
export function toLocalOutput(
  revocationPubkey: Uint8Array,
  localDelayedPubkey: Uint8Array,
  toSelfDelay: number,
): TaprootOutput {
  return taprootOutput(TAPROOT_NUMS_POINT, [
    delayedLeaf(localDelayedPubkey, toSelfDelay),
    revocationLeaf(localDelayedPubkey, revocationPubkey),
  ]);
}

/** `to_remote` leaf: `<remotepubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`. */
export function toRemoteLeaf(remotePubkey: Uint8Array): Uint8Array {
  return script.compile([
    key(remotePubkey, 'remotePubkey'),
    OPS.OP_CHECKSIGVERIFY,
    OPS.OP_1,
    OPS.OP_CHECKSEQUENCEVERIFY,
  ]);
}

/** `to_remote`: NUMS internal key; leaves `[settle]`. */
export function toRemoteOutput(remotePubkey: Uint8Array): TaprootOutput {
  return taprootOutput(TAPROOT_NUMS_POINT, [toRemoteLeaf(remotePubkey)]);
}

/** Anchor leaf: `OP_16 OP_CHECKSEQUENCEVERIFY` (anyone, 16 blocks after confirmation). */
export function anchorLeaf(): Uint8Array {
  return script.compile([OPS.OP_16, OPS.OP_CHECKSEQUENCEVERIFY]);
}

/** Anchor: internal key `local_delayedpubkey` (local anchor) or `remotepubkey` (remote anchor); leaves `[sweep]`. */
export function anchorOutput(internalKey: Uint8Array): TaprootOutput {
  abytes(internalKey, 33, 'internalKey');
  return taprootOutput(internalKey, [anchorLeaf()]);
}

/** Keys of an HTLC output (the owner's view). */
export interface TaprootHtlcKeys {
  /** `revocationpubkey`: the internal key. */
  readonly revocationPubkey: Uint8Array;
  /** `local_htlcpubkey`. */
  readonly localHtlcPubkey: Uint8Array;
  /** `remote_htlcpubkey`. */
  readonly remoteHtlcPubkey: Uint8Array;
}

function preimageCheck(paymentHash: Uint8Array): (number | Uint8Array)[] {
  abytes(paymentHash, 32, 'paymentHash');
  // "OP_SIZE 32 OP_EQUALVERIFY OP_HASH160 <RIPEMD160(payment_hash)> OP_EQUALVERIFY"
  return [
    OPS.OP_SIZE,
    num(32),
    OPS.OP_EQUALVERIFY,
    OPS.OP_HASH160,
    ripemd160(paymentHash),
    OPS.OP_EQUALVERIFY,
  ];
}

/**
 * Offered HTLC: internal key `revocationpubkey`; leaves `[success, timeout]`.
 * - success (remote, with the preimage): `OP_SIZE 32 OP_EQUALVERIFY OP_HASH160 <h> OP_EQUALVERIFY
 *   <remote_htlcpubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`
 * - timeout (local, through HTLC-timeout): `<local_htlcpubkey> OP_CHECKSIGVERIFY <remote_htlcpubkey> OP_CHECKSIG`
 */
export function offeredHtlcOutput(keys: TaprootHtlcKeys, paymentHash: Uint8Array): TaprootOutput {
  const local = key(keys.localHtlcPubkey, 'localHtlcPubkey');
  const remote = key(keys.remoteHtlcPubkey, 'remoteHtlcPubkey');
  const success = script.compile([
    ...preimageCheck(paymentHash),
    remote,
    OPS.OP_CHECKSIGVERIFY,
    OPS.OP_1,
    OPS.OP_CHECKSEQUENCEVERIFY,
  ]);
  const timeout = script.compile([local, OPS.OP_CHECKSIGVERIFY, remote, OPS.OP_CHECKSIG]);
  return taprootOutput(keys.revocationPubkey, [success, timeout]);
}

/**
 * Accepted HTLC: internal key `revocationpubkey`; leaves `[success, timeout]`.
 * - success (local, through HTLC-success): `OP_SIZE 32 OP_EQUALVERIFY OP_HASH160 <h> OP_EQUALVERIFY
 *   <local_htlcpubkey> OP_CHECKSIGVERIFY <remote_htlcpubkey> OP_CHECKSIG`
 * - timeout (remote): `<remote_htlcpubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY OP_VERIFY
 *   <cltv_expiry> OP_CHECKLOCKTIMEVERIFY`
 */
export function acceptedHtlcOutput(
  keys: TaprootHtlcKeys,
  paymentHash: Uint8Array,
  cltvExpiry: number,
): TaprootOutput {
  const local = key(keys.localHtlcPubkey, 'localHtlcPubkey');
  const remote = key(keys.remoteHtlcPubkey, 'remoteHtlcPubkey');
  const success = script.compile([
    ...preimageCheck(paymentHash),
    local,
    OPS.OP_CHECKSIGVERIFY,
    remote,
    OPS.OP_CHECKSIG,
  ]);
  const timeout = script.compile([
    remote,
    OPS.OP_CHECKSIGVERIFY,
    OPS.OP_1,
    OPS.OP_CHECKSEQUENCEVERIFY,
    OPS.OP_VERIFY,
    num(cltvExpiry),
    OPS.OP_CHECKLOCKTIMEVERIFY,
  ]);
  return taprootOutput(keys.revocationPubkey, [success, timeout]);
}

/**
 * The output of second-level HTLC (and PTLC) transactions: internal key `revocationpubkey`; leaves
 * `[settle]` = `<local_delayedpubkey> OP_CHECKSIGVERIFY <to_self_delay> OP_CHECKSEQUENCEVERIFY`.
 */
export function secondLevelOutput(
  revocationPubkey: Uint8Array,
  localDelayedPubkey: Uint8Array,
  toSelfDelay: number,
): TaprootOutput {
  abytes(revocationPubkey, 33, 'revocationPubkey');
  return taprootOutput(revocationPubkey, [delayedLeaf(localDelayedPubkey, toSelfDelay)]);
}
