/**
 * Generates `vectors/async-payment-messages.json`: the async-payment onion messages in both wire
 * profiles, the `update_add_htlc` hold TLV and the `revoke_and_ack` release-paths TLV (inside whole
 * messages), the payment-onion static-invoice extras, and the `payment_unblock` variant.
 *
 * Shapes follow the BOLT vectors: case lists `{ description, valid, profile, hex, fields }`, invalid
 * cases with `error: { code }` (each checked against the decoder when generating), lowercase hex without
 * `0x`, keys of repeated bytes named after people (`41…` Alice the recipient, `42…` Bob the payer, `43…`
 * Carol, Alice's LSP and static invoice server, `44…` Dave, `45…` Erin, Bob's LSP), intermediate values
 * keyed by their formula. The `hex` of an onion message is the whole `onionmsg_tlv` record: BigSize type ‖
 * BigSize length ‖ value.
 *
 * Deterministic: no randomness; the static invoice and the invoice request are the BOLT 12 fixtures.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { describeAsyncMessage } from '../src/async/describe.js';
import { type AsyncPaymentMessage, encodeAsyncMessage } from '../src/async/message.js';
import {
  checkUnblock,
  decodePaymentUnblockAvailable,
  decodePaymentUnblockHold,
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
  encodePaymentUnblockRelease,
  PAYMENT_UNBLOCK_TYPES,
  paymentUnblockEncryptedDataTlvs,
} from '../src/async/payment-unblock.js';
import { encodeBigSize } from '../src/bigsize.js';
import { type BlindedPath, encodeBlindedPath } from '../src/blinded-path.js';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import type { WireProfile } from '../src/profile.js';
import { encodeTlvRecords, encodeTlvStream, readTlvRecords, type TlvRecord } from '../src/tlv.js';
import { paymentOnionExtras, SENDER_PREIMAGE_TYPE } from '../src/wire/payment-onion-extras.js';
import {
  decodeRevokeAndAck,
  encodeReleasePathsRecord,
  encodeRevokeAndAck,
  type ReleasePath,
  type RevokeAndAck,
} from '../src/wire/revoke-and-ack.js';
import {
  decodeUpdateAddHtlc,
  encodeUpdateAddHtlc,
  holdHtlcType,
  ONION_PACKET_LENGTH,
  type UpdateAddHtlc,
} from '../src/wire/update-add-htlc.js';
import {
  aliceStaticInvoice,
  bobInvoiceRequest,
  nodeId,
  opaquePath,
  PEOPLE,
} from './static-invoice-fixtures.js';

const PROFILES: readonly WireProfile[] = ['ldk', 'spec'];
const ERIN = nodeId(0x45);

/** The whole record (type ‖ length ‖ value) as hex. */
export const recordHex = (rec: TlvRecord): string => toHex(encodeTlvRecords([rec]));
/** Exactly one record from hex. */
export function recordFromHex(hex: string): TlvRecord {
  const recs = readTlvRecords(fromHex(hex));
  if (recs.length !== 1) throw new Error(`expected one record in ${hex}`);
  return recs[0]!;
}
const len = (hex: string) => toHex(encodeBigSize(hex.length / 2));

/** The code of the codec error `f` throws. */
export function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CodecError) return e.code;
    throw e;
  }
  throw new Error('expected a codec error, nothing thrown');
}

// ---- async-payment onion messages ----

const SCID_PATH: BlindedPath = {
  introductionNode: { direction: 1, scid: { block: 840_000, txIndex: 7, output: 1 } },
  pathKey: nodeId(0x61),
  hops: [{ blindedNodeId: nodeId(0x54), encryptedData: new Uint8Array(16).fill(0xe4) }],
};

