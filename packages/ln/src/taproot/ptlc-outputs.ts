/**
 * PTLC outputs of a taproot commitment, after t-bast's "taproot-updates" sketch (lightning-docs,
 * 2022): no payment hash in any script — the payment point lives only in the adaptor signatures that
 * the two sides exchange for the second-stage transactions. See `SCRIPTS.md` beside this file.
 *
 * Keys are named from the commitment owner's view: `local` owns the commitment, `remote` is the peer.
 *
 * @example
 * ```ts
 * const out = offeredPtlcOutput({ revocationPubkey, localPtlcPubkey, remotePtlcPubkey });
 * out.output.scriptPubKey;       // P2TR
 * out.output.controlBlock(OFFERED_PTLC_LEAF.success);
 * ```
 * @module
 */
import { opcodes as OPS, script } from 'bitcoinjs-lib';
import { abytes } from '../bolt3/keys.js';
import { type MusigTaprootKey, musigTaprootKey } from './musig.js';
import { xOnly } from './taptree.js';

/** The keys of one commitment's PTLC outputs. */
export interface PtlcKeys {
  /** The commitment's `revocationpubkey`. */
  readonly revocationPubkey: Uint8Array;
  /** The owner's per-commitment PTLC key (derived like `local_htlcpubkey`). */
  readonly localPtlcPubkey: Uint8Array;
  /** The peer's per-commitment PTLC key (derived like `remote_htlcpubkey`). */
  readonly remotePtlcPubkey: Uint8Array;
}

/** Leaf positions of an offered PTLC output. */
export const OFFERED_PTLC_LEAF = { timeout: 0, success: 1 } as const;
/** Leaf positions of a received PTLC output. */
export const RECEIVED_PTLC_LEAF = { success: 0, timeout: 1 } as const;

/** `<first> OP_CHECKSIGVERIFY <second> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`: both keys, 1-block CSV. */
export function twoKeyLeaf(first: Uint8Array, second: Uint8Array): Uint8Array {
  abytes(first, 33, 'first');
  abytes(second, 33, 'second');
  return script.compile([
    xOnly(first),
    OPS.OP_CHECKSIGVERIFY,
    xOnly(second),
    OPS.OP_CHECKSIGVERIFY,
    OPS.OP_1,
    OPS.OP_CHECKSEQUENCEVERIFY,
  ]);
}

/**
 * Remote's timeout leaf on a received PTLC: `<remote_ptlcpubkey> OP_CHECKSIGVERIFY 1
 * OP_CHECKSEQUENCEVERIFY OP_VERIFY <cltv_expiry> OP_CHECKLOCKTIMEVERIFY`.
 */
export function remoteTimeoutLeaf(remotePtlcPubkey: Uint8Array, cltvExpiry: number): Uint8Array {
  abytes(remotePtlcPubkey, 33, 'remotePtlcPubkey');
  if (!Number.isInteger(cltvExpiry) || cltvExpiry < 0 || cltvExpiry >= 500_000_000) {
    throw new RangeError('cltvExpiry must be a block height');
  }
  return script.compile([
    xOnly(remotePtlcPubkey),
    OPS.OP_CHECKSIGVERIFY,
    OPS.OP_1,
    OPS.OP_CHECKSEQUENCEVERIFY,
    OPS.OP_VERIFY,
    script.number.encode(cltvExpiry),
    OPS.OP_CHECKLOCKTIMEVERIFY,
  ]);
}

/** A PTLC output: the MuSig2 internal key and the tapscript tree. */
export type PtlcOutput = MusigTaprootKey;

/**
 * Offered PTLC (the owner pays the peer). Internal key `musig2(revocationpubkey, remote_ptlcpubkey)`:
 * after a revocation the peer knows both secrets and spends by key path. Leaves (sketch order):
 * - `timeout` (tapleaf 1, PTLC-timeout, pre-signed by the peer with `nLockTime = cltv_expiry`):
 *   `<remote_ptlcpubkey> OP_CHECKSIGVERIFY <local_ptlcpubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`
 * - `success` (tapleaf 2, claim-PTLC-success: the owner's adaptor signature, completed by the peer with
 *   the payment secret): the same keys in the other order.
 */
export function offeredPtlcOutput(keys: PtlcKeys): PtlcOutput {
  return musigTaprootKey(
    [keys.revocationPubkey, keys.remotePtlcPubkey],
    [
      twoKeyLeaf(keys.remotePtlcPubkey, keys.localPtlcPubkey),
      twoKeyLeaf(keys.localPtlcPubkey, keys.remotePtlcPubkey),
    ],
  );
}

/**
 * Received PTLC (the peer pays the owner). Internal key `musig2(revocationpubkey, remote_ptlcpubkey)`.
 * Leaves:
 * - `success` (PTLC-success, second stage to the owner's delayed output: the peer's adaptor signature,
 *   completed by the owner with the payment secret, plus the owner's signature):
 *   `<remote_ptlcpubkey> OP_CHECKSIGVERIFY <local_ptlcpubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY`
 * - `timeout` (the peer alone after expiry): {@link remoteTimeoutLeaf}.
 */
export function receivedPtlcOutput(keys: PtlcKeys, cltvExpiry: number): PtlcOutput {
  return musigTaprootKey(
    [keys.revocationPubkey, keys.remotePtlcPubkey],
    [
      twoKeyLeaf(keys.remotePtlcPubkey, keys.localPtlcPubkey),
      remoteTimeoutLeaf(keys.remotePtlcPubkey, cltvExpiry),
    ],
  );
}
