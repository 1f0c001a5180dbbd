/**
 * The BOLT 3 funding output and a funding transaction builder.
 *
 * BOLT 3: "The funding output script is a P2WSH to: `2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG`".
 *
 * @example
 * ```ts
 * const { scriptPubKey } = fundingOutput(localFundingPubkey, remoteFundingPubkey);
 * const { tx, fundingVout } = buildFundingTx({ inputs, fundingSat: 10_000_000n, localFundingPubkey, remoteFundingPubkey });
 * ```
 * @module
 */
import { Transaction } from 'bitcoinjs-lib';
import { LnError } from '../errors.js';
import { fundingScript, p2wsh } from './scripts.js';
import { type Outpoint, txidToHash } from './tx.js';

/** The funding output: its witness script and P2WSH scriptPubKey. */
export interface FundingOutput {
  /** `2 <pubkey1> <pubkey2> 2 OP_CHECKMULTISIG`, keys sorted. */
  readonly witnessScript: Uint8Array;
  /** `OP_0 <SHA256(witnessScript)>`. */
  readonly scriptPubKey: Uint8Array;
}

/** The funding output of two funding pubkeys (their order does not matter: BOLT 3 sorts them). */
export function fundingOutput(
  localFundingPubkey: Uint8Array,
  remoteFundingPubkey: Uint8Array,
): FundingOutput {
  const witnessScript = fundingScript(localFundingPubkey, remoteFundingPubkey);
  return { witnessScript, scriptPubKey: p2wsh(witnessScript) };
}

/** What a funding transaction spends and pays. */
export interface FundingTxSpec {
  /** Inputs (the funder's coins); sequence defaults to 0xffffffff. */
  readonly inputs: readonly (Outpoint & { readonly sequence?: number })[];
  /** The channel capacity. */
  readonly fundingSat: bigint;
  /** The funder's funding pubkey. */
  readonly localFundingPubkey: Uint8Array;
  /** The peer's funding pubkey. */
  readonly remoteFundingPubkey: Uint8Array;
  /** An optional change output, placed after the funding output. */
  readonly change?: { readonly scriptPubKey: Uint8Array; readonly amountSat: bigint };
  /** Locktime (default 0). */
  readonly locktime?: number;
}

/** An unsigned funding transaction; the funding output is `tx.outs[fundingVout]`. */
export interface FundingTx {
  /** The unsigned transaction (the funder signs its own inputs). */
  readonly tx: Transaction;
  /** Index of the funding output. */
  readonly fundingVout: number;
  /** The funding output. */
  readonly output: FundingOutput;
}

/** Build an unsigned version-2 funding transaction: funding output first, then the change. */
export function buildFundingTx(spec: FundingTxSpec): FundingTx {
  if (spec.fundingSat <= 0n)
    throw new LnError('INVALID_AMOUNT', 'fundingSat must be positive', { field: 'fundingSat' });
  const output = fundingOutput(spec.localFundingPubkey, spec.remoteFundingPubkey);
  const tx = new Transaction();
  tx.version = 2;
  tx.locktime = spec.locktime ?? 0;
  for (const i of spec.inputs) tx.addInput(txidToHash(i.txid), i.vout, i.sequence ?? 0xffffffff);
  tx.addOutput(output.scriptPubKey, spec.fundingSat);
  if (spec.change) tx.addOutput(spec.change.scriptPubKey, spec.change.amountSat);
  return { tx, fundingVout: 0, output };
}
