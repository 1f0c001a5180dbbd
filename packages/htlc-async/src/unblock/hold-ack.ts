/**
 * `payment_unblock_hold_ack`: the payer's LSP confirms it stored a `payment_unblock_hold`, so the payer
 * sends its HTLC only once the LSP will block it. Without it, a hold request lost on the way (or refused)
 * would let the HTLC through unblocked: the LSP would relay it at once, before the recipient is ready.
 *
 * Neither the Lightning Rod README nor `packages/codec/src/async/UNBLOCK.md` has such a message; it is
 * this project's own, experimental, and numbered next to the variant's other records:
 *
 * | namespace      | type                 | name                       | value                                      |
 * | -------------- | -------------------- | -------------------------- | ------------------------------------------ |
 * | `onionmsg_tlv` | 95009 (`fe00017321`) | `payment_unblock_hold_ack` | `tlv_stream` `payment_unblock_hold_ack_tlvs` |
 *
 * 1. `tlv_stream`: `payment_unblock_hold_ack_tlvs`
 * 2. types:
 *    1. type: 0 (`unblock_hash`)
 *    2. data: [`sha256`:`unblock_hash`] — the `unblock_hash` of the hold now standing
 *
 * Odd (a node that does not know it ignores it), in the experimental range above 65536, and the next odd
 * number after the variant's block 95001–95007. Framed as a plain `tlv_stream` in every wire profile,
 * like the variant's other contents.
 *
 * Requirements (proposed):
 * - The sender of `payment_unblock_hold` (the payer) MUST set `reply_path` and MUST NOT send an HTLC
 *   whose hash is listed until it received `payment_unblock_hold_ack` over that path with the
 *   `unblock_hash` it sent.
 * - The receiver of `payment_unblock_hold` (the payer's LSP), once the hold is stored, MUST send
 *   `payment_unblock_hold_ack` over `reply_path` (again for a repeated request). A hold it could not
 *   confirm (no `reply_path`) MUST NOT let a listed HTLC through: it fails such an HTLC back.
 *
 * @example
 * ```ts
 * const ack = encodePaymentUnblockHoldAck({ unblockHash: sha256(pid) }); // LSP_a → A, over reply_path
 * decodePaymentUnblockHoldAck(ack).unblockHash; // at A: compare with SHA256(pid)
 * ```
 */
import { checkRecord } from '@asyncpay/codec/async/framing';
import { DecodeError, SemanticError } from '@asyncpay/codec/errors';
import { sha256 } from '@asyncpay/codec/fundamental';
import { decodeTlvStream, encodeTlvStream, type TlvRecord, type TlvTable, tlv } from '@asyncpay/codec/tlv';

/** The `onionmsg_tlv` number of `payment_unblock_hold_ack`. */
export const PAYMENT_UNBLOCK_HOLD_ACK_TYPE = 95009n;

/** Inner stream of `payment_unblock_hold_ack` (payer's LSP → payer). */
export const paymentUnblockHoldAckTlvs = {
  unblock_hash: tlv(0n, 'unblock_hash', sha256),
} as const satisfies TlvTable;

/** The LSP's confirmation that the hold with `unblockHash` stands. */
export interface PaymentUnblockHoldAck {
  unblockHash: Uint8Array;
}

/** Encode `payment_unblock_hold_ack` as its `onionmsg_tlv` record. */
export function encodePaymentUnblockHoldAck(msg: PaymentUnblockHoldAck): TlvRecord {
  if (!(msg.unblockHash instanceof Uint8Array) || msg.unblockHash.length !== 32)
    throw new RangeError('unblockHash must be 32 bytes');
  const value = encodeTlvStream(paymentUnblockHoldAckTlvs, { unblock_hash: msg.unblockHash });
  return { type: PAYMENT_UNBLOCK_HOLD_ACK_TYPE, value };
}

/** Decode a `payment_unblock_hold_ack` record (unknown odd inner records are ignored). */
export function decodePaymentUnblockHoldAck(record: TlvRecord): PaymentUnblockHoldAck {
  const kind = 'payment_unblock_hold_ack';
  checkRecord(record);
  if (record.type !== PAYMENT_UNBLOCK_HOLD_ACK_TYPE)
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `${kind}: expected type ${PAYMENT_UNBLOCK_HOLD_ACK_TYPE}`, {
      field: kind,
      tlvType: record.type,
    });
  const { values } = decodeTlvStream(record.value, paymentUnblockHoldAckTlvs, { field: kind });
  if (values.unblock_hash === undefined)
    throw new SemanticError('MISSING_FIELD', `${kind}: unblock_hash is required`, { field: 'unblock_hash' });
  return { unblockHash: values.unblock_hash };
}
