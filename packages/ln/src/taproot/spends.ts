/**
 * Spending PTLC outputs of a taproot commitment by their script paths.
 *
 * - **claim-PTLC-success** (offered PTLC, spent by the peer): the commitment owner gives the peer an
 *   adaptor pre-signature, locked to the payment point T, on the claim transaction; the peer completes
 *   it with the payment secret t (`s = s' ± t`), adds its own signature and broadcasts. The owner reads
 *   the completed signature from the chain and extracts t: the proof of payment.
 * - **PTLC-timeout** (offered PTLC, spent by the owner): the peer pre-signs a transaction with
 *   `nLockTime = cltv_expiry`, so bitcoind refuses it as non-final before the expiry height; it pays the
 *   owner's delayed, revocable second-level output.
 * - **PTLC-success** (received PTLC, spent by the owner): as PTLC-timeout's shape, with the peer's adaptor
 *   signature completed by the owner.
 * - **claim-PTLC-timeout** (received PTLC, spent by the peer alone): its leaf checks
 *   `<cltv_expiry> OP_CHECKLOCKTIMEVERIFY` itself.
 *
 * All signatures are BIP-340 over BIP-341 script-path sighashes (`SIGHASH_DEFAULT`).
 *
 * @example
 * ```ts
 * const claim = buildClaimPtlcSuccess(commitment, vout, bobScriptPubKey);
 * const pre = presignPtlc(claim, alicePtlcPrivkey, T);          // Alice, the owner
 * verifyPtlcPresig(claim, pre, alicePtlcPubkey, T);             // Bob checks it
 * const tx = completeClaimPtlcSuccess(claim, pre, t, bobSig);   // Bob, who knows t
 * const secret = extractPtlcSecret(claim, pre, tx, T);          // Alice learns t from the chain
 * ```
 * @module
 */
import { adapt, extractSecret, presign, preVerify } from '@asyncpay/crypto/adaptor';
import { sign as schnorrSign, verify as schnorrVerify } from '@asyncpay/crypto/schnorr';
import { Transaction } from 'bitcoinjs-lib';
import { abytes } from '../bolt3/keys.js';
import { txidToHash } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import type { TaprootCommitment } from './commitment.js';
import { TAPROOT_WEIGHTS } from './commitment.js';
import { SIGHASH_DEFAULT } from './musig.js';
import { OFFERED_PTLC_LEAF, RECEIVED_PTLC_LEAF } from './ptlc-outputs.js';
import { secondLevelOutput } from './scripts.js';
import { type TaprootOutput, tapleafHash, xOnly } from './taptree.js';

/** An unsigned script-path spend of one PTLC output. */
export interface PtlcSpend {
  /** Which spend this is. */
  readonly type: 'claim-ptlc-success' | 'ptlc-timeout' | 'ptlc-success' | 'claim-ptlc-timeout';
  /** The unsigned transaction (one input, one output). */
  readonly tx: Transaction;
  /** The PTLC output spent. */
  readonly prevout: { readonly vout: number; readonly amountSat: bigint; readonly taproot: TaprootOutput };
  /** Index of the leaf used. */
  readonly leaf: number;
  /** The BIP-341 script-path sighash every signature of this spend signs. */
  readonly sighash: Uint8Array;
  /** The payment point T of the PTLC. */
  readonly paymentPoint: Uint8Array;
  /** The second-level output (PTLC-timeout, PTLC-success), if any. */
  readonly secondLevel?: TaprootOutput;
}

function ptlcAt(c: TaprootCommitment, vout: number, kind: 'ptlc_offered' | 'ptlc_received') {
  const o = c.outputs[vout];
  if (o === undefined || o.kind !== kind) {
    throw new LnError('INVALID_HTLC', `output ${vout} is not an ${kind.replace('_', ' ')} output`, {
      field: 'vout',
    });
  }
  return o;
}

