/**
 * Commitment and second-level HTLC transactions of "simple taproot channels" (lightning/bolts PR #995,
 * unmerged), checked byte for byte against its transaction vectors.
 *
 * As `option_anchors` with zero-fee HTLC transactions: two 330-sat anchors paid by the funder, HTLC
 * outputs worth their whole amount (trimmed only below the dust limit), HTLC-success/timeout with
 * sequence 1, no fee, and the peer's signature `SIGHASH_SINGLE|SIGHASH_ANYONECANPAY`. The commitment's
 * expected weight is 968 + 172 per HTLC output (derived from the vectors' fees; PR #995 does not print
 * it). The funding input carries one MuSig2 key-path signature.
 *
 * @example
 * ```ts
 * const c = buildSimpleTaprootCommitment(spec);
 * const tx = finalizeTaprootCommitment(c, aggregatedSig); // from ./commitment.js
 * const [first] = buildSimpleTaprootHtlcTxs(c);
 * ```
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { Transaction } from 'bitcoinjs-lib';
import { type CommitmentHtlc, encodeCommitmentNumber } from '../bolt3/commitment.js';
import { ANCHOR_OUTPUT_SAT } from '../bolt3/fees.js';
import { abytes, parsePrivkey } from '../bolt3/keys.js';
import { compareBytes } from '../bolt3/scripts.js';
import { SIGHASH_SINGLE_ANYONECANPAY } from '../bolt3/sign.js';
import { type PrevOut, txidToHash } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import { keyPathSighash, type MusigTaprootKey, SIGHASH_DEFAULT } from './musig.js';
import {
  acceptedHtlcOutput,
  anchorOutput,
  offeredHtlcOutput,
  secondLevelOutput,
  type TaprootHtlcKeys,
  toLocalOutput,
  toRemoteOutput,
} from './scripts.js';
import { type TaprootOutput, tapleafHash } from './taptree.js';

/** Expected commitment weight: 968 + 172 per untrimmed HTLC output. */
export const SIMPLE_TAPROOT_COMMITMENT_WEIGHT = 968n;

/** Keys of a simple taproot commitment. */
export interface SimpleTaprootKeys extends TaprootHtlcKeys {
  /** `local_delayedpubkey` (also the local anchor's internal key). */
  readonly localDelayedPubkey: Uint8Array;
  /** `remotepubkey` (also the remote anchor's internal key). */
  readonly remotePaymentPubkey: Uint8Array;
}

/** Everything that fixes one simple taproot commitment. */
export interface SimpleTaprootSpec {
  /** The funding output and its MuSig2 key. */
  readonly funding: PrevOut & { readonly key: MusigTaprootKey };
  /** 48-bit commitment number. */
  readonly commitmentNumber: bigint;
  /** BOLT 3 obscuring factor. */
  readonly obscuringFactor: bigint;
  /** The owner's `to_self_delay`. */
  readonly toSelfDelay: number;
  /** The owner's `dust_limit_satoshis`. */
  readonly dustLimitSat: bigint;
  /** `feerate_per_kw`. */
  readonly feeratePerKw: bigint;
  /** Balances, HTLCs excluded. */
  readonly toLocalMsat: bigint;
  /** Balances, HTLCs excluded. */
  readonly toRemoteMsat: bigint;
  /** Whether the owner funded the channel. */
  readonly localIsFunder: boolean;
  /** HTLCs in flight. */
  readonly htlcs: readonly CommitmentHtlc[];
  /** Keys. */
  readonly keys: SimpleTaprootKeys;
}

/** One output, in transaction order. */
export interface SimpleTaprootOutput {
  /** What it pays. */
  readonly kind:
    | 'to_local'
    | 'to_remote'
    | 'local_anchor'
    | 'remote_anchor'
    | 'htlc_offered'
    | 'htlc_received';
  /** Its value. */
  readonly amountSat: bigint;
  /** Its taproot output. */
  readonly taproot: TaprootOutput;
  /** The HTLC, for HTLC outputs. */
  readonly htlc?: CommitmentHtlc;
}

