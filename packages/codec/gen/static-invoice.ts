/**
 * Generates `vectors/static-invoice-test.json`: static invoices (bolts#1149 / LDK 0.2) in the shape of
 * the upstream `bolt12/offers-test.json` — a case list `{description, valid, profile, now?, bolt12,
 * fields: [{type, length, hex}], error?: {code}}` — for both wire profiles.
 *
 * Alice (`41…`) is the recipient and offer issuer, Bob (`42…`) a would-be wrong signer, Carol (`43…`)
 * the LSP whose node introduces the offer and `held_htlc_available` paths. Signatures use BIP-340 with
 * 32 zero bytes of auxiliary randomness, `invoice_created_at` is fixed, so the file is deterministic.
 *
 * Each invalid case starts from the valid invoice, breaks one field, and is re-signed by the key it
 * claims (except the signature cases), so exactly one rule fails. `now` (seconds), when present, is the
 * current time the reader must assume.
 */

import { encodeBigSize } from '../src/bigsize.js';
import { encodeBlindedPath } from '../src/blinded-path.js';
import { encodeBolt12String } from '../src/bolt12/bech32.js';
import { HELD_HTLC_PATHS_FIELD } from '../src/bolt12/static-invoice.js';
import { concatBytes, toHex } from '../src/bytes.js';
import { encodeValue, tu64 } from '../src/fundamental.js';
import type { WireProfile } from '../src/profile.js';
import { readTlvRecords, type TlvRecord } from '../src/tlv.js';
import {
  aliceStaticInvoice,
  CREATED_AT,
  nodeId,
  opaquePath,
  PEOPLE,
  resign,
} from './static-invoice-fixtures.js';

/** One case of the file. */
export interface StaticInvoiceCase {
  description: string;
  valid: boolean;
  profile: WireProfile;
  now?: number;
  bolt12: string;
  fields: { type: string | number; length: number; hex: string }[];
  error?: { code: string };
}

type Edit = (records: TlvRecord[]) => TlvRecord[];

const set =
  (type: bigint, value: Uint8Array): Edit =>
  (records) =>
    [...records.filter((r) => r.type !== type), { type, value }].sort((a, b) => (a.type < b.type ? -1 : 1));
const drop =
  (type: bigint): Edit =>
  (records) =>
    records.filter((r) => r.type !== type);

const BITCOIN = '6fe28c0ab6f1b372c1a6a246ae63f74f931e8365e15a089c68d6190000000000';
const TESTNET = '43497fd7f826957108f4a30fd9cec3aeba79972084e90ead01ea330900000000';
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

/** The record to write a JSON `type` as: a number when exact in a double, else a string. */
const jsonType = (t: bigint): number | string =>
  t <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(t) : t.toString();

function toCase(
  profile: WireProfile,
  description: string,
  bytes: Uint8Array,
  error?: string,
  now?: number,
): StaticInvoiceCase {
  const fields = readTlvRecords(bytes).map((r) => ({
    type: jsonType(r.type),
    length: r.value.length,
    hex: toHex(r.value),
  }));
  return {
    description: `${profile}: ${description}`,
    valid: error === undefined,
    profile,
    ...(now === undefined ? {} : { now }),
    bolt12: encodeBolt12String('lni', bytes),
    fields,
    ...(error === undefined ? {} : { error: { code: error } }),
  };
}

