/**
 * Payment onions (BOLT 4 `onion_routing_packet`, 1366 bytes, associated data = the payment hash), with
 * route blinding: building hops that enter a blinded path, and peeling as an ordinary, introduction or
 * blinded hop.
 *
 * @example
 * ```ts
 * const hops = [{ pubkey: alice, payload: encodePaymentPayload({ ... }) }, ...blindedPaymentHops(path, final)];
 * const { packet, sharedSecrets } = buildPaymentOnion({ sessionKey, paymentHash, hops });
 * const step = peelPaymentOnion({ nodePrivkey, packet, paymentHash });
 * ```
 */
import type { BlindedPath } from '../blinded-path.js';
import { abytes } from '../bytes.js';
import { SemanticError } from '../errors.js';
import type { DecodedTlvs, DecodeTlvOptions, TlvRecord } from '../tlv.js';
import { blindedPrivateKey, nextPathKey, openRecipientData } from './blinding.js';
import type { encryptedDataTable } from './encrypted-data.js';
import { decodePaymentPayload, encodePaymentPayload, type paymentPayloadTable } from './payment-payload.js';
import {
  type ConstructedOnion,
  constructOnion,
  type OnionHop,
  PAYMENT_HOP_PAYLOADS_LENGTH,
  parsePoint,
  peelOnion,
  privateKeyScalar,
  sharedSecret,
} from './sphinx.js';

/** Build a 1366-byte payment onion; `paymentHash` is the associated data every hop's HMAC commits to. */
export function buildPaymentOnion(args: {
  sessionKey: Uint8Array;
  paymentHash: Uint8Array;
  hops: readonly OnionHop[];
}): ConstructedOnion {
  abytes(args.paymentHash, 32, 'paymentHash');
  return constructOnion({
    sessionKey: args.sessionKey,
    hops: args.hops,
    associatedData: args.paymentHash,
    payloadsLength: PAYMENT_HOP_PAYLOADS_LENGTH,
  });
}

/** What the final blinded hop is told (BOLT 4: "MUST include amt_to_forward, outgoing_cltv_value and total_amount_msat"). */
export interface BlindedFinalHop {
  amt_to_forward: bigint;
  outgoing_cltv_value: bigint;
  total_amount_msat: bigint;
  /** Extra final records (e.g. the async-payment ones). */
  extra?: readonly TlvRecord[];
}

/**
 * The onion hops that cross a blinded path (BOLT 4 "The reader of the blinded_path"): "SHOULD create an
 * unblinded onion payment to first_node_id, and include first_path_key as current_path_key"; every hop gets
 * its `encrypted_recipient_data`; "For each successive entry in path: MUST encrypt the onion to the
 * corresponding blinded_node_id".
 */
export function blindedPaymentHops(path: BlindedPath, final: BlindedFinalHop): OnionHop[] {
  if (!('nodeId' in path.introductionNode)) {
    throw new RangeError('path.introductionNode: a short channel id; resolve it to a node id first');
  }
  if (path.hops.length === 0) throw new SemanticError('EMPTY_PATH', 'path has no hops', { field: 'path' });
  const intro = path.introductionNode.nodeId;
  const last = path.hops.length - 1;
  return path.hops.map((h, i) => ({
    pubkey: i === 0 ? intro : h.blindedNodeId,
    payload: encodePaymentPayload(
      {
        encrypted_recipient_data: h.encryptedData,
        ...(i === 0 ? { current_path_key: path.pathKey } : {}),
        ...(i === last
          ? {
              amt_to_forward: final.amt_to_forward,
              outgoing_cltv_value: final.outgoing_cltv_value,
              total_amount_msat: final.total_amount_msat,
            }
          : {}),
      },
      i === last ? (final.extra ?? []) : [],
    ),
  }));
}

/** One peeled payment layer. */
export interface PeeledPayment {
  payload: DecodedTlvs<typeof paymentPayloadTable>;
  /** The onion shared secret (to wrap a failure). */
  sharedSecret: Uint8Array;
  /** The packet to forward; absent at the final hop. */
  nextPacket?: Uint8Array;
  /** Present when the hop is inside a blinded path. */
  blinded?: {
    /** The decrypted `encrypted_data_tlv`. */
    plaintext: Uint8Array;
    encryptedData: DecodedTlvs<typeof encryptedDataTable>;
    /** The `path_key` to hand the next hop in `update_add_htlc` (forwarding hops only). */
    nextPathKey?: Uint8Array;
  };
}

