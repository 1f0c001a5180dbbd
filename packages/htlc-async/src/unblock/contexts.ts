/**
 * The contexts the `payment_unblock` roles seal into the `path_id` of the blinded paths they create
 * (`LnNode.sealContext`, as in the main flow's `contexts.ts`): a message over such a path is known to
 * come over a path this node made for that purpose. Labels differ from the main flow's, so a path made
 * for one flow is never accepted by the other.
 *
 * | label                   | made by       | data                      | accepted for                         |
 * |-------------------------|---------------|---------------------------|--------------------------------------|
 * | `unblock_hold_request`  | payer's LSP   | client node id (33 B)     | `payment_unblock_hold`               |
 * | `unblock_offer`         | recipient     | offer index (u64)         | `invoice_request`, `payment_unblock_available` |
 * | `unblock_outbound`      | payer         | payment id (32 B)         | the `invoice` reply                  |
 * | `unblock_hold_ack`      | payer         | payment id (32 B)         | `payment_unblock_hold_ack` (`hold-ack.ts`) |
 * | `unblock_payment`       | recipient     | payment hash (32 B)       | the final hop of the payment         |
 *
 * @example
 * ```ts
 * const path = lsp.blindedPathToSelf([], lsp.sealContext(UNBLOCK_CTX.holdRequest, payer.nodeId));
 * lsp.openContext(UNBLOCK_CTX.holdRequest, delivered.pathId); // the payer's node id, or undefined
 * ```
 */
export const UNBLOCK_CTX = {
  holdRequest: 'unblock_hold_request',
  offer: 'unblock_offer',
  outbound: 'unblock_outbound',
  holdAck: 'unblock_hold_ack',
  payment: 'unblock_payment',
} as const;
