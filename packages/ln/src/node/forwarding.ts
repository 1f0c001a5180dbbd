/**
 * What a node does with an HTLC that reached it: peel the payment onion and either relay it (with
 * BOLT 4's checks on amount and CLTV, and route blinding's `payment_relay` / `payment_constraints`)
 * or hand the final payload to the node. Holding is a decision the role makes on top of a relay plan.
 */

import {
  createFailurePacket,
  encodeFailureMessage,
  type FailureFields,
  type FailureName,
} from '@asyncpay/codec/onion/failure';
import { type PeeledPayment, peelPaymentOnion } from '@asyncpay/codec/onion/payment';
import type { UpdateAddHtlc } from '@asyncpay/codec/wire/update-add-htlc';
import { sha256 } from '@noble/hashes/sha2.js';
import type { LnNode } from './node.js';

/** Our relay policy (the same numbers go into the blinded paths we create). */
export interface RelayPolicy {
  feeBaseMsat: number;
  feeProportionalMillionths: number;
  cltvExpiryDelta: number;
}

/** The relay policy every simulated LSP uses: 1,000 msat + 100 ppm, 40 blocks of CLTV delta. */
export const DEFAULT_RELAY_POLICY: RelayPolicy = {
  feeBaseMsat: 1000,
  feeProportionalMillionths: 100,
  cltvExpiryDelta: 40,
};

/** The fee a hop with `policy` charges to forward `amountMsat`. */
export function relayFee(policy: RelayPolicy, amountMsat: bigint): bigint {
  return BigInt(policy.feeBaseMsat) + (amountMsat * BigInt(policy.feeProportionalMillionths)) / 1_000_000n;
}

/** A relay this node should perform. */
export interface RelayPlan {
  kind: 'relay';
  nextPeer: string;
  amountMsat: bigint;
  cltvExpiry: number;
  onion: Uint8Array;
  pathKey?: Uint8Array;
  peeled: PeeledPayment;
}

/** The HTLC ends here. */
export interface FinalPlan {
  kind: 'final';
  peeled: PeeledPayment;
}

/** The HTLC must be failed back with this BOLT 4 failure. */
export interface RejectPlan {
  kind: 'reject';
  failure: { code: FailureName; fields?: FailureFields };
  why: string;
  /** The onion shared secret to wrap the failure with, when the onion could be read. */
  sharedSecret?: Uint8Array;
}

/**
 * Peel `add` and decide. Extra final-hop records (the async-payment ones, some with even types) are
 * accepted when `acceptFinalType` says so.
 */
