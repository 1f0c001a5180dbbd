import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCommitment,
  type CommitmentSpec,
  decodeCommitmentNumber,
  encodeCommitmentNumber,
  obscuringFactor,
  signCommitment,
  verifyCommitmentSignature,
} from '../src/bolt3/commitment.js';
import { buildHtlcTx, buildHtlcTxs, finalizeHtlcTx, signHtlcTx } from '../src/bolt3/htlc-tx.js';
import { parsePoint, parsePrivkey } from '../src/bolt3/keys.js';
import { FIRST_SECRET_INDEX, generateFromSeed, ShachainStore } from '../src/bolt3/shachain.js';
import { common, htlcs, keys, V } from './bolt3-fixtures.js';

const code = (c: string) => expect.objectContaining({ code: c });

const spec = (over: Partial<CommitmentSpec> = {}): CommitmentSpec => ({
  funding: common.funding,
  commitmentNumber: common.commitmentNumber,
  obscuringFactor: obscuringFactor(common.localPaymentBasepoint, common.remotePaymentBasepoint),
  toSelfDelay: common.toSelfDelay,
  dustLimitSat: common.dustLimitSat,
  feeratePerKw: 0n,
  toLocalMsat: 6_988_000_000n,
  toRemoteMsat: 3_000_000_000n,
  localIsFunder: true,
  htlcs: htlcs.filter((h) => h.id <= 4),
  keys,
  ...over,
});

describe('BOLT 3 refusals', () => {
  it('refuses a secret whose index is not the next one in descending order', () => {
    const seed = new Uint8Array(32).fill(0xff);
    const store = new ShachainStore();
    expect(() =>
      store.insertSecret(generateFromSeed(seed, FIRST_SECRET_INDEX - 1n), FIRST_SECRET_INDEX - 1n),
    ).toThrow(code('INVALID_SECRET_INDEX'));
    expect(() => generateFromSeed(seed, 1n << 48n)).toThrow(code('INVALID_SECRET_INDEX'));
    expect(() => generateFromSeed(seed, -1n)).toThrow(code('INVALID_SECRET_INDEX'));
  });

  it('refuses to derive a secret that has not been received', () => {
    const seed = new Uint8Array(32).fill(7);
    const store = new ShachainStore();
    store.insertSecret(generateFromSeed(seed, FIRST_SECRET_INDEX), FIRST_SECRET_INDEX);
    expect(() => store.deriveOldSecret(FIRST_SECRET_INDEX - 1n)).toThrow(code('SHACHAIN_UNKNOWN_INDEX'));
  });

  it('leaves the store unchanged after a mismatching secret', () => {
    const seed = new Uint8Array(32).fill(9);
    const store = new ShachainStore();
    store.insertSecret(generateFromSeed(seed, FIRST_SECRET_INDEX), FIRST_SECRET_INDEX);
    const wrong = generateFromSeed(new Uint8Array(32), FIRST_SECRET_INDEX - 1n);
    expect(() => store.insertSecret(wrong, FIRST_SECRET_INDEX - 1n)).toThrow(code('SHACHAIN_MISMATCH'));
    expect(store.nextIndex).toBe(FIRST_SECRET_INDEX - 1n);
    store.insertSecret(generateFromSeed(seed, FIRST_SECRET_INDEX - 1n), FIRST_SECRET_INDEX - 1n);
  });

  it('refuses a zero private key and a point off the curve', () => {
    expect(() => parsePrivkey(new Uint8Array(32))).toThrow(code('INVALID_KEY'));
    expect(() => parsePrivkey(new Uint8Array(33).fill(2))).toThrow(RangeError);
    const bad = Uint8Array.from(keys.localHtlcPubkey);
    bad[0] = 0x05;
    expect(() => parsePoint(bad)).toThrow(code('INVALID_KEY'));
  });

  it('refuses a peer commitment signature made with the wrong key', () => {
    const c = buildCommitment(spec());
    expect(() => verifyCommitmentSignature(c, signCommitment(c, common.localFundingPrivkey))).toThrow(
      code('INVALID_SIGNATURE'),
    );
  });

  it('refuses to finalize an HTLC-success transaction with a wrong preimage', () => {
    const c = buildCommitment(spec());
    const success = buildHtlcTxs(c).find((h) => h.type === 'htlc-success')!;
    const sig = signHtlcTx(success, common.localHtlcPrivkey, 'local');
    expect(() => finalizeHtlcTx(success, sig, sig, new Uint8Array(32).fill(0xee))).toThrow(
      code('INVALID_PREIMAGE'),
    );
  });

  it('refuses an HTLC transaction whose fee eats the whole HTLC', () => {
    const htlc = {
      direction: 'offered',
      amountMsat: 600_000n,
      paymentHash: sha256(new Uint8Array(32)),
      cltvExpiry: 500,
    } as const;
    expect(() =>
      buildHtlcTx({
        commitmentTxid: common.funding.txid,
        vout: 0,
        witnessScript: new Uint8Array(1),
        htlc,
        feeratePerKw: 1000n,
        toSelfDelay: 144,
        revocationPubkey: keys.revocationPubkey,
        localDelayedPubkey: keys.localDelayedPubkey,
      }),
    ).toThrow(code('DUST'));
  });

  it('refuses a negative balance', () => {
    expect(() => buildCommitment(spec({ toRemoteMsat: -1n }))).toThrow(code('INVALID_AMOUNT'));
  });
});

