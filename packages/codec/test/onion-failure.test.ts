import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import {
  createFailurePacket,
  decodeFailureMessage,
  decodeFailurePacket,
  encodeFailureMessage,
  FAILURE_CODES,
  failurePayload,
  obfuscateFailurePacket,
} from '../src/onion/failure.js';
import { deriveOnionKeys, generateKey } from '../src/onion/sphinx.js';

const FILE = 'bolts/bolt04/onion-error-test.json';

interface Hop {
  pubkey: string;
  hop_shared_secret: string;
  ammag_key: string;
  um_key?: string;
  payload?: string;
}
interface ErrorTest {
  generate: { session_key: string; failure_message: string; hops: Hop[] };
  errorpacket: string;
}

const v = readUpstreamJson<ErrorTest>(FILE);
const hops = v.generate.hops;
const erring = hops.length - 1;
const { sharedSecrets } = deriveOnionKeys(
  fromHex(v.generate.session_key),
  hops.map((h) => fromHex(h.pubkey)),
);

// Cases: one per hop (shared secret, ammag key, and um key + payload at the erring hop), the final
// obfuscated packet, and the origin's decoding.
describe(vectorSuite('upstream', FILE, hops.length + 2), () => {
  hops.forEach((h, i) => {
    it(`derives hop ${i}'s shared secret and ammag key${h.um_key ? ', and its um key and return payload' : ''}`, () => {
      expect(toHex(sharedSecrets[i]!)).toBe(h.hop_shared_secret);
      expect(toHex(generateKey('ammag', sharedSecrets[i]!))).toBe(h.ammag_key);
      if (h.um_key) expect(toHex(generateKey('um', sharedSecrets[i]!))).toBe(h.um_key);
      if (h.payload) {
        // The vector's payload "omits the HMAC".
        const p = failurePayload(sharedSecrets[i]!, fromHex(v.generate.failure_message));
        expect(toHex(p.subarray(32))).toBe(h.payload);
      }
    });
  });

  it('obfuscates the return packet at every hop back to the origin, byte for byte', () => {
    let packet = createFailurePacket(sharedSecrets[erring]!, fromHex(v.generate.failure_message));
    for (let i = erring - 1; i >= 0; i--) packet = obfuscateFailurePacket(sharedSecrets[i]!, packet);
    expect(toHex(packet)).toBe(v.errorpacket);
  });

  it('decodes at the origin: hop 4 sent temporary_node_failure (NODE|2)', () => {
    const d = decodeFailurePacket(sharedSecrets, fromHex(v.errorpacket));
    expect(d.hopIndex).toBe(erring);
    expect(toHex(d.failureMessage)).toBe(v.generate.failure_message);
    expect(d.message.name).toBe('temporary_node_failure');
    expect(d.message.flags).toEqual(['NODE']);
  });
});

describe('BOLT 4 failure messages', () => {
  it('round-trips the fields of the common failure codes', () => {
    const cases = [
      { code: 'invalid_onion_hmac', fields: { sha256_of_onion: new Uint8Array(32).fill(9) } },
      { code: 'fee_insufficient', fields: { htlc_msat: 1000n, channel_update: fromHex('0102') } },
      { code: 'incorrect_cltv_expiry', fields: { cltv_expiry: 800_000, channel_update: new Uint8Array(0) } },
      { code: 'incorrect_or_unknown_payment_details', fields: { htlc_msat: 100n, height: 800_000 } },
      { code: 'channel_disabled', fields: { disabled_flags: 0, channel_update: fromHex('aa') } },
      { code: 'invalid_onion_payload', fields: { type: 65_537n, offset: 12 } },
      { code: 'mpp_timeout', fields: {} },
    ] as const;
    for (const c of cases) {
      const m = decodeFailureMessage(encodeFailureMessage(c));
      expect(m.name).toBe(c.code);
      expect(m.code).toBe(FAILURE_CODES[c.code]);
      expect(m.fields).toEqual(c.fields);
    }
    expect(
      decodeFailureMessage(
        encodeFailureMessage({
          code: 'invalid_onion_blinding',
          fields: { sha256_of_onion: new Uint8Array(32) },
        }),
      ).flags,
    ).toEqual(['BADONION', 'PERM']);
  });

  it('decodes the BOLT 4 trace message incorrect_or_unknown_payment_details with its TLV stream', () => {
    const tlv = new Uint8Array(300).fill(128);
    const msg = encodeFailureMessage({
      code: 'incorrect_or_unknown_payment_details',
      fields: { htlc_msat: 100n, height: 800_000 },
      tlvs: [{ type: 34_001n, value: tlv }],
    });
    // The "encoded_failure_message" of the BOLT 4 "Returning Errors" trace begins like this.
    expect(toHex(msg.subarray(0, 24))).toBe('400f0000000000000064000c3500fd84d1fd012c80808080');
    const m = decodeFailureMessage(msg);
    expect(m.tlvs).toHaveLength(1);
    expect(m.tlvs[0]!.type).toBe(34_001n);
  });

  it('fails with BAD_HMAC when no hop authenticates the packet', () => {
    const bad = fromHex(v.errorpacket);
    bad[100]! ^= 1;
    expect(() => decodeFailurePacket(sharedSecrets, bad)).toThrow(
      expect.objectContaining({ code: 'BAD_HMAC' }),
    );
  });

  it('fails decoding a truncated amount_below_minimum with UNEXPECTED_EOF', () => {
    expect(() => decodeFailureMessage(fromHex('100b0000'))).toThrow(
      expect.objectContaining({ code: 'UNEXPECTED_EOF' }),
    );
  });

  it('gives only typed errors for random return packets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          decodeFailurePacket(sharedSecrets, bytes);
          return false;
        } catch (e) {
          return e instanceof CodecError;
        }
      }),
      { numRuns: 100 },
    );
  });
});
