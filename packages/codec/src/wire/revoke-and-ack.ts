/**
 * BOLT 2 `revoke_and_ack` (type 133), whole, with the async-payment release-paths extension:
 *
 * ```
 * [channel_id:channel_id] [32*byte:per_commitment_secret] [point:next_per_commitment_point]
 * [revoke_and_ack_tlvs:tlvs]
 * ```
 *
 * The release paths (blinded reply paths the HTLC's recipient uses for `release_held_htlc`) differ in
 * number and shape:
 *
 * - spec (bolts#1149): type 0 `release_held_htlc_message_paths` = [`...blinded_path`:`paths`].
 * - LDK (ln/msgs.rs): type 75537 `release_htlc_message_paths` = `(u64 htlc_id ‖ blinded_path)` repeated,
 *   no count prefix (`optional_vec`), so the holder can tell which held HTLC each path releases.
 *
 * Hence {@link ReleasePath.htlcId} is required in the LDK profile and refused in the spec profile.
 *
 * @example
 * ```ts
 * const bytes = encodeRevokeAndAck({ channelId, perCommitmentSecret, nextPerCommitmentPoint,
 *   releasePaths: [{ htlcId: 0n, path }] }); // LDK profile
 * ```
 */
import { type BlindedPath, blindedPath, blindedPaths } from '../blinded-path.js';
import { Reader, Writer } from '../bytes.js';
import { DecodeError, SemanticError } from '../errors.js';
import { array, type Codec, fixed, point } from '../fundamental.js';
import { DEFAULT_PROFILE, type WireProfile } from '../profile.js';
import { decodeTlvStream, encodeTlvStream, type TlvRecord, type TlvTable, tlv } from '../tlv.js';
import { checkBytes, checkU64 } from './common.js';

/** BOLT 2 message type of `revoke_and_ack`. */
export const REVOKE_AND_ACK_TYPE = 133;

/** A release path: the blinded path and, in the LDK profile, the id of the held HTLC it releases. */
export interface ReleasePath {
  htlcId?: bigint;
  path: BlindedPath;
}

/** LDK's element: `u64 htlc_id ‖ blinded_path`. */
export const ldkReleasePath: Codec<ReleasePath> = {
  read: (r, field) => ({ htlcId: r.u64(`${field}.htlc_id`), path: blindedPath.read(r, `${field}.path`) }),
  write(w, v) {
    w.u64(checkU64(v.htlcId, 'htlcId'));
    blindedPath.write(w, v.path);
  },
};

/** `revoke_and_ack_tlvs` as LDK writes them. */
// prettier-ignore
// biome-ignore format: aligned table
export const revokeAndAckTlvsLdk = {
  release_paths: tlv(75537n, 'release_htlc_message_paths', array(ldkReleasePath)),
} as const satisfies TlvTable;

const specReleasePaths: Codec<ReleasePath[]> = {
  read: (r, field) => blindedPaths.read(r, field).map((path) => ({ path })),
  write: (w, v) =>
    blindedPaths.write(
      w,
      v.map((p) => p.path),
    ),
};

/** `revoke_and_ack_tlvs` as bolts#1149 numbers them. */
// prettier-ignore
// biome-ignore format: aligned table
export const revokeAndAckTlvsSpec = {
  release_paths: tlv(0n, 'release_held_htlc_message_paths', specReleasePaths),
} as const satisfies TlvTable;

/** The `revoke_and_ack_tlvs` table of a profile (both have one field, `release_paths`). */
export function revokeAndAckTlvs(profile: WireProfile = DEFAULT_PROFILE): typeof revokeAndAckTlvsLdk {
  return profile === 'ldk' ? revokeAndAckTlvsLdk : revokeAndAckTlvsSpec;
}

/** A decoded `revoke_and_ack`. */
export interface RevokeAndAck {
  channelId: Uint8Array;
  perCommitmentSecret: Uint8Array;
  nextPerCommitmentPoint: Uint8Array;
  /** Paths for `release_held_htlc`; bolts#1149: at least one when the preceding add set `hold_htlc`. */
  releasePaths?: ReleasePath[];
  /** Unknown odd TLV records, kept. */
  unknown?: readonly TlvRecord[];
}

function checkReleasePaths(paths: readonly ReleasePath[], profile: WireProfile): void {
  for (const [i, p] of paths.entries()) {
    if (p.path.hops.length === 0) {
      throw new SemanticError('EMPTY_PATH', `release path ${i} has no hops`, { field: 'release_paths' });
    }
    if (profile === 'spec' && p.htlcId !== undefined) {
      throw new RangeError('the spec profile carries no htlc_id with a release path');
    }
  }
}

/** Encode a `revoke_and_ack` including its 2-byte type. */
export function encodeRevokeAndAck(m: RevokeAndAck, profile: WireProfile = DEFAULT_PROFILE): Uint8Array {
  const w = new Writer().u16(REVOKE_AND_ACK_TYPE);
  w.bytes(checkBytes(m.channelId, 32, 'channelId'));
  w.bytes(checkBytes(m.perCommitmentSecret, 32, 'perCommitmentSecret'));
  w.bytes(checkBytes(m.nextPerCommitmentPoint, 33, 'nextPerCommitmentPoint'));
  if (m.releasePaths !== undefined) checkReleasePaths(m.releasePaths, profile);
  w.bytes(encodeTlvStream(revokeAndAckTlvs(profile), { release_paths: m.releasePaths }, m.unknown ?? []));
  return w.finish();
}

/** Decode a `revoke_and_ack` including its 2-byte type. */
export function decodeRevokeAndAck(bytes: Uint8Array, profile: WireProfile = DEFAULT_PROFILE): RevokeAndAck {
  const r = new Reader(bytes, 'revoke_and_ack');
  const type = r.u16('type');
  if (type !== REVOKE_AND_ACK_TYPE) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `expected revoke_and_ack (133), got ${type}`, {
      field: 'type',
    });
  }
  const m: RevokeAndAck = {
    channelId: fixed(32).read(r, 'channel_id'),
    perCommitmentSecret: fixed(32).read(r, 'per_commitment_secret'),
    nextPerCommitmentPoint: point.read(r, 'next_per_commitment_point'),
  };
  const { values, unknown } = decodeTlvStream(r.rest(), revokeAndAckTlvs(profile), {
    field: 'revoke_and_ack_tlvs',
  });
  if (values.release_paths !== undefined) {
    checkReleasePaths(values.release_paths, profile);
    m.releasePaths = values.release_paths;
  }
  if (unknown.length > 0) m.unknown = unknown;
  return m;
}

/** Encode just the release-paths TLV record of a profile (for vectors and inspection). */
export function encodeReleasePathsRecord(
  paths: ReleasePath[],
  profile: WireProfile = DEFAULT_PROFILE,
): TlvRecord {
  checkReleasePaths(paths, profile);
  const f = revokeAndAckTlvs(profile).release_paths;
  const w = new Writer();
  f.codec.write(w, paths);
  return { type: f.type, value: w.finish() };
}
