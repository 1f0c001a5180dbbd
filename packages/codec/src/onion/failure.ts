/**
 * Returning errors (BOLT 4 "Returning Errors", legacy HMAC return packet — attribution data is not
 * covered): the erring node wraps a `failuremsg` under an `um` HMAC and each hop back obfuscates it with its
 * `ammag` stream; the origin peels the layers with the shared secrets it kept and finds the erring hop.
 *
 * ```
 * return packet: [32*byte:hmac] [u16:failure_len] [failure_len*byte:failuremsg] [u16:pad_len] [pad_len*byte:pad]
 * failuremsg:    [u16:failure_code] [data...] [tlv_stream]
 * ```
 *
 * @example
 * ```ts
 * let packet = createFailurePacket(ss[4], encodeFailureMessage({ code: 'temporary_node_failure' }));
 * for (let i = 3; i >= 0; i--) packet = obfuscateFailurePacket(ss[i], packet);
 * const { hopIndex, message } = decodeFailurePacket(ss, packet);
 * ```
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { encodeBigSize, readBigSize } from '../bigsize.js';
import { abytes, concatBytes, equalBytes, Reader, Writer } from '../bytes.js';
import { DecodeError, SignatureError } from '../errors.js';
import { readTlvRecords, type TlvRecord } from '../tlv.js';
import { generateKey, pseudoRandomStream } from './sphinx.js';

/** The flag bits of a `failure_code`'s top byte. */
// prettier-ignore
export const FailureFlags = {
  /** "unparsable onion encrypted by sending peer" */
  BADONION: 0x8000,
  /** "permanent failure (otherwise transient)" */
  PERM: 0x4000,
  /** "node failure (otherwise channel)" */
  NODE: 0x2000,
  /** "channel forwarding parameter was violated" */
  UPDATE: 0x1000,
} as const;

const { BADONION, PERM, NODE, UPDATE } = FailureFlags;

/** The BOLT 4 failure codes by name. */
// prettier-ignore
export const FAILURE_CODES = {
  temporary_node_failure: NODE | 2,
  permanent_node_failure: PERM | NODE | 2,
  required_node_feature_missing: PERM | NODE | 3,
  invalid_onion_version: BADONION | PERM | 4,
  invalid_onion_hmac: BADONION | PERM | 5,
  invalid_onion_key: BADONION | PERM | 6,
  temporary_channel_failure: UPDATE | 7,
  permanent_channel_failure: PERM | 8,
  required_channel_feature_missing: PERM | 9,
  unknown_next_peer: PERM | 10,
  amount_below_minimum: UPDATE | 11,
  fee_insufficient: UPDATE | 12,
  incorrect_cltv_expiry: UPDATE | 13,
  expiry_too_soon: UPDATE | 14,
  incorrect_or_unknown_payment_details: PERM | 15,
  final_incorrect_cltv_expiry: 18,
  final_incorrect_htlc_amount: 19,
  channel_disabled: UPDATE | 20,
  expiry_too_far: 21,
  invalid_onion_payload: PERM | 22,
  mpp_timeout: 23,
  invalid_onion_blinding: BADONION | PERM | 24,
} as const;

/** A failure code's name. */
export type FailureName = keyof typeof FAILURE_CODES;

const NAMES = new Map<number, FailureName>(
  Object.entries(FAILURE_CODES).map(([k, v]) => [v, k as FailureName]),
);

/** The fields a failure message may carry, per BOLT 4 "Failure Messages". */
export interface FailureFields {
  sha256_of_onion?: Uint8Array;
  channel_update?: Uint8Array;
  htlc_msat?: bigint;
  cltv_expiry?: number;
  height?: number;
  incoming_htlc_amt?: bigint;
  disabled_flags?: number;
  /** `invalid_onion_payload`: the offending TLV type and its offset. */
  type?: bigint;
  offset?: number;
}

