/**
 * The peer's penalty transaction on a revoked taproot commitment: `to_local` by its revocation leaf
 * (`<local_delayedpubkey> OP_DROP <revocationpubkey> OP_CHECKSIG`) and every PTLC output by its key
 * path — `musig2(revocationpubkey, remote_ptlcpubkey)`, both of whose secrets the peer holds once the
 * owner revealed the per-commitment secret.
 *
 * @example
 * ```ts
 * const p = buildTaprootPenalty(commitment, destination, 2_500n);
 * const tx = signTaprootPenalty(p, revocationPrivkey, remotePtlcPrivkey);
 * ```
 * @module
 */
import { sign as schnorrSign } from '@asyncpay/crypto/schnorr';
import { Transaction } from 'bitcoinjs-lib';
import { txidToHash } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import type { TaprootCommitment } from './commitment.js';
import { keyPathSighash, type MusigTaprootKey, SIGHASH_DEFAULT, signKeyPathAlone } from './musig.js';
import { type TaprootOutput, tapleafHash } from './taptree.js';

/** `to_local`'s revocation leaf position (see `toLocalOutput`). */
const REVOCATION_LEAF = 1;

/** One input of a taproot penalty. */
export type TaprootPenaltyInput =
  | {
      readonly path: 'to_local_revocation';
      readonly vout: number;
      readonly amountSat: bigint;
      readonly taproot: TaprootOutput;
    }
  | {
      readonly path: 'ptlc_key_path';
      readonly vout: number;
      readonly amountSat: bigint;
      readonly key: MusigTaprootKey;
    };

/** An unsigned taproot penalty transaction. */
export interface TaprootPenalty {
  /** The unsigned transaction. */
  readonly tx: Transaction;
  /** Inputs in transaction order. */
  readonly inputs: readonly TaprootPenaltyInput[];
}

const scriptOf = (i: TaprootPenaltyInput) =>
  i.path === 'ptlc_key_path' ? i.key.scriptPubKey : i.taproot.scriptPubKey;

/**
 * Build the penalty: every `to_local` and PTLC output of the revoked commitment to `destination`
 * (or only the inputs of one `path`: Bitcoin Knots' default policy refuses the `to_local` revocation
 * leaf — its `<local_delayedpubkey> OP_DROP` counts as data carrying, `txn-datacarrier-nonstandard` —
 * so a penalty may have to take the PTLCs and `to_local` in separate transactions).
 */
export function buildTaprootPenalty(
  c: TaprootCommitment,
  destination: Uint8Array,
  feeratePerKw: bigint,
  only?: TaprootPenaltyInput['path'],
): TaprootPenalty {
  const all: TaprootPenaltyInput[] = [];
  c.outputs.forEach((o, vout) => {
    if (o.kind === 'to_local')
      all.push({ path: 'to_local_revocation', vout, amountSat: o.amountSat, taproot: o.taproot });
    if (o.kind === 'ptlc_offered' || o.kind === 'ptlc_received') {
      all.push({ path: 'ptlc_key_path', vout, amountSat: o.amountSat, key: o.ptlcOutput });
    }
  });
  const inputs = only === undefined ? all : all.filter((i) => i.path === only);
  if (inputs.length === 0) throw new LnError('DUST', 'nothing to take');
  const tx = new Transaction();
  tx.version = 2;
  for (const i of inputs) tx.addInput(txidToHash(c.tx.getId()), i.vout, 0xffffffff);
  tx.addOutput(destination, 0n);
  // weight with the final witness shapes: 64-byte signatures, the revocation leaf and its control block
  inputs.forEach((i, n) => {
    const w =
      i.path === 'ptlc_key_path'
        ? [new Uint8Array(64)]
        : [new Uint8Array(64), i.taproot.leaves[REVOCATION_LEAF]!, i.taproot.controlBlock(REVOCATION_LEAF)];
    tx.setWitness(n, w);
  });
  const fee = (feeratePerKw * BigInt(tx.weight())) / 1000n;
  const total = inputs.reduce((s, i) => s + i.amountSat, 0n);
  if (total - fee < 330n) throw new LnError('DUST', 'the penalty does not cover its fee');
  const unsigned = new Transaction();
  unsigned.version = 2;
  for (const i of inputs) unsigned.addInput(txidToHash(c.tx.getId()), i.vout, 0xffffffff);
  unsigned.addOutput(destination, total - fee);
  return { tx: unsigned, inputs };
}

/** Sign every input: the revocation secret for `to_local`, MuSig2 of both secrets for each PTLC. */
export function signTaprootPenalty(
  p: TaprootPenalty,
  revocationPrivkey: Uint8Array,
  remotePtlcPrivkey: Uint8Array,
  auxRand?: Uint8Array,
): Transaction {
  const tx = p.tx.clone();
  const scripts = p.inputs.map(scriptOf);
  const values = p.inputs.map((i) => i.amountSat);
  p.inputs.forEach((input, n) => {
    if (input.path === 'to_local_revocation') {
      const leaf = input.taproot.leaves[REVOCATION_LEAF]!;
      const msg = tx.hashForWitnessV1(n, scripts, values, SIGHASH_DEFAULT, tapleafHash(leaf));
      tx.setWitness(n, [
        schnorrSign(msg, revocationPrivkey, auxRand),
        leaf,
        input.taproot.controlBlock(REVOCATION_LEAF),
      ]);
    } else {
      const msg = keyPathSighash(
        tx,
        n,
        p.inputs.map((i) => ({ scriptPubKey: scriptOf(i), amountSat: i.amountSat })),
      );
      tx.setWitness(n, [signKeyPathAlone(input.key, msg, [revocationPrivkey, remotePtlcPrivkey])]);
    }
  });
  return tx;
}