describe('BOLT 3 properties', () => {
  it('decodes every obscured commitment number it encodes', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: FIRST_SECRET_INDEX }),
        fc.bigInt({ min: 0n, max: FIRST_SECRET_INDEX }),
        (n, f) => {
          const { locktime, sequence } = encodeCommitmentNumber(n, f);
          expect(locktime >>> 24).toBe(0x20);
          expect(sequence >>> 24).toBe(0x80);
          expect(decodeCommitmentNumber(locktime, sequence, f)).toBe(n);
        },
      ),
    );
  });

  it('re-derives every received secret from the compact store', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 70 }),
        (seed, count) => {
          const store = new ShachainStore();
          for (let i = 0n; i < BigInt(count); i++) {
            store.insertSecret(generateFromSeed(seed, FIRST_SECRET_INDEX - i), FIRST_SECRET_INDEX - i);
          }
          expect(store.entries().filter(Boolean).length).toBeLessThanOrEqual(49);
          for (let i = 0n; i < BigInt(count); i++) {
            expect(store.deriveOldSecret(FIRST_SECRET_INDEX - i)).toEqual(
              generateFromSeed(seed, FIRST_SECRET_INDEX - i),
            );
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('keeps every satoshi: outputs plus fee equal the funding amount, outputs in BOLT 3 order', () => {
    const htlc = fc.record({
      direction: fc.constantFrom('offered' as const, 'received' as const),
      amountMsat: fc.bigInt({ min: 0n, max: 50_000_000n }),
      cltvExpiry: fc.integer({ min: 1, max: 1000 }),
      preimage: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    });
    fc.assert(
      fc.property(
        fc.array(htlc, { maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 20_000n }),
        fc.bigInt({ min: 0n, max: 10_000_000_000n }),
        fc.boolean(),
        fc.boolean(),
        (hs, feeratePerKw, split, anchors, localIsFunder) => {
          const inFlight = hs.reduce((s, h) => s + h.amountMsat, 0n);
          const rest = common.funding.amountSat * 1000n - inFlight;
          const toLocalMsat = split > rest ? rest : split;
          const input = spec({
            feeratePerKw,
            anchors,
            localIsFunder,
            toLocalMsat,
            toRemoteMsat: rest - toLocalMsat,
            htlcs: hs.map((h) => ({ ...h, paymentHash: sha256(h.preimage) })),
          });
          let c: ReturnType<typeof buildCommitment>;
          try {
            c = buildCommitment(input);
          } catch (e) {
            // refused only when the funder cannot pay the two anchors (BOLT 2's reserve prevents it)
            expect(e).toMatchObject({ code: 'INVALID_AMOUNT' });
            expect(anchors && (localIsFunder ? input.toLocalMsat : input.toRemoteMsat) < 660_000n).toBe(true);
            return;
          }
          const paid = c.outputs.reduce((s, o) => s + o.amountSat, 0n);
          expect(paid + c.feeSat).toBe(common.funding.amountSat);
          expect(c.feeSat).toBeGreaterThanOrEqual(0n);
          for (let i = 1; i < c.outputs.length; i++) {
            expect(c.outputs[i - 1]!.amountSat <= c.outputs[i]!.amountSat).toBe(true);
          }
          for (const o of c.outputs)
            if (!o.kind.endsWith('anchor')) expect(o.amountSat >= common.dustLimitSat).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('signs with plain RFC 6979 nonces (no low-R grinding), as the BOLT 3 vectors do', () => {
    // A 72-byte DER signature has a 33-byte R (high bit set): low-R grinding would never produce it.
    const c = buildCommitment(spec({ feeratePerKw: 0n }));
    const sig = signCommitment(c, common.remoteFundingPrivkey);
    expect(sig[3]).toBe(0x20);
    const highR = V.appendix_c_commitment_and_htlc_transactions.tests
      .flatMap((t) => t.htlc_txs.map((h) => h.remote_htlc_signature))
      .filter((der) => der.slice(6, 8) === '21');
    expect(highR.length).toBeGreaterThan(0);
  });
});
