/**
 * Going to chain with an {@link OnchainChannel}: the funding transaction (spent from a P2WPKH coin of
 * the funder), our latest commitment signed by both sides, its HTLC-timeout transactions, and the
 * delayed sweep of `to_local`-style outputs after `to_self_delay`. Every transaction here is meant to be
 * judged by a real bitcoind; nothing in this module decides whether it is valid.
 *
 * @example
 * ```ts
 * const close = forceClose(channel.onchainSide!);            // commitment, signed by both
 * const [timeout] = close.htlcTimeouts;                      // locktime = cltv_expiry
 * const sweep = delayedSweep([...outputs], p2wpkh(pubkey), 2_500n, close.toSelfDelay, close.delayedPrivkey);
 * ```
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes } from '@noble/hashes/utils.js';
import { address, networks, Transaction } from 'bitcoinjs-lib';
import { type Commitment, finalizeCommitment, signCommitment } from '../bolt3/commitment.js';
import { buildFundingTx } from '../bolt3/funding.js';
import { finalizeHtlcTx, type HtlcTx, signHtlcTx } from '../bolt3/htlc-tx.js';
import { derivePrivkey, pubkeyOf } from '../bolt3/keys.js';
import { p2pkh, p2wpkh } from '../bolt3/scripts.js';
import { signWitnessV0 } from '../bolt3/sign.js';
import { type PrevOut, txidToHash } from '../bolt3/tx.js';
import { LnError } from '../errors.js';
import type { ChannelBasepoints, OnchainChannel } from './onchain.js';

/** A node's on-chain wallet key (a P2WPKH key of its own), derived from its node key. */
export function walletKey(nodePrivkey: Uint8Array): Uint8Array {
  return sha256(concatBytes(nodePrivkey, new TextEncoder().encode('asyncpay/wallet')));
}

/** The P2WPKH output script of a wallet key. */
export function walletScript(walletPrivkey: Uint8Array): Uint8Array {
  return p2wpkh(pubkeyOf(walletPrivkey));
}

/** The regtest address (bech32) of an output script. */
export function regtestAddress(scriptPubKey: Uint8Array): string {
  return address.fromOutputScript(scriptPubKey, networks.regtest);
}

/**
 * The funding transaction: spends the funder's P2WPKH `coin` (signed with `walletPrivkey`) into BOLT
 * 3's 2-of-2 of the two funding keys; the rest of the coin is the fee. Returns the signed transaction
 * and the funding outpoint.
 */
export function fundingTransaction(args: {
  coin: PrevOut;
  walletPrivkey: Uint8Array;
  fundingSat: bigint;
  local: ChannelBasepoints;
  remote: ChannelBasepoints;
}): { tx: Transaction; funding: PrevOut } {
  if (args.coin.amountSat <= args.fundingSat) {
    throw new LnError('INVALID_AMOUNT', 'the coin does not cover the funding amount and a fee', {
      field: 'coin',
    });
  }
  const f = buildFundingTx({
    inputs: [args.coin],
    fundingSat: args.fundingSat,
    localFundingPubkey: args.local.fundingPubkey,
    remoteFundingPubkey: args.remote.fundingPubkey,
  });
  const pubkey = pubkeyOf(args.walletPrivkey);
  // BIP 143: the scriptCode of a P2WPKH input is the P2PKH script of its key hash.
  const sig = signWitnessV0(f.tx, 0, p2pkh(pubkey), args.coin.amountSat, args.walletPrivkey);
  const tx = f.tx.clone();
  tx.setWitness(0, [sig, pubkey]);
  return { tx, funding: { txid: tx.getId(), vout: f.fundingVout, amountSat: args.fundingSat } };
}

/** A signed HTLC-timeout transaction of a force-closed commitment. */
export interface SignedHtlcTimeout {
  readonly htlcTx: HtlcTx;
  readonly tx: Transaction;
}

/** What a force-close broadcasts and later spends. */
export interface ForceClose {
  /** The commitment number. */
  readonly n: number;
  readonly commitment: Commitment;
  /** The commitment transaction, signed by the peer (received in `commitment_signed`) and by us. */
  readonly tx: Transaction;
  /** One per offered HTLC output: locktime `cltv_expiry`, signed by both. */
  readonly htlcTimeouts: readonly SignedHtlcTimeout[];
  /** The owner's delay on `to_local` and on the HTLC transactions' outputs. */
  readonly toSelfDelay: number;
  /** `local_delayedprivkey` of this commitment: spends `to_local` and the HTLC-timeout outputs. */
  readonly delayedPrivkey: Uint8Array;
}

