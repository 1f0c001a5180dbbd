/**
 * Small wire helpers the roles share: the BOLT 12 onion-message content types, and blinded paths as hex
 * for the stores.
 */
import { type BlindedPath, decodeBlindedPath, encodeBlindedPath } from '@asyncpay/codec/blinded-path';
import { offerRecords } from '@asyncpay/codec/bolt12/offer';
import { equalBytes } from '@asyncpay/codec/bytes';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** `onionmsg_tlv` content types of BOLT 12 messages (BOLT 4). */
export const BOLT12_CONTENT = {
  invoiceRequest: 64n,
  invoice: 66n,
  invoiceError: 68n,
  staticInvoice: 70n,
} as const;

/** A blinded path as hex, for a store. */
export function encodeBlindedPathHex(p: BlindedPath): string {
  return bytesToHex(encodeBlindedPath(p));
}

/** A blinded path back from {@link encodeBlindedPathHex}'s hex. */
export function decodeBlindedPathHex(h: string): BlindedPath {
  return decodeBlindedPath(hexToBytes(h));
}

/**
 * Whether two BOLT 12 messages carry the same offer: their offer records (types 1–79 and the
 * experimental offer range) equal record by record — type and exact value bytes. This is LDK's
 * `is_from_same_offer`.
 */
export function sameOffer(
  a: { records: readonly TlvRecord[] },
  b: { records: readonly TlvRecord[] },
): boolean {
  const x = offerRecords(a.records);
  const y = offerRecords(b.records);
  return (
    x.length === y.length && x.every((r, i) => r.type === y[i]!.type && equalBytes(r.value, y[i]!.value))
  );
}
