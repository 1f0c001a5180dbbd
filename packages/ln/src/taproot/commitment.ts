/**
 * Taproot commitment transactions with PTLC outputs: the funding input is spent by a MuSig2 key-path
 * signature; outputs are the simple-taproot `to_local` and `to_remote` and one taproot output per
 * untrimmed PTLC (see `./ptlc-outputs.ts`). Locktime and sequence carry the obscured commitment number
 * exactly as in BOLT 3; outputs follow the BOLT 3 order (value, scriptpubkey, cltv_expiry).
 *
 * No anchors here: the commitment pays its own fee at `feerate_per_kw`, so a plain bitcoind accepts it.
 *
 * @example
 * ```ts
 * const c = buildTaprootCommitment(spec);
 * const msg = commitmentSighash(c);   // both sides sign it with MuSig2 (./musig.js)
 * const tx = finalizeTaprootCommitment(c, aggregatedSig);
 * ```
 * @module
 */
import { Transaction } from 'bitcoinjs-lib';
import { encodeCommitmentNumber } from '../bolt3/commitment.js';
import { compareBytes } from '../bolt3/scripts.js';
import { type PrevOut, txidToHash } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import { keyPathSighash, type MusigTaprootKey } from './musig.js';
import { offeredPtlcOutput, type PtlcKeys, type PtlcOutput, receivedPtlcOutput } from './ptlc-outputs.js';
import { toLocalOutput, toRemoteOutput } from './scripts.js';
import type { TaprootOutput } from './taptree.js';

/**
 * Expected weights, computed as BOLT 3 Appendix A does for our shapes (64-byte signatures):
 * commitment = 4·(51 + 43·outputs) + 2 + 66 with two base outputs, +172 per PTLC output;
 * PTLC-timeout / PTLC-success (one two-key leaf of 70 bytes, P2TR output) = 646;
 * claim-PTLC-success (same leaf, P2WPKH output) = 598.
 */
// prettier-ignore
export const TAPROOT_WEIGHTS = {
  commitment: 616n,
  ptlcOutput: 172n,
  ptlcSecondStage: 646n,
  claimPtlcSuccess: 598n,
} as const;

/** A PTLC committed to, seen from the commitment's owner. */
export interface CommitmentPtlc {
  /** `offered` by the owner or `received`. */
  readonly direction: 'offered' | 'received';
  /** Amount in millisatoshis. */
  readonly amountMsat: bigint;
  /** The payment point T (33 bytes); not in any script, it locks the adaptor signatures. */
  readonly paymentPoint: Uint8Array;
  /** Absolute block height. */
  readonly cltvExpiry: number;
  /** The caller's tag. */
  readonly id?: bigint | number;
}

/** The per-commitment keys of a taproot commitment. */
export interface TaprootCommitmentKeys extends PtlcKeys {
  /** `local_delayedpubkey`. */
  readonly localDelayedPubkey: Uint8Array;
  /** `remotepubkey` (the peer's payment basepoint). */
  readonly remotePaymentPubkey: Uint8Array;
}

/** Everything that fixes one taproot commitment. */
export interface TaprootCommitmentSpec {
  /** The funding output and its MuSig2 key. */
  readonly funding: PrevOut & { readonly key: MusigTaprootKey };
  /** 48-bit commitment number and obscuring factor, as in BOLT 3. */
  readonly commitmentNumber: bigint;
  /** From `obscuringFactor` in `../bolt3/commitment.js`. */
  readonly obscuringFactor: bigint;
  /** The owner's `to_self_delay`. */
  readonly toSelfDelay: number;
  /** The owner's `dust_limit_satoshis`. */
  readonly dustLimitSat: bigint;
  /** `feerate_per_kw`. */
  readonly feeratePerKw: bigint;
  /** The owner's balance, PTLCs in flight excluded. */
  readonly toLocalMsat: bigint;
  /** The peer's balance, PTLCs in flight excluded. */
  readonly toRemoteMsat: bigint;
  /** Whether the owner opened the channel (and pays the fee). */
  readonly localIsFunder: boolean;
  /** PTLCs in flight. */
  readonly ptlcs: readonly CommitmentPtlc[];
  /** Keys. */
  readonly keys: TaprootCommitmentKeys;
}

/** One output of a taproot commitment, in transaction order. */
export type TaprootCommitmentOutput =
  | { readonly kind: 'to_local' | 'to_remote'; readonly amountSat: bigint; readonly taproot: TaprootOutput }
  | {
      readonly kind: 'ptlc_offered' | 'ptlc_received';
      readonly amountSat: bigint;
      readonly taproot: TaprootOutput;
      readonly ptlcOutput: PtlcOutput;
      readonly ptlc: CommitmentPtlc;
    };

