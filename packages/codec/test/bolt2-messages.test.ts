import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import { decodeCommitmentSigned, encodeCommitmentSigned } from '../src/wire/commitment-signed.js';
import { decodeLspsMessage, encodeLspsMessage } from '../src/wire/lsps0.js';
import { decodeUpdateFailHtlc, encodeUpdateFailHtlc } from '../src/wire/update-fail-htlc.js';
import { decodeUpdateFulfillHtlc, encodeUpdateFulfillHtlc } from '../src/wire/update-fulfill-htlc.js';

const chan = new Uint8Array(32).fill(0x11);

describe('BOLT 2 update_fulfill_htlc, update_fail_htlc, commitment_signed', () => {
  it('encodes update_fulfill_htlc field by field', () => {
    const b = encodeUpdateFulfillHtlc({
      channelId: chan,
      id: 5n,
      paymentPreimage: new Uint8Array(32).fill(0xaa),
    });
    expect(toHex(b)).toBe(`0082${'11'.repeat(32)}0000000000000005${'aa'.repeat(32)}`);
    expect(decodeUpdateFulfillHtlc(b).id).toBe(5n);
  });

  it('keeps an unknown odd TLV and refuses an unknown even one', () => {
    const b = encodeUpdateFailHtlc({ channelId: chan, id: 1n, reason: fromHex('beef') });
    expect(decodeUpdateFailHtlc(concatBytes(b, fromHex('0100'))).tlvs).toHaveLength(1);
    expect(() => decodeUpdateFailHtlc(concatBytes(b, fromHex('0200')))).toThrowError(
      expect.objectContaining({ code: 'TLV_UNKNOWN_EVEN_TYPE' }),
    );
  });

  it('fails parsing a message of another type with MESSAGE_UNKNOWN_TYPE', () => {
    const b = encodeUpdateFailHtlc({ channelId: chan, id: 1n, reason: new Uint8Array(0) });
    expect(() => decodeUpdateFulfillHtlc(b)).toThrowError(
      expect.objectContaining({ code: 'MESSAGE_UNKNOWN_TYPE' }),
    );
  });

  it('refuses a commitment_signed whose HTLC signature count exceeds its bytes', () => {
    const b = encodeCommitmentSigned({ channelId: chan, signature: new Uint8Array(64), htlcSignatures: [] });
    const lying = b.slice();
    lying[2 + 32 + 64 + 1] = 9; // num_htlcs = 9, no signatures follow
    expect(() => decodeCommitmentSigned(lying)).toThrowError(
      expect.objectContaining({ code: 'UNEXPECTED_EOF' }),
    );
  });

  it('round-trips every message type for arbitrary field values', () => {
    const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
    const id = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    fc.assert(
      fc.property(
        bytes32,
        id,
        bytes32,
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.uint8Array({ minLength: 64, maxLength: 64 }), { maxLength: 5 }),
        (c, i, p, reason, sigs) => {
          const f = { channelId: c, id: i, paymentPreimage: p, tlvs: [] };
          expect(decodeUpdateFulfillHtlc(encodeUpdateFulfillHtlc(f))).toEqual(f);
          const x = { channelId: c, id: i, reason, tlvs: [] };
          expect(decodeUpdateFailHtlc(encodeUpdateFailHtlc(x))).toEqual(x);
          const s = { channelId: c, signature: new Uint8Array(64).fill(3), htlcSignatures: sigs, tlvs: [] };
          expect(decodeCommitmentSigned(encodeCommitmentSigned(s))).toEqual(s);
        },
      ),
    );
  });

  it('turns random bytes into a typed error or a message, never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(0x82, 0x83, 0x84, 0x94), fc.uint8Array({ maxLength: 200 }), (t, rest) => {
        const b = concatBytes(Uint8Array.of(0, t), rest);
        for (const decode of [
          decodeUpdateFulfillHtlc,
          decodeUpdateFailHtlc,
          decodeCommitmentSigned,
          decodeLspsMessage,
        ]) {
          try {
            decode(b);
          } catch (e) {
            expect(e).toBeInstanceOf(CodecError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('LSPS0 lsps_message', () => {
  it('carries JSON-RPC as UTF-8 in custom message 37913', () => {
    const b = encodeLspsMessage({ jsonrpc: '2.0', id: '1', method: 'lsps5.list_webhooks', params: {} });
    expect(toHex(b.subarray(0, 2))).toBe('9419');
    expect(decodeLspsMessage(b)).toEqual({
      jsonrpc: '2.0',
      id: '1',
      method: 'lsps5.list_webhooks',
      params: {},
    });
  });

  it('refuses a payload that is not JSON with JSON_INVALID', () => {
    expect(() => decodeLspsMessage(fromHex('94197b7b'))).toThrowError(
      expect.objectContaining({ code: 'JSON_INVALID' }),
    );
  });
});
