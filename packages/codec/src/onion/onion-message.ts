/**
 * Onion messages (BOLT 4 "Onion Messages"): the `onion_message` wire message, the `onionmsg_tlv` payload
 * table, building a message along a path and peeling one hop.
 *
 * ```
 * onion_message (513): [point:path_key] [u16:len] [len*byte:onion_message_packet]
 * onionmsg_tlv: 2 reply_path, 4 encrypted_recipient_data, 64+ message contents (final hop only)
 * ```
 *
 * Content records (64 invoice_request, 66 invoice, 68 invoice_error, 70 static_invoice,
 * 72 held_htlc_available, 74 release_held_htlc, 75540–75546 …) are exposed as raw records: BOLT 12 and
 * the async-payment messages interpret them.
 *
 * @example
 * ```ts
 * const built = buildOnionMessage({ path: [alice, bob, carol], content: [{ type: 65n, value: hello }] });
 * const step = peelOnionMessage(alicePrivkey, built.onionMessage);
 * if ('forward' in step) send(step.forward.nextNodeId, step.forward.onionMessage);
 * ```
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { type BlindedPath, blindedPath } from '../blinded-path.js';
import { abytes, equalBytes, Reader, Writer } from '../bytes.js';
import { DecodeError, SemanticError } from '../errors.js';
import { bytes } from '../fundamental.js';
import {
  type DecodedTlvs,
  decodeTlvStream,
  encodeTlvRecords,
  encodeTlvValues,
  mergeRecords,
  type TlvRecord,
  type TlvTable,
  type TlvValues,
  tlv,
} from '../tlv.js';
import {
  type BlindedPathHopInput,
  concatBlindedPaths,
  createBlindedPath,
  openRecipientData,
} from './blinding.js';
import { type EncryptedData, encodeEncryptedData, type encryptedDataTable } from './encrypted-data.js';
import {
  blindingFactor,
  constructOnion,
  sharedSecret as ecdh,
  generateKey,
  hopSize,
  multiplyPrivateKey,
  multiplyPublicKey,
  ONION_MESSAGE_PAYLOADS_LENGTHS,
  parsePoint,
  peelOnion,
  privateKeyScalar,
  publicKeyOf,
} from './sphinx.js';

/** The BOLT 1 message type of `onion_message`. */
export const ONION_MESSAGE_TYPE = 513;

/** Well-known `onionmsg_tlv` content types (BOLT 12, LDK's async-payment numbers). */
// prettier-ignore
export const ONION_MESSAGE_CONTENT_TYPES = {
  invoice_request: 64n,
  invoice: 66n,
  invoice_error: 68n,
  static_invoice: 70n,
  held_htlc_available: 72n,
  release_held_htlc: 74n,
  offer_paths_request: 75540n,
  offer_paths: 75542n,
  serve_static_invoice: 75544n,
  static_invoice_persisted: 75546n,
} as const;

/** The `onionmsg_tlv` table: only 2 and 4 are interpreted here; content types (≥ 64) are kept raw. */
// prettier-ignore
export const onionMessageTlvTable = {
  reply_path: tlv(2n, 'reply_path', blindedPath),
  encrypted_recipient_data: tlv(4n, 'encrypted_recipient_data', bytes),
} as const satisfies TlvTable;

/** The decoded values of an `onionmsg_tlv`. */
export type OnionMessageTlv = TlvValues<typeof onionMessageTlvTable>;

/**
 * Decode an `onionmsg_tlv`. Content records (types ≥ 64) are accepted whether even or odd and land in
 * `unknown` (with the unknown odd records below 64): BOLT 4 "Field numbers 64 and above are reserved for
 * payloads for the final hop"; which of them a reader understands is decided by the layer above.
 */
export function decodeOnionMessageTlv(payload: Uint8Array): DecodedTlvs<typeof onionMessageTlvTable> {
  return decodeTlvStream(payload, onionMessageTlvTable, {
    field: 'onionmsg_tlv',
    allowUnknown: (t) => t >= 64n,
  });
}

/** The `onion_message` wire message (without its 2-byte type). */
export interface OnionMessage {
  pathKey: Uint8Array;
  packet: Uint8Array;
}