function messages(profile: WireProfile): { description: string; message: AsyncPaymentMessage }[] {
  return [
    { description: 'held_htlc_available, empty', message: { kind: 'held_htlc_available' } },
    { description: 'release_held_htlc, empty', message: { kind: 'release_held_htlc' } },
    { description: 'static_invoice_persisted, empty', message: { kind: 'static_invoice_persisted' } },
    {
      description: 'offer_paths_request for invoice slot 3',
      message: { kind: 'offer_paths_request', invoiceSlot: 3 },
    },
    {
      description: 'offer_paths_request for slot 65535 keeping an unknown odd inner record',
      message: {
        kind: 'offer_paths_request',
        invoiceSlot: 65535,
        unknown: [{ type: 5n, value: Uint8Array.of(0x2a) }],
      },
    },
    {
      description: 'offer_paths: one path through Carol, expiring 2025-12-02T00:00:00Z',
      message: {
        kind: 'offer_paths',
        paths: [opaquePath(PEOPLE.carol.id, 2, 0)],
        pathsAbsoluteExpiry: 1_764_633_600n,
      },
    },
    {
      description: 'offer_paths: two paths, the second introduced by a directed short channel id; no expiry',
      message: { kind: 'offer_paths', paths: [opaquePath(PEOPLE.carol.id, 1, 2), SCID_PATH] },
    },
    {
      description: `serve_static_invoice: Alice's ${profile}-profile static invoice, forwarding path through Carol`,
      message: {
        kind: 'serve_static_invoice',
        invoice: aliceStaticInvoice(profile).bytes,
        forwardInvoiceRequestPath: opaquePath(PEOPLE.carol.id, 1, 4),
      },
    },
  ];
}

function invalidMessages(profile: WireProfile): { description: string; hex: string }[] {
  const t =
    profile === 'ldk'
      ? { opr: 'fe00012714', op: 'fe00012716', ssi: 'fe00012718' }
      : { opr: 'fe00010004', op: 'fe00010006', ssi: 'fe00010008' };
  /** A record of `type` carrying `inner` in this profile's framing. */
  const rec = (type: string, inner: string) => {
    const value = profile === 'ldk' ? `${len(inner)}${inner}` : inner;
    return `${type}${len(value)}${value}`;
  };
  const path = toHex(encodeBlindedPath(opaquePath(PEOPLE.carol.id, 1, 2)));
  const cut = path.slice(0, -2);
  const zeroHops = toHex(encodeBlindedPath({ ...opaquePath(PEOPLE.carol.id, 1, 2), hops: [] }));
  const cases = [
    { description: 'held_htlc_available with an unknown even inner record', hex: rec('48', '0200') },
    { description: 'release_held_htlc with an unknown even inner record', hex: rec('4a', '0401ff') },
    { description: 'offer_paths_request without invoice_slot', hex: rec(t.opr, '') },
    { description: 'offer_paths_request with a 3-byte invoice_slot', hex: rec(t.opr, '0003000003') },
    { description: 'offer_paths with an empty path list', hex: rec(t.op, '0000') },
    { description: 'offer_paths with a truncated blinded path', hex: rec(t.op, `00${len(cut)}${cut}`) },
    { description: 'offer_paths with a path of zero hops', hex: rec(t.op, `00${len(zeroHops)}${zeroHops}`) },
    {
      description: 'offer_paths with paths_absolute_expiry before offer_paths',
      hex: rec(t.op, `0208${'00'.repeat(8)}00${len(path)}${path}`),
    },
    {
      description: 'serve_static_invoice without forward_invoice_request_path',
      hex: rec(t.ssi, '0003b00100'),
    },
  ];
  if (profile === 'ldk') {
    return [
      { description: 'held_htlc_available without the LDK length prefix (a bare 48 00)', hex: '4800' },
      { description: 'held_htlc_available whose length prefix exceeds the record', hex: '480102' },
      { description: 'held_htlc_available with bytes after the length-prefixed stream', hex: '48020000' },
      { description: 'held_htlc_available with a non-minimal length prefix', hex: '4803fd0000' },
      ...cases,
    ];
  }
  return [
    { description: 'held_htlc_available in LDK framing (00 is a truncated inner record)', hex: '480100' },
    ...cases,
  ];
}

function onionMessageCases(): unknown[] {
  const out: unknown[] = [];
  for (const profile of PROFILES) {
    for (const { description, message } of messages(profile)) {
      const record = encodeAsyncMessage(message, profile);
      const view = describeAsyncMessage(record, profile)!;
      out.push({
        description: `${profile}: ${description}`,
        valid: true,
        profile,
        message: message.kind,
        type: view.type,
        hex: recordHex(record),
        inner: view.inner,
        fields: view.fields,
      });
    }
    for (const { description, hex } of invalidMessages(profile)) {
      const code = errorCode(() => describeAsyncMessage(recordFromHex(hex), profile));
      out.push({ description: `${profile}: ${description}`, valid: false, profile, hex, error: { code } });
    }
  }
  return out;
}

