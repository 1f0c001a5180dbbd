import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../src/errors.js';
import { applyTweaks, getXonlyPubkey, individualPubkey, keyAgg, keySort } from '../src/musig2/keyagg.js';
import { nonceAgg, nonceGen } from '../src/musig2/nonce.js';
import {
  deterministicSign,
  getSessionValues,
  partialSigAgg,
  partialSigVerify,
  partialSigVerifyWith,
  sign,
} from '../src/musig2/session.js';
import { Musig2ContributionError } from '../src/musig2/util.js';

const DIR = 'bips/bip-0327/vectors';
const h = (x: string): Uint8Array => hexToBytes(x);
const hx = (b: Uint8Array): string => bytesToHex(b).toUpperCase();
const pick = <T>(list: readonly T[], indices: readonly number[]): T[] => indices.map((i) => list[i]!);

/** BIP-327's error kinds, as the vector files write them. */
type VectorError =
  | { type: 'invalid_contribution'; signer: number | null; contrib: string }
  | { type: 'value'; message: string };

/** Our code for each BIP-327 error kind. */
function expectedCode(err: VectorError): CryptoErrorCode {
  if (err.type === 'invalid_contribution') {
    const byContrib: Record<string, CryptoErrorCode> = {
      pubkey: 'INVALID_PUBKEY',
      pubnonce: 'INVALID_PUBNONCE',
      aggnonce: 'INVALID_AGGNONCE',
      aggothernonce: 'INVALID_AGGNONCE',
      psig: 'INVALID_PARTIAL_SIG',
    };
    return byContrib[err.contrib]!;
  }
  const byMessage: Record<string, CryptoErrorCode> = {
    'The tweak must be less than n.': 'INVALID_TWEAK',
    'The result of tweaking cannot be infinity.': 'INVALID_TWEAK',
    "The signer's pubkey must be included in the list of pubkeys.": 'INVALID_SIGNER_INDEX',
    'first secnonce value is out of range.': 'INVALID_SECNONCE',
  };
  const code = byMessage[err.message];
  if (code === undefined) throw new Error(`no code mapped for BIP-327 error "${err.message}"`);
  return code;
}

/** Asserts that `fn` throws the code matching a BIP-327 error, blaming the same signer. */
function expectVectorError(fn: () => unknown, err: VectorError): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code).toBe(expectedCode(err));
  if (err.type === 'invalid_contribution') {
    expect(thrown).toBeInstanceOf(Musig2ContributionError);
    expect((thrown as Musig2ContributionError).signer).toBe(err.signer);
    expect((thrown as Musig2ContributionError).contrib).toBe(err.contrib);
  }
}

interface KeySortVectors {
  pubkeys: string[];
  sorted_pubkeys: string[];
}
const keySortV = readUpstreamJson<KeySortVectors>(`${DIR}/key_sort_vectors.json`);
describe(vectorSuite('upstream', `${DIR}/key_sort_vectors.json`, 1), () => {
  it('sorts public keys lexicographically, invalid and duplicate keys included', () => {
    expect(keySort(keySortV.pubkeys.map(h)).map(hx)).toEqual(keySortV.sorted_pubkeys);
  });
});

interface KeyAggVectors {
  pubkeys: string[];
  tweaks: string[];
  valid_test_cases: { key_indices: number[]; expected: string }[];
  error_test_cases: {
    key_indices: number[];
    tweak_indices: number[];
    is_xonly: boolean[];
    error: VectorError;
    comment: string;
  }[];
}
const keyAggV = readUpstreamJson<KeyAggVectors>(`${DIR}/key_agg_vectors.json`);
describe(
  vectorSuite(
    'upstream',
    `${DIR}/key_agg_vectors.json`,
    keyAggV.valid_test_cases.length + keyAggV.error_test_cases.length,
  ),
  () => {
    for (const [i, c] of keyAggV.valid_test_cases.entries()) {
      it(`aggregates keys ${c.key_indices.join(',')} to the expected x-only key (valid case ${i})`, () => {
        expect(hx(getXonlyPubkey(keyAgg(pick(keyAggV.pubkeys, c.key_indices).map(h))))).toBe(c.expected);
      });
    }
    for (const c of keyAggV.error_test_cases) {
      it(`refuses key aggregation: ${c.comment}`, () => {
        expectVectorError(() => {
          const ctx = keyAgg(pick(keyAggV.pubkeys, c.key_indices).map(h));
          applyTweaks(ctx, pick(keyAggV.tweaks, c.tweak_indices).map(h), c.is_xonly);
        }, c.error);
      });
    }
  },
);