/** Encode `onion_message` including its type 513. */
export function encodeOnionMessage(m: OnionMessage): Uint8Array {
  abytes(m.pathKey, 33, 'pathKey');
  abytes(m.packet, undefined, 'packet');
  if (m.packet.length > 0xffff) throw new RangeError('packet longer than 65535 bytes');
  return new Writer().u16(ONION_MESSAGE_TYPE).bytes(m.pathKey).u16(m.packet.length).bytes(m.packet).finish();
}

/** Decode `onion_message` including its type (`MESSAGE_UNKNOWN_TYPE` for another type). */
export function decodeOnionMessage(b: Uint8Array): OnionMessage {
  abytes(b, undefined, 'onion_message');
  const r = new Reader(b, 'onion_message');
  const type = r.u16('type');
  if (type !== ONION_MESSAGE_TYPE) {
    throw new DecodeError('MESSAGE_UNKNOWN_TYPE', `onion_message: type ${type}`, { field: 'type' });
  }
  const pathKey = r.take(33, 'path_key').slice();
  parsePoint(pathKey, 'path_key');
  const packet = r.take(r.u16('len'), 'onion_message_packet').slice();
  r.end();
  return { pathKey, packet };
}

/** What {@link buildOnionMessage} needs. */
export interface BuildOnionMessageArgs {
  /**
   * The destination: a blinded path (e.g. from an offer or a reply path), or node ids from the first peer
   * to the recipient, over which a blinded path is created here (each hop told `next_node_id`).
   */
  path: BlindedPath | readonly Uint8Array[];
  /**
   * Node ids to cross before a blinded `path`'s introduction node (BOLT 4: the reader of a blinded path
   * "MUST prepend its own onion payloads to reach the first_node_id"). The last one is told
   * `next_path_key_override = path.pathKey`.
   */
  via?: readonly Uint8Array[];
  /** The final hop's content records (types ≥ 64 as BOLT 4 reserves them; others are allowed if odd). */
  content?: readonly TlvRecord[];
  /** `reply_path` for the final hop. */
  replyPath?: BlindedPath;
  /** `path_id` in the final hop's `encrypted_data_tlv` (node-id paths only). */
  pathId?: Uint8Array;
  /** The Sphinx session key (random when omitted). */
  sessionKey?: Uint8Array;
  /** `e_0` of the blinded path created over `via` or node ids (random when omitted). */
  pathKeySecret?: Uint8Array;
}

/** A built onion message. */
export interface BuiltOnionMessage {
  /** The peer to send it to. */
  firstNodeId: Uint8Array;
  /** The `path_key` of the `onion_message`. */
  pathKey: Uint8Array;
  /** The `onion_message_packet`. */
  packet: Uint8Array;
  /** The whole `onion_message` (type 513 included). */
  onionMessage: Uint8Array;
  /** The blinded path the packet was encrypted along. */
  route: BlindedPath;
}

/**
 * Build an onion message (BOLT 4 "The writer"): version 0, no associated data, `onionmsg_payloads` of 1300
 * bytes when they fit, else 32768; non-final payloads hold only `encrypted_recipient_data`.
 */