type Field = keyof FailureFields;
// The data of each code, in wire order.
// prettier-ignore
const LAYOUT: Partial<Record<FailureName, readonly Field[]>> = {
  invalid_onion_version: ['sha256_of_onion'],
  invalid_onion_hmac: ['sha256_of_onion'],
  invalid_onion_key: ['sha256_of_onion'],
  invalid_onion_blinding: ['sha256_of_onion'],
  temporary_channel_failure: ['channel_update'],
  amount_below_minimum: ['htlc_msat', 'channel_update'],
  fee_insufficient: ['htlc_msat', 'channel_update'],
  incorrect_cltv_expiry: ['cltv_expiry', 'channel_update'],
  expiry_too_soon: ['channel_update'],
  incorrect_or_unknown_payment_details: ['htlc_msat', 'height'],
  final_incorrect_cltv_expiry: ['cltv_expiry'],
  final_incorrect_htlc_amount: ['incoming_htlc_amt'],
  channel_disabled: ['disabled_flags', 'channel_update'],
  invalid_onion_payload: ['type', 'offset'],
};

/** A decoded `failuremsg`. */
export interface FailureMessage {
  code: number;
  /** The name, when the code is one BOLT 4 defines. */
  name?: FailureName;
  /** Flag names set in the top byte. */
  flags: (keyof typeof FailureFlags)[];
  fields: FailureFields;
  /** The optional TLV stream after the data. */
  tlvs: TlvRecord[];
  /** Data bytes of an unknown code (not interpreted). */
  data?: Uint8Array;
}

/** The flags of a failure code. */
export function failureFlags(code: number): (keyof typeof FailureFlags)[] {
  return (Object.keys(FailureFlags) as (keyof typeof FailureFlags)[]).filter(
    (f) => (code & FailureFlags[f]) !== 0,
  );
}

/**
 * Decode a `failuremsg`: the code, its data for the known codes, then the optional TLV stream. Older
 * nodes may have appended nothing; a truncated field is `UNEXPECTED_EOF`.
 */
export function decodeFailureMessage(msg: Uint8Array): FailureMessage {
  abytes(msg, undefined, 'failuremsg');
  const r = new Reader(msg, 'failuremsg');
  const code = r.u16('failure_code');
  const name = NAMES.get(code);
  const fields: FailureFields = {};
  const out: FailureMessage = { code, flags: failureFlags(code), fields, tlvs: [] };
  if (name === undefined) {
    out.data = r.rest().slice();
    return out;
  }
  out.name = name;
  for (const f of LAYOUT[name] ?? []) {
    switch (f) {
      case 'sha256_of_onion':
        fields.sha256_of_onion = r.take(32, f).slice();
        break;
      case 'channel_update':
        fields.channel_update = r.take(r.u16('len'), f).slice();
        break;
      case 'htlc_msat':
      case 'incoming_htlc_amt':
        fields[f] = r.u64(f);
        break;
      case 'cltv_expiry':
      case 'height':
        fields[f] = r.u32(f);
        break;
      case 'disabled_flags':
      case 'offset':
        fields[f] = r.u16(f);
        break;
      case 'type':
        fields.type = readBigSize(r, f);
        break;
    }
  }
  out.tlvs = readTlvRecords(r.rest(), 'failuremsg.tlv_stream');
  return out;
}

/** Encode a `failuremsg` by name (or numeric code) with its fields and optional TLV records. */
export function encodeFailureMessage(m: {
  code: FailureName | number;
  fields?: FailureFields;
  tlvs?: readonly TlvRecord[];
}): Uint8Array {
  const code = typeof m.code === 'number' ? m.code : FAILURE_CODES[m.code];
  const name = NAMES.get(code);
  const w = new Writer().u16(code);
  const fields = m.fields ?? {};
  for (const f of name ? (LAYOUT[name] ?? []) : []) {
    const v = fields[f];
    if (v === undefined) throw new TypeError(`fields.${f} is required for ${name}`);
    switch (f) {
      case 'sha256_of_onion':
        w.bytes(abytes(v, 32, f));
        break;
      case 'channel_update':
        w.u16((v as Uint8Array).length).bytes(abytes(v, undefined, f));
        break;
      case 'htlc_msat':
      case 'incoming_htlc_amt':
        w.u64(v as bigint);
        break;
      case 'cltv_expiry':
      case 'height':
        w.u32(v as number);
        break;
      case 'disabled_flags':
      case 'offset':
        w.u16(v as number);
        break;
      case 'type':
        w.bytes(encodeBigSize(v as bigint));
        break;
    }
  }
  for (const t of m.tlvs ?? [])
    w.bytes(encodeBigSize(t.type)).bytes(encodeBigSize(t.value.length)).bytes(t.value);
  return w.finish();
}