/** An unsigned taproot commitment. */
export interface TaprootCommitment {
  /** The spec it was built from. */
  readonly spec: TaprootCommitmentSpec;
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** Outputs in transaction order. */
  readonly outputs: readonly TaprootCommitmentOutput[];
  /** The fee paid (weight formula plus trimmed amounts and rounding). */
  readonly feeSat: bigint;
}

/** Second-stage fee of a PTLC at this feerate (both directions use a 646-weight transaction). */
export function ptlcSecondStageFee(feeratePerKw: bigint): bigint {
  return (feeratePerKw * TAPROOT_WEIGHTS.ptlcSecondStage) / 1000n;
}

/** Build the taproot commitment (trimming as BOLT 3: amount minus second-stage fee below dust). */
export function buildTaprootCommitment(spec: TaprootCommitmentSpec): TaprootCommitment {
  const { keys } = spec;
  if (spec.toLocalMsat < 0n || spec.toRemoteMsat < 0n) {
    throw new LnError('INVALID_AMOUNT', 'balances must be non-negative', { field: 'toLocalMsat' });
  }
  const secondStage = ptlcSecondStageFee(spec.feeratePerKw);
  const untrimmed = spec.ptlcs.filter((p) => p.amountMsat / 1000n - secondStage >= spec.dustLimitSat);
  const weight = TAPROOT_WEIGHTS.commitment + TAPROOT_WEIGHTS.ptlcOutput * BigInt(untrimmed.length);
  const fee = ((spec.feeratePerKw * weight) / 1000n) * 1000n;
  const sub = (msat: bigint) => (msat > fee ? msat - fee : 0n);
  const toLocalSat = (spec.localIsFunder ? sub(spec.toLocalMsat) : spec.toLocalMsat) / 1000n;
  const toRemoteSat = (spec.localIsFunder ? spec.toRemoteMsat : sub(spec.toRemoteMsat)) / 1000n;

  const outputs: TaprootCommitmentOutput[] = untrimmed.map((ptlc) => {
    const ptlcOutput =
      ptlc.direction === 'offered' ? offeredPtlcOutput(keys) : receivedPtlcOutput(keys, ptlc.cltvExpiry);
    return {
      kind: ptlc.direction === 'offered' ? 'ptlc_offered' : 'ptlc_received',
      amountSat: ptlc.amountMsat / 1000n,
      taproot: ptlcOutput.output,
      ptlcOutput,
      ptlc,
    } as const;
  });
  if (toLocalSat >= spec.dustLimitSat) {
    outputs.push({
      kind: 'to_local',
      amountSat: toLocalSat,
      taproot: toLocalOutput(keys.revocationPubkey, keys.localDelayedPubkey, spec.toSelfDelay),
    });
  }
  if (toRemoteSat >= spec.dustLimitSat) {
    outputs.push({
      kind: 'to_remote',
      amountSat: toRemoteSat,
      taproot: toRemoteOutput(keys.remotePaymentPubkey),
    });
  }
  const cltv = (o: TaprootCommitmentOutput) => ('ptlc' in o ? o.ptlc.cltvExpiry : 0);
  outputs.sort(
    (a, b) =>
      (a.amountSat < b.amountSat ? -1 : a.amountSat > b.amountSat ? 1 : 0) ||
      compareBytes(a.taproot.scriptPubKey, b.taproot.scriptPubKey) ||
      cltv(a) - cltv(b),
  );
  const { locktime, sequence } = encodeCommitmentNumber(spec.commitmentNumber, spec.obscuringFactor);
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = locktime;
  tx.addInput(txidToHash(spec.funding.txid), spec.funding.vout, sequence);
  for (const o of outputs) tx.addOutput(o.taproot.scriptPubKey, o.amountSat);
  const paid = outputs.reduce((s, o) => s + o.amountSat, 0n);
  return { spec, tx, outputs, feeSat: spec.funding.amountSat - paid };
}

/** The message both funding keys sign (BIP-341 key path, `SIGHASH_DEFAULT`). */
export function commitmentSighash(c: TaprootCommitment): Uint8Array {
  const { funding } = c.spec;
  return keyPathSighash(c.tx, 0, [{ scriptPubKey: funding.key.scriptPubKey, amountSat: funding.amountSat }]);
}

/**
 * A signed copy: the key-path witness is the single 64-byte aggregate signature (any commitment whose
 * one input spends the MuSig2 funding output, simple-taproot ones included).
 */
export function finalizeTaprootCommitment(
  c: { readonly tx: Transaction },
  signature: Uint8Array,
): Transaction {
  if (signature.length !== 64) throw new RangeError('signature must be 64 bytes (SIGHASH_DEFAULT)');
  const tx = c.tx.clone();
  tx.setWitness(0, [signature]);
  return tx;
}