// ---- update_add_htlc and revoke_and_ack ----

/** An opaque but well-framed onion packet: version 0, Dave's key, 1300 × 0xdd, hmac 32 × 0xee. */
const ONION = fromHex(`00${toHex(PEOPLE.dave.id)}${'dd'.repeat(1300)}${'ee'.repeat(32)}`);
if (ONION.length !== ONION_PACKET_LENGTH) throw new Error('onion fixture length');
const PREIMAGE = new Uint8Array(32).fill(0x50);
const CHANNEL_ID = new Uint8Array(32).fill(0xc1);

const HTLC: UpdateAddHtlc = {
  channelId: CHANNEL_ID,
  id: 0n,
  amountMsat: 5_000_000n,
  paymentHash: sha256(PREIMAGE),
  cltvExpiry: 900_144,
  onionRoutingPacket: ONION,
};

/** JSON view of an update_add_htlc. */
export function updateAddHtlcJson(m: UpdateAddHtlc): Record<string, unknown> {
  return {
    channel_id: toHex(m.channelId),
    id: m.id.toString(),
    amount_msat: m.amountMsat.toString(),
    payment_hash: toHex(m.paymentHash),
    cltv_expiry: m.cltvExpiry,
    onion_routing_packet: `sha256:${toHex(sha256(m.onionRoutingPacket))}`,
    ...(m.pathKey ? { path_key: toHex(m.pathKey) } : {}),
    ...(m.holdHtlc ? { hold_htlc: true } : {}),
    ...(m.skimmedFeeMsat !== undefined ? { skimmed_fee_msat: m.skimmedFeeMsat.toString() } : {}),
    ...(m.unknown?.length
      ? { unknown: m.unknown.map((u) => ({ type: u.type.toString(), hex: toHex(u.value) })) }
      : {}),
  };
}

function updateAddHtlcCases(): unknown[] {
  const out: unknown[] = [];
  for (const profile of PROFILES) {
    const variants: [string, UpdateAddHtlc][] = [
      ['hold_htlc set (Bob to Erin, Bob going offline)', { ...HTLC, holdHtlc: true }],
      [
        'hold_htlc inside a blinded route (path key from Carol)',
        { ...HTLC, id: 1n, pathKey: PEOPLE.carol.id, holdHtlc: true },
      ],
      ['no hold_htlc', { ...HTLC, id: 2n }],
    ];
    if (profile === 'ldk')
      variants.push([
        'hold_htlc with LDK skimmed_fee_msat',
        { ...HTLC, id: 3n, skimmedFeeMsat: 1000n, holdHtlc: true },
      ]);
    for (const [description, m] of variants) {
      const bytes = encodeUpdateAddHtlc(m, profile);
      out.push({
        description: `${profile}: ${description}`,
        valid: true,
        profile,
        hold_htlc_record: m.holdHtlc
          ? recordHex({ type: holdHtlcType(profile), value: new Uint8Array(0) })
          : null,
        hex: toHex(bytes),
        fields: updateAddHtlcJson(decodeUpdateAddHtlc(bytes, profile)),
      });
    }
    const base = toHex(encodeUpdateAddHtlc(HTLC, profile));
    const other = profile === 'ldk' ? '0200' : 'fe0001271100';
    const invalid: [string, string][] = [
      [
        profile === 'ldk'
          ? 'the spec hold_htlc (2, even) is unknown to LDK'
          : 'a hold_htlc record with a value',
        profile === 'ldk' ? `${base}${other}` : `${base}0201ff`,
      ],
      ['a truncated onion packet', base.slice(0, 2 * (2 + 32 + 8 + 8 + 32 + 4 + 1000))],
    ];
    if (profile === 'spec') {
      out.push({
        description: 'spec: the LDK hold_htlc (75537, odd) is kept as an unknown record, not a hold',
        valid: true,
        profile,
        hold_htlc_record: null,
        hex: `${base}${other}`,
        fields: updateAddHtlcJson(decodeUpdateAddHtlc(fromHex(`${base}${other}`), profile)),
      });
    }
    for (const [description, hex] of invalid) {
      const code = errorCode(() => decodeUpdateAddHtlc(fromHex(hex), profile));
      out.push({ description: `${profile}: ${description}`, valid: false, profile, hex, error: { code } });
    }
  }
  return out;
}

