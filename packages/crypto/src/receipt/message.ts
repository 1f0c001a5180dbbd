/**
 * The receipt message `m`: what the recipient's BIP-340 signature (the receipt) is a signature on.
 *
 * `m = hash_asyncpay/receipt(serialization)`, a BIP-340 tagged hash with tag `"asyncpay/receipt"`
 * over this exact byte string (all integers big-endian, no padding, no optional fields):
 *
 * ```text
 * offset  size  field        encoding
 *      0    33  payer_id     compressed secp256k1 point (BOLT 12 invreq_payer_id)
 *     33    33  payee_id     compressed secp256k1 point (BOLT 12 offer_issuer_id / node id)
 *     66     8  amount_msat  u64
 *     74    32  offer_id     32 bytes (BOLT 12 offer_id: merkle root of the offer's TLVs)
 *    106     8  timestamp    u64, seconds since 1970-01-01T00:00:00Z
 *    114     8  nonce_id     u64, the id of the recipient's nonce pair this payment uses
 *    122     2  note_len     u16, byte length of note
 *    124     L  note         UTF-8 free text, L = note_len ≤ 65535
 * ```
 *
 * Total length 124 + L bytes. The tag is the version: a different layout takes a different tag.
 * The same table is in the package's RECEIPTS.md.
 *
 * @example
 * ```ts
 * const m = receiptMessageHash({ payerId, payeeId, amountMsat: 50_000_000n, offerId,
 *   timestamp: 1_675_000_000n, nonceId: 12345n, note: 'Alice paid Bob 50000 sats' });
 * ```
 * @module
 */
import { abigint, abytes, astring, bytesToU64, concatBytes, u64ToBytes } from '../bytes.js';
import { CryptoError } from '../errors.js';
import { TAGS, taggedHash } from '../hash.js';
import { parseCompressed } from '../point.js';

/** Largest note, in UTF-8 bytes (the length prefix is a u16). */
export const MAX_NOTE_BYTES = 0xffff;
/** Length of the serialization without the note. */
export const RECEIPT_FIXED_LENGTH = 124;

/** The fields a receipt attests to. */
export interface ReceiptFields {
  /** 33-byte compressed public key identifying the payer (BOLT 12 `invreq_payer_id`). */
  payerId: Uint8Array;
  /** 33-byte compressed public key identifying the payee (BOLT 12 `offer_issuer_id` or node id). */
  payeeId: Uint8Array;
  /** Amount paid, in millisatoshi (u64). */
  amountMsat: bigint;
  /** 32-byte BOLT 12 `offer_id` of the offer being paid (all zero when there is none). */
  offerId: Uint8Array;
  /** Payer-chosen time of the payment, seconds since the Unix epoch (u64). */
  timestamp: bigint;
  /** Id of the recipient's nonce pair used for this receipt (u64). */
  nonceId: bigint;
  /** Free text, at most {@link MAX_NOTE_BYTES} bytes of UTF-8 (e.g. "Alice paid Bob 1000 sats"). */
  note: string;
}

const U64 = 1n << 64n;

/**
 * The exact serialization hashed into `m` (see the module comment for the table).
 *
 * @throws TypeError / RangeError for fields of the wrong type, length or range;
 *   CryptoError `INVALID_RECEIPT_MESSAGE` for an id that is not a valid compressed point.
 */
export function encodeReceiptMessage(fields: ReceiptFields): Uint8Array {
  const payerId = abytes(fields.payerId, 33, 'payerId');
  const payeeId = abytes(fields.payeeId, 33, 'payeeId');
  parseCompressed(payerId, 'payerId', 'INVALID_RECEIPT_MESSAGE');
  parseCompressed(payeeId, 'payeeId', 'INVALID_RECEIPT_MESSAGE');
  abigint(fields.amountMsat, U64, 'amountMsat');
  const offerId = abytes(fields.offerId, 32, 'offerId');
  abigint(fields.timestamp, U64, 'timestamp');
  abigint(fields.nonceId, U64, 'nonceId');
  const note = new TextEncoder().encode(astring(fields.note, 'note'));
  if (note.length > MAX_NOTE_BYTES) {
    throw new RangeError(`note must be at most ${MAX_NOTE_BYTES} bytes of UTF-8, got ${note.length}`);
  }
  const noteLen = new Uint8Array([note.length >> 8, note.length & 0xff]);
  return concatBytes(
    payerId,
    payeeId,
    u64ToBytes(fields.amountMsat),
    offerId,
    u64ToBytes(fields.timestamp),
    u64ToBytes(fields.nonceId),
    noteLen,
    note,
  );
}

/**
 * Parses a serialization produced by {@link encodeReceiptMessage}: exact length, valid points,
 * well-formed UTF-8.
 *
 * @throws CryptoError `INVALID_RECEIPT_MESSAGE` (with `field`) for any malformed part.
 */
export function decodeReceiptMessage(bytes: Uint8Array): ReceiptFields {
  abytes(bytes, undefined, 'receiptMessage');
  const fail = (field: string, why: string): never => {
    throw new CryptoError('INVALID_RECEIPT_MESSAGE', `receipt message ${field}: ${why}`, { field });
  };
  if (bytes.length < RECEIPT_FIXED_LENGTH) fail('length', `shorter than ${RECEIPT_FIXED_LENGTH} bytes`);
  const noteLen = (bytes[122]! << 8) | bytes[123]!;
  if (bytes.length !== RECEIPT_FIXED_LENGTH + noteLen) fail('note', 'length prefix does not match the data');
  const payerId = bytes.slice(0, 33);
  const payeeId = bytes.slice(33, 66);
  parseCompressed(payerId, 'payerId', 'INVALID_RECEIPT_MESSAGE');
  parseCompressed(payeeId, 'payeeId', 'INVALID_RECEIPT_MESSAGE');
  let note = '';
  try {
    note = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(124));
  } catch {
    fail('note', 'not well-formed UTF-8');
  }
  return {
    payerId,
    payeeId,
    amountMsat: bytesToU64(bytes.subarray(66, 74)),
    offerId: bytes.slice(74, 106),
    timestamp: bytesToU64(bytes.subarray(106, 114)),
    nonceId: bytesToU64(bytes.subarray(114, 122)),
    note,
  };
}

/**
 * The 32-byte receipt message `m = hash_asyncpay/receipt(encodeReceiptMessage(fields))`.
 *
 * @throws as {@link encodeReceiptMessage}.
 */
export function receiptMessageHash(fields: ReceiptFields): Uint8Array {
  return taggedHash(TAGS.receipt, encodeReceiptMessage(fields));
}
