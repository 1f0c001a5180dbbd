/**
 * The BOLT 3 "Legacy Closing Transaction" (cooperative close with `closing_signed`).
 *
 * BOLT 3: "version: 2; locktime: 0; txin[0] sequence: 0xFFFFFFFF; txin[0] witness: 0
 * <signature_for_pubkey1> <signature_for_pubkey2>"; each node "MUST round each output down to whole
 * satoshis", "MUST subtract the fee given by fee_satoshis from the output to the funder" and "MUST remove
 * any output below its own dust_limit_satoshis". Outputs follow the BOLT 3 output order.
 *
 * @example
 * ```ts
 * const c = buildClosingTx({ funding, localFundingPubkey, remoteFundingPubkey, localScriptPubKey,
 *   remoteScriptPubKey, toLocalMsat, toRemoteMsat, feeSat: 500n, localIsFunder: true, dustLimitSat: 546n });
 * const tx = finalizeClosingTx(c, signClosingTx(c, localFundingPrivkey), theirSig);
 * ```
 * @module
 */
import { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import { compareBytes, fundingScript } from './scripts.js';
import { signWitnessV0 } from './sign.js';
import { type PrevOut, txidToHash } from './tx.js';

/** What a cooperative close pays. */
export interface ClosingSpec {
  /** The funding output being spent. */
  readonly funding: PrevOut;
  /** The signer's funding pubkey. */
  readonly localFundingPubkey: Uint8Array;
  /** The peer's funding pubkey. */
  readonly remoteFundingPubkey: Uint8Array;
  /** The signer's `shutdown` scriptpubkey. */
  readonly localScriptPubKey: Uint8Array;
  /** The peer's `shutdown` scriptpubkey. */
  readonly remoteScriptPubKey: Uint8Array;
  /** Final balances. */
  readonly toLocalMsat: bigint;
  /** Final balances. */
  readonly toRemoteMsat: bigint;
  /** `fee_satoshis` from `closing_signed`. */
  readonly feeSat: bigint;
  /** Whether the signer funded the channel (and so pays the fee). */
  readonly localIsFunder: boolean;
  /** The signer's `dust_limit_satoshis`. */
  readonly dustLimitSat: bigint;
}

/** An unsigned closing transaction. */
export interface ClosingTx {
  /** The spec it was built from. */
  readonly spec: ClosingSpec;
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** The funding witness script. */
  readonly fundingScript: Uint8Array;
}

/** Build the unsigned legacy closing transaction. */
export function buildClosingTx(spec: ClosingSpec): ClosingTx {
  const fee = spec.feeSat * 1000n;
  const local = spec.localIsFunder ? spec.toLocalMsat - fee : spec.toLocalMsat;
  const remote = spec.localIsFunder ? spec.toRemoteMsat : spec.toRemoteMsat - fee;
  if (local < 0n || remote < 0n) {
    throw new LnError('INVALID_AMOUNT', 'the funder cannot pay fee_satoshis', { field: 'feeSat' });
  }
  const outs = [
    { script: spec.localScriptPubKey, value: local / 1000n },
    { script: spec.remoteScriptPubKey, value: remote / 1000n },
  ]
    .filter((o) => o.value >= spec.dustLimitSat)
    .sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : compareBytes(a.script, b.script)));
  if (outs.length === 0) throw new LnError('DUST', 'both closing outputs are below the dust limit');
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = 0;
  tx.addInput(txidToHash(spec.funding.txid), spec.funding.vout, 0xffffffff);
  for (const o of outs) tx.addOutput(o.script, o.value);
  return { spec, tx, fundingScript: fundingScript(spec.localFundingPubkey, spec.remoteFundingPubkey) };
}

/** Sign the closing transaction with a funding private key. */
export function signClosingTx(closing: ClosingTx, fundingPrivkey: Uint8Array): Uint8Array {
  return signWitnessV0(closing.tx, 0, closing.fundingScript, closing.spec.funding.amountSat, fundingPrivkey);
}

/** A signed copy: witness `0 <sig_for_pubkey1> <sig_for_pubkey2> <funding script>`. */
export function finalizeClosingTx(
  closing: ClosingTx,
  localSig: Uint8Array,
  remoteSig: Uint8Array,
): Transaction {
  const localFirst = compareBytes(closing.spec.localFundingPubkey, closing.spec.remoteFundingPubkey) < 0;
  const tx = closing.tx.clone();
  tx.setWitness(0, [
    new Uint8Array(0),
    localFirst ? localSig : remoteSig,
    localFirst ? remoteSig : localSig,
    closing.fundingScript,
  ]);
  return tx;
}
