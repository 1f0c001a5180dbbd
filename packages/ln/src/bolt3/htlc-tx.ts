/**
 * BOLT 3 "HTLC-Timeout and HTLC-Success Transactions": the second-stage transactions that spend an HTLC
 * output of the owner's commitment into a `to_local`-style delayed output.
 *
 * @example
 * ```ts
 * const [first] = buildHtlcTxs(commitment);
 * const localSig = signHtlcTx(first, localHtlcPrivkey, 'local');
 * const tx = finalizeHtlcTx(first, remoteSig, localSig, preimage); // preimage only for HTLC-success
 * ```
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import type { Commitment, CommitmentHtlc, CommitmentOutput } from './commitment.js';
import { htlcSuccessFee, htlcTimeoutFee } from './fees.js';
import { abytes } from './keys.js';
import { p2wsh, toLocalScript } from './scripts.js';
import { SIGHASH_ALL, SIGHASH_SINGLE_ANYONECANPAY, signWitnessV0, verifyWitnessV0 } from './sign.js';
import { txidToHash } from './tx.js';

/** An unsigned HTLC-timeout or HTLC-success transaction. */
export interface HtlcTx {
  /** `htlc-timeout` for an offered HTLC, `htlc-success` for a received one. */
  readonly type: 'htlc-timeout' | 'htlc-success';
  /** The HTLC it resolves. */
  readonly htlc: CommitmentHtlc;
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** The commitment output spent: its index, value and witness script. */
  readonly input: { readonly vout: number; readonly amountSat: bigint; readonly witnessScript: Uint8Array };
  /** The output's witness script (revocation or delayed key). */
  readonly outputWitnessScript: Uint8Array;
  /** `option_anchors`: sequence 1, zero fee, and the remote signs SIGHASH_SINGLE|ANYONECANPAY. */
  readonly anchors: boolean;
}

/** Parameters of one HTLC transaction, when it is built without a {@link Commitment}. */
export interface HtlcTxSpec {
  /** The commitment transaction's txid (display hex). */
  readonly commitmentTxid: string;
  /** The HTLC output's index in the commitment. */
  readonly vout: number;
  /** The HTLC output's witness script. */
  readonly witnessScript: Uint8Array;
  /** The HTLC. */
  readonly htlc: CommitmentHtlc;
  /** `feerate_per_kw` of the commitment. */
  readonly feeratePerKw: bigint;
  /** The owner's `to_self_delay`. */
  readonly toSelfDelay: number;
  /** `revocationpubkey` of the commitment. */
  readonly revocationPubkey: Uint8Array;
  /** `local_delayedpubkey` of the commitment. */
  readonly localDelayedPubkey: Uint8Array;
  /** `option_anchors`. */
  readonly anchors?: boolean;
}

/**
 * Build one HTLC transaction. BOLT 3: "version: 2; locktime: 0 for HTLC-success, cltv_expiry for
 * HTLC-timeout; txin[0] sequence: 0 (set to 1 for option_anchors); txout[0] amount: the HTLC amount_msat
 * divided by 1000 (rounding down) minus fees".
 */
export function buildHtlcTx(spec: HtlcTxSpec): HtlcTx {
  const anchors = spec.anchors ?? false;
  const offered = spec.htlc.direction === 'offered';
  const amountSat = spec.htlc.amountMsat / 1000n;
  const fee = offered
    ? htlcTimeoutFee(spec.feeratePerKw, anchors)
    : htlcSuccessFee(spec.feeratePerKw, anchors);
  if (amountSat - fee <= 0n) {
    throw new LnError('DUST', 'the HTLC does not cover its second-stage fee', { field: 'htlc.amountMsat' });
  }
  const outputWitnessScript = toLocalScript(spec.revocationPubkey, spec.toSelfDelay, spec.localDelayedPubkey);
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = offered ? spec.htlc.cltvExpiry : 0;
  tx.addInput(txidToHash(spec.commitmentTxid), spec.vout, anchors ? 1 : 0);
  tx.addOutput(p2wsh(outputWitnessScript), amountSat - fee);
  return {
    type: offered ? 'htlc-timeout' : 'htlc-success',
    htlc: spec.htlc,
    tx,
    input: { vout: spec.vout, amountSat, witnessScript: spec.witnessScript },
    outputWitnessScript,
    anchors,
  };
}