export function buildOnionMessage(args: BuildOnionMessageArgs): BuiltOnionMessage {
  const sessionKey = args.sessionKey ?? randomScalarBytes();
  const pathKeySecret = args.pathKeySecret ?? randomScalarBytes();
  const via = args.via ?? [];
  for (const [i, id] of via.entries()) abytes(id, 33, `via[${i}]`);
  let route: BlindedPath;
  if (Array.isArray(args.path)) {
    const ids = args.path as readonly Uint8Array[];
    const all = [...via, ...ids];
    if (ids.length === 0) throw new RangeError('path must not be empty');
    for (const [i, id] of all.entries()) abytes(id, 33, `path[${i}]`);
    const hops: BlindedPathHopInput[] = all.map((nodeId, i) => {
      const next = all[i + 1];
      const values: EncryptedData =
        next === undefined ? (args.pathId ? { path_id: args.pathId } : {}) : { next_node_id: next };
      return { nodeId, data: encodeEncryptedData(values) };
    });
    route = createBlindedPath({ sessionKey: pathKeySecret, hops }).path;
  } else {
    const dest = args.path as BlindedPath;
    if (dest.hops.length === 0) throw new SemanticError('EMPTY_PATH', 'path has no hops', { field: 'path' });
    if (args.pathId) throw new RangeError('pathId: only for node-id paths (a blinded path carries its own)');
    if (via.length === 0) route = dest;
    else {
      if (!('nodeId' in dest.introductionNode)) {
        throw new RangeError('path.introductionNode: a short channel id cannot be reached through via');
      }
      const intro = dest.introductionNode.nodeId;
      const hops: BlindedPathHopInput[] = via.map((nodeId, i) => {
        const next = via[i + 1];
        const values: EncryptedData =
          next === undefined
            ? { next_node_id: intro, next_path_key_override: dest.pathKey }
            : { next_node_id: next };
        return { nodeId, data: encodeEncryptedData(values) };
      });
      route = concatBlindedPaths(createBlindedPath({ sessionKey: pathKeySecret, hops }).path, dest);
    }
  }
  const finalRecords = mergeRecords(encodeTlvValues(onionMessageTlvTable, { reply_path: args.replyPath }), [
    ...(args.content ?? []),
  ]);
  const payloads = route.hops.map((h, i) => {
    const own = encodeTlvValues(onionMessageTlvTable, { encrypted_recipient_data: h.encryptedData });
    return encodeTlvRecords(i === route.hops.length - 1 ? mergeRecords(own, finalRecords) : own);
  });
  const total = payloads.reduce((a, p) => a + hopSize(p.length), 0);
  const payloadsLength = ONION_MESSAGE_PAYLOADS_LENGTHS.find((l) => total <= l);
  if (payloadsLength === undefined) throw new RangeError(`content: ${total} bytes exceed 32768`);
  const { packet } = constructOnion({
    sessionKey,
    hops: route.hops.map((h, i) => ({ pubkey: h.blindedNodeId, payload: payloads[i]! })),
    payloadsLength,
  });
  const firstNodeId =
    'nodeId' in route.introductionNode
      ? route.introductionNode.nodeId
      : (() => {
          throw new RangeError('path.introductionNode: a short channel id; resolve it to a node id first');
        })();
  return {
    firstNodeId,
    pathKey: route.pathKey,
    packet,
    onionMessage: encodeOnionMessage({ pathKey: route.pathKey, packet }),
    route,
  };
}

function randomScalarBytes(): Uint8Array {
  for (;;) {
    const b = randomBytes(32);
    try {
      privateKeyScalar(b, 'random');
      return b;
    } catch {
      // out of range: draw again
    }
  }
}

/** A peeled layer that goes on to another node. */
export interface ForwardOnionMessage {
  /** `next_node_id`, when the hop was told a node id. */
  nextNodeId?: Uint8Array;
  /** `short_channel_id`, when the hop was told a channel instead. */
  nextShortChannelId?: EncryptedData['short_channel_id'];
  nextPathKey: Uint8Array;
  /** The next `onion_message_packet`. */
  packet: Uint8Array;
  /** The next whole `onion_message`. */
  onionMessage: Uint8Array;
}

/** A message for this node. */
export interface DeliveredOnionMessage {
  /** Every `onionmsg_tlv` record in stream order. */
  records: TlvRecord[];
  /** The content records: everything but `reply_path` and `encrypted_recipient_data`. */
  content: TlvRecord[];
  replyPath?: BlindedPath;
  /** `path_id` from the decrypted data, to check against the path this node published. */
  pathId?: Uint8Array;
}

/** The outcome of {@link peelOnionMessage}: the decrypted payload and data, and what to do next. */
export type PeeledOnionMessage = {
  /** The decrypted `onionmsg_tlv`. */
  payload: DecodedTlvs<typeof onionMessageTlvTable>;
  /** The decrypted `encrypted_data_tlv`. */
  encryptedData: DecodedTlvs<typeof encryptedDataTable>;
} & ({ forward: ForwardOnionMessage } | { deliver: DeliveredOnionMessage });

/**
 * Peel one hop (BOLT 4 "The reader"): derive the blinded key from `path_key`, decrypt the packet with no
 * associated data, decrypt `encrypted_recipient_data`, and either forward or deliver.
 *
 * Accepts a whole `onion_message` or `{ pathKey, packet }`.
 *
 * @throws SignatureError `BAD_HMAC` (packet) or `BAD_ENCRYPTION` (recipient data); SemanticError
 *   `MISSING_FIELD` (no `encrypted_recipient_data`, or a non-final hop with neither `next_node_id` nor
 *   `short_channel_id`), `FORBIDDEN_FIELD` (a non-final hop with other payload fields or a `path_id`);
 *   DecodeError for malformed bytes.
 */
