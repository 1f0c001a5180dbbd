/**
 * The `payment_unblock` variant of HTLC async payments (breez/LightningRod README, 2022, formalising
 * M. Corallo's lightning-dev post of 2021-10-13; htlc-async digest §4), given wire numbers here because
 * none were ever proposed. See `UNBLOCK.md` beside this file for the flow, the numbers and why.
 *
 * | where              | type  | name                        | inner fields                                           |
 * |--------------------|-------|-----------------------------|--------------------------------------------------------|
 * | `onionmsg_tlv`     | 95001 | `payment_unblock_hold`      | 0 `payment_hashes` [...sha256], 2 `unblock_hash` sha256 |
 * | `onionmsg_tlv`     | 95003 | `payment_unblock_available` | 0 `pid` 32B, 2 `unblock_node_id` point, 4 `payment_hashes` [...sha256] (optional) |
 * | `onionmsg_tlv`     | 95005 | `payment_unblock_release`   | (empty)                                                |
 * | `encrypted_data_tlv` | 95007 | `payment_unblock`         | 32B `pid`                                              |
 *
 * The three onion-message contents are framed as a plain `tlv_stream` (the BOLT reading) in every wire
 * profile: they are ours, not LDK's, so LDK's length prefix does not apply.
 *
 * @example
 * ```ts
 * const pid = randomBytes(32);
 * const hold = encodePaymentUnblockHold({ paymentHashes: [h], unblockHash: sha256(pid) }); // A → LSP_a
 * const offer = encodePaymentUnblockAvailable({ pid, unblockNodeId: lspA, paymentHashes: [h] }); // A → B
 * const release = encodePaymentUnblockRelease(); // B → LSP_a, with { payment_unblock: pid } in encrypted_data
 * checkUnblock(pid, hold.unblockHash); // at LSP_a
 * ```
 */
import { sha256 as sha256Hash } from '@noble/hashes/sha2.js';
import { equalBytes } from '../bytes.js';
import { DecodeError, SemanticError, SignatureError } from '../errors.js';
import { array, fixed, point, sha256 } from '../fundamental.js';
import { decodeTlvStream, encodeTlvStream, type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import { checkRecord } from './framing.js';

/** `onionmsg_tlv` and `encrypted_data_tlv` numbers of the variant (all odd: "it's OK to be odd"). */
// prettier-ignore
// biome-ignore format: aligned table
export const PAYMENT_UNBLOCK_TYPES = {
  payment_unblock_hold:      95001n,
  payment_unblock_available: 95003n,
  payment_unblock_release:   95005n,
  /** In `encrypted_data_tlv`, not `onionmsg_tlv`. */
  payment_unblock:           95007n,
} as const;

/** The onion-message contents of the variant. */
export type PaymentUnblockKind =
  | 'payment_unblock_hold'
  | 'payment_unblock_available'
  | 'payment_unblock_release';

/** Inner stream of `payment_unblock_hold` (payer → its LSP). */
// prettier-ignore
// biome-ignore format: aligned table
export const paymentUnblockHoldTlvs = {
  payment_hashes: tlv(0n, 'payment_hashes', array(sha256)),
  unblock_hash:   tlv(2n, 'unblock_hash',   sha256),
} as const satisfies TlvTable;

/** Inner stream of `payment_unblock_available` (payer → recipient). */
// prettier-ignore
// biome-ignore format: aligned table
export const paymentUnblockAvailableTlvs = {
  pid:             tlv(0n, 'pid',             fixed(32)),
  unblock_node_id: tlv(2n, 'unblock_node_id', point),
  payment_hashes:  tlv(4n, 'payment_hashes',  array(sha256)),
} as const satisfies TlvTable;

/** `payment_unblock` for merging into the `encrypted_data_tlv` table (recipient → payer's LSP). */
// prettier-ignore
// biome-ignore format: aligned table
export const paymentUnblockEncryptedDataTlvs = {
  payment_unblock: tlv(PAYMENT_UNBLOCK_TYPES.payment_unblock, 'payment_unblock', fixed(32)),
} as const satisfies TlvTable;

interface Base {
  /** Unknown odd inner records, kept. */
  unknown?: readonly TlvRecord[];
}

/** Step 2: "A sends an onion message to LSP_a asking it to intercept and block the HTLC(s) with hash h". */
export interface PaymentUnblockHold extends Base {
  /** The hashes to hold (one per payment; MPP parts share a hash). At least one. */
  paymentHashes: Uint8Array[];
  /** SHA256(pid): the release must reveal `pid`. */
  unblockHash: Uint8Array;
}

/** Step 4: "A sends an onion message to B containing pid, then can go offline". */
export interface PaymentUnblockAvailable extends Base {
  /** The payer's secret release id. */
  pid: Uint8Array;
  /** The node holding the HTLCs (LSP_a), where the release goes. */
  unblockNodeId: Uint8Array;
  /** The held hashes, so the recipient can match them to its invoices. */
  paymentHashes?: Uint8Array[];
}

/** Step 6: the release content; `pid` travels in LSP_a's `encrypted_data_tlv` as `payment_unblock`. */
export interface PaymentUnblockRelease extends Base {}

function open(kind: PaymentUnblockKind, record: TlvRecord): Uint8Array {
  checkRecord(record);
  if (record.type !== PAYMENT_UNBLOCK_TYPES[kind]) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `${kind}: expected type ${PAYMENT_UNBLOCK_TYPES[kind]}`, {
      field: kind,
      tlvType: record.type,
    });
  }
  return record.value;
}