/** The HTLC transactions of a commitment, one per untrimmed HTLC output, in output order. */
export function buildHtlcTxs(commitment: Commitment): HtlcTx[] {
  const { spec } = commitment;
  const txid = commitment.tx.getId();
  const result: HtlcTx[] = [];
  commitment.outputs.forEach((o: CommitmentOutput, vout) => {
    if (o.kind !== 'htlc_offered' && o.kind !== 'htlc_received') return;
    result.push(
      buildHtlcTx({
        commitmentTxid: txid,
        vout,
        witnessScript: o.witnessScript,
        htlc: o.htlc,
        feeratePerKw: spec.feeratePerKw,
        toSelfDelay: spec.toSelfDelay,
        revocationPubkey: spec.keys.revocationPubkey,
        localDelayedPubkey: spec.keys.localDelayedPubkey,
        anchors: spec.anchors ?? false,
      }),
    );
  });
  return result;
}

/** The sighash type each side uses: the remote's is SIGHASH_SINGLE|ANYONECANPAY under `option_anchors`. */
export function htlcSighashType(htlcTx: HtlcTx, signer: 'local' | 'remote'): number {
  return htlcTx.anchors && signer === 'remote' ? SIGHASH_SINGLE_ANYONECANPAY : SIGHASH_ALL;
}

/** Sign an HTLC transaction with an HTLC private key, as the owner (`local`) or the peer (`remote`). */
export function signHtlcTx(htlcTx: HtlcTx, htlcPrivkey: Uint8Array, signer: 'local' | 'remote'): Uint8Array {
  const { input } = htlcTx;
  return signWitnessV0(
    htlcTx.tx,
    0,
    input.witnessScript,
    input.amountSat,
    htlcPrivkey,
    htlcSighashType(htlcTx, signer),
  );
}

/** Check a signature on an HTLC transaction; throws `INVALID_SIGNATURE`. */
export function verifyHtlcSignature(
  htlcTx: HtlcTx,
  signature: Uint8Array,
  htlcPubkey: Uint8Array,
  signer: 'local' | 'remote',
): void {
  const { input } = htlcTx;
  verifyWitnessV0(
    signature,
    htlcTx.tx,
    0,
    input.witnessScript,
    input.amountSat,
    htlcPubkey,
    htlcSighashType(htlcTx, signer),
  );
}

/**
 * A signed copy. BOLT 3 witness: "0 <remotehtlcsig> <localhtlcsig> <payment_preimage> for HTLC-success,
 * 0 <remotehtlcsig> <localhtlcsig> <> for HTLC-timeout". A preimage that does not hash to the payment
 * hash throws `INVALID_PREIMAGE` (use {@link finalizeHtlcTxUnchecked} to build a deliberately bad spend).
 */
export function finalizeHtlcTx(
  htlcTx: HtlcTx,
  remoteSig: Uint8Array,
  localSig: Uint8Array,
  preimage?: Uint8Array,
): Transaction {
  if (htlcTx.type === 'htlc-success') {
    abytes(preimage, 32, 'preimage');
    const hash = sha256(preimage!);
    if (!hash.every((b, i) => b === htlcTx.htlc.paymentHash[i])) {
      throw new LnError('INVALID_PREIMAGE', 'the preimage does not hash to the payment hash', {
        field: 'preimage',
      });
    }
  }
  return finalizeHtlcTxUnchecked(htlcTx, remoteSig, localSig, preimage);
}

/** {@link finalizeHtlcTx} without the preimage check: for tests that show the chain refusing a bad spend. */
export function finalizeHtlcTxUnchecked(
  htlcTx: HtlcTx,
  remoteSig: Uint8Array,
  localSig: Uint8Array,
  preimage?: Uint8Array,
): Transaction {
  const tx = htlcTx.tx.clone();
  const last = htlcTx.type === 'htlc-success' ? (preimage ?? new Uint8Array(0)) : new Uint8Array(0);
  tx.setWitness(0, [new Uint8Array(0), remoteSig, localSig, last, htlcTx.input.witnessScript]);
  return tx;
}