interface NonceGenVectors {
  test_cases: {
    rand_: string;
    sk: string | null;
    pk: string;
    aggpk: string | null;
    msg: string | null;
    extra_in: string | null;
    expected_secnonce: string;
    expected_pubnonce: string;
  }[];
}
const nonceGenV = readUpstreamJson<NonceGenVectors>(`${DIR}/nonce_gen_vectors.json`);
describe(vectorSuite('upstream', `${DIR}/nonce_gen_vectors.json`, nonceGenV.test_cases.length), () => {
  for (const [i, c] of nonceGenV.test_cases.entries()) {
    it(`generates the expected nonce pair from a fixed rand (case ${i})`, () => {
      const opt = (x: string | null): Uint8Array | undefined => (x === null ? undefined : h(x));
      const { secnonce, pubnonce } = nonceGen({
        rand: h(c.rand_),
        pk: h(c.pk),
        sk: opt(c.sk),
        aggpk: opt(c.aggpk),
        msg: opt(c.msg),
        extraIn: opt(c.extra_in),
      });
      expect(hx(secnonce)).toBe(c.expected_secnonce);
      expect(hx(pubnonce)).toBe(c.expected_pubnonce);
    });
  }
});

interface NonceAggVectors {
  pnonces: string[];
  valid_test_cases: { pnonce_indices: number[]; expected: string; comment?: string }[];
  error_test_cases: { pnonce_indices: number[]; error: VectorError; comment: string }[];
}
const nonceAggV = readUpstreamJson<NonceAggVectors>(`${DIR}/nonce_agg_vectors.json`);
describe(
  vectorSuite(
    'upstream',
    `${DIR}/nonce_agg_vectors.json`,
    nonceAggV.valid_test_cases.length + nonceAggV.error_test_cases.length,
  ),
  () => {
    for (const [i, c] of nonceAggV.valid_test_cases.entries()) {
      it(`aggregates public nonces (valid case ${i}${c.comment ? `: ${c.comment}` : ''})`, () => {
        expect(hx(nonceAgg(pick(nonceAggV.pnonces, c.pnonce_indices).map(h)))).toBe(c.expected);
      });
    }
    for (const c of nonceAggV.error_test_cases) {
      it(`refuses nonce aggregation: ${c.comment}`, () => {
        expectVectorError(() => nonceAgg(pick(nonceAggV.pnonces, c.pnonce_indices).map(h)), c.error);
      });
    }
  },
);

interface SignVerifyVectors {
  sk: string;
  pubkeys: string[];
  secnonces: string[];
  pnonces: string[];
  aggnonces: string[];
  msgs: string[];
  valid_test_cases: {
    key_indices: number[];
    nonce_indices: number[];
    aggnonce_index: number;
    msg_index: number;
    signer_index: number;
    expected: string;
  }[];
  sign_error_test_cases: {
    key_indices: number[];
    aggnonce_index: number;
    msg_index: number;
    secnonce_index: number;
    error: VectorError;
    comment: string;
  }[];
  verify_fail_test_cases: {
    sig: string;
    key_indices: number[];
    nonce_indices: number[];
    msg_index: number;
    signer_index: number;
    comment: string;
  }[];
  verify_error_test_cases: {
    sig: string;
    key_indices: number[];
    nonce_indices: number[];
    msg_index: number;
    signer_index: number;
    error: VectorError;
    comment: string;
  }[];
}
const sv = readUpstreamJson<SignVerifyVectors>(`${DIR}/sign_verify_vectors.json`);
const svCount =
  sv.valid_test_cases.length +
  sv.sign_error_test_cases.length +
  sv.verify_fail_test_cases.length +
  sv.verify_error_test_cases.length;
