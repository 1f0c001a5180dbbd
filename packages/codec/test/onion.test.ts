import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readBigSize } from '../src/bigsize.js';
import { fromHex, Reader, toHex } from '../src/bytes.js';
import { CodecError, DecodeError, SignatureError } from '../src/errors.js';
import { decodePaymentPayload, encodePaymentPayload } from '../src/onion/payment-payload.js';
import {
  constructOnion,
  decodeOnionPacket,
  deriveOnionKeys,
  generateKey,
  type OnionHop,
  peelOnion,
  publicKeyOf,
  scalarFromBytes,
  sharedSecret,
} from '../src/onion/sphinx.js';

const FILE = 'bolts/bolt04/onion-test.json';

interface OnionTest {
  generate: { session_key: string; associated_data: string; hops: { pubkey: string; payload: string }[] };
  onion: string;
  decode: string[];
}

const v = readUpstreamJson<OnionTest>(FILE);
const ad = fromHex(v.generate.associated_data);
// "All the payloads already have the variable length encoded": strip the BigSize prefix.
const hops: OnionHop[] = v.generate.hops.map((h) => {
  const r = new Reader(fromHex(h.payload));
  const len = readBigSize(r);
  const payload = r.take(Number(len));
  r.end();
  return { pubkey: fromHex(h.pubkey), payload };
});

describe(vectorSuite('upstream', FILE, 1 + v.decode.length), () => {
  it('constructs the 1366-byte onion byte for byte', () => {
    const { packet } = constructOnion({
      sessionKey: fromHex(v.generate.session_key),
      hops,
      associatedData: ad,
    });
    expect(packet.length).toBe(1366);
    expect(toHex(packet)).toBe(v.onion);
  });

  // Each hop peels the packet the previous hop produced, starting from the vector's onion.
  let packet = fromHex(v.onion);
  v.decode.forEach((privkey, i) => {
    it(`hop ${i} peels its payload${i === v.decode.length - 1 ? ' and sees an all-zero next HMAC' : ''}`, () => {
      const peeled = peelOnion(fromHex(privkey), packet, { associatedData: ad, payloadsLength: 1300 });
      expect(toHex(peeled.payload)).toBe(toHex(hops[i]!.payload));
      expect(toHex(publicKeyOf(scalarFromBytes(fromHex(privkey), 'k')))).toBe(v.generate.hops[i]!.pubkey);
      if (i === v.decode.length - 1) expect(peeled.nextPacket).toBeUndefined();
      else {
        expect(peeled.nextPacket!.length).toBe(1366);
        packet = peeled.nextPacket!;
      }
    });
  });
});

