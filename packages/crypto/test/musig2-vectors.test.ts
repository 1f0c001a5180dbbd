import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { generateMusig2Adaptor } from '../gen/musig2-adaptor.js';
import { CryptoError } from '../src/errors.js';
import {
  adapt,
  aggregatePreSignature,
  extract,
  preSignatureVerify,
  verifyPartialSigs,
} from '../src/musig2/adaptor.js';
import {
  applyTweak,
  getPlainPubkey,
  getXonlyPubkey,
  individualPubkey,
  keyAgg,
  keySort,
  taprootTweak,
} from '../src/musig2/keyagg.js';
import { nonceAgg, nonceGen } from '../src/musig2/nonce.js';
import { type AdaptorSessionContext, getSessionValues, sign } from '../src/musig2/session.js';
import type { Musig2ContributionError } from '../src/musig2/util.js';

const FILE = 'musig2-adaptor.json';
const h = hexToBytes;
const hex = bytesToHex;
const { Point } = secp256k1;

interface Person {
  sk: string;
  'pk = cbytes(sk⋅G)': string;
  "rand'": string;
}
interface Scenario {
  description: string;
  inputs: { alice: Person; bob: Person; t: string; message_text: string; 'm = sha256(message_text)': string };
  key_aggregation: Record<string, string | string[]>;
  nonces: Record<string, string | string[]>;
  adaptor: Record<string, string>;
  signing: Record<string, string | string[]>;
  invalid: { description: string; psigs: string[]; error: { code: string; signer?: number | null } }[];
}
interface File {
  comment: string;
  scenarios: Scenario[];
}

const file = readOurJson<File>(FILE);
const caseCount = file.scenarios.reduce((n, s) => n + 1 + s.invalid.length, 0);

/** Rebuilds a scenario's session from its inputs only. */
function rebuild(s: Scenario) {
  const people = (['alice', 'bob'] as const).map((name) => ({ name, sk: h(s.inputs[name].sk) }));
  const msg = sha256(utf8ToBytes(s.inputs.message_text));
  const withPk = people.map((p) => ({ ...p, pk: individualPubkey(p.sk) }));
  const pubkeys = keySort(withPk.map((p) => p.pk));
  const signers = pubkeys.map((pk) => withPk.find((p) => p.pk === pk)!);
  const internal = keyAgg(pubkeys);
  const tweak = taprootTweak(getXonlyPubkey(internal));
  const output = applyTweak(internal, tweak, true);
  const aggpk = getXonlyPubkey(output);
  const nonces = signers.map((p) =>
    nonceGen({ pk: p.pk, sk: p.sk, aggpk, msg, rand: h(s.inputs[p.name]["rand'"]) }),
  );
  const pubnonces = nonces.map((n) => n.pubnonce);
  const t = h(s.inputs.t);
  const T = Point.BASE.multiply(BigInt(`0x${s.inputs.t}`)).toBytes(true);
  const ctx: AdaptorSessionContext = {
    aggnonce: nonceAgg(pubnonces),
    pubkeys,
    tweaks: [tweak],
    isXonly: [true],
    msg,
    adaptor: T,
  };
  return {
    people: withPk,
    msg,
    pubkeys,
    signers,
    internal,
    tweak,
    output,
    aggpk,
    nonces,
    pubnonces,
    t,
    T,
    ctx,
  };
}