/**
 * Fail the channel unilaterally (BOLT 5): our latest commitment the peer signed, with our own funding
 * signature, and the HTLC-timeout transactions of the HTLCs we offered, each with the peer's
 * `htlc_signature` and ours. Throws `NO_SIGNED_COMMITMENT` if the peer never signed one.
 */
export function forceClose(oc: OnchainChannel): ForceClose {
  const latest = oc.latest;
  if (!latest) {
    throw new LnError('NO_SIGNED_COMMITMENT', 'the peer has signed no commitment of ours', {
      field: 'commitment_signed',
    });
  }
  const { commitment, htlcTxs, point } = oc.commitment('local', latest.n, latest.state);
  const tx = finalizeCommitment(
    commitment,
    signCommitment(commitment, oc.secrets.fundingPrivkey),
    latest.signature,
  );
  const htlcPrivkey = derivePrivkey(oc.secrets.htlcBasepointSecret, point);
  const htlcTimeouts: SignedHtlcTimeout[] = [];
  htlcTxs.forEach((h, i) => {
    if (h.type !== 'htlc-timeout') return;
    const local = signHtlcTx(h, htlcPrivkey, 'local');
    htlcTimeouts.push({ htlcTx: h, tx: finalizeHtlcTx(h, latest.htlcSignatures[i]!, local) });
  });
  return {
    n: latest.n,
    commitment,
    tx,
    htlcTimeouts,
    toSelfDelay: oc.toSelfDelay,
    delayedPrivkey: derivePrivkey(oc.secrets.delayedPaymentBasepointSecret, point),
  };
}

/** A `to_local`-style output (`to_local`, or an HTLC transaction's output) to sweep. */
export interface DelayedOutput {
  readonly txid: string;
  readonly vout: number;
  readonly amountSat: bigint;
  /** Its witness script (`OP_IF <revocationpubkey> OP_ELSE to_self_delay OP_CSV … <local_delayedpubkey>`). */
  readonly witnessScript: Uint8Array;
}

/** The `to_local` output of a force-close, if it has one. */
export function toLocalOutput(close: ForceClose): DelayedOutput | undefined {
  const vout = close.commitment.outputs.findIndex((o) => o.kind === 'to_local');
  const o = close.commitment.outputs[vout];
  if (o?.kind !== 'to_local') return undefined;
  return { txid: close.tx.getId(), vout, amountSat: o.amountSat, witnessScript: o.witnessScript };
}

/** The output of a signed HTLC-timeout transaction. */
export function htlcTimeoutOutput(t: SignedHtlcTimeout): DelayedOutput {
  return {
    txid: t.tx.getId(),
    vout: 0,
    amountSat: t.tx.outs[0]!.value,
    witnessScript: t.htlcTx.outputWitnessScript,
  };
}

/**
 * Sweep delayed outputs of one commitment to `destination`. BOLT 3: "The output is spent by an input
 * with nSequence field set to to_self_delay … and witness: <local_delayedsig> <>". The fee is
 * `feeratePerKw` × the expected weight (73-byte signatures).
 */
export function delayedSweep(
  outputs: readonly DelayedOutput[],
  destination: Uint8Array,
  feeratePerKw: bigint,
  toSelfDelay: number,
  delayedPrivkey: Uint8Array,
): { tx: Transaction; feeSat: bigint } {
  if (outputs.length === 0) throw new LnError('DUST', 'nothing to sweep');
  // version, input and output counts, locktime, the output; segwit marker and flag
  let weight = 4n * (4n + 1n + 1n + 4n + 8n + 1n + BigInt(destination.length)) + 2n;
  for (const o of outputs) weight += 4n * 41n + 1n + 74n + 1n + 3n + BigInt(o.witnessScript.length);
  const total = outputs.reduce((s, o) => s + o.amountSat, 0n);
  const feeSat = (feeratePerKw * weight) / 1000n;
  if (total - feeSat < 330n) throw new LnError('DUST', 'the swept amount does not cover the fee');
  const tx = new Transaction();
  tx.version = 2;
  for (const o of outputs) tx.addInput(txidToHash(o.txid), o.vout, toSelfDelay);
  tx.addOutput(destination, total - feeSat);
  outputs.forEach((o, i) => {
    const sig = signWitnessV0(tx, i, o.witnessScript, o.amountSat, delayedPrivkey);
    tx.setWitness(i, [sig, new Uint8Array(0), o.witnessScript]);
  });
  return { tx, feeSat };
}
