import { typedErrors } from '@asyncpay/testkit/expect';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkUnblock,
  decodePaymentUnblockAvailable,
  decodePaymentUnblockHold,
  decodePaymentUnblockRelease,
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
  encodePaymentUnblockRelease,
  PAYMENT_UNBLOCK_TYPES,
  paymentUnblockEncryptedDataTlvs,
} from '../src/async/payment-unblock.js';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import {
  decodeTlvStream,
  encodeTlvRecords,
  encodeTlvStream,
  readTlvRecords,
  type TlvRecord,
} from '../src/tlv.js';

const recordHex = (rec: TlvRecord) => toHex(encodeTlvRecords([rec]));
const record = (hex: string) => readTlvRecords(fromHex(hex))[0]!;
const LSP_A = secp256k1.getPublicKey(new Uint8Array(32).fill(0x4c));
const pid = new Uint8Array(32).fill(0x50);
const h1 = new Uint8Array(32).fill(0x11);
const h2 = new Uint8Array(32).fill(0x22);

const { expectCode } = typedErrors(CodecError);

describe('payment_unblock (UNBLOCK.md)', () => {
  it('numbers the variant 95001/95003/95005 in onionmsg_tlv and 95007 in encrypted_data_tlv, all odd', () => {
    expect(Object.values(PAYMENT_UNBLOCK_TYPES)).toEqual([95001n, 95003n, 95005n, 95007n]);
    for (const t of Object.values(PAYMENT_UNBLOCK_TYPES)) expect(t & 1n).toBe(1n);
  });

  it('encodes a hold request for two hashes as fe00017319 ‖ 00 40 h1 h2 ‖ 02 20 sha256(pid)', () => {
    const rec = encodePaymentUnblockHold({ paymentHashes: [h1, h2], unblockHash: sha256(pid) });
    expect(recordHex(rec)).toBe(`fe0001731964${'0040'}${toHex(h1)}${toHex(h2)}0220${toHex(sha256(pid))}`);
    expect(decodePaymentUnblockHold(rec)).toEqual({ paymentHashes: [h1, h2], unblockHash: sha256(pid) });
  });

  it('encodes the payer-to-recipient message with pid, the holding node and the hashes', () => {
    const rec = encodePaymentUnblockAvailable({ pid, unblockNodeId: LSP_A, paymentHashes: [h1] });
    expect(recordHex(rec)).toBe(`fe0001731b67${'0020'}${toHex(pid)}0221${toHex(LSP_A)}0420${toHex(h1)}`);
    expect(decodePaymentUnblockAvailable(rec)).toEqual({ pid, unblockNodeId: LSP_A, paymentHashes: [h1] });
  });

  it('encodes the release content as an empty stream and pid in encrypted_data as fe0001731f 20 pid', () => {
    expect(recordHex(encodePaymentUnblockRelease())).toBe('fe0001731d00');
    expect(decodePaymentUnblockRelease(record('fe0001731d00'))).toEqual({});
    const enc = encodeTlvStream(paymentUnblockEncryptedDataTlvs, { payment_unblock: pid });
    expect(toHex(enc)).toBe(`fe0001731f20${toHex(pid)}`);
    expect(decodeTlvStream(enc, paymentUnblockEncryptedDataTlvs).values.payment_unblock).toEqual(pid);
  });

  it('accepts a release whose pid hashes to the unblock hash', () => {
    expect(() => checkUnblock(pid, sha256(pid))).not.toThrow();
  });

  it('fails a release with the wrong pid with BAD_PREIMAGE', () => {
    expectCode(() => checkUnblock(new Uint8Array(32), sha256(pid)), 'BAD_PREIMAGE');
  });

  it('fails a hold request without hashes or with an empty hash list with MISSING_FIELD', () => {
    expectCode(
      () => decodePaymentUnblockHold(record(`fe000173192202 20${toHex(h1)}`.replace(' ', ''))),
      'MISSING_FIELD',
    );
    expectCode(
      () => decodePaymentUnblockHold(record(`fe0001731924 0000 0220${toHex(h1)}`.replaceAll(' ', ''))),
      'MISSING_FIELD',
    );
  });

  it('fails a hash list that is not a multiple of 32 bytes with UNEXPECTED_EOF', () => {
    expectCode(
      () =>
        decodePaymentUnblockHold(
          record(`fe0001731945 0021${toHex(h1)}ff 0220${toHex(h1)}`.replaceAll(' ', '')),
        ),
      'UNEXPECTED_EOF',
    );
  });

  it('fails an unknown even inner type and keeps an unknown odd one', () => {
    expectCode(() => decodePaymentUnblockRelease(record('fe0001731d020600')), 'TLV_UNKNOWN_EVEN_TYPE');
    expect(decodePaymentUnblockRelease(record('fe0001731d020700'))).toEqual({
      unknown: [{ type: 7n, value: new Uint8Array(0) }],
    });
  });

  it('fails an invalid holding node id with INVALID_POINT', () => {
    const bad = `0020${toHex(pid)}0221${'05'.repeat(33)}`;
    expectCode(() => decodePaymentUnblockAvailable({ type: 95003n, value: fromHex(bad) }), 'INVALID_POINT');
  });

  it('round-trips every payment_unblock message', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 });
    fc.assert(
      fc.property(
        fc.array(hash, { minLength: 1, maxLength: 4 }),
        hash,
        fc.boolean(),
        (hashes, p, withHashes) => {
          const hold = { paymentHashes: hashes, unblockHash: sha256(p) };
          expect(decodePaymentUnblockHold(encodePaymentUnblockHold(hold))).toEqual(hold);
          const avail = withHashes
            ? { pid: p, unblockNodeId: LSP_A, paymentHashes: hashes }
            : { pid: p, unblockNodeId: LSP_A };
          expect(decodePaymentUnblockAvailable(encodePaymentUnblockAvailable(avail))).toEqual(avail);
          expect(() => checkUnblock(p, hold.unblockHash)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('turns random bytes into typed errors only', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(95001n, 95003n, 95005n),
        fc.uint8Array({ maxLength: 120 }),
        (type, value) => {
          for (const decode of [
            decodePaymentUnblockHold,
            decodePaymentUnblockAvailable,
            decodePaymentUnblockRelease,
          ]) {
            try {
              decode({ type, value });
            } catch (e) {
              expect(e).toBeInstanceOf(CodecError);
            }
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