/**
 * Peel a payment onion (BOLT 4 "Onion Decryption" and the `payload` reader rules for route blinding):
 * - `pathKey` from `update_add_htlc`: decrypt with the blinded key; "MUST return an error if
 *   current_path_key is present" (`FORBIDDEN_FIELD`).
 * - otherwise, an `encrypted_recipient_data` needs `current_path_key` (`MISSING_FIELD`): this is the
 *   introduction node.
 *
 * @throws SignatureError `BAD_HMAC` / `BAD_ENCRYPTION`; SemanticError; DecodeError for malformed bytes.
 */
export function peelPaymentOnion(args: {
  nodePrivkey: Uint8Array;
  packet: Uint8Array;
  paymentHash: Uint8Array;
  pathKey?: Uint8Array;
  /** Passed to the payload decoder (e.g. to accept the async-payment even type). */
  allowUnknown?: DecodeTlvOptions['allowUnknown'];
}): PeeledPayment {
  const k = privateKeyScalar(args.nodePrivkey, 'nodePrivkey');
  abytes(args.paymentHash, 32, 'paymentHash');
  let blinding: { secret: Uint8Array; pathKey: Uint8Array } | undefined;
  let onionKey: bigint = k;
  if (args.pathKey !== undefined) {
    abytes(args.pathKey, 33, 'pathKey');
    const b = blindedPrivateKey(args.nodePrivkey, args.pathKey);
    onionKey = b.blindedPrivkey;
    blinding = { secret: b.sharedSecret, pathKey: args.pathKey };
  }
  const peeled = peelOnion(onionKey, args.packet, {
    associatedData: args.paymentHash,
    payloadsLength: PAYMENT_HOP_PAYLOADS_LENGTH,
  });
  const payload = decodePaymentPayload(
    peeled.payload,
    args.allowUnknown ? { allowUnknown: args.allowUnknown } : {},
  );
  const out: PeeledPayment = { payload, sharedSecret: peeled.sharedSecret };
  if (peeled.nextPacket) out.nextPacket = peeled.nextPacket;
  const { encrypted_recipient_data: enc, current_path_key: current } = payload.values;
  if (blinding && current) {
    throw new SemanticError(
      'FORBIDDEN_FIELD',
      'payload: current_path_key with a path_key in update_add_htlc',
      {
        field: 'current_path_key',
        tlvType: 12n,
      },
    );
  }
  if (!blinding && current) {
    if (enc === undefined) {
      throw new SemanticError('MISSING_FIELD', 'payload: current_path_key without encrypted_recipient_data', {
        field: 'encrypted_recipient_data',
        tlvType: 10n,
      });
    }
    blinding = { secret: sharedSecret(k, parsePoint(current, 'current_path_key')), pathKey: current };
  }
  if (!blinding) {
    if (enc !== undefined) {
      throw new SemanticError('MISSING_FIELD', 'payload: encrypted_recipient_data without a path key', {
        field: 'current_path_key',
        tlvType: 12n,
      });
    }
    return out;
  }
  if (enc === undefined) {
    throw new SemanticError('MISSING_FIELD', 'payload: no encrypted_recipient_data in a blinded hop', {
      field: 'encrypted_recipient_data',
      tlvType: 10n,
    });
  }
  const { plaintext, data } = openRecipientData(blinding.secret, enc);
  // "MUST return an error if: ... encrypted_recipient_data contains both short_channel_id and next_node_id."
  if (data.values.short_channel_id && data.values.next_node_id) {
    throw new SemanticError('INVALID_FIELD', 'encrypted_data_tlv: both short_channel_id and next_node_id', {
      field: 'next_node_id',
      tlvType: 4n,
    });
  }
  out.blinded = { plaintext, encryptedData: data };
  if (peeled.nextPacket) {
    out.blinded.nextPathKey =
      data.values.next_path_key_override ?? nextPathKey(blinding.pathKey, blinding.secret);
  }
  return out;
}