const RAA: RevokeAndAck = {
  channelId: CHANNEL_ID,
  perCommitmentSecret: new Uint8Array(32).fill(0x51),
  nextPerCommitmentPoint: nodeId(0x52),
};

/** JSON view of a revoke_and_ack. */
export function revokeAndAckJson(m: RevokeAndAck): Record<string, unknown> {
  return {
    channel_id: toHex(m.channelId),
    per_commitment_secret: toHex(m.perCommitmentSecret),
    next_per_commitment_point: toHex(m.nextPerCommitmentPoint),
    ...(m.releasePaths
      ? {
          release_paths: m.releasePaths.map((p) => ({
            ...(p.htlcId !== undefined ? { htlc_id: p.htlcId.toString() } : {}),
            path: toHex(encodeBlindedPath(p.path)),
          })),
        }
      : {}),
    ...(m.unknown?.length
      ? { unknown: m.unknown.map((u) => ({ type: u.type.toString(), hex: toHex(u.value) })) }
      : {}),
  };
}

function revokeAndAckCases(): unknown[] {
  const out: unknown[] = [];
  // Erin's release paths: one-hop paths to Erin (LDK pads them with dummy hops; these are opaque).
  const p0 = opaquePath(ERIN, 1, 5);
  const p1 = opaquePath(ERIN, 2, 6);
  for (const profile of PROFILES) {
    const paths: ReleasePath[] =
      profile === 'ldk'
        ? [
            { htlcId: 0n, path: p0 },
            { htlcId: 1n, path: p1 },
          ]
        : [{ path: p0 }, { path: p1 }];
    for (const [description, m] of [
      ['two release paths from Erin', { ...RAA, releasePaths: paths }],
      ['no release paths', RAA],
    ] as [string, RevokeAndAck][]) {
      const bytes = encodeRevokeAndAck(m, profile);
      out.push({
        description: `${profile}: ${description}`,
        valid: true,
        profile,
        release_paths_record: m.releasePaths
          ? recordHex(encodeReleasePathsRecord(m.releasePaths, profile))
          : null,
        hex: toHex(bytes),
        fields: revokeAndAckJson(decodeRevokeAndAck(bytes, profile)),
      });
    }
    const base = toHex(encodeRevokeAndAck(RAA, profile));
    const zero = toHex(encodeBlindedPath({ ...p0, hops: [] }));
    const zeroValue = profile === 'ldk' ? `${'00'.repeat(8)}${zero}` : zero;
    const type = profile === 'ldk' ? 'fe00012711' : '00';
    const value = toHex(encodeReleasePathsRecord(paths, profile).value);
    const cut = value.slice(0, -2);
    const invalid: [string, string][] = [
      ['a truncated release path', `${base}${type}${len(cut)}${cut}`],
      ['a release path with zero hops', `${base}${type}${len(zeroValue)}${zeroValue}`],
    ];
    if (profile === 'ldk') {
      const spec = toHex(encodeBlindedPath(p0));
      invalid.push(['the spec release paths (0, even) are unknown to LDK', `${base}00${len(spec)}${spec}`]);
    }
    for (const [description, hex] of invalid) {
      const code = errorCode(() => decodeRevokeAndAck(fromHex(hex), profile));
      out.push({ description: `${profile}: ${description}`, valid: false, profile, hex, error: { code } });
    }
  }
  return out;
}

// ---- payment onion extras ----

function paymentOnionExtrasCases(): unknown[] {
  const invreq = bobInvoiceRequest().bytes;
  return PROFILES.map((profile) => {
    const table = paymentOnionExtras(profile);
    return {
      description: `${profile}: Bob pays Alice's static invoice: his invoice_request and his preimage in the final payload`,
      profile,
      invoice_request_type: table.invoice_request.type.toString(),
      sender_provided_payment_preimage_type: SENDER_PREIMAGE_TYPE.toString(),
      sender_provided_payment_preimage: toHex(PREIMAGE),
      'sha256(sender_provided_payment_preimage)': toHex(sha256(PREIMAGE)),
      invoice_request: toHex(invreq),
      hex: toHex(
        encodeTlvStream(table, { invoice_request: invreq, sender_provided_payment_preimage: PREIMAGE }),
      ),
    };
  });
}

// ---- payment_unblock ----