export function peelOnionMessage(
  nodePrivkey: Uint8Array,
  message: Uint8Array | OnionMessage,
): PeeledOnionMessage {
  const k = privateKeyScalar(nodePrivkey, 'nodePrivkey');
  const { pathKey, packet } = message instanceof Uint8Array ? decodeOnionMessage(message) : message;
  abytes(pathKey, 33, 'pathKey');
  // BOLT 4 "if path_key is specified: Calculate the blinding_ss as ECDH(path_key, node_privkey) ... Tweak
  // its own node_privkey below by multiplying by HMAC256("blinded_node_id", blinding_ss)". The path key is
  // parsed once and reused for the next path key.
  const P = parsePoint(pathKey, 'path_key');
  const sharedSecret = ecdh(k, P);
  const blindedPrivkey = multiplyPrivateKey(k, generateKey('blinded_node_id', sharedSecret));
  const peeled = peelOnion(blindedPrivkey, packet, { minPayloadLength: 0 });
  const payload = decodeOnionMessageTlv(peeled.payload);
  const enc = payload.values.encrypted_recipient_data;
  if (enc === undefined) {
    throw new SemanticError('MISSING_FIELD', 'onionmsg_tlv: no encrypted_recipient_data', {
      field: 'encrypted_recipient_data',
    });
  }
  const { data } = openRecipientData(sharedSecret, enc);
  if (peeled.nextPacket === undefined) {
    const content = payload.records.filter((r) => r.type !== 2n && r.type !== 4n);
    const deliver: DeliveredOnionMessage = { records: payload.records, content };
    if (payload.values.reply_path) deliver.replyPath = payload.values.reply_path;
    if (data.values.path_id) deliver.pathId = data.values.path_id;
    return { payload, encryptedData: data, deliver };
  }
  // "For the non-final nodes' onionmsg_tlv: MUST NOT set fields other than encrypted_recipient_data."
  const other = payload.records.find((r) => r.type !== 4n);
  if (other) {
    throw new SemanticError('FORBIDDEN_FIELD', `onionmsg_tlv: type ${other.type} at a non-final hop`, {
      field: 'onionmsg_tlv',
      tlvType: other.type,
    });
  }
  // "if the encrypted_data_tlv contains path_id: MUST ignore the message."
  if (data.values.path_id) {
    throw new SemanticError('FORBIDDEN_FIELD', 'encrypted_data_tlv: path_id at a non-final hop', {
      field: 'path_id',
      tlvType: 6n,
    });
  }
  const { next_node_id, short_channel_id } = data.values;
  if (next_node_id === undefined && short_channel_id === undefined) {
    throw new SemanticError(
      'MISSING_FIELD',
      'encrypted_data_tlv: neither next_node_id nor short_channel_id',
      {
        field: 'next_node_id',
      },
    );
  }
  // Only a forwarding hop needs the next path key: the recipient skips that point multiplication.
  const nextPathKey =
    data.values.next_path_key_override ?? multiplyPublicKey(P, blindingFactor(pathKey, sharedSecret));
  const next = peeled.nextPacket;
  const forward: ForwardOnionMessage = {
    nextPathKey,
    packet: next,
    onionMessage: encodeOnionMessage({ pathKey: nextPathKey, packet: next }),
  };
  if (next_node_id) forward.nextNodeId = next_node_id;
  if (short_channel_id) forward.nextShortChannelId = short_channel_id;
  return { payload, encryptedData: data, forward };
}

/**
 * Receive an onion message addressed to this node, peeling the layers it forwards to itself (dummy hops,
 * or a path that names this node twice) until it is delivered or goes to another node.
 */
export function receiveOnionMessage(
  nodePrivkey: Uint8Array,
  message: Uint8Array | OnionMessage,
): PeeledOnionMessage {
  const self = publicKeyOf(privateKeyScalar(nodePrivkey, 'nodePrivkey'));
  let step = peelOnionMessage(nodePrivkey, message);
  for (let i = 0; i < 255 && 'forward' in step; i++) {
    const f = step.forward;
    if (!f.nextNodeId || !equalBytes(f.nextNodeId, self)) break;
    step = peelOnionMessage(nodePrivkey, { pathKey: f.nextPathKey, packet: f.packet });
  }
  return step;
}