describe(vectorSuite('ours', FILE, caseCount), () => {
  for (const s of file.scenarios) {
    it(`reproduces every intermediate value and the adapted signature verifies (${s.description})`, () => {
      const r = rebuild(s);
      expect(hex(r.msg)).toBe(s.inputs['m = sha256(message_text)']);
      for (const p of r.people) expect(hex(p.pk)).toBe(s.inputs[p.name]['pk = cbytes(sk⋅G)']);
      const ka = s.key_aggregation;
      expect(r.pubkeys.map(hex)).toEqual(ka['pk1..2 = KeySort(pk_alice, pk_bob)']);
      expect(hex(getPlainPubkey(r.internal))).toBe(ka['Q0 = a1⋅P1 + a2⋅P2']);
      expect(hex(r.tweak)).toBe(ka['tweak = hash_TapTweak(xbytes(Q0))']);
      expect(hex(getPlainPubkey(r.output))).toBe(ka['Q = with_even_y(Q0) + tweak⋅G']);
      expect(hex(r.aggpk)).toBe(ka['aggpk = xbytes(Q)']);
      expect(r.nonces.map((n) => hex(n.secnonce))).toEqual(
        s.nonces['secnonce_i = NonceGen(sk_i, pk_i, aggpk, m, rand_i)'],
      );
      expect(r.pubnonces.map(hex)).toEqual(s.nonces.pubnonces);
      expect(hex(r.ctx.aggnonce)).toBe(s.nonces['aggnonce = NonceAgg(pubnonce1, pubnonce2)']);

      // The adaptor digest, recomputed from the file's own values with noble alone.
      const a = s.adaptor;
      expect(hex(r.T)).toBe(a['T = t⋅G']);
      const R1T = Point.fromBytes(r.ctx.aggnonce.subarray(0, 33)).add(Point.fromBytes(r.T)).toBytes(true);
      expect(hex(R1T)).toBe(a['R1 + T']);
      const bHash = schnorr.utils.taggedHash('MuSig/noncecoef', h(a['R1 + T']!), h(a.R2!), r.aggpk, r.msg);
      const b = Point.Fn.create(BigInt(`0x${hex(bHash)}`));
      const bKey = 'b = int(hash_MuSig/noncecoef(cbytes_ext(R1 + T) ‖ cbytes_ext(R2) ‖ xbytes(Q) ‖ m)) mod n';
      expect(b.toString(16).padStart(64, '0')).toBe(a[bKey]);
      const Rfinal = Point.fromBytes(h(a['R1 + T']!)).add(Point.fromBytes(h(a.R2!)).multiply(b));
      expect(hex(Rfinal.toBytes(true))).toBe(a["R' = (R1 + T) + b⋅R2"]);
      const v = getSessionValues(r.ctx);
      expect(v.b).toBe(b);
      expect(v.R.equals(Rfinal)).toBe(true);

      const sg = s.signing;
      const psigs = r.signers.map((p, i) => sign(r.nonces[i]!.secnonce, p.sk, r.ctx));
      expect(psigs.map(hex)).toEqual(sg['psig_i = Sign(secnonce_i, sk_i, session_ctx with T)']);
      const pre = aggregatePreSignature(verifyPartialSigs(psigs, r.pubnonces, r.ctx));
      expect(hex(pre)).toBe(sg["pre_signature = cbytes(R') ‖ bytes(32, s' = psig1 + psig2 + e⋅g⋅tacc)"]);
      expect(preSignatureVerify(pre, r.aggpk, r.msg, r.T)).toBe(true);
      const sig = h(sg["sig = xbytes(R') ‖ bytes(32, s' + t if R' has even y else s' − t)"] as string);
      expect(schnorr.verify(sig, r.msg, r.aggpk)).toBe(true);
      expect(hex(adapt(pre, r.t, r.T))).toBe(hex(sig));
      expect(hex(extract(pre, sig, r.T))).toBe(sg["t = s − s' if R' has even y else s' − s"]);
      expect(hex(extract(pre, sig, r.T))).toBe(s.inputs.t);
    });
    for (const c of s.invalid) {
      it(`refuses ${c.description} with ${c.error.code} (${s.description})`, () => {
        const r = rebuild(s);
        let thrown: unknown;
        try {
          verifyPartialSigs(c.psigs.map(h), r.pubnonces, r.ctx);
        } catch (e) {
          thrown = e;
        }
        expect(thrown).toBeInstanceOf(CryptoError);
        expect((thrown as CryptoError).code).toBe(c.error.code);
        if (c.error.signer !== undefined) {
          expect((thrown as Musig2ContributionError).signer).toBe(c.error.signer);
        }
      });
    }
  }
});

describe('vectors/musig2-adaptor.json generator', () => {
  it('regenerates the published file exactly', () => {
    expect(JSON.parse(JSON.stringify(generateMusig2Adaptor()))).toEqual(file);
  });
});