export function planHtlc(
  node: LnNode,
  add: UpdateAddHtlc,
  policy: RelayPolicy,
  acceptFinalType: (type: bigint) => boolean = () => false,
): RelayPlan | FinalPlan | RejectPlan {
  let peeled: PeeledPayment;
  try {
    peeled = peelPaymentOnion({
      nodePrivkey: node.privkey,
      packet: add.onionRoutingPacket,
      paymentHash: add.paymentHash,
      ...(add.pathKey ? { pathKey: add.pathKey } : {}),
      allowUnknown: acceptFinalType,
    });
  } catch (e) {
    return {
      kind: 'reject',
      failure: { code: 'invalid_onion_payload', fields: { type: 0n, offset: 0 } },
      why: String((e as { code?: string }).code ?? e),
    };
  }
  const ss = peeled.sharedSecret;
  if (!peeled.nextPacket) return { kind: 'final', peeled };
  const p = peeled.payload.values;
  if (peeled.blinded) {
    // Route blinding: the relay parameters come from our own encrypted data, not from the payer.
    const d = peeled.blinded.encryptedData.values;
    const relay = d.payment_relay;
    if (!d.short_channel_id || !relay)
      return { kind: 'reject', failure: blindingFailure(add), why: 'no relay data', sharedSecret: ss };
    const nextPeer = node.peerOfScid(d.short_channel_id);
    if (!nextPeer)
      return {
        kind: 'reject',
        failure: { code: 'unknown_next_peer' },
        why: 'unknown channel',
        sharedSecret: ss,
      };
    // BOLT 4: amt_to_forward = ceil((amount_msat − fee_base_msat) · 10^6 / (10^6 + fee_proportional_millionths))
    const prop = BigInt(relay.fee_proportional_millionths);
    const num = (add.amountMsat - BigInt(relay.fee_base_msat)) * 1_000_000n;
    const amountMsat = (num + 1_000_000n + prop - 1n) / (1_000_000n + prop);
    const cltvExpiry = add.cltvExpiry - relay.cltv_expiry_delta;
    const c = d.payment_constraints;
    if (c && (add.cltvExpiry > Number(c.max_cltv_expiry) || add.amountMsat < c.htlc_minimum_msat)) {
      return { kind: 'reject', failure: blindingFailure(add), why: 'payment constraints', sharedSecret: ss };
    }
    const pathKey = peeled.blinded.nextPathKey;
    return {
      kind: 'relay',
      nextPeer,
      amountMsat,
      cltvExpiry,
      onion: peeled.nextPacket,
      ...(pathKey ? { pathKey } : {}),
      peeled,
    };
  }
  if (!p.short_channel_id || p.amt_to_forward === undefined || p.outgoing_cltv_value === undefined) {
    return {
      kind: 'reject',
      failure: { code: 'invalid_onion_payload', fields: { type: 2n, offset: 0 } },
      why: 'missing relay fields',
      sharedSecret: ss,
    };
  }
  const nextPeer = node.peerOfScid(p.short_channel_id);
  if (!nextPeer)
    return {
      kind: 'reject',
      failure: { code: 'unknown_next_peer' },
      why: 'unknown channel',
      sharedSecret: ss,
    };
  // BOLT 4: the incoming amount must cover amt_to_forward plus our fee, the incoming expiry our delta.
  if (add.amountMsat < p.amt_to_forward + relayFee(policy, p.amt_to_forward)) {
    return {
      kind: 'reject',
      failure: {
        code: 'fee_insufficient',
        fields: { htlc_msat: add.amountMsat, channel_update: new Uint8Array(0) },
      },
      why: 'fee too low',
      sharedSecret: ss,
    };
  }
  if (add.cltvExpiry < Number(p.outgoing_cltv_value) + policy.cltvExpiryDelta) {
    return {
      kind: 'reject',
      failure: {
        code: 'incorrect_cltv_expiry',
        fields: { cltv_expiry: add.cltvExpiry, channel_update: new Uint8Array(0) },
      },
      why: 'cltv delta too small',
      sharedSecret: ss,
    };
  }
  return {
    kind: 'relay',
    nextPeer,
    amountMsat: p.amt_to_forward,
    cltvExpiry: Number(p.outgoing_cltv_value),
    onion: peeled.nextPacket,
    peeled,
  };
}

/** BOLT 4: inside a blinded route every error is `invalid_onion_blinding`, hiding which hop failed. */
function blindingFailure(add: UpdateAddHtlc): RejectPlan['failure'] {
  return { code: 'invalid_onion_blinding', fields: { sha256_of_onion: sha256(add.onionRoutingPacket) } };
}

/**
 * The `update_fail_htlc` reason for a failure created at this hop: the failure message wrapped with the
 * hop's onion shared secret, so only the origin can read it. Without a readable onion there is no key: an
 * empty reason (the origin learns only that the payment failed).
 */
export function failureReason(
  sharedSecret: Uint8Array | undefined,
  failure: RejectPlan['failure'],
): Uint8Array {
  if (!sharedSecret) return new Uint8Array(0);
  return createFailurePacket(sharedSecret, encodeFailureMessage(failure));
}

/** Hex id of an HTLC across a node's channels. */
export function htlcKey(peer: string, id: bigint): string {
  return `${peer}/${id.toString().padStart(20, '0')}`;
}