describe('BIP-327 IndividualPubkey', () => {
  it('derives the sign_verify vectors signer key from its secret key', () => {
    expect(hx(individualPubkey(h(sv.sk)))).toBe(sv.pubkeys[0]);
  });
});
describe(vectorSuite('upstream', `${DIR}/sign_verify_vectors.json`, svCount), () => {
  for (const [i, c] of sv.valid_test_cases.entries()) {
    it(`signs and verifies a partial signature (valid case ${i})`, () => {
      const pubkeys = pick(sv.pubkeys, c.key_indices).map(h);
      const pubnonces = pick(sv.pnonces, c.nonce_indices).map(h);
      const aggnonce = h(sv.aggnonces[c.aggnonce_index]!);
      const msg = h(sv.msgs[c.msg_index]!);
      // The vector's aggnonce is NonceAgg of the vector's public nonces.
      expect(hx(nonceAgg(pubnonces))).toBe(sv.aggnonces[c.aggnonce_index]);
      const psig = sign(h(sv.secnonces[0]!), h(sv.sk), { aggnonce, pubkeys, msg });
      expect(hx(psig)).toBe(c.expected);
      expect(partialSigVerify({ psig, pubnonces, pubkeys, msg, signer: c.signer_index })).toBe(true);
    });
  }
  for (const c of sv.sign_error_test_cases) {
    it(`refuses to sign: ${c.comment}`, () => {
      const ctx = {
        aggnonce: h(sv.aggnonces[c.aggnonce_index]!),
        pubkeys: pick(sv.pubkeys, c.key_indices).map(h),
        msg: h(sv.msgs[c.msg_index]!),
      };
      expectVectorError(() => sign(h(sv.secnonces[c.secnonce_index]!), h(sv.sk), ctx), c.error);
    });
  }
  for (const c of sv.verify_fail_test_cases) {
    it(`rejects a partial signature: ${c.comment}`, () => {
      const ok = partialSigVerify({
        psig: h(c.sig),
        pubnonces: pick(sv.pnonces, c.nonce_indices).map(h),
        pubkeys: pick(sv.pubkeys, c.key_indices).map(h),
        msg: h(sv.msgs[c.msg_index]!),
        signer: c.signer_index,
      });
      expect(ok).toBe(false);
    });
  }
  for (const c of sv.verify_error_test_cases) {
    it(`refuses to verify a partial signature: ${c.comment}`, () => {
      expectVectorError(
        () =>
          partialSigVerify({
            psig: h(c.sig),
            pubnonces: pick(sv.pnonces, c.nonce_indices).map(h),
            pubkeys: pick(sv.pubkeys, c.key_indices).map(h),
            msg: h(sv.msgs[c.msg_index]!),
            signer: c.signer_index,
          }),
        c.error,
      );
    });
  }
});

interface TweakVectors {
  sk: string;
  pubkeys: string[];
  secnonce: string;
  pnonces: string[];
  aggnonce: string;
  tweaks: string[];
  msg: string;
  valid_test_cases: {
    key_indices: number[];
    nonce_indices: number[];
    tweak_indices: number[];
    is_xonly: boolean[];
    signer_index: number;
    expected: string;
    comment: string;
  }[];
  error_test_cases: {
    key_indices: number[];
    nonce_indices: number[];
    tweak_indices: number[];
    is_xonly: boolean[];
    signer_index: number;
    error: VectorError;
    comment: string;
  }[];
}
const tw = readUpstreamJson<TweakVectors>(`${DIR}/tweak_vectors.json`);
describe(
  vectorSuite(
    'upstream',
    `${DIR}/tweak_vectors.json`,
    tw.valid_test_cases.length + tw.error_test_cases.length,
  ),
  () => {
    for (const c of tw.valid_test_cases) {
      it(`signs and verifies with tweaks: ${c.comment}`, () => {
        const pubkeys = pick(tw.pubkeys, c.key_indices).map(h);
        const pubnonces = pick(tw.pnonces, c.nonce_indices).map(h);
        const tweaks = pick(tw.tweaks, c.tweak_indices).map(h);
        const msg = h(tw.msg);
        expect(hx(nonceAgg(pubnonces))).toBe(tw.aggnonce);
        const ctx = { aggnonce: h(tw.aggnonce), pubkeys, tweaks, isXonly: c.is_xonly, msg };
        const psig = sign(h(tw.secnonce), h(tw.sk), ctx);
        expect(hx(psig)).toBe(c.expected);
        const args = { psig, pubnonces, pubkeys, tweaks, isXonly: c.is_xonly, msg, signer: c.signer_index };
        expect(partialSigVerify(args)).toBe(true);
      });
    }
    for (const c of tw.error_test_cases) {
      it(`refuses to sign with tweaks: ${c.comment}`, () => {
        const ctx = {
          aggnonce: h(tw.aggnonce),
          pubkeys: pick(tw.pubkeys, c.key_indices).map(h),
          tweaks: pick(tw.tweaks, c.tweak_indices).map(h),
          isXonly: c.is_xonly,
          msg: h(tw.msg),
        };
        expectVectorError(() => sign(h(tw.secnonce), h(tw.sk), ctx), c.error);
      });
    }
  },
);

