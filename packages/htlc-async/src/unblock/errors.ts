/**
 * Refusals of the `payment_unblock` roles. Like `HtlcAsyncError` in the main flow, each has a
 * stable `code`; the node records it in the transcript (`state: refused`) and keeps running — bad input
 * never stops a node or moves money. A release with a wrong `pid` is refused with the codec's own
 * `SignatureError('BAD_PREIMAGE')` (`checkUnblock`), not with one of these.
 *
 * @example
 * ```ts
 * throw new UnblockError('NOT_HELD', 'the hold was already released', 'payment_unblock');
 * ```
 */
/** The closed set of refusal codes of the `payment_unblock` roles. */
export type UnblockErrorCode =
  /** A message arrived over a path whose context this node did not seal (forged or wrong path). */
  | 'FORGED_CONTEXT'
  /** A hold request from a node other than the channel peer the path was handed to. */
  | 'NOT_A_CLIENT'
  /** A hold request naming a payment hash another standing hold of this client already names. */
  | 'HOLD_CONFLICT'
  /** `payment_unblock_release` whose `encrypted_data_tlv` has no `payment_unblock` record. */
  | 'NO_PID'
  /** A valid `pid` for a hold that no longer stands (already released or failed back): a replay. */
  | 'NOT_HELD'
  /** An invoice that does not mirror the payer's invoice request, or is for another amount. */
  | 'INVOICE_NOT_FOR_REQUEST'
  /** A payment hash (in `payment_unblock_available` or an HTLC) that is not one of our unpaid invoices. */
  | 'UNKNOWN_PAYMENT'
  /** An invoice request not made from our offer. */
  | 'NOT_OUR_OFFER'
  /**
   * A hold request whose `unblock_hash` a standing or used hold already has, from another client or
   * for other payment hashes: one `unblock_hash` opens one hold.
   */
  | 'UNBLOCK_HASH_IN_USE'
  /** `payment_unblock_hold_ack` that does not confirm the hold this payment asked for. */
  | 'HOLD_ACK_MISMATCH'
  /** The payer's LSP did not confirm the hold in time: the payer sent no HTLC. */
  | 'HOLD_NOT_CONFIRMED'
  /** A proof whose invoice was not signed for the offer the verifier knows (other key, other records). */
  | 'PROOF_NOT_FOR_OFFER'
  /** A proof whose preimage does not hash to the invoice's `invoice_payment_hash`. */
  | 'PREIMAGE_MISMATCH';

/**
 * A refusal by one of the `payment_unblock` roles.
 *
 * @example
 * ```ts
 * try { lsp.receive(peer, bytes) } catch (e) { if (e instanceof UnblockError) console.log(e.code) }
 * ```
 */
export class UnblockError extends Error {
  override readonly name = 'UnblockError';
  constructor(
    readonly code: UnblockErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