function required<V>(kind: string, name: string, v: V | undefined): V {
  if (v === undefined)
    throw new SemanticError('MISSING_FIELD', `${kind}: ${name} is required`, { field: name });
  return v;
}

function checkHashes(kind: string, hashes: readonly Uint8Array[]): void {
  if (hashes.length === 0) {
    throw new SemanticError('MISSING_FIELD', `${kind}: at least one payment hash`, {
      field: 'payment_hashes',
    });
  }
  for (const h of hashes) {
    if (!(h instanceof Uint8Array) || h.length !== 32) throw new RangeError('a payment hash is 32 bytes');
  }
}

function checkUnknown(unknown: readonly TlvRecord[] | undefined): readonly TlvRecord[] {
  for (const rec of unknown ?? []) {
    if ((rec.type & 1n) === 0n) throw new RangeError(`unknown record ${rec.type} must be odd`);
  }
  return unknown ?? [];
}

/** Encode `payment_unblock_hold` as its `onionmsg_tlv` record. */
export function encodePaymentUnblockHold(msg: PaymentUnblockHold): TlvRecord {
  checkHashes('payment_unblock_hold', msg.paymentHashes);
  if (!(msg.unblockHash instanceof Uint8Array) || msg.unblockHash.length !== 32) {
    throw new RangeError('unblockHash must be 32 bytes');
  }
  const value = encodeTlvStream(
    paymentUnblockHoldTlvs,
    { payment_hashes: msg.paymentHashes, unblock_hash: msg.unblockHash },
    checkUnknown(msg.unknown),
  );
  return { type: PAYMENT_UNBLOCK_TYPES.payment_unblock_hold, value };
}

/** Decode a `payment_unblock_hold` record. */
export function decodePaymentUnblockHold(record: TlvRecord): PaymentUnblockHold {
  const kind = 'payment_unblock_hold';
  const { values, unknown } = decodeTlvStream(open(kind, record), paymentUnblockHoldTlvs, { field: kind });
  const out: PaymentUnblockHold = {
    paymentHashes: required(kind, 'payment_hashes', values.payment_hashes),
    unblockHash: required(kind, 'unblock_hash', values.unblock_hash),
  };
  checkHashes(kind, out.paymentHashes);
  if (unknown.length > 0) out.unknown = unknown;
  return out;
}

/** Encode `payment_unblock_available` as its `onionmsg_tlv` record. */
export function encodePaymentUnblockAvailable(msg: PaymentUnblockAvailable): TlvRecord {
  if (!(msg.pid instanceof Uint8Array) || msg.pid.length !== 32) throw new RangeError('pid must be 32 bytes');
  if (!(msg.unblockNodeId instanceof Uint8Array) || msg.unblockNodeId.length !== 33) {
    throw new RangeError('unblockNodeId must be a 33-byte point');
  }
  if (msg.paymentHashes !== undefined) checkHashes('payment_unblock_available', msg.paymentHashes);
  const value = encodeTlvStream(
    paymentUnblockAvailableTlvs,
    { pid: msg.pid, unblock_node_id: msg.unblockNodeId, payment_hashes: msg.paymentHashes },
    checkUnknown(msg.unknown),
  );
  return { type: PAYMENT_UNBLOCK_TYPES.payment_unblock_available, value };
}

/** Decode a `payment_unblock_available` record. */
export function decodePaymentUnblockAvailable(record: TlvRecord): PaymentUnblockAvailable {
  const kind = 'payment_unblock_available';
  const { values, unknown } = decodeTlvStream(open(kind, record), paymentUnblockAvailableTlvs, {
    field: kind,
  });
  const out: PaymentUnblockAvailable = {
    pid: required(kind, 'pid', values.pid),
    unblockNodeId: required(kind, 'unblock_node_id', values.unblock_node_id),
  };
  if (values.payment_hashes !== undefined) {
    checkHashes(kind, values.payment_hashes);
    out.paymentHashes = values.payment_hashes;
  }
  if (unknown.length > 0) out.unknown = unknown;
  return out;
}

/** Encode the (empty) `payment_unblock_release` content record. */
export function encodePaymentUnblockRelease(msg: PaymentUnblockRelease = {}): TlvRecord {
  const value = encodeTlvStream({}, {}, checkUnknown(msg.unknown));
  return { type: PAYMENT_UNBLOCK_TYPES.payment_unblock_release, value };
}

/** Decode a `payment_unblock_release` record: even inner records fail, odd ones are kept. */
export function decodePaymentUnblockRelease(record: TlvRecord): PaymentUnblockRelease {
  const kind = 'payment_unblock_release';
  const { unknown } = decodeTlvStream(open(kind, record), {}, { field: kind });
  return unknown.length > 0 ? { unknown } : {};
}

/**
 * Step 7 at LSP_a: authenticate a release. `pid` comes from the `payment_unblock` record of the
 * release's `encrypted_data_tlv`; it must hash to the `unblock_hash` of the hold request. Fails with
 * `SignatureError('BAD_PREIMAGE')` otherwise (compared in constant time for equal lengths).
 */
export function checkUnblock(pid: Uint8Array, unblockHash: Uint8Array): void {
  if (!(pid instanceof Uint8Array) || pid.length !== 32) throw new RangeError('pid must be 32 bytes');
  if (!equalBytes(sha256Hash(pid), unblockHash)) {
    throw new SignatureError('BAD_PREIMAGE', 'payment_unblock: SHA256(pid) != unblock_hash', {
      field: 'payment_unblock',
    });
  }
}
