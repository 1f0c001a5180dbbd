/**
 * Small wire helpers the roles share: the BOLT 12 onion-message content types, and blinded paths as hex
 * for the stores.
 */
import { type BlindedPath, decodeBlindedPath, encodeBlindedPath } from '@asyncpay/codec/blinded-path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** `onionmsg_tlv` content types of BOLT 12 messages (BOLT 4). */
export const BOLT12_CONTENT = {
  invoiceRequest: 64n,
  invoice: 66n,
  invoiceError: 68n,
  staticInvoice: 70n,
} as const;

export function encodeBlindedPathHex(p: BlindedPath): string {
  return bytesToHex(encodeBlindedPath(p));
}

export function decodeBlindedPathHex(h: string): BlindedPath {
  return decodeBlindedPath(hexToBytes(h));
}