function paymentUnblockCases(): Record<string, unknown> {
  const pid = new Uint8Array(32).fill(0x70);
  const h = sha256(PREIMAGE);
  const h2 = sha256(new Uint8Array(32).fill(0x51));
  return {
    comment:
      "payment_unblock variant (packages/codec/src/async/UNBLOCK.md): Bob pays Alice; Erin is Bob's LSP and holds the HTLCs. Same bytes in both wire profiles.",
    types: Object.fromEntries(Object.entries(PAYMENT_UNBLOCK_TYPES).map(([k, v]) => [k, v.toString()])),
    pid: toHex(pid),
    'sha256(pid)': toHex(sha256(pid)),
    payment_hashes: [toHex(h), toHex(h2)],
    cases: [
      {
        description:
          'payment_unblock_hold: Bob asks Erin to hold two payment hashes until SHA256(pid) is opened',
        message: 'payment_unblock_hold',
        valid: true,
        hex: recordHex(encodePaymentUnblockHold({ paymentHashes: [h, h2], unblockHash: sha256(pid) })),
      },
      {
        description: 'payment_unblock_available: Bob tells Alice the pid and that Erin holds the HTLC',
        message: 'payment_unblock_available',
        valid: true,
        hex: recordHex(encodePaymentUnblockAvailable({ pid, unblockNodeId: ERIN, paymentHashes: [h] })),
      },
      {
        description: 'payment_unblock_available without the optional payment hashes',
        message: 'payment_unblock_available',
        valid: true,
        hex: recordHex(encodePaymentUnblockAvailable({ pid, unblockNodeId: ERIN })),
      },
      {
        description: 'payment_unblock_release: Alice releases; the content record is empty',
        message: 'payment_unblock_release',
        valid: true,
        hex: recordHex(encodePaymentUnblockRelease()),
      },
      {
        description: "payment_unblock in Erin's encrypted_data_tlv, written by Alice",
        message: 'encrypted_data_tlv',
        valid: true,
        hex: toHex(encodeTlvStream(paymentUnblockEncryptedDataTlvs, { payment_unblock: pid })),
      },
      {
        description: 'payment_unblock_hold with an empty hash list',
        message: 'payment_unblock_hold',
        valid: false,
        hex: `fe0001731924${'0000'}0220${toHex(sha256(pid))}`,
        error: {
          code: errorCode(() =>
            decodePaymentUnblockHold(recordFromHex(`fe0001731924${'0000'}0220${toHex(sha256(pid))}`)),
          ),
        },
      },
      {
        description: 'payment_unblock_available without unblock_node_id',
        message: 'payment_unblock_available',
        valid: false,
        hex: `fe0001731b22${'0020'}${toHex(pid)}`,
        error: {
          code: errorCode(() =>
            decodePaymentUnblockAvailable(recordFromHex(`fe0001731b22${'0020'}${toHex(pid)}`)),
          ),
        },
      },
    ],
    release_checks: [
      {
        description: 'the pid opens the hold',
        pid: toHex(pid),
        unblock_hash: toHex(sha256(pid)),
        valid: true,
      },
      {
        description: 'another 32 bytes do not',
        pid: toHex(new Uint8Array(32).fill(0x71)),
        unblock_hash: toHex(sha256(pid)),
        valid: false,
        error: { code: errorCode(() => checkUnblock(new Uint8Array(32).fill(0x71), sha256(pid))) },
      },
    ],
  };
}

/** The vector files this module writes. */
export const vectors: { file: string; generate(): unknown }[] = [
  {
    file: 'async-payment-messages.json',
    generate: () => ({
      comment:
        "Async-payment messages. Profile 'ldk' = LDK 0.2 numbers and framing (a BigSize length before each async onion message's inner TLV stream); 'spec' = bolts#1149 and the bLIP-66 draft. onion_messages[].hex is the whole onionmsg_tlv record.",
      people: Object.fromEntries(
        [
          ...Object.entries(PEOPLE),
          ['erin', { secret: new Uint8Array(32).fill(0x45), id: ERIN }] as const,
        ].map(([name, p]) => [name, { secret: toHex(p.secret), node_id: toHex(p.id) }]),
      ),
      onion_messages: onionMessageCases(),
      update_add_htlc: updateAddHtlcCases(),
      revoke_and_ack: revokeAndAckCases(),
      payment_onion_extras: paymentOnionExtrasCases(),
      payment_unblock: paymentUnblockCases(),
    }),
  },
];
