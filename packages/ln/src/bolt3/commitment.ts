/**
 * BOLT 3 commitment transactions: obscured commitment number, outputs (to_local, to_remote, anchors,
 * offered and received HTLCs), fee and trimming, "BIP 69+CLTV" output order, signing and the witness.
 *
 * @example
 * ```ts
 * const c = buildCommitment(spec);                    // unsigned, outputs in final order
 * const ours = signCommitment(c, localFundingPrivkey);
 * const signed = finalizeCommitment(c, ours, theirs);  // witness `0 <sig1> <sig2> <funding script>`
 * ```
 * @module
 */

import { bytesToNumberBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import { ANCHOR_OUTPUT_SAT, commitmentBaseFee, type HtlcDirection, isHtlcTrimmed } from './fees.js';
import { abytes } from './keys.js';
import {
  anchorScript,
  compareBytes,
  fundingScript,
  type HtlcScriptKeys,
  offeredHtlcScript,
  p2wpkh,
  p2wsh,
  receivedHtlcScript,
  toLocalScript,
  toRemoteAnchorsScript,
} from './scripts.js';
import { SIGHASH_ALL, signWitnessV0, verifyWitnessV0 } from './sign.js';
import { type PrevOut, txidToHash } from './tx.js';

const MASK_48 = (1n << 48n) - 1n;

/**
 * The obscuring factor: BOLT 3 "the lower 48 bits of SHA256(payment_basepoint from open_channel ||
 * payment_basepoint from accept_channel)".
 */
export function obscuringFactor(
  openerPaymentBasepoint: Uint8Array,
  accepterPaymentBasepoint: Uint8Array,
): bigint {
  abytes(openerPaymentBasepoint, 33, 'openerPaymentBasepoint');
  abytes(accepterPaymentBasepoint, 33, 'accepterPaymentBasepoint');
  return bytesToNumberBE(sha256(concatBytes(openerPaymentBasepoint, accepterPaymentBasepoint))) & MASK_48;
}

/**
 * Locktime and sequence carrying an obscured commitment number. BOLT 3: "locktime: upper 8 bits are 0x20,
 * lower 24 bits are the lower 24 bits of the obscured commitment number"; "sequence: upper 8 bits are
 * 0x80, lower 24 bits are upper 24 bits of the obscured commitment number".
 */
export function encodeCommitmentNumber(
  commitmentNumber: bigint,
  factor: bigint,
): { locktime: number; sequence: number } {
  if (commitmentNumber < 0n || commitmentNumber > MASK_48)
    throw new RangeError('commitmentNumber must be 48-bit');
  const obscured = (commitmentNumber ^ factor) & MASK_48;
  return {
    locktime: Number((0x20n << 24n) | (obscured & 0xffffffn)),
    sequence: Number((0x80n << 24n) | (obscured >> 24n)),
  };
}

/** Recover the commitment number from a commitment transaction's locktime and sequence. */
export function decodeCommitmentNumber(locktime: number, sequence: number, factor: bigint): bigint {
  const obscured = ((BigInt(sequence) & 0xffffffn) << 24n) | (BigInt(locktime) & 0xffffffn);
  return obscured ^ (factor & MASK_48);
}

/** An HTLC committed to, seen from the commitment's owner. */
export interface CommitmentHtlc {
  /** `offered` by the owner (claimed back through HTLC-timeout) or `received` (HTLC-success). */
  readonly direction: HtlcDirection;
  /** Amount in millisatoshis ("the millisatoshi part must be ignored" on chain). */
  readonly amountMsat: bigint;
  /** SHA256 of the preimage. */
  readonly paymentHash: Uint8Array;
  /** Absolute block height. */
  readonly cltvExpiry: number;
  /** The caller's tag for this HTLC (e.g. its BOLT 2 `id`); carried through untouched. */
  readonly id?: bigint | number;
}

/** The per-commitment keys a commitment needs (derive them with `./keys.js`). */
export interface CommitmentKeys extends HtlcScriptKeys {
  /** The owner's funding pubkey. */
  readonly localFundingPubkey: Uint8Array;
  /** The peer's funding pubkey. */
  readonly remoteFundingPubkey: Uint8Array;
  /** `local_delayedpubkey`. */
  readonly localDelayedPubkey: Uint8Array;
  /** `remotepubkey`: "simply the remote node's payment_basepoint" (option_static_remotekey). */
  readonly remotePaymentPubkey: Uint8Array;
}

/** Everything that fixes one commitment transaction of one side. */
export interface CommitmentSpec {
  /** The funding output being spent. */
  readonly funding: PrevOut;
  /** The 48-bit commitment number. */
  readonly commitmentNumber: bigint;
  /** From {@link obscuringFactor}. */
  readonly obscuringFactor: bigint;
  /** The owner's `to_self_delay` (set by the peer). */
  readonly toSelfDelay: number;
  /** The owner's `dust_limit_satoshis`. */
  readonly dustLimitSat: bigint;
  /** `feerate_per_kw`. */
  readonly feeratePerKw: bigint;
  /** The owner's balance, HTLCs in flight excluded. */
  readonly toLocalMsat: bigint;
  /** The peer's balance, HTLCs in flight excluded. */
  readonly toRemoteMsat: bigint;
  /** Whether the owner opened the channel (and so pays the fee and the anchors). */
  readonly localIsFunder: boolean;
  /** `option_anchors` (with zero-fee HTLC transactions). */
  readonly anchors?: boolean;
  /** The HTLCs in flight. */
  readonly htlcs: readonly CommitmentHtlc[];
  /** The keys of this commitment. */
  readonly keys: CommitmentKeys;
}

/** One output of a commitment transaction, in transaction order. */
export type CommitmentOutput =
  | {
      readonly kind: 'to_local' | 'to_local_anchor' | 'to_remote_anchor';
      readonly amountSat: bigint;
      readonly scriptPubKey: Uint8Array;
      readonly witnessScript: Uint8Array;
    }
  | {
      readonly kind: 'to_remote';
      readonly amountSat: bigint;
      readonly scriptPubKey: Uint8Array;
      /** Present with `option_anchors` (P2WSH); absent for the P2WPKH form. */
      readonly witnessScript?: Uint8Array;
    }
  | {
      readonly kind: 'htlc_offered' | 'htlc_received';
      readonly amountSat: bigint;
      readonly scriptPubKey: Uint8Array;
      readonly witnessScript: Uint8Array;
      readonly htlc: CommitmentHtlc;
    };

/** An unsigned commitment transaction and what it is made of. */
export interface Commitment {
  /** The spec it was built from. */
  readonly spec: CommitmentSpec;
  /** The unsigned transaction (empty witness). */
  readonly tx: Transaction;
  /** Outputs in transaction order (`outputs[i]` is `tx.outs[i]`). */
  readonly outputs: readonly CommitmentOutput[];
  /** The funding output's witness script. */
  readonly fundingScript: Uint8Array;
  /** The base fee (weight formula), in satoshis. */
  readonly baseFeeSat: bigint;
  /** The fee actually paid: funding amount minus the outputs (trimmed amounts and rounding included). */
  readonly feeSat: bigint;
}

function sortKey(o: CommitmentOutput): number {
  return 'htlc' in o ? o.htlc.cltvExpiry : 0;
}

/**
 * BOLT 3 "Transaction Output Ordering": by value, then scriptpubkey ("comparing the common-length prefix
 * lexicographically as if by memcmp, then selecting the shorter script"), then for HTLC outputs "in
 * increasing cltv_expiry order".
 */
export function sortOutputs<T extends CommitmentOutput>(outputs: readonly T[]): T[] {
  return [...outputs].sort(
    (a, b) =>
      (a.amountSat < b.amountSat ? -1 : a.amountSat > b.amountSat ? 1 : 0) ||
      compareBytes(a.scriptPubKey, b.scriptPubKey) ||
      sortKey(a) - sortKey(b),
  );
}

function checkMsat(v: bigint, field: string): bigint {
  if (typeof v !== 'bigint') throw new TypeError(`${field} must be a bigint`);
  if (v < 0n) throw new LnError('INVALID_AMOUNT', `${field} must be non-negative`, { field });
  return v;
}

/** The HTLC output witness script for an HTLC of this commitment. */
export function htlcWitnessScript(htlc: CommitmentHtlc, keys: HtlcScriptKeys, anchors: boolean): Uint8Array {
  return htlc.direction === 'offered'
    ? offeredHtlcScript(keys, htlc.paymentHash, anchors)
    : receivedHtlcScript(keys, htlc.paymentHash, htlc.cltvExpiry, anchors);
}

/**
 * Build a commitment transaction following BOLT 3 "Commitment Transaction Construction": trim, compute
 * the base fee, subtract it (and with `option_anchors` "two times the fixed anchor size of 330 sats")
 * from the funder, add the untrimmed HTLC, `to_local`, `to_remote` and anchor outputs, and sort.
 */
export function buildCommitment(spec: CommitmentSpec): Commitment {
  const anchors = spec.anchors ?? false;
  const { keys } = spec;
  checkMsat(spec.toLocalMsat, 'toLocalMsat');
  checkMsat(spec.toRemoteMsat, 'toRemoteMsat');
  spec.htlcs.forEach((h, i) => {
    checkMsat(h.amountMsat, `htlcs[${i}].amountMsat`);
    if (h.direction !== 'offered' && h.direction !== 'received') {
      throw new LnError('INVALID_HTLC', `htlcs[${i}].direction must be offered or received`, {
        field: `htlcs[${i}]`,
      });
    }
  });
  const untrimmed = spec.htlcs.filter(
    (h) => !isHtlcTrimmed(h.direction, h.amountMsat, spec.dustLimitSat, spec.feeratePerKw, anchors),
  );
  const baseFeeSat = commitmentBaseFee(spec.feeratePerKw, untrimmed.length, anchors);
  const funderCharge = (baseFeeSat + (anchors ? 2n * ANCHOR_OUTPUT_SAT : 0n)) * 1000n;
  // "Note that after the fee amount is subtracted from the to-funder output, that output may be below
  // dust_limit_satoshis, and thus will also contribute to fees" — and below zero it simply vanishes.
  const sub = (msat: bigint) => (msat > funderCharge ? msat - funderCharge : 0n);
  const toLocalSat = (spec.localIsFunder ? sub(spec.toLocalMsat) : spec.toLocalMsat) / 1000n;
  const toRemoteSat = (spec.localIsFunder ? spec.toRemoteMsat : sub(spec.toRemoteMsat)) / 1000n;

  const outputs: CommitmentOutput[] = untrimmed.map((htlc) => {
    const witnessScript = htlcWitnessScript(htlc, keys, anchors);
    return {
      kind: htlc.direction === 'offered' ? 'htlc_offered' : 'htlc_received',
      amountSat: htlc.amountMsat / 1000n,
      scriptPubKey: p2wsh(witnessScript),
      witnessScript,
      htlc,
    } as const;
  });
  const hasLocal = toLocalSat >= spec.dustLimitSat;
  const hasRemote = toRemoteSat >= spec.dustLimitSat;
  if (hasLocal) {
    const witnessScript = toLocalScript(keys.revocationPubkey, spec.toSelfDelay, keys.localDelayedPubkey);
    outputs.push({
      kind: 'to_local',
      amountSat: toLocalSat,
      scriptPubKey: p2wsh(witnessScript),
      witnessScript,
    });
  }
  if (hasRemote) {
    if (anchors) {
      const witnessScript = toRemoteAnchorsScript(keys.remotePaymentPubkey);
      outputs.push({
        kind: 'to_remote',
        amountSat: toRemoteSat,
        scriptPubKey: p2wsh(witnessScript),
        witnessScript,
      });
    } else {
      outputs.push({
        kind: 'to_remote',
        amountSat: toRemoteSat,
        scriptPubKey: p2wpkh(keys.remotePaymentPubkey),
      });
    }
  }
  if (anchors) {
    // "if to_local exists or there are untrimmed HTLCs, add a to_local_anchor output" (same for remote)
    for (const [kind, present, key] of [
      ['to_local_anchor', hasLocal, keys.localFundingPubkey],
      ['to_remote_anchor', hasRemote, keys.remoteFundingPubkey],
    ] as const) {
      if (!present && untrimmed.length === 0) continue;
      const witnessScript = anchorScript(key);
      outputs.push({ kind, amountSat: ANCHOR_OUTPUT_SAT, scriptPubKey: p2wsh(witnessScript), witnessScript });
    }
  }
  const sorted = sortOutputs(outputs);

  const { locktime, sequence } = encodeCommitmentNumber(spec.commitmentNumber, spec.obscuringFactor);
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = locktime;
  tx.addInput(txidToHash(spec.funding.txid), spec.funding.vout, sequence);
  for (const o of sorted) tx.addOutput(o.scriptPubKey, o.amountSat);
  const paid = sorted.reduce((s, o) => s + o.amountSat, 0n);
  if (paid > spec.funding.amountSat) {
    // Only reachable when the funder cannot even pay the anchors, which BOLT 2's reserve rules forbid.
    throw new LnError(
      'INVALID_AMOUNT',
      'the outputs exceed the funding amount: the funder cannot pay the anchors',
      {
        field: spec.localIsFunder ? 'toLocalMsat' : 'toRemoteMsat',
      },
    );
  }
  return {
    spec,
    tx,
    outputs: sorted,
    fundingScript: fundingScript(keys.localFundingPubkey, keys.remoteFundingPubkey),
    baseFeeSat,
    feeSat: spec.funding.amountSat - paid,
  };
}

/** Sign the commitment's funding input with a funding private key (SIGHASH_ALL). */
export function signCommitment(commitment: Commitment, fundingPrivkey: Uint8Array): Uint8Array {
  return signWitnessV0(
    commitment.tx,
    0,
    commitment.fundingScript,
    commitment.spec.funding.amountSat,
    fundingPrivkey,
  );
}

/** Check the peer's commitment signature; throws `INVALID_SIGNATURE`. */
export function verifyCommitmentSignature(commitment: Commitment, signature: Uint8Array): void {
  const { funding, keys } = commitment.spec;
  verifyWitnessV0(
    signature,
    commitment.tx,
    0,
    commitment.fundingScript,
    funding.amountSat,
    keys.remoteFundingPubkey,
    SIGHASH_ALL,
  );
}

/**
 * A signed copy of the commitment transaction. BOLT 3: "txin[0] witness: 0 <signature_for_pubkey1>
 * <signature_for_pubkey2>", the signatures in the funding script's key order.
 */
export function finalizeCommitment(
  commitment: Commitment,
  localSig: Uint8Array,
  remoteSig: Uint8Array,
): Transaction {
  const { keys } = commitment.spec;
  const localFirst = compareBytes(keys.localFundingPubkey, keys.remoteFundingPubkey) < 0;
  const tx = commitment.tx.clone();
  tx.setWitness(0, [
    new Uint8Array(0),
    localFirst ? localSig : remoteSig,
    localFirst ? remoteSig : localSig,
    commitment.fundingScript,
  ]);
  return tx;
}
