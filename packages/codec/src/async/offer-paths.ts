/**
 * `offer_paths` (LDK 75542, bLIP-66 draft 65542): the static invoice server's reply to
 * `offer_paths_request`, carrying the blinded paths payers will use to send `invoice_request`s.
 *
 * bLIP-66 `offer_paths_tlvs`: type 0 `offer_paths` [`...*blinded_path`:`paths`] (paths back to back, no
 * count), type 2 `paths_absolute_expiry` [`u64`:`seconds_from_epoch`] (a full 8-byte u64, not a tu64).
 * LDK: `(0, paths, required_vec)`, `(2, paths_absolute_expiry, option)` — the same bytes.
 *
 * Semantic checks (parser and builder alike): `offer_paths` present and non-empty (bLIP-66: "MUST include
 * at least 1 blinded path"; LDK reads an empty list, we refuse it), every path has at least one hop.
 *
 * Encoding (digest §1): LDK `fe00012716 L BigSize(l) ‖ 00 len ‖ blinded_path* ‖ [02 08 u64-BE]`.
 *
 * @example
 * ```ts
 * const rec = encodeOfferPaths({ paths: [path], pathsAbsoluteExpiry: 1_800_000_000n });
 * decodeOfferPaths(rec).paths.length; // 1
 * ```
 */
import { type BlindedPath, blindedPaths } from '../blinded-path.js';
import { SemanticError } from '../errors.js';
import { u64 } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import {
  type AsyncMessageBase,
  checkPathHops,
  decodeInner,
  encodeInner,
  frameContent,
  requireField,
  unframeContent,
} from './framing.js';

/** Inner TLV stream of `offer_paths`. */
// prettier-ignore
// biome-ignore format: aligned table
export const offerPathsTlvs = {
  offer_paths:           tlv(0n, 'offer_paths',           blindedPaths),
  paths_absolute_expiry: tlv(2n, 'paths_absolute_expiry', u64),
} as const satisfies TlvTable;

/** A decoded `offer_paths`. */
export interface OfferPaths extends AsyncMessageBase {
  /** Blinded paths to the server, for the recipient's `offer_paths`. At least one. */
  paths: BlindedPath[];
  /** Seconds since the Unix epoch after which the paths no longer work. */
  pathsAbsoluteExpiry?: bigint;
}

const KIND = 'offer_paths';

function check(msg: OfferPaths): void {
  if (msg.paths.length === 0) {
    throw new SemanticError('MISSING_FIELD', 'offer_paths: at least one path is required', {
      field: 'offer_paths',
    });
  }
  for (const [i, p] of msg.paths.entries()) checkPathHops(KIND, `offer_paths[${i}]`, p);
}

/** Encode `offer_paths` as its `onionmsg_tlv` record (runs the reader's semantic checks first). */
export function encodeOfferPaths(msg: OfferPaths, profile: WireProfile = DEFAULT_PROFILE): TlvRecord {
  if (!Array.isArray(msg.paths)) throw new TypeError('paths must be an array of blinded paths');
  const expiry = msg.pathsAbsoluteExpiry;
  if (expiry !== undefined && (typeof expiry !== 'bigint' || expiry < 0n || expiry >= 1n << 64n)) {
    throw new RangeError('pathsAbsoluteExpiry must be a u64 bigint');
  }
  check(msg);
  const inner = encodeInner(
    offerPathsTlvs,
    { offer_paths: msg.paths, paths_absolute_expiry: expiry },
    msg.unknown,
  );
  return frameContent(KIND, inner, profile);
}

/** Decode the `onionmsg_tlv` record of an `offer_paths`. */
export function decodeOfferPaths(record: TlvRecord, profile: WireProfile = DEFAULT_PROFILE): OfferPaths {
  const { values, unknown } = decodeInner(KIND, unframeContent(KIND, record, profile), offerPathsTlvs);
  const out: OfferPaths = { paths: requireField(KIND, 'offer_paths', values.offer_paths) };
  if (values.paths_absolute_expiry !== undefined) out.pathsAbsoluteExpiry = values.paths_absolute_expiry;
  if (unknown.length > 0) out.unknown = unknown;
  check(out);
  return out;
}
