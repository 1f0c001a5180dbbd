/**
 * Spending a BOLT 3 commitment's own outputs after it confirms:
 *
 * - the owner's delayed sweep of `to_local`. BOLT 3: "The output is spent by an input with nSequence
 *   field set to to_self_delay … and witness: <local_delayedsig> <>";
 * - the peer's penalty ("justice") transaction on a revoked commitment, taking `to_local` ("<revocation_sig>
 *   1") and every HTLC output ("<revocation_sig> <revocationpubkey>") at once;
 * - the peer's direct claims ({@link buildPeerClaim}): HTLCs by preimage or after expiry, and `to_remote`.
 *
 * @example
 * ```ts
 * const sweep = buildDelayedSweep(commitment, destination, 2_500n);
 * const tx = finalizeSweep(sweep, [signSweepInput(sweep, 0, localDelayedPrivkey)]);
 * ```
 * @module
 */
import { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import type { Commitment } from './commitment.js';
import { p2pkh } from './scripts.js';
import { signWitnessV0 } from './sign.js';
import { txidToHash } from './tx.js';

/** One commitment output a sweep spends. */
export interface SweepInput {
  /** Its index in the commitment. */
  readonly vout: number;
  /** Its value. */
  readonly amountSat: bigint;
  /** Its witness script. */
  readonly witnessScript: Uint8Array;
  /** How it is spent: the delayed path, or the revocation key on `to_local` or on an HTLC output. */
  readonly path: 'delayed' | 'revoked_to_local' | 'revoked_htlc';
}

/** An unsigned sweep. */
export interface Sweep {
  /** The unsigned transaction (one input per {@link SweepInput}, one output). */
  readonly tx: Transaction;
  /** Inputs, in transaction order. */
  readonly inputs: readonly SweepInput[];
  /** The commitment's `revocationpubkey` (pushed by HTLC penalty witnesses). */
  readonly revocationPubkey: Uint8Array;
}

// Witness sizes (73-byte signatures, BOLT 3 Appendix A style) per path, plus 41 bytes of input.
function inputWeight(i: SweepInput): bigint {
  const script = BigInt(i.witnessScript.length);
  const witness =
    1n + 74n + (i.path === 'revoked_htlc' ? 34n : i.path === 'revoked_to_local' ? 2n : 1n) + 3n + script;
  return 41n * 4n + witness;
}

function build(
  commitment: Commitment,
  inputs: SweepInput[],
  destination: Uint8Array,
  feeratePerKw: bigint,
  sequence: number,
): Sweep {
  if (inputs.length === 0) throw new LnError('DUST', 'nothing to sweep');
  // version, counts, locktime, marker and flag; one output
  const weight =
    4n * (4n + 1n + 1n + 4n + 8n + 1n + BigInt(destination.length)) +
    2n +
    inputs.reduce((w, i) => w + inputWeight(i), 0n);
  const total = inputs.reduce((s, i) => s + i.amountSat, 0n);
  const fee = (feeratePerKw * weight) / 1000n;
  if (total - fee < 330n) throw new LnError('DUST', 'the swept amount does not cover the fee');
  const tx = new Transaction();
  tx.version = 2;
  for (const i of inputs) tx.addInput(txidToHash(commitment.tx.getId()), i.vout, sequence);
  tx.addOutput(destination, total - fee);
  return { tx, inputs, revocationPubkey: commitment.spec.keys.revocationPubkey };
}

/** The owner's sweep of `to_local` after `to_self_delay` (input sequence = `to_self_delay`). */
export function buildDelayedSweep(
  commitment: Commitment,
  destination: Uint8Array,
  feeratePerKw: bigint,
): Sweep {
  const vout = commitment.outputs.findIndex((o) => o.kind === 'to_local');
  const o = commitment.outputs[vout];
  if (o === undefined || o.kind !== 'to_local')
    throw new LnError('DUST', 'the commitment has no to_local output');
  const input: SweepInput = { vout, amountSat: o.amountSat, witnessScript: o.witnessScript, path: 'delayed' };
  return build(commitment, [input], destination, feeratePerKw, commitment.spec.toSelfDelay);
}

/** The peer's penalty transaction on a revoked commitment: `to_local` and every HTLC output. */
export function buildPenaltyTx(commitment: Commitment, destination: Uint8Array, feeratePerKw: bigint): Sweep {
  const inputs: SweepInput[] = [];
  commitment.outputs.forEach((o, vout) => {
    if (o.kind === 'to_local')
      inputs.push({ vout, amountSat: o.amountSat, witnessScript: o.witnessScript, path: 'revoked_to_local' });
    if (o.kind === 'htlc_offered' || o.kind === 'htlc_received') {
      inputs.push({ vout, amountSat: o.amountSat, witnessScript: o.witnessScript, path: 'revoked_htlc' });
    }
  });
  return build(commitment, inputs, destination, feeratePerKw, 0xffffffff);
}

/** Sign input `index` (the delayed privkey for `delayed`, the revocation privkey otherwise). */
export function signSweepInput(sweep: Sweep, index: number, privkey: Uint8Array): Uint8Array {
  const input = sweep.inputs[index];
  if (input === undefined) throw new RangeError(`no sweep input ${index}`);
  return signWitnessV0(sweep.tx, index, input.witnessScript, input.amountSat, privkey);
}

/** A signed copy, one signature per input in order. */
export function finalizeSweep(sweep: Sweep, signatures: readonly Uint8Array[]): Transaction {
  if (signatures.length !== sweep.inputs.length) throw new RangeError('one signature per input');
  const tx = sweep.tx.clone();
  sweep.inputs.forEach((input, i) => {
    const sig = signatures[i]!;
    const selector =
      input.path === 'delayed'
        ? new Uint8Array(0)
        : input.path === 'revoked_to_local'
          ? Uint8Array.of(1)
          : sweep.revocationPubkey;
    tx.setWitness(i, [sig, selector, input.witnessScript]);
  });
  return tx;
}

/**
 * The peer's claims on the owner's commitment, without any second stage:
 * - an HTLC the owner offered, with the preimage. BOLT 3: "The remote node can redeem the HTLC with the
 *   witness: <remotehtlcsig> <payment_preimage>";
 * - an HTLC the owner received, after its expiry. BOLT 3: "To timeout the HTLC, the remote node spends
 *   it with the witness: <remotehtlcsig> <>" (the transaction's locktime is `cltv_expiry`);
 * - `to_remote` (P2WPKH to `remotepubkey`, no delay without `option_anchors`).
 */
export interface PeerClaim {
  /** The unsigned transaction (one input, one output). */
  readonly tx: Transaction;
  /** What is claimed. */
  readonly kind: 'htlc_preimage' | 'htlc_timeout' | 'to_remote';
  /** The commitment output spent. */
  readonly vout: number;
  /** Its value. */
  readonly amountSat: bigint;
  /** The script signed over (the witness script, or the P2WPKH script code). */
  readonly scriptCode: Uint8Array;
  /** The witness script to append (HTLC claims only). */
  readonly witnessScript?: Uint8Array;
}

/** Build the peer's claim of output `vout` of the owner's commitment, paying `destination`. */
export function buildPeerClaim(
  commitment: Commitment,
  vout: number,
  destination: Uint8Array,
  feeratePerKw: bigint,
  remotePaymentPubkey?: Uint8Array,
): PeerClaim {
  const o = commitment.outputs[vout];
  if (o === undefined) throw new RangeError(`no output ${vout}`);
  let kind: PeerClaim['kind'];
  let scriptCode: Uint8Array;
  let witnessScript: Uint8Array | undefined;
  let locktime = 0;
  let sequence = commitment.spec.anchors ? 1 : 0xffffffff;
  if (o.kind === 'htlc_offered' || o.kind === 'htlc_received') {
    kind = o.kind === 'htlc_offered' ? 'htlc_preimage' : 'htlc_timeout';
    scriptCode = o.witnessScript;
    witnessScript = o.witnessScript;
    if (kind === 'htlc_timeout') {
      locktime = o.htlc.cltvExpiry;
      if (sequence === 0xffffffff) sequence = 0xfffffffe; // a final sequence would disable the locktime
    }
  } else if (o.kind === 'to_remote' && o.witnessScript === undefined) {
    if (remotePaymentPubkey === undefined) throw new TypeError('remotePaymentPubkey is needed for to_remote');
    kind = 'to_remote';
    scriptCode = p2pkh(remotePaymentPubkey);
  } else {
    throw new LnError('INVALID_HTLC', `output ${vout} (${o.kind}) is not claimable by the peer here`, {
      field: 'vout',
    });
  }
  // witness: signature (73) + preimage/empty/pubkey (33) + script; input 41 bytes; one output
  const witness = 1n + 74n + 34n + (witnessScript === undefined ? 0n : 3n + BigInt(witnessScript.length));
  const weight = 4n * (4n + 1n + 41n + 1n + 8n + 1n + BigInt(destination.length) + 4n) + 2n + witness;
  const fee = (feeratePerKw * weight) / 1000n;
  if (o.amountSat - fee < 330n)
    throw new LnError('DUST', 'the claim does not cover its fee', { field: 'vout' });
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = locktime;
  tx.addInput(txidToHash(commitment.tx.getId()), vout, sequence);
  tx.addOutput(destination, o.amountSat - fee);
  return { tx, kind, vout, amountSat: o.amountSat, scriptCode, ...(witnessScript ? { witnessScript } : {}) };
}

/** Sign a peer claim (the remote HTLC privkey, or the payment basepoint secret for `to_remote`). */
export function signPeerClaim(claim: PeerClaim, privkey: Uint8Array): Uint8Array {
  return signWitnessV0(claim.tx, 0, claim.scriptCode, claim.amountSat, privkey);
}

/** A signed copy: `<sig> <preimage>` / `<sig> <>` + witness script, or `<sig> <pubkey>` for P2WPKH. */
export function finalizePeerClaim(claim: PeerClaim, signature: Uint8Array, last: Uint8Array): Transaction {
  const tx = claim.tx.clone();
  tx.setWitness(
    0,
    claim.witnessScript === undefined ? [signature, last] : [signature, last, claim.witnessScript],
  );
  return tx;
}