function spend(
  c: TaprootCommitment,
  type: PtlcSpend['type'],
  vout: number,
  kind: 'ptlc_offered' | 'ptlc_received',
  leaf: number,
  locktime: number,
  out: { scriptPubKey: Uint8Array; fee: bigint; secondLevel?: TaprootOutput },
): PtlcSpend {
  const o = ptlcAt(c, vout, kind);
  if (o.amountSat - out.fee < c.spec.dustLimitSat) {
    throw new LnError('DUST', 'the PTLC does not cover its spend fee', { field: 'vout' });
  }
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = locktime;
  // "1 OP_CHECKSEQUENCEVERIFY" in every PTLC leaf: the input waits one confirmation of the commitment.
  tx.addInput(txidToHash(c.tx.getId()), vout, 1);
  tx.addOutput(out.scriptPubKey, o.amountSat - out.fee);
  const sighash = tx.hashForWitnessV1(
    0,
    [o.taproot.scriptPubKey],
    [o.amountSat],
    SIGHASH_DEFAULT,
    tapleafHash(o.taproot.leaves[leaf]!),
  );
  return {
    type,
    tx,
    prevout: { vout, amountSat: o.amountSat, taproot: o.taproot },
    leaf,
    sighash,
    paymentPoint: o.ptlc.paymentPoint,
    ...(out.secondLevel === undefined ? {} : { secondLevel: out.secondLevel }),
  };
}

/**
 * The peer's claim of an offered PTLC from the owner's commitment (no delay, no revocation: the peer
 * does not own this commitment), paying `destination`.
 */
export function buildClaimPtlcSuccess(
  c: TaprootCommitment,
  vout: number,
  destination: Uint8Array,
): PtlcSpend {
  const fee = (c.spec.feeratePerKw * TAPROOT_WEIGHTS.claimPtlcSuccess) / 1000n;
  return spend(c, 'claim-ptlc-success', vout, 'ptlc_offered', OFFERED_PTLC_LEAF.success, 0, {
    scriptPubKey: destination,
    fee,
  });
}

function secondLevel(c: TaprootCommitment) {
  const { keys, toSelfDelay, feeratePerKw } = c.spec;
  const out = secondLevelOutput(keys.revocationPubkey, keys.localDelayedPubkey, toSelfDelay);
  return {
    scriptPubKey: out.scriptPubKey,
    fee: (feeratePerKw * TAPROOT_WEIGHTS.ptlcSecondStage) / 1000n,
    secondLevel: out,
  };
}

/** The owner's PTLC-timeout of an offered PTLC: `nLockTime = cltv_expiry`, to the delayed output. */
export function buildPtlcTimeout(c: TaprootCommitment, vout: number): PtlcSpend {
  const o = ptlcAt(c, vout, 'ptlc_offered');
  return spend(
    c,
    'ptlc-timeout',
    vout,
    'ptlc_offered',
    OFFERED_PTLC_LEAF.timeout,
    o.ptlc.cltvExpiry,
    secondLevel(c),
  );
}

/** The owner's PTLC-success of a received PTLC (locktime 0), to the delayed output. */
export function buildPtlcSuccess(c: TaprootCommitment, vout: number): PtlcSpend {
  return spend(c, 'ptlc-success', vout, 'ptlc_received', RECEIVED_PTLC_LEAF.success, 0, secondLevel(c));
}

/**
 * The peer's claim of a received PTLC from the owner's commitment after the expiry, by the leaf
 * `<remote_ptlcpubkey> OP_CHECKSIGVERIFY 1 OP_CHECKSEQUENCEVERIFY OP_VERIFY <cltv_expiry>
 * OP_CHECKLOCKTIMEVERIFY`, paying `destination`. `locktime` defaults to `cltv_expiry` (a lower one
 * makes the script fail, which the on-chain tests show).
 */
export function buildClaimPtlcTimeout(
  c: TaprootCommitment,
  vout: number,
  destination: Uint8Array,
  locktime?: number,
): PtlcSpend {
  const o = ptlcAt(c, vout, 'ptlc_received');
  const leaf = o.taproot.leaves[RECEIVED_PTLC_LEAF.timeout]!;
  // weight: the transaction's bytes plus the witness `<sig> <leaf> <control block>`
  const probe = new Transaction();
  probe.version = 2;
  probe.addInput(new Uint8Array(32), 0, 1);
  probe.addOutput(destination, 0n);
  probe.setWitness(0, [new Uint8Array(64), leaf, o.taproot.controlBlock(RECEIVED_PTLC_LEAF.timeout)]);
  const fee = (c.spec.feeratePerKw * BigInt(probe.weight())) / 1000n;
  return spend(
    c,
    'claim-ptlc-timeout',
    vout,
    'ptlc_received',
    RECEIVED_PTLC_LEAF.timeout,
    locktime ?? o.ptlc.cltvExpiry,
    {
      scriptPubKey: destination,
      fee,
    },
  );
}

