/**
 * Refusals of the HTLC async-payment roles. Each has a stable `code`; the node records it in the
 * transcript (`state: refused`) and keeps running — bad input never stops a node or moves money.
 */
export type HtlcAsyncErrorCode =
  /** A message arrived over a path whose context this node did not seal (forged or wrong path). */
  | 'FORGED_CONTEXT'
  /** `release_held_htlc` for an HTLC that is no longer held (already released, failed or replayed). */
  | 'NOT_HELD'
  /** A static invoice that is not for the offer the payer asked (server swapped or tampered with it). */
  | 'INVOICE_NOT_FOR_OFFER'
  /** A payment whose invoice request is not for this recipient's offer, or pays too little. */
  | 'UNEXPECTED_PAYMENT'
  /** The server has no static invoice for that recipient and slot. */
  | 'NO_STATIC_INVOICE'
  /** A static invoice larger than the server accepts (LDK: 5 KiB). */
  | 'INVOICE_TOO_LARGE'
  /** A context whose expiry has passed. */
  | 'CONTEXT_EXPIRED'
  /** The invoice's paths would cost more in fees than the payer allows. */
  | 'FEES_TOO_HIGH'
  /** On regtest: bitcoind refused a transaction the flow needs (the verdict is in the transcript). */
  | 'CHAIN_REJECTED'
  /** On regtest: bitcoind accepted a transaction before its lock (CLTV or CSV) allowed it. */
  | 'CHAIN_ACCEPTED_EARLY';

/** A refusal of an HTLC async-payment role, with a stable {@link HtlcAsyncErrorCode}. */
export class HtlcAsyncError extends Error {
  override readonly name = 'HtlcAsyncError';
  constructor(
    readonly code: HtlcAsyncErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
