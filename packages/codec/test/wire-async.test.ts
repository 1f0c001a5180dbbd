import { typedErrors } from '@asyncpay/testkit/expect';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBigSize } from '../src/bigsize.js';
import { type BlindedPath, encodeBlindedPath } from '../src/blinded-path.js';
import { concatBytes, fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import type { WireProfile } from '../src/profile.js';
import { decodeTlvStream, encodeTlvStream } from '../src/tlv.js';
import {
  checkSenderPreimage,
  decodePaymentOnionExtras,
  isPaymentOnionExtraType,
  paymentOnionExtras,
  paymentOnionExtrasLdk,
  paymentOnionExtrasSpec,
} from '../src/wire/payment-onion-extras.js';
import {
  decodeRevokeAndAck,
  encodeReleasePathsRecord,
  encodeRevokeAndAck,
  type RevokeAndAck,
} from '../src/wire/revoke-and-ack.js';
import {
  decodeUpdateAddHtlc,
  encodeUpdateAddHtlc,
  holdHtlcType,
  ONION_PACKET_LENGTH,
  type UpdateAddHtlc,
} from '../src/wire/update-add-htlc.js';

const person = (byte: number) => secp256k1.getPublicKey(new Uint8Array(32).fill(byte));
const POINTS = Array.from({ length: 8 }, (_, i) => person(0x41 + i));
const [ALICE, BOB, CAROL] = POINTS as [Uint8Array, Uint8Array, Uint8Array];
const path: BlindedPath = {
  introductionNode: { nodeId: ALICE },
  pathKey: BOB,
  hops: [{ blindedNodeId: CAROL, encryptedData: fromHex('eeee') }],
};

const { expectCode } = typedErrors(CodecError);

const onion = new Uint8Array(ONION_PACKET_LENGTH).fill(0xcc);
onion[0] = 0;
const htlc: UpdateAddHtlc = {
  channelId: new Uint8Array(32).fill(0xaa),
  id: 7n,
  amountMsat: 100_000n,
  paymentHash: sha256(new Uint8Array(32).fill(0x50)),
  cltvExpiry: 800_144,
  onionRoutingPacket: onion,
};
const fixedPart = (m: UpdateAddHtlc) =>
  `0080${toHex(m.channelId)}0000000000000007${'00000000000186a0'}${toHex(m.paymentHash)}000c3590${toHex(onion)}`;

describe('update_add_htlc hold_htlc (bolts#1149 / LDK)', () => {
  it('writes hold_htlc as fe00012711 00 in the LDK profile and 02 00 in the spec profile', () => {
    expect(toHex(encodeUpdateAddHtlc({ ...htlc, holdHtlc: true }, 'ldk'))).toBe(
      `${fixedPart(htlc)}fe0001271100`,
    );
    expect(toHex(encodeUpdateAddHtlc({ ...htlc, holdHtlc: true }, 'spec'))).toBe(`${fixedPart(htlc)}0200`);
    expect(holdHtlcType('ldk')).toBe(75537n);
    expect(holdHtlcType('spec')).toBe(2n);
  });

  it('writes the path key as type 0 before hold_htlc', () => {
    const bytes = encodeUpdateAddHtlc({ ...htlc, pathKey: BOB, holdHtlc: true }, 'spec');
    expect(toHex(bytes)).toBe(`${fixedPart(htlc)}0021${toHex(BOB)}0200`);
    expect(decodeUpdateAddHtlc(bytes, 'spec')).toEqual({ ...htlc, pathKey: BOB, holdHtlc: true });
  });

  it('decodes an add without TLVs to no hold', () => {
    const m = decodeUpdateAddHtlc(encodeUpdateAddHtlc(htlc));
    expect(m).toEqual(htlc);
    expect(m.holdHtlc).toBeUndefined();
  });

  it('fails the spec hold_htlc (type 2) in the LDK profile as an unknown even type', () => {
    expectCode(() => decodeUpdateAddHtlc(fromHex(`${fixedPart(htlc)}0200`), 'ldk'), 'TLV_UNKNOWN_EVEN_TYPE');
  });

  it('keeps the LDK hold_htlc (75537, odd) as an unknown record in the spec profile', () => {
    const m = decodeUpdateAddHtlc(fromHex(`${fixedPart(htlc)}fe0001271100`), 'spec');
    expect(m.holdHtlc).toBeUndefined();
    expect(m.unknown?.map((u) => u.type)).toEqual([75537n]);
  });

  it('fails a hold_htlc record with a value with TRAILING_BYTES', () => {
    expectCode(
      () => decodeUpdateAddHtlc(fromHex(`${fixedPart(htlc)}fe000127110101`), 'ldk'),
      'TRAILING_BYTES',
    );
  });

  it('fails a truncated onion packet with UNEXPECTED_EOF and another message type with MESSAGE_UNKNOWN_TYPE', () => {
    expectCode(() => decodeUpdateAddHtlc(fromHex(fixedPart(htlc)).subarray(0, 1000)), 'UNEXPECTED_EOF');
    expectCode(() => decodeUpdateAddHtlc(fromHex(`0081${fixedPart(htlc).slice(4)}`)), 'MESSAGE_UNKNOWN_TYPE');
  });

  it('writes LDK skimmed_fee_msat (65537) and refuses it in the spec profile', () => {
    const bytes = encodeUpdateAddHtlc({ ...htlc, skimmedFeeMsat: 1000n, holdHtlc: true }, 'ldk');
    expect(toHex(bytes)).toBe(`${fixedPart(htlc)}fe0001000108${'00000000000003e8'}fe0001271100`);
    expect(() => encodeUpdateAddHtlc({ ...htlc, skimmedFeeMsat: 1n }, 'spec')).toThrow(RangeError);
  });
});

const raa: RevokeAndAck = {
  channelId: new Uint8Array(32).fill(0xaa),
  perCommitmentSecret: new Uint8Array(32).fill(0x51),
  nextPerCommitmentPoint: person(0x52),
};
const raaFixed = `0085${'aa'.repeat(32)}${'51'.repeat(32)}${toHex(person(0x52))}`;

describe('revoke_and_ack release paths (bolts#1149 / LDK)', () => {
  it('writes LDK 75537 as u64 htlc_id ‖ blinded_path per path, with no count', () => {
    const p = toHex(encodeBlindedPath(path));
    const value = `0000000000000003${p}0000000000000004${p}`;
    const rec = encodeReleasePathsRecord(
      [
        { htlcId: 3n, path },
        { htlcId: 4n, path },
      ],
      'ldk',
    );
    expect(rec.type).toBe(75537n);
    expect(toHex(rec.value)).toBe(value);
    const bytes = encodeRevokeAndAck(
      {
        ...raa,
        releasePaths: [
          { htlcId: 3n, path },
          { htlcId: 4n, path },
        ],
      },
      'ldk',
    );
    expect(toHex(bytes)).toBe(`${raaFixed}fe00012711${toHex(encodeBigSize(value.length / 2))}${value}`);
  });

  it('writes spec type 0 as blinded paths back to back', () => {
    const p = toHex(encodeBlindedPath(path));
    const bytes = encodeRevokeAndAck({ ...raa, releasePaths: [{ path }, { path }] }, 'spec');
    expect(toHex(bytes)).toBe(`${raaFixed}00${toHex(encodeBigSize(p.length))}${p}${p}`);
    expect(decodeRevokeAndAck(bytes, 'spec')).toEqual({ ...raa, releasePaths: [{ path }, { path }] });
  });

  it('refuses an htlc_id in the spec profile and a missing one in the LDK profile', () => {
    expect(() => encodeRevokeAndAck({ ...raa, releasePaths: [{ htlcId: 1n, path }] }, 'spec')).toThrow(
      RangeError,
    );
    expect(() => encodeRevokeAndAck({ ...raa, releasePaths: [{ path }] }, 'ldk')).toThrow(TypeError);
  });

  it('fails a truncated release path with UNEXPECTED_EOF', () => {
    const p = encodeBlindedPath(path);
    const value = concatBytes(new Uint8Array(8), p.subarray(0, p.length - 1));
    const bytes = concatBytes(fromHex(raaFixed), fromHex('fe00012711'), encodeBigSize(value.length), value);
    expectCode(() => decodeRevokeAndAck(bytes, 'ldk'), 'UNEXPECTED_EOF');
  });

  it('fails a release path with no hops with EMPTY_PATH', () => {
    const p = encodeBlindedPath({ ...path, hops: [] });
    const bytes = concatBytes(fromHex(raaFixed), fromHex('00'), encodeBigSize(p.length), p);
    expectCode(() => decodeRevokeAndAck(bytes, 'spec'), 'EMPTY_PATH');
  });

  it('fails an invalid next_per_commitment_point with INVALID_POINT', () => {
    expectCode(
      () => decodeRevokeAndAck(fromHex(`0085${'aa'.repeat(32)}${'51'.repeat(32)}04${'00'.repeat(32)}`)),
      'INVALID_POINT',
    );
  });

  it('fails the spec paths type (0, even) in the LDK profile', () => {
    const p = encodeBlindedPath(path);
    const bytes = concatBytes(fromHex(raaFixed), fromHex('00'), encodeBigSize(p.length), p);
    expectCode(() => decodeRevokeAndAck(bytes, 'ldk'), 'TLV_UNKNOWN_EVEN_TYPE');
  });
});

describe('payment onion final-hop extras', () => {
  const preimage = new Uint8Array(32).fill(0x50);
  const invreq = fromHex('0a0568656c6c6f');

  it('numbers invoice_request 77777 (LDK) or 1 (spec) and the preimage 5482373484 in both', () => {
    const values = { invoice_request: invreq, sender_provided_payment_preimage: preimage };
    expect(toHex(encodeTlvStream(paymentOnionExtrasLdk, values))).toBe(
      `fe00012fd107${toHex(invreq)}ff0000000146c6616c20${toHex(preimage)}`,
    );
    expect(toHex(encodeTlvStream(paymentOnionExtrasSpec, values))).toBe(
      `0107${toHex(invreq)}ff0000000146c6616c20${toHex(preimage)}`,
    );
    const back = decodeTlvStream(
      encodeTlvStream(paymentOnionExtras('spec'), values),
      paymentOnionExtras('spec'),
    );
    expect(back.values).toEqual(values);
  });

  it('picks the extras out of records a payload decoder kept raw', () => {
    const stream = fromHex(
      `02030186a00403000c35fe00012fd107${toHex(invreq)}ff0000000146c6616c20${toHex(preimage)}`,
    );
    const decoded = decodeTlvStream(
      stream,
      {},
      { allowUnknown: (t) => t < 5n || isPaymentOnionExtraType(t, 'ldk') },
    );
    const { values, rest } = decodePaymentOnionExtras(decoded.unknown, 'ldk');
    expect(values).toEqual({ invoice_request: invreq, sender_provided_payment_preimage: preimage });
    expect(rest.map((r) => r.type)).toEqual([2n, 4n]);
    expect(isPaymentOnionExtraType(1n, 'ldk')).toBe(false);
    expect(isPaymentOnionExtraType(1n, 'spec')).toBe(true);
  });

  it('accepts a preimage whose SHA256 is the payment hash', () => {
    expect(
      checkSenderPreimage(
        { invoice_request: invreq, sender_provided_payment_preimage: preimage },
        htlc.paymentHash,
      ),
    ).toBe(preimage);
  });

  it('fails a preimage that does not hash to the payment hash with INVALID_FIELD', () => {
    expectCode(
      () =>
        checkSenderPreimage(
          { invoice_request: invreq, sender_provided_payment_preimage: preimage },
          new Uint8Array(32),
        ),
      'INVALID_FIELD',
    );
  });

  it('fails a missing preimage or invoice request with MISSING_FIELD', () => {
    expectCode(() => checkSenderPreimage({ invoice_request: invreq }, htlc.paymentHash), 'MISSING_FIELD');
    expectCode(
      () => checkSenderPreimage({ sender_provided_payment_preimage: preimage }, htlc.paymentHash),
      'MISSING_FIELD',
    );
  });

  it('fails a preimage of the wrong length', () => {
    expectCode(
      () => decodeTlvStream(fromHex(`ff0000000146c6616c1f${'50'.repeat(31)}`), paymentOnionExtrasLdk),
      'UNEXPECTED_EOF',
    );
  });
});

// ---- properties ----

const point = fc.constantFrom(...POINTS);
const arbPath: fc.Arbitrary<BlindedPath> = fc.record({
  introductionNode: point.map((nodeId) => ({ nodeId })),
  pathKey: point,
  hops: fc.array(fc.record({ blindedNodeId: point, encryptedData: fc.uint8Array({ maxLength: 20 }) }), {
    minLength: 1,
    maxLength: 2,
  }),
});
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const arbAdd = (profile: WireProfile): fc.Arbitrary<UpdateAddHtlc> =>
  fc.record(
    {
      channelId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      id: u64,
      amountMsat: u64,
      paymentHash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      cltvExpiry: fc.integer({ min: 0, max: 0xffffffff }),
      onionRoutingPacket: fc.constant(onion),
      pathKey: point,
      holdHtlc: fc.constant(true as const),
      ...(profile === 'ldk' ? { skimmedFeeMsat: u64 } : {}),
    },
    { requiredKeys: ['channelId', 'id', 'amountMsat', 'paymentHash', 'cltvExpiry', 'onionRoutingPacket'] },
  );
const arbRaa = (profile: WireProfile): fc.Arbitrary<RevokeAndAck> =>
  fc.record(
    {
      channelId: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      perCommitmentSecret: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      nextPerCommitmentPoint: point,
      releasePaths: fc.array(
        profile === 'ldk' ? fc.record({ htlcId: u64, path: arbPath }) : arbPath.map((p) => ({ path: p })),
        { minLength: 1, maxLength: 3 },
      ),
    },
    { requiredKeys: ['channelId', 'perCommitmentSecret', 'nextPerCommitmentPoint'] },
  );

describe('properties', () => {
  it.each(['ldk', 'spec'] as WireProfile[])('round-trips update_add_htlc in the %s profile', (profile) => {
    fc.assert(
      fc.property(arbAdd(profile), (m) => {
        expect(decodeUpdateAddHtlc(encodeUpdateAddHtlc(m, profile), profile)).toEqual(m);
      }),
      { numRuns: 100 },
    );
  });

  it.each(['ldk', 'spec'] as WireProfile[])('round-trips revoke_and_ack in the %s profile', (profile) => {
    fc.assert(
      fc.property(arbRaa(profile), (m) => {
        expect(decodeRevokeAndAck(encodeRevokeAndAck(m, profile), profile)).toEqual(m);
      }),
      { numRuns: 200 },
    );
  });

  it.each(['ldk', 'spec'] as WireProfile[])(
    'turns mutated revoke_and_ack bytes into typed errors only (%s)',
    (profile) => {
      fc.assert(
        fc.property(
          arbRaa(profile),
          fc.nat(),
          fc.integer({ min: 0, max: 255 }),
          fc.nat(),
          (m, at, byte, cut) => {
            const bytes = encodeRevokeAndAck(m, profile);
            const i = 2 + 64 + 33 + (at % (bytes.length - 99 || 1));
            if (i < bytes.length) bytes[i] = byte;
            try {
              decodeRevokeAndAck(bytes.subarray(0, bytes.length - (cut % 4)), profile);
            } catch (e) {
              expect(e).toBeInstanceOf(CodecError);
            }
          },
        ),
        { numRuns: 500 },
      );
    },
  );
});
