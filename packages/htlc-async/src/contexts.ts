/**
 * The contexts each node seals into the `path_id` of the blinded paths it creates, so that a message
 * arriving over such a path is known to answer something this node asked for. Sealing is
 * `LnNode.sealContext` (an HMAC under a key only the creator has): a path to a node can be built by
 * anyone from its public key, but not with a context the node accepts.
 *
 * | label                      | made by          | data                         | accepted for                  |
 * |----------------------------|------------------|------------------------------|-------------------------------|
 * | `offer_paths_request`      | recipient's LSP  | recipient id                 | `offer_paths_request`         |
 * | `serve_static_invoice`     | recipient's LSP  | recipient id, slot           | `serve_static_invoice`        |
 * | `static_invoice_requested` | recipient's LSP  | recipient id, slot           | `invoice_request` (offer path)|
 * | `offer_paths`              | recipient        | slot, expiry                 | `offer_paths`                 |
 * | `static_invoice_persisted` | recipient        | slot                         | `static_invoice_persisted`    |
 * | `held_htlc`                | recipient        | expiry                       | `held_htlc_available`         |
 * | `payment`                  | recipient        | slot                         | the final hop of a payment    |
 * | `invoice_request`          | recipient        | slot                         | a forwarded `invoice_request` |
 * | `outbound_payment`         | payer            | payment id                   | the static invoice reply      |
 * | `release_held_htlc`        | payer's LSP      | channel peer, HTLC id        | `release_held_htlc`           |
 *
 * This replaces LDK's private context encoding (its contexts are private to the path creator, so only
 * the messages themselves need to be byte-compatible).
 */
import { Reader, Writer } from '@asyncpay/codec/bytes';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** The context labels (the table above). */
export const CTX = {
  offerPathsRequest: 'offer_paths_request',
  serveStaticInvoice: 'serve_static_invoice',
  staticInvoiceRequested: 'static_invoice_requested',
  offerPaths: 'offer_paths',
  staticInvoicePersisted: 'static_invoice_persisted',
  heldHtlc: 'held_htlc',
  payment: 'payment',
  invoiceRequest: 'invoice_request',
  outboundPayment: 'outbound_payment',
  releaseHeldHtlc: 'release_held_htlc',
} as const;

/** A recipient and one of its invoice slots at the server. */
export interface SlotRef {
  recipient: string;
  slot: number;
}

/** Encode a recipient id and slot: 33 + 2 bytes. */
export function encodeSlotRef(s: SlotRef): Uint8Array {
  return new Writer().bytes(hexToBytes(s.recipient)).u16(s.slot).finish();
}

/** Decode {@link encodeSlotRef}'s bytes. */
export function decodeSlotRef(b: Uint8Array): SlotRef {
  const r = new Reader(b, 'slot_ref');
  const recipient = bytesToHex(r.take(33));
  const slot = r.u16();
  r.end();
  return { recipient, slot };
}

/** An HTLC on a channel: the peer's node id and the HTLC id. */
export interface HtlcRef {
  peer: string;
  id: bigint;
}

/** Encode a channel peer and HTLC id: 33 + 8 bytes. */
export function encodeHtlcRef(h: HtlcRef): Uint8Array {
  return new Writer().bytes(hexToBytes(h.peer)).u64(h.id).finish();
}

/** Decode {@link encodeHtlcRef}'s bytes. */
export function decodeHtlcRef(b: Uint8Array): HtlcRef {
  const r = new Reader(b, 'htlc_ref');
  const peer = bytesToHex(r.take(33));
  const id = r.u64();
  r.end();
  return { peer, id };
}

/** A u16 then a u64 (slot and expiry). */
export function encodeSlotExpiry(slot: number, expiry: number): Uint8Array {
  return new Writer().u16(slot).u64(BigInt(expiry)).finish();
}

/** Decode {@link encodeSlotExpiry}'s bytes. */
export function decodeSlotExpiry(b: Uint8Array): { slot: number; expiry: number } {
  const r = new Reader(b, 'slot_expiry');
  const slot = r.u16();
  const expiry = Number(r.u64());
  r.end();
  return { slot, expiry };
}

/** Eight big-endian bytes. */
export function encodeU64(n: number | bigint): Uint8Array {
  return new Writer().u64(BigInt(n)).finish();
}

/** Exactly eight big-endian bytes back to a bigint. */
export function decodeU64(b: Uint8Array): bigint {
  const r = new Reader(b, 'u64');
  const v = r.u64();
  r.end();
  return v;
}
