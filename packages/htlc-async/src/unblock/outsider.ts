/**
 * An outsider with a connection to the payer's LSP, for the adversarial runs of the `payment_unblock`
 * variant: it forges a release with a `pid` of its own, sends one without `payment_unblock`, or replays
 * the genuine release bytes it saw. The LSP must refuse each with an exact code and keep the HTLC.
 *
 * @example
 * ```ts
 * const o = attachOutsider(sim, lsp);
 * forgeUnblock(o, lsp); // refused: BAD_PREIMAGE
 * ```
 */
import {
  encodePaymentUnblockRelease,
  paymentUnblockEncryptedDataTlvs,
} from '@asyncpay/codec/async/payment-unblock';
import { createBlindedPath } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import { encodeTlvValues } from '@asyncpay/codec/tlv';
import { LnNode } from '@asyncpay/ln/node/node';
import type { Recorder } from '@asyncpay/ln/node/transcript';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { Simulation } from '../simulation.js';

/** A node with no channel, only a connection to the payer's LSP. */
export class Outsider extends LnNode {}

/** Create the outsider and connect it to `lsp`. */
export function attachOutsider(sim: Simulation, lsp: LnNode): Outsider {
  const o = new Outsider(sim.nodeOptions('outsider', SqliteStore.open(':memory:')));
  sim.name(o);
  sim.router.link(o.id, lsp.id);
  return o;
}

/** A release with a `pid` the outsider made up (it never saw the payer's). */
export function forgeUnblock(o: Outsider, lsp: LnNode): void {
  const pid = o.freshSecret('guessed-pid');
  const data = encodeEncryptedData(
    {},
    encodeTlvValues(paymentUnblockEncryptedDataTlvs, { payment_unblock: pid }),
  );
  const path = createBlindedPath({
    sessionKey: o.freshSecret('path'),
    hops: [{ nodeId: lsp.nodeId, data }],
  }).path;
  o.sendOnionMessage(
    { path, content: [encodePaymentUnblockRelease()] },
    'payment_unblock_release (forged pid)',
  );
}

/** A release whose `encrypted_data_tlv` has no `payment_unblock`. */
export function releaseWithoutPid(o: Outsider, lsp: LnNode): void {
  o.sendOnionMessage(
    { path: [lsp.nodeId], content: [encodePaymentUnblockRelease()] },
    'payment_unblock_release (no pid)',
  );
}

/** The genuine release, as it reached the payer's LSP, sent again after it was used. */
export function replayUnblock(o: Outsider, recorder: Recorder, lsp: LnNode): void {
  const events = recorder.events;
  const sentAt = events.findIndex(
    (e) =>
      e.kind === 'message' && e.from === 'recipient' && e.name === 'onion_message: payment_unblock_release',
  );
  if (sentAt < 0) return;
  const forwarded = events
    .slice(sentAt)
    .find(
      (e) => e.kind === 'message' && e.from === 'recipient-lsp' && e.to === 'payer-lsp' && e.type === 513,
    );
  if (forwarded?.kind !== 'message') return;
  o.router.send(o.id, lsp.id, hexToBytes(forwarded.hex), 'onion_message: payment_unblock_release (replayed)');
}
