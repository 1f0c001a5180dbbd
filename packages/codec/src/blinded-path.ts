/**
 * The `blinded_path` wire structure (BOLT 4, "Route Blinding"), shared by BOLT 12 offers and invoices,
 * onion-message reply paths and the async-payment messages:
 *
 * ```
 * blinded_path:      [sciddir_or_pubkey:first_node_id] [point:first_path_key] [byte:num_hops]
 *                    [num_hops*blinded_path_hop:path]
 * blinded_path_hop:  [point:blinded_node_id] [u16:enclen] [enclen*byte:encrypted_recipient_data]
 * sciddir_or_pubkey: a 33-byte point (first byte 2 or 3), or [byte:direction (0 or 1)] [short_channel_id]
 * ```
 *
 * This module only reads and writes bytes; creating and unblinding paths is in `onion/`.
 * A path with no hops decodes here; "MUST fail if num_hops is 0" is a semantic check of the reader.
 */
import { Reader, Writer } from './bytes.js';
import { DecodeError } from './errors.js';
import { array, type Codec, point, type ShortChannelId, shortChannelId, u16Bytes } from './fundamental.js';

/** The introduction node: a node id, or a channel and a direction (BOLT 7 `sciddir_or_pubkey`). */
export type SciddirOrPubkey = { nodeId: Uint8Array } | { scid: ShortChannelId; direction: 0 | 1 };

/** One hop of a blinded path: who it is (blinded) and the data only it can read. */
export interface BlindedHop {
  /** The blinded node id this hop is reached as. */
  blindedNodeId: Uint8Array;
  /** Data only this hop can decrypt (`encrypted_recipient_data`). */
  encryptedData: Uint8Array;
}

/** A blinded path: the introduction node in clear, then the blinded hops. */
export interface BlindedPath {
  introductionNode: SciddirOrPubkey;
  /** `first_path_key` (formerly `blinding`). */
  pathKey: Uint8Array;
  hops: BlindedHop[];
}

/** BOLT 7 `sciddir_or_pubkey`: a 33-byte node id, or a direction byte (0 or 1) and a short channel id. */
export const sciddirOrPubkey: Codec<SciddirOrPubkey> = {
  read(r, field) {
    const first = r.bytes[r.offset];
    if (first === 0 || first === 1) {
      r.u8(field);
      return { direction: first, scid: shortChannelId.read(r, `${field}.scid`) };
    }
    if (first === 2 || first === 3) return { nodeId: point.read(r, field) };
    if (first === undefined) throw new DecodeError('UNEXPECTED_EOF', `${field}: missing`, { field });
    throw new DecodeError('INVALID_POINT', `${field}: neither a point nor a sciddir (first byte ${first})`, {
      field,
    });
  },
  write(w, v) {
    if ('nodeId' in v) point.write(w, v.nodeId);
    else {
      w.u8(v.direction);
      shortChannelId.write(w, v.scid);
    }
  },
};

/** BOLT 4 `blinded_path_hop`: `[point:blinded_node_id] [u16:enclen] [enclen*byte:encrypted_recipient_data]`. */
export const blindedHop: Codec<BlindedHop> = {
  read(r, field) {
    return {
      blindedNodeId: point.read(r, `${field}.blinded_node_id`),
      encryptedData: u16Bytes.read(r, `${field}.encrypted_recipient_data`),
    };
  },
  write(w, v) {
    point.write(w, v.blindedNodeId);
    u16Bytes.write(w, v.encryptedData);
  },
};

/**
 * BOLT 4 `blinded_path`: introduction node, first path key, `num_hops` and the hops.
 *
 * @example
 * const bytes = encodeValue(blindedPath, path);
 * const again = blindedPath.read(new Reader(bytes, 'path'), 'path');
 */
export const blindedPath: Codec<BlindedPath> = {
  read(r, field) {
    const introductionNode = sciddirOrPubkey.read(r, `${field}.first_node_id`);
    const pathKey = point.read(r, `${field}.first_path_key`);
    const n = r.u8(`${field}.num_hops`);
    const hops: BlindedHop[] = [];
    for (let i = 0; i < n; i++) hops.push(blindedHop.read(r, `${field}.path[${i}]`));
    return { introductionNode, pathKey, hops };
  },
  write(w, v) {
    if (v.hops.length > 255) throw new RangeError('a blinded path has at most 255 hops');
    sciddirOrPubkey.write(w, v.introductionNode);
    point.write(w, v.pathKey);
    w.u8(v.hops.length);
    for (const h of v.hops) blindedHop.write(w, h);
  },
};

/** Blinded paths back to back until the end of a record (BOLT 12 `offer_paths`, `invoice_paths`). */
export const blindedPaths: Codec<BlindedPath[]> = array(blindedPath);

/** Encode one path. */
export function encodeBlindedPath(p: BlindedPath): Uint8Array {
  const w = new Writer();
  blindedPath.write(w, p);
  return w.finish();
}

/** Decode exactly one path. */
export function decodeBlindedPath(b: Uint8Array, field = 'blinded_path'): BlindedPath {
  const r = new Reader(b, field);
  const p = blindedPath.read(r, field);
  r.end(field);
  return p;
}