function casesFor(profile: WireProfile): StaticInvoiceCase[] {
  const valid = aliceStaticInvoice(profile);
  const records = [...valid.records];
  const heldType = HELD_HTLC_PATHS_FIELD[profile].type;
  const otherType = HELD_HTLC_PATHS_FIELD[profile === 'ldk' ? 'spec' : 'ldk'].type;
  const alice = PEOPLE.alice.secret;
  const broken = (edit: Edit, secret = alice) => resign(edit(records), 'static_invoice', secret);
  const out: StaticInvoiceCase[] = [];
  const add = (description: string, bytes: Uint8Array, error?: string, now?: number) =>
    out.push(toCase(profile, description, bytes, error, now));

  add('static invoice from Alice, two held_htlc_available paths via Carol', valid.bytes);
  add(
    'same, read one second before it expires (created_at + 2 weeks)',
    valid.bytes,
    undefined,
    Number(CREATED_AT) + 1_209_600,
  );
  const extras = (r: TlvRecord[]) =>
    set(166n, encodeValue(tu64, 3600n))(set(1_000_000_001n, hex('01'))(set(3_000_000_001n, hex('ab'))(r)));
  add('with relative expiry 3600 and unknown odd experimental offer and invoice fields', broken(extras));
  add('with one offer chain (testnet)', broken(set(2n, hex(TESTNET))));

  add('fails: payment_hash present', broken(set(168n, new Uint8Array(32).fill(0x77))), 'FORBIDDEN_FIELD');
  add('fails: amount present', broken(set(170n, encodeValue(tu64, 1000n))), 'FORBIDDEN_FIELD');
  add(
    'fails: invoice_request field present (invreq_payer_id)',
    broken(set(88n, nodeId(0x42))),
    'TLV_TYPE_OUT_OF_RANGE',
  );
  add('fails: invreq_metadata present', broken(set(0n, hex('0000000000000000'))), 'TLV_TYPE_OUT_OF_RANGE');
  add(
    'fails: node_id is Bob, not offer_issuer_id Alice (signed by Bob)',
    broken(set(176n, PEOPLE.bob.id), PEOPLE.bob.secret),
    'NODE_ID_MISMATCH',
  );
  add('fails: held_htlc_available paths missing', broken(drop(heldType)), 'MISSING_FIELD');
  add('fails: held_htlc_available paths empty', broken(set(heldType, new Uint8Array())), 'MISSING_FIELD');
  const moved = (r: TlvRecord[]) =>
    set(otherType, r.find((x) => x.type === heldType)!.value)(drop(heldType)(r));
  add(`fails: paths under the other profile's type ${otherType}`, broken(moved), 'TLV_UNKNOWN_EVEN_TYPE');
  const noHops = encodeBlindedPath({ ...opaquePath(PEOPLE.carol.id, 1, 2), hops: [] });
  add('fails: held_htlc_available path with num_hops 0', broken(set(heldType, noHops)), 'EMPTY_PATH');
  add('fails: offer_paths missing', broken(drop(16n)), 'MISSING_FIELD');
  add(
    'fails: two offer chains',
    broken(set(2n, concatBytes(hex(BITCOIN), hex(TESTNET)))),
    'UNEXPECTED_CHAIN',
  );
  add('fails: created_at missing', broken(drop(164n)), 'MISSING_FIELD');
  add(
    'fails: one payinfo too many',
    broken(set(162n, concatBytes(recordValue(records, 162n), recordValue(records, 162n)))),
    'INVALID_FIELD',
  );
  add('fails: unknown even invoice feature 20', broken(set(174n, hex('120000'))), 'UNKNOWN_REQUIRED_FEATURE');
  add(
    'fails: unknown even TLV 238 in the invoice range',
    broken(set(238n, hex('00'))),
    'TLV_UNKNOWN_EVEN_TYPE',
  );
  add(
    'fails: expired (read one second after created_at + 2 weeks)',
    valid.bytes,
    'EXPIRED',
    Number(CREATED_AT) + 1_209_601,
  );
  const tampered = (r: TlvRecord[]) =>
    r.map((x) => (x.type === 240n ? { type: 240n, value: flip(x.value) } : x));
  add('fails: signature tampered (one bit)', encodeRecords(tampered(records)), 'BAD_SIGNATURE');
  const offerEdit = (r: TlvRecord[]) =>
    r.map((x) => (x.type === 10n ? { type: 10n, value: hex('74656121') } : x));
  add('fails: offer description changed after signing', encodeRecords(offerEdit(records)), 'BAD_SIGNATURE');
  add('fails: signature missing', encodeRecords(drop(240n)(records)), 'MISSING_SIGNATURE');
  return out;
}

function recordValue(records: readonly TlvRecord[], type: bigint): Uint8Array {
  return records.find((r) => r.type === type)!.value;
}

function flip(sig: Uint8Array): Uint8Array {
  const out = sig.slice();
  out[63]! ^= 1;
  return out;
}

function encodeRecords(records: readonly TlvRecord[]): Uint8Array {
  return concatBytes(
    ...records.flatMap((r) => [encodeBigSize(r.type), encodeBigSize(r.value.length), r.value]),
  );
}

/** The generator `pnpm vectors` runs. */
export const vectors: { file: string; generate(): unknown }[] = [
  { file: 'static-invoice-test.json', generate: () => [...casesFor('ldk'), ...casesFor('spec')] },
];