/** The signed single-signature spend (claim-PTLC-timeout): witness `<sig> <leaf> <control block>`. */
export function finalizeSingleSigSpend(s: PtlcSpend, signature: Uint8Array): Transaction {
  const tx = s.tx.clone();
  const { taproot } = s.prevout;
  tx.setWitness(0, [signature, taproot.leaves[s.leaf]!, taproot.controlBlock(s.leaf)]);
  return tx;
}

/** A plain BIP-340 signature on the spend (`auxRand` defaults to fresh randomness). */
export function signPtlcSpend(s: PtlcSpend, ptlcPrivkey: Uint8Array, auxRand?: Uint8Array): Uint8Array {
  return schnorrSign(s.sighash, ptlcPrivkey, auxRand);
}

/** Check a plain signature on the spend; throws `INVALID_SIGNATURE`. */
export function verifyPtlcSignature(s: PtlcSpend, signature: Uint8Array, ptlcPubkey: Uint8Array): void {
  if (!schnorrVerify(signature, s.sighash, xOnly(ptlcPubkey))) {
    throw new LnError('INVALID_SIGNATURE', 'the PTLC signature does not verify', { field: 'signature' });
  }
}

/** An adaptor pre-signature on the spend, locked to its payment point (65 bytes). */
export function presignPtlc(s: PtlcSpend, ptlcPrivkey: Uint8Array, auxRand?: Uint8Array): Uint8Array {
  return presign(ptlcPrivkey, s.sighash, s.paymentPoint, auxRand);
}

/** Check a peer's adaptor pre-signature before relying on it; throws `INVALID_ADAPTOR_SIG`. */
export function verifyPtlcPresig(s: PtlcSpend, preSignature: Uint8Array, signerPtlcPubkey: Uint8Array): void {
  if (!preVerify(s.sighash, xOnly(signerPtlcPubkey), preSignature, s.paymentPoint)) {
    throw new LnError('INVALID_ADAPTOR_SIG', 'the adaptor pre-signature does not verify', {
      field: 'preSignature',
    });
  }
}

/**
 * Complete an adaptor pre-signature with the payment secret t (no check: a wrong t gives a signature
 * that bitcoind refuses, which the on-chain tests show).
 */
export function completePtlcPresig(preSignature: Uint8Array, paymentSecret: Uint8Array): Uint8Array {
  abytes(paymentSecret, 32, 'paymentSecret');
  return adapt(preSignature, paymentSecret);
}

/**
 * The signed spend. `checkedFirst` is the signature for the leaf's first key (checked first, so on top
 * of the stack), `checkedSecond` for its second key. Witness: `<sig2> <sig1> <leaf> <control block>`.
 */
export function finalizePtlcSpend(
  s: PtlcSpend,
  checkedFirst: Uint8Array,
  checkedSecond: Uint8Array,
): Transaction {
  const tx = s.tx.clone();
  const { taproot } = s.prevout;
  tx.setWitness(0, [checkedSecond, checkedFirst, taproot.leaves[s.leaf]!, taproot.controlBlock(s.leaf)]);
  return tx;
}

/**
 * Read the payment secret t from a confirmed spend: the signature in `witnessIndex` (the adapted one)
 * minus the pre-signature. Throws `INVALID_ADAPTOR_SIG` if it does not match T.
 */
export function extractPtlcSecret(
  s: PtlcSpend,
  preSignature: Uint8Array,
  spent: Transaction,
  witnessIndex: number,
): Uint8Array {
  const sig = spent.ins[0]?.witness[witnessIndex];
  if (sig === undefined || sig.length !== 64) {
    throw new LnError('INVALID_ADAPTOR_SIG', 'no 64-byte signature at that witness position', {
      field: 'spent',
    });
  }
  try {
    return extractSecret(sig, preSignature, s.paymentPoint);
  } catch (cause) {
    throw new LnError('INVALID_ADAPTOR_SIG', 'the signature does not complete the pre-signature', { cause });
  }
}
