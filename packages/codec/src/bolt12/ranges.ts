/**
 * BOLT 12 TLV type ranges. Each message is a stream over some of these ranges; a record outside them
 * fails with `TLV_TYPE_OUT_OF_RANGE` before any field is looked at.
 *
 * - offer: "MUST NOT respond to the offer" if it "contains any TLV fields outside the inclusive ranges:
 *   1 to 79 and 1000000000 to 1999999999".
 * - invoice_request: "MUST reject the invoice request if any non-signature TLV fields are outside the
 *   inclusive ranges: 0 to 159 and 1000000000 to 2999999999" (plus signatures 240–1000).
 * - invoice: the invoice_request ranges plus 160–239 and the experimental invoice range
 *   3000000000–3999999999 (LDK's `EXPERIMENTAL_INVOICE_TYPES`).
 * - static invoice: offer ranges plus the invoice ranges, no invoice_request range (LDK's stream has
 *   none, so invoice_request fields fail the parse).
 */

/** An inclusive `[lo, hi]` range of TLV types. */
export type TypeRange = readonly [bigint, bigint];

/** The named ranges. */
// biome-ignore format: aligned table
export const RANGE = {
  invreqMetadata:      [0n, 0n],
  offer:               [1n, 79n],
  invoiceRequest:      [80n, 159n],
  invoice:             [160n, 239n],
  signature:           [240n, 1000n],
  experimentalOffer:   [1_000_000_000n, 1_999_999_999n],
  experimentalInvreq:  [2_000_000_000n, 2_999_999_999n],
  experimentalInvoice: [3_000_000_000n, 3_999_999_999n],
} as const satisfies Record<string, TypeRange>;

/** The ranges each message may use. */
// biome-ignore format: aligned table
export const MESSAGE_RANGES = {
  offer:          [RANGE.offer, RANGE.experimentalOffer],
  invoiceRequest: [RANGE.invreqMetadata, RANGE.offer, RANGE.invoiceRequest, RANGE.signature,
                   RANGE.experimentalOffer, RANGE.experimentalInvreq],
  invoice:        [RANGE.invreqMetadata, RANGE.offer, RANGE.invoiceRequest, RANGE.invoice, RANGE.signature,
                   RANGE.experimentalOffer, RANGE.experimentalInvreq, RANGE.experimentalInvoice],
  staticInvoice:  [RANGE.offer, RANGE.invoice, RANGE.signature,
                   RANGE.experimentalOffer, RANGE.experimentalInvoice],
} as const satisfies Record<string, readonly TypeRange[]>;

/** Whether `type` is a signature TLV element (240 to 1000 inclusive), which Merkle trees leave out. */
export function isSignatureType(type: bigint): boolean {
  return type >= 240n && type <= 1000n;
}

/** Whether `type` lies in the inclusive `range`. */
export function inRange(type: bigint, [lo, hi]: TypeRange): boolean {
  return type >= lo && type <= hi;
}