interface DetSignCase {
  rand: string | null;
  aggothernonce: string;
  key_indices: number[];
  tweaks: string[];
  is_xonly: boolean[];
  msg_index: number;
  signer_index: number;
  comment?: string;
}
interface DetSignVectors {
  sk: string;
  pubkeys: string[];
  msgs: string[];
  valid_test_cases: (DetSignCase & { expected: [string, string] })[];
  error_test_cases: (DetSignCase & { error: VectorError; comment: string })[];
}
const ds = readUpstreamJson<DetSignVectors>(`${DIR}/det_sign_vectors.json`);
const detArgs = (c: DetSignCase) => ({
  sk: h(ds.sk),
  aggothernonce: h(c.aggothernonce),
  pubkeys: pick(ds.pubkeys, c.key_indices).map(h),
  tweaks: c.tweaks.map(h),
  isXonly: c.is_xonly,
  msg: h(ds.msgs[c.msg_index]!),
  rand: c.rand === null ? undefined : h(c.rand),
});
describe(
  vectorSuite(
    'upstream',
    `${DIR}/det_sign_vectors.json`,
    ds.valid_test_cases.length + ds.error_test_cases.length,
  ),
  () => {
    for (const [i, c] of ds.valid_test_cases.entries()) {
      it(`signs deterministically and the partial signature verifies (valid case ${i})`, () => {
        const args = detArgs(c);
        const { pubnonce, psig } = deterministicSign(args);
        expect([hx(pubnonce), hx(psig)]).toEqual(c.expected);
        // The signer sits at signer_index, and its partial signature verifies in the session its
        // nonce and the other signers' aggregate nonce make.
        const pk = individualPubkey(args.sk);
        expect(hx(args.pubkeys[c.signer_index]!)).toBe(hx(pk));
        const aggnonce = nonceAgg([pubnonce, args.aggothernonce]);
        const v = getSessionValues({ ...args, aggnonce });
        expect(partialSigVerifyWith(psig, pubnonce, pk, v)).toBe(true);
      });
    }
    for (const c of ds.error_test_cases) {
      it(`refuses to sign deterministically: ${c.comment}`, () => {
        expectVectorError(() => deterministicSign(detArgs(c)), c.error);
      });
    }
  },
);