describe('BOLT 4 Sphinx', () => {
  const keys = [1, 2, 3, 4, 5, 6].map((b) => new Uint8Array(32).fill(b + 0x40));
  const pubs = keys.map((k) => publicKeyOf(scalarFromBytes(k, 'k')));
  const session = new Uint8Array(32).fill(0x33);

  it('generates the key types as HMAC-SHA256 keyed by their ASCII names', () => {
    const ss = deriveOnionKeys(fromHex(v.generate.session_key), [hops[0]!.pubkey]).sharedSecrets[0]!;
    expect(generateKey('rho', ss)).toHaveLength(32);
    expect(toHex(generateKey('mu', ss))).not.toBe(toHex(generateKey('um', ss)));
  });

  it("computes the shared secret as SHA-256 of noble getSharedSecret's compressed point", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), (a, b) => {
        const expected = sha256(secp256k1.getSharedSecret(keys[a]!, pubs[b]!, true));
        expect(toHex(sharedSecret(keys[a]!, pubs[b]!))).toBe(toHex(expected));
      }),
      { numRuns: 6 },
    );
  });

  it('keeps unknown odd payload records and refuses unknown even ones', () => {
    const extra = [{ type: 77_777n, value: fromHex('0102') }];
    const bytes = encodePaymentPayload({ amt_to_forward: 1000n, outgoing_cltv_value: 800n }, extra);
    const d = decodePaymentPayload(bytes);
    expect(d.values).toEqual({ amt_to_forward: 1000n, outgoing_cltv_value: 800n });
    expect(d.unknown).toEqual(extra);
    const even = encodePaymentPayload({}, [{ type: 5_482_373_484n, value: new Uint8Array(32) }]);
    expect(() => decodePaymentPayload(even)).toThrow(
      expect.objectContaining({ code: 'TLV_UNKNOWN_EVEN_TYPE' }),
    );
    expect(decodePaymentPayload(even, { allowUnknown: (t) => t === 5_482_373_484n }).unknown).toHaveLength(1);
  });

  it('builds then peels across N hops and returns every payload', () => {
    fc.assert(
      fc.property(
        // Six payloads of up to 150 bytes always fit: 6 · (3 + 150 + 32) < 1300.
        fc.array(fc.uint8Array({ minLength: 2, maxLength: 150 }), { minLength: 1, maxLength: 6 }),
        fc.uint8Array({ maxLength: 40 }),
        (payloads, assoc) => {
          const route = payloads.map((payload, i) => ({ pubkey: pubs[i]!, payload }));
          let { packet } = constructOnion({ sessionKey: session, hops: route, associatedData: assoc });
          for (let i = 0; i < route.length; i++) {
            const peeled = peelOnion(keys[i]!, packet, { associatedData: assoc });
            expect(toHex(peeled.payload)).toBe(toHex(route[i]!.payload));
            expect(peeled.nextPacket === undefined).toBe(i === route.length - 1);
            if (peeled.nextPacket) packet = peeled.nextPacket;
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('fails with BAD_HMAC when any bit of the packet after the key is flipped', () => {
    const route = [0, 1, 2].map((i) => ({ pubkey: pubs[i]!, payload: new Uint8Array(20).fill(i + 1) }));
    const { packet } = constructOnion({ sessionKey: session, hops: route, associatedData: ad });
    fc.assert(
      fc.property(fc.integer({ min: 34 * 8, max: packet.length * 8 - 1 }), (bit) => {
        const bad = packet.slice();
        bad[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => peelOnion(keys[0]!, bad, { associatedData: ad })).toThrow(
          expect.objectContaining({ code: 'BAD_HMAC' }),
        );
      }),
      { numRuns: 60 },
    );
    expect(() => peelOnion(keys[0]!, packet, { associatedData: new Uint8Array(1) })).toThrow(
      expect.objectContaining({ code: 'BAD_HMAC' }),
    );
  });

  it('gives only typed codec errors for random and mutated packets', () => {
    const route = [0, 1].map((i) => ({ pubkey: pubs[i]!, payload: new Uint8Array(10).fill(i + 7) }));
    const { packet } = constructOnion({ sessionKey: session, hops: route });
    const mutated = fc
      .tuple(fc.nat({ max: packet.length - 1 }), fc.integer({ min: 1, max: 255 }))
      .map(([at, x]) => {
        const b = packet.slice();
        b[at]! ^= x;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 1500 }), mutated), (bytes) => {
        try {
          peelOnion(keys[0]!, bytes);
          return false;
        } catch (e) {
          return e instanceof CodecError;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('fails parsing a packet with version 1', () => {
    const bad = fromHex(v.onion);
    bad[0] = 1;
    expect(() => decodeOnionPacket(bad)).toThrow(expect.objectContaining({ code: 'ONION_BAD_VERSION' }));
  });

  it('fails parsing a packet whose public key is not on the curve', () => {
    const bad = fromHex(v.onion);
    bad.set(new Uint8Array(33).fill(0xff), 1);
    bad[1] = 2;
    expect(() => peelOnion(fromHex(v.decode[0]!), bad, { associatedData: ad })).toThrow(DecodeError);
    expect(() => peelOnion(fromHex(v.decode[0]!), bad, { associatedData: ad })).toThrow(
      expect.objectContaining({ code: 'INVALID_POINT' }),
    );
  });

  it('fails parsing a payment packet of the wrong length', () => {
    expect(() =>
      peelOnion(fromHex(v.decode[0]!), fromHex(v.onion).slice(0, 1365), { payloadsLength: 1300 }),
    ).toThrow(expect.objectContaining({ code: 'ONION_BAD_LENGTH' }));
  });

  it('fails peeling with another node key with BAD_HMAC', () => {
    const peel = () => peelOnion(fromHex(v.decode[1]!), fromHex(v.onion), { associatedData: ad });
    expect(peel).toThrow(SignatureError);
    expect(peel).toThrowError(expect.objectContaining({ code: 'BAD_HMAC' }));
  });

  it('refuses payloads that do not fit in 1300 bytes', () => {
    const big = [{ pubkey: pubs[0]!, payload: new Uint8Array(1266) }];
    expect(() => constructOnion({ sessionKey: session, hops: big })).toThrow(RangeError);
    expect(() =>
      constructOnion({ sessionKey: session, hops: [{ pubkey: pubs[0]!, payload: new Uint8Array(1265) }] }),
    ).not.toThrow();
  });

  it('checks argument types at the boundary', () => {
    expect(() => constructOnion({ sessionKey: 'x' as unknown as Uint8Array, hops })).toThrow(TypeError);
    expect(() => constructOnion({ sessionKey: new Uint8Array(31), hops })).toThrow(RangeError);
    expect(() => peelOnion(new Uint8Array(32), fromHex(v.onion))).toThrow(RangeError);
  });
});