/** An unsigned simple taproot commitment (shape-compatible with `./commitment.js` finalize). */
export interface SimpleTaprootCommitment {
  /** The spec. */
  readonly spec: SimpleTaprootSpec;
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** Outputs in transaction order. */
  readonly outputs: readonly SimpleTaprootOutput[];
  /** The fee paid. */
  readonly feeSat: bigint;
}

/** Build the commitment (BOLT 3 construction steps with the PR #995 outputs). */
export function buildSimpleTaprootCommitment(spec: SimpleTaprootSpec): SimpleTaprootCommitment {
  const { keys } = spec;
  // zero-fee HTLC transactions: "trimming depends solely on whether the HTLC amount falls below the
  // dust_limit_satoshis"
  const untrimmed = spec.htlcs.filter((h) => h.amountMsat / 1000n >= spec.dustLimitSat);
  const fee =
    (spec.feeratePerKw * (SIMPLE_TAPROOT_COMMITMENT_WEIGHT + 172n * BigInt(untrimmed.length))) / 1000n;
  const charge = (fee + 2n * ANCHOR_OUTPUT_SAT) * 1000n;
  const sub = (msat: bigint) => (msat > charge ? msat - charge : 0n);
  const toLocalSat = (spec.localIsFunder ? sub(spec.toLocalMsat) : spec.toLocalMsat) / 1000n;
  const toRemoteSat = (spec.localIsFunder ? spec.toRemoteMsat : sub(spec.toRemoteMsat)) / 1000n;
  const outputs: SimpleTaprootOutput[] = untrimmed.map((htlc) => ({
    kind: htlc.direction === 'offered' ? 'htlc_offered' : 'htlc_received',
    amountSat: htlc.amountMsat / 1000n,
    taproot:
      htlc.direction === 'offered'
        ? offeredHtlcOutput(keys, htlc.paymentHash)
        : acceptedHtlcOutput(keys, htlc.paymentHash, htlc.cltvExpiry),
    htlc,
  }));
  const hasLocal = toLocalSat >= spec.dustLimitSat;
  const hasRemote = toRemoteSat >= spec.dustLimitSat;
  if (hasLocal) {
    outputs.push({
      kind: 'to_local',
      amountSat: toLocalSat,
      taproot: toLocalOutput(keys.revocationPubkey, keys.localDelayedPubkey, spec.toSelfDelay),
    });
  }
  if (hasRemote)
    outputs.push({
      kind: 'to_remote',
      amountSat: toRemoteSat,
      taproot: toRemoteOutput(keys.remotePaymentPubkey),
    });
  if (hasLocal || untrimmed.length > 0) {
    outputs.push({
      kind: 'local_anchor',
      amountSat: ANCHOR_OUTPUT_SAT,
      taproot: anchorOutput(keys.localDelayedPubkey),
    });
  }
  if (hasRemote || untrimmed.length > 0) {
    outputs.push({
      kind: 'remote_anchor',
      amountSat: ANCHOR_OUTPUT_SAT,
      taproot: anchorOutput(keys.remotePaymentPubkey),
    });
  }
  const cltv = (o: SimpleTaprootOutput) => o.htlc?.cltvExpiry ?? 0;
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
  return {
    spec,
    tx,
    outputs,
    feeSat: spec.funding.amountSat - outputs.reduce((s, o) => s + o.amountSat, 0n),
  };
}

/** The message both funding keys sign for this commitment. */
export function simpleTaprootCommitmentSighash(c: SimpleTaprootCommitment): Uint8Array {
  return keyPathSighash(c.tx, 0, [
    { scriptPubKey: c.spec.funding.key.scriptPubKey, amountSat: c.spec.funding.amountSat },
  ]);
}