interface SigAggVectors {
  pubkeys: string[];
  pnonces: string[];
  tweaks: string[];
  psigs: string[];
  msg: string;
  valid_test_cases: {
    aggnonce: string;
    nonce_indices: number[];
    key_indices: number[];
    tweak_indices: number[];
    is_xonly: boolean[];
    psig_indices: number[];
    expected: string;
  }[];
  error_test_cases: {
    aggnonce: string;
    nonce_indices: number[];
    key_indices: number[];
    tweak_indices: number[];
    is_xonly: boolean[];
    psig_indices: number[];
    error: VectorError;
    comment: string;
  }[];
}
const sa = readUpstreamJson<SigAggVectors>(`${DIR}/sig_agg_vectors.json`);
describe(
  vectorSuite(
    'upstream',
    `${DIR}/sig_agg_vectors.json`,
    sa.valid_test_cases.length + sa.error_test_cases.length,
  ),
  () => {
    for (const [i, c] of sa.valid_test_cases.entries()) {
      it(`aggregates partial signatures into a valid BIP-340 signature (valid case ${i})`, () => {
        const pubkeys = pick(sa.pubkeys, c.key_indices).map(h);
        const tweaks = pick(sa.tweaks, c.tweak_indices).map(h);
        expect(hx(nonceAgg(pick(sa.pnonces, c.nonce_indices).map(h)))).toBe(c.aggnonce);
        const ctx = { aggnonce: h(c.aggnonce), pubkeys, tweaks, isXonly: c.is_xonly, msg: h(sa.msg) };
        const sig = partialSigAgg(pick(sa.psigs, c.psig_indices).map(h), ctx);
        expect(hx(sig)).toBe(c.expected);
        const aggpk = getXonlyPubkey(applyTweaks(keyAgg(pubkeys), tweaks, c.is_xonly));
        expect(schnorr.verify(sig, h(sa.msg), aggpk)).toBe(true);
      });
    }
    for (const c of sa.error_test_cases) {
      it(`refuses to aggregate partial signatures: ${c.comment}`, () => {
        const ctx = {
          aggnonce: h(c.aggnonce),
          pubkeys: pick(sa.pubkeys, c.key_indices).map(h),
          tweaks: pick(sa.tweaks, c.tweak_indices).map(h),
          isXonly: c.is_xonly,
          msg: h(sa.msg),
        };
        expectVectorError(() => partialSigAgg(pick(sa.psigs, c.psig_indices).map(h), ctx), c.error);
      });
    }
  },
);

describe('BIP-327 input checks beyond the vectors', () => {
  const args = {
    psig: h(sv.valid_test_cases[0]!.expected),
    pubnonces: pick(sv.pnonces, [0, 1, 2]).map(h),
    pubkeys: pick(sv.pubkeys, [0, 1, 2]).map(h),
    msg: h(sv.msgs[0]!),
  };

  it('refuses a signer index outside the session with INVALID_SIGNER_INDEX', () => {
    expect(partialSigVerify({ ...args, signer: 0 })).toBe(true);
    for (const signer of [-1, 3, 0.5]) {
      expectVectorError(() => partialSigVerify({ ...args, signer }), {
        type: 'value',
        message: "The signer's pubkey must be included in the list of pubkeys.",
      });
    }
  });

  it('refuses a secret key of the wrong length with RangeError and of the wrong type with TypeError', () => {
    expect(() => individualPubkey(new Uint8Array(31))).toThrow(RangeError);
    expect(() => individualPubkey('00' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('refuses a zero secret key with INVALID_SECRET_KEY', () => {
    let code: string | undefined;
    try {
      individualPubkey(new Uint8Array(32));
    } catch (e) {
      code = (e as CryptoError).code;
    }
    expect(code).toBe('INVALID_SECRET_KEY');
  });

  it('refuses an adaptor that is not a point with INVALID_ADAPTOR', () => {
    let code: string | undefined;
    try {
      partialSigVerify({ ...args, signer: 0, adaptor: new Uint8Array(33).fill(4) });
    } catch (e) {
      code = (e as CryptoError).code;
    }
    expect(code).toBe('INVALID_ADAPTOR');
  });
});

describe('BIP-327 flows', () => {
  it('combines a stateful signer and a DeterministicSign signer into a valid BIP-340 signature', () => {
    const [skA, skB] = [new Uint8Array(32).fill(0x41), new Uint8Array(32).fill(0x42)];
    const pubkeys = keySort([individualPubkey(skA), individualPubkey(skB)]);
    const msg = new Uint8Array(32).fill(0x4d);
    const alice = nonceGen({ pk: individualPubkey(skA), sk: skA, msg, rand: new Uint8Array(32).fill(1) });
    // Bob goes last and keeps no nonce state.
    const bob = deterministicSign({ sk: skB, aggothernonce: nonceAgg([alice.pubnonce]), pubkeys, msg });
    const ctx = { aggnonce: nonceAgg([alice.pubnonce, bob.pubnonce]), pubkeys, msg };
    const psigA = sign(alice.secnonce, skA, ctx);
    const aliceFirst = hx(pubkeys[0]!) === hx(individualPubkey(skA));
    const sig = partialSigAgg(aliceFirst ? [psigA, bob.psig] : [bob.psig, psigA], ctx);
    expect(schnorr.verify(sig, msg, getXonlyPubkey(keyAgg(pubkeys)))).toBe(true);
  });
});
