/**
 * Small transaction helpers shared by the BOLT 3 builders: outpoints named by the txid as bitcoind
 * prints it, and the byte order bitcoinjs-lib wants.
 *
 * @example
 * ```ts
 * const tx = new Transaction();
 * tx.addInput(txidToHash(outpoint.txid), outpoint.vout, 0xffffffff);
 * ```
 * @module
 */
import { hexToBytes } from '@noble/hashes/utils.js';

/** A transaction output reference. `txid` is hex as bitcoind prints it (byte-reversed hash). */
export interface Outpoint {
  /** The txid, 64 hex characters, in display (RPC) order. */
  readonly txid: string;
  /** The output index. */
  readonly vout: number;
}

/** An outpoint together with what it pays. */
export interface PrevOut extends Outpoint {
  /** The output value in satoshis. */
  readonly amountSat: bigint;
}

/** The 32-byte transaction hash (internal byte order) of a display txid. */
export function txidToHash(txid: string): Uint8Array {
  if (typeof txid !== 'string' || !/^[0-9a-fA-F]{64}$/.test(txid)) {
    throw new TypeError('txid must be 64 hex characters');
  }
  return hexToBytes(txid).reverse();
}

/** Check a number fits an unsigned 32-bit field (locktime, sequence, vout). */
export function u32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`${field} must be an unsigned 32-bit integer`);
  }
  return value;
}
