/**
 * Turns the JSON descriptions of `encrypted_data_tlv` and `payload` fields in the BOLT 4 vectors into our
 * table values, so the tests can encode them and compare with the vectors' bytes.
 */
import { fromHex } from '../src/bytes.js';
import type { ShortChannelId } from '../src/fundamental.js';
import { type EncryptedData, encodeEncryptedData, featureField } from '../src/onion/encrypted-data.js';
import { encodePaymentPayload, type PaymentPayload } from '../src/onion/payment-payload.js';
import type { TlvRecord } from '../src/tlv.js';

type Json = Record<string, unknown>;

/** "0x0x1729" → a short channel id. */
export function scid(s: string): ShortChannelId {
  const [block, txIndex, output] = s.split('x').map(Number) as [number, number, number];
  return { block, txIndex, output };
}

function unknownRecords(tlvs: Json): TlvRecord[] {
  return Object.entries(tlvs)
    .filter(([k]) => k.startsWith('unknown_tag_'))
    .map(([k, v]) => ({ type: BigInt(k.slice('unknown_tag_'.length)), value: fromHex(v as string) }));
}

/** Encode the `tlvs` object of a route-blinding vector hop. */
export function encodeEncryptedDataJson(tlvs: Json): Uint8Array {
  const v: EncryptedData = {};
  if (typeof tlvs.padding === 'string') v.padding = fromHex(tlvs.padding);
  if (typeof tlvs.short_channel_id === 'string') v.short_channel_id = scid(tlvs.short_channel_id);
  if (typeof tlvs.next_node_id === 'string') v.next_node_id = fromHex(tlvs.next_node_id);
  if (typeof tlvs.path_id === 'string') v.path_id = fromHex(tlvs.path_id);
  if (typeof tlvs.next_path_key_override === 'string')
    v.next_path_key_override = fromHex(tlvs.next_path_key_override);
  const relay = tlvs.payment_relay as Json | undefined;
  if (relay) {
    v.payment_relay = {
      cltv_expiry_delta: relay.cltv_expiry_delta as number,
      fee_proportional_millionths: (relay.fee_proportional_millionths as number | undefined) ?? 0,
      fee_base_msat: BigInt((relay.fee_base_msat as number | undefined) ?? 0),
    };
  }
  const cons = tlvs.payment_constraints as Json | undefined;
  if (cons) {
    v.payment_constraints = {
      max_cltv_expiry: cons.max_cltv_expiry as number,
      htlc_minimum_msat: BigInt(cons.htlc_minimum_msat as number),
    };
  }
  const feats = tlvs.allowed_features as { features: number[] } | undefined;
  if (feats) v.allowed_features = featureField(feats.features);
  return encodeEncryptedData(v, unknownRecords(tlvs));
}

/** Encode the `tlvs` object of a blinded-payment vector hop (`encrypted_recipient_data` given as bytes). */
export function encodePaymentPayloadJson(tlvs: Json, encryptedRecipientData?: Uint8Array): Uint8Array {
  const v: PaymentPayload = {};
  if (tlvs.amt_to_forward !== undefined) v.amt_to_forward = BigInt(tlvs.amt_to_forward as number);
  if (tlvs.outgoing_cltv_value !== undefined)
    v.outgoing_cltv_value = BigInt(tlvs.outgoing_cltv_value as number);
  if (typeof tlvs.outgoing_channel_id === 'string') v.short_channel_id = scid(tlvs.outgoing_channel_id);
  if (tlvs.total_amount_msat !== undefined) v.total_amount_msat = BigInt(tlvs.total_amount_msat as number);
  if (typeof tlvs.current_path_key === 'string') v.current_path_key = fromHex(tlvs.current_path_key);
  if (encryptedRecipientData) v.encrypted_recipient_data = encryptedRecipientData;
  return encodePaymentPayload(v);
}