/** XOR a return packet with the `ammag` stream of `sharedSecret` (the same step forwards and backwards). */
export function obfuscateFailurePacket(secret: Uint8Array, packet: Uint8Array): Uint8Array {
  abytes(secret, 32, 'sharedSecret');
  abytes(packet, undefined, 'packet');
  const stream = pseudoRandomStream(generateKey('ammag', secret), packet.length);
  const out = new Uint8Array(packet.length);
  for (let i = 0; i < packet.length; i++) out[i] = packet[i]! ^ stream[i]!;
  return out;
}

/**
 * The erring node's return packet before obfuscation: `hmac || failure_len || failuremsg || pad_len || pad`,
 * with `hmac = HMAC256(um, rest)`. "MUST set pad such that the failure_len plus pad_len is at least 256.
 * SHOULD set pad such that the failure_len plus pad_len is equal to 256".
 */
export function failurePayload(secret: Uint8Array, failureMessage: Uint8Array, padTo = 256): Uint8Array {
  abytes(secret, 32, 'sharedSecret');
  abytes(failureMessage, undefined, 'failureMessage');
  if (failureMessage.length > 0xffff) throw new RangeError('failureMessage longer than 65535 bytes');
  const padLen = Math.max(0, padTo - failureMessage.length);
  const body = new Writer()
    .u16(failureMessage.length)
    .bytes(failureMessage)
    .u16(padLen)
    .bytes(new Uint8Array(padLen))
    .finish();
  return concatBytes(hmac(sha256, generateKey('um', secret), body), body);
}

/** The erring node's obfuscated return packet: {@link failurePayload} XOR its own `ammag` stream. */
export function createFailurePacket(secret: Uint8Array, failureMessage: Uint8Array, padTo = 256): Uint8Array {
  return obfuscateFailurePacket(secret, failurePayload(secret, failureMessage, padTo));
}

/** What the origin learns from a return packet. */
export interface DecodedFailure {
  /** The index (in the route) of the hop that created the failure. */
  hopIndex: number;
  /** The raw `failuremsg`. */
  failureMessage: Uint8Array;
  message: FailureMessage;
}

/**
 * The origin node: "iteratively decrypts the message, using each hop's ammag ... keys", and the hop whose
 * `um` HMAC matches is the erring node. No match is `SignatureError('BAD_HMAC')`. Like the spec's
 * recommendation ("continue decrypting ... 27 times") the loop does not stop early on a match, so timing
 * does not reveal the position.
 */
export function decodeFailurePacket(
  sharedSecrets: readonly Uint8Array[],
  packet: Uint8Array,
): DecodedFailure {
  abytes(packet, undefined, 'packet');
  let p = packet;
  let found: { hopIndex: number; body: Uint8Array } | undefined;
  for (let i = 0; i < Math.max(27, sharedSecrets.length); i++) {
    const ss = sharedSecrets[Math.min(i, sharedSecrets.length - 1)]!;
    p = obfuscateFailurePacket(ss, p);
    if (p.length < 32 || found || i >= sharedSecrets.length) continue;
    const mac = hmac(sha256, generateKey('um', ss), p.subarray(32));
    if (equalBytes(mac, p.subarray(0, 32))) found = { hopIndex: i, body: p.subarray(32) };
  }
  if (!found) throw new SignatureError('BAD_HMAC', 'no hop authenticates the failure', { field: 'hmac' });
  const r = new Reader(found.body, 'return_packet');
  const failureMessage = r.take(r.u16('failure_len'), 'failuremsg').slice();
  r.take(r.u16('pad_len'), 'pad');
  r.end();
  if (failureMessage.length < 2) {
    throw new DecodeError('UNEXPECTED_EOF', 'failuremsg shorter than a failure code', {
      field: 'failuremsg',
    });
  }
  return { hopIndex: found.hopIndex, failureMessage, message: decodeFailureMessage(failureMessage) };
}