/** An unsigned second-level HTLC transaction of a simple taproot commitment. */
export interface SimpleTaprootHtlcTx {
  /** Timeout for offered HTLCs, success for received ones. */
  readonly type: 'htlc-timeout' | 'htlc-success';
  /** The HTLC. */
  readonly htlc: CommitmentHtlc;
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** The commitment output spent. */
  readonly input: {
    readonly vout: number;
    readonly amountSat: bigint;
    readonly taproot: TaprootOutput;
    readonly leaf: number;
  };
}

/**
 * The HTLC-success/timeout transactions, one per HTLC output in output order. PR #995: "version: 2;
 * locktime: 0 (success) / cltv_expiry (timeout); sequence: 1; output value: htlc_value" to the
 * second-level output.
 */
export function buildSimpleTaprootHtlcTxs(c: SimpleTaprootCommitment): SimpleTaprootHtlcTx[] {
  const { keys, toSelfDelay } = c.spec;
  const out = secondLevelOutput(keys.revocationPubkey, keys.localDelayedPubkey, toSelfDelay);
  const result: SimpleTaprootHtlcTx[] = [];
  c.outputs.forEach((o, vout) => {
    if (o.htlc === undefined) return;
    const offered = o.kind === 'htlc_offered';
    const tx = new Transaction();
    tx.version = 2;
    tx.locktime = offered ? o.htlc.cltvExpiry : 0;
    tx.addInput(txidToHash(c.tx.getId()), vout, 1);
    tx.addOutput(out.scriptPubKey, o.amountSat);
    // leaves: offered [success, timeout], accepted [success, timeout]
    const leaf = offered ? 1 : 0;
    result.push({
      type: offered ? 'htlc-timeout' : 'htlc-success',
      htlc: o.htlc,
      tx,
      input: { vout, amountSat: o.amountSat, taproot: o.taproot, leaf },
    });
  });
  return result;
}

/**
 * Sign a second-level HTLC transaction: the owner (`local`) with `SIGHASH_DEFAULT` (64 bytes), the peer
 * (`remote`) with `SIGHASH_SINGLE|SIGHASH_ANYONECANPAY` (65 bytes). PR #995's vectors use BIP-340 "with
 * zero auxrand", the default here.
 */
export function signSimpleTaprootHtlcTx(
  h: SimpleTaprootHtlcTx,
  htlcPrivkey: Uint8Array,
  signer: 'local' | 'remote',
  auxRand: Uint8Array = new Uint8Array(32),
): Uint8Array {
  const type = signer === 'remote' ? SIGHASH_SINGLE_ANYONECANPAY : SIGHASH_DEFAULT;
  const { input } = h;
  const msg = h.tx.hashForWitnessV1(
    0,
    [input.taproot.scriptPubKey],
    [input.amountSat],
    type,
    tapleafHash(input.taproot.leaves[input.leaf]!),
  );
  const sig = schnorr.sign(msg, parsePrivkey(htlcPrivkey), abytes(auxRand, 32, 'auxRand'));
  return type === SIGHASH_DEFAULT ? sig : concatBytes(sig, Uint8Array.of(type));
}

/**
 * The signed transaction. Witness: `<remotehtlcsig> <localhtlcsig> <preimage>` (success) or
 * `<remotehtlcsig> <localhtlcsig>` (timeout), then the leaf and its control block.
 */
export function finalizeSimpleTaprootHtlcTx(
  h: SimpleTaprootHtlcTx,
  remoteSig: Uint8Array,
  localSig: Uint8Array,
  preimage?: Uint8Array,
): Transaction {
  if (h.type === 'htlc-success' && preimage === undefined) {
    throw new LnError('INVALID_PREIMAGE', 'HTLC-success needs the preimage', { field: 'preimage' });
  }
  const { taproot, leaf } = h.input;
  const tx = h.tx.clone();
  const stack = h.type === 'htlc-success' ? [remoteSig, localSig, preimage!] : [remoteSig, localSig];
  tx.setWitness(0, [...stack, taproot.leaves[leaf]!, taproot.controlBlock(leaf)]);
  return tx;
}
