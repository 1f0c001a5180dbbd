import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBlindedPath, encodeBlindedPath } from '../src/blinded-path.js';
import { fromHex, toHex } from '../src/bytes.js';
import {
  aggregatePayInfo,
  concatBlindedPaths,
  createBlindedPath,
  decryptRecipientData,
  encryptRecipientData,
  nextPathKey,
  padEncryptedData,
  unblindHop,
} from '../src/onion/blinding.js';
import { decodeEncryptedData, encodeEncryptedData, featureBits } from '../src/onion/encrypted-data.js';
import { publicKeyOf, scalarFromBytes } from '../src/onion/sphinx.js';
import { encodeEncryptedDataJson } from './onion-fixtures.js';

const FILE = 'bolts/bolt04/route-blinding-test.json';

interface GenHop {
  session_key?: string;
  alias: string;
  node_id: string;
  tlvs: Record<string, unknown>;
  encoded_tlvs: string;
  path_privkey: string;
  path_key: string;
  shared_secret: string;
  rho: string;
  encrypted_data: string;
  blinded_node_id: string;
}
interface UnblindHop {
  alias: string;
  node_privkey: string;
  path_key: string;
  blinded_privkey: string;
  decrypted_data: string;
  next_path_key: string;
  next_path_key_override?: string;
}
interface RouteTest {
  generate: { hops: GenHop[] };
  route: {
    first_node_id: string;
    first_path_key: string;
    hops: { blinded_node_id: string; encrypted_data: string }[];
  };
  unblind: { hops: UnblindHop[] };
}

const v = readUpstreamJson<RouteTest>(FILE);
const gen = v.generate.hops;

// The route is two blinded paths: hops that start with a session_key begin a new one (Bob→Carol, Dave→Eve).
function buildRoute() {
  const segments: GenHop[][] = [];
  for (const h of gen) {
    if (h.session_key) segments.push([h]);
    else segments[segments.length - 1]!.push(h);
  }
  const created = segments.map((seg) =>
    createBlindedPath({
      sessionKey: fromHex(seg[0]!.session_key!),
      hops: seg.map((h) => ({ nodeId: fromHex(h.node_id), data: encodeEncryptedDataJson(h.tlvs) })),
    }),
  );
  return {
    secrets: created.flatMap((c) => c.hops),
    path: created.map((c) => c.path).reduce((a, b) => concatBlindedPaths(a, b)),
  };
}

describe(vectorSuite('upstream', FILE, gen.length + 1 + v.unblind.hops.length), () => {
  const { secrets, path } = buildRoute();

  gen.forEach((h, i) => {
    it(`creates ${h.alias}'s hop: encoded TLVs, path keys, shared secret, rho, ciphertext, blinded node id`, () => {
      expect(toHex(encodeEncryptedDataJson(h.tlvs))).toBe(h.encoded_tlvs);
      const s = secrets[i]!;
      expect(toHex(s.pathPrivkey)).toBe(h.path_privkey);
      expect(toHex(s.pathKey)).toBe(h.path_key);
      expect(toHex(s.sharedSecret)).toBe(h.shared_secret);
      expect(toHex(s.rho)).toBe(h.rho);
      expect(toHex(s.encryptedData)).toBe(h.encrypted_data);
      expect(toHex(s.blindedNodeId)).toBe(h.blinded_node_id);
    });
  });

  it('concatenates Bob→Carol and Dave→Eve into the published route', () => {
    expect('nodeId' in path.introductionNode && toHex(path.introductionNode.nodeId)).toBe(
      v.route.first_node_id,
    );
    expect(toHex(path.pathKey)).toBe(v.route.first_path_key);
    expect(
      path.hops.map((h) => ({
        blinded_node_id: toHex(h.blindedNodeId),
        encrypted_data: toHex(h.encryptedData),
      })),
    ).toEqual(v.route.hops);
    expect(decodeBlindedPath(encodeBlindedPath(path))).toEqual(path);
  });

  v.unblind.hops.forEach((u, i) => {
    it(`${u.alias} unblinds: blinded private key, decrypted data, next path key${u.next_path_key_override ? ' (overridden)' : ''}`, () => {
      const hop = unblindHop(fromHex(u.node_privkey), fromHex(u.path_key), path.hops[i]!.encryptedData);
      expect(toHex(hop.blindedPrivkey)).toBe(u.blinded_privkey);
      expect(toHex(publicKeyOf(scalarFromBytes(hop.blindedPrivkey, 'b')))).toBe(
        v.route.hops[i]!.blinded_node_id,
      );
      expect(toHex(hop.plaintext)).toBe(u.decrypted_data);
      // The chained key SHA256(E || ss)·E; at Carol the vector lists it beside the override she must use.
      expect(toHex(nextPathKey(fromHex(u.path_key), hop.sharedSecret))).toBe(u.next_path_key);
      if (u.next_path_key_override) {
        expect(toHex(hop.data.values.next_path_key_override!)).toBe(u.next_path_key_override);
        expect(toHex(hop.nextPathKey)).toBe(u.next_path_key_override);
      } else expect(toHex(hop.nextPathKey)).toBe(u.next_path_key);
      if (i + 1 < v.unblind.hops.length) expect(toHex(hop.nextPathKey)).toBe(v.unblind.hops[i + 1]!.path_key);
    });
  });
});

describe('BOLT 4 route blinding', () => {
  const keys = [0x41, 0x42, 0x43].map((b) => new Uint8Array(32).fill(b));
  const ids = keys.map((k) => publicKeyOf(scalarFromBytes(k, 'k')));

  it("keeps unknown odd TLVs and reads Eve's allowed feature 113", () => {
    const eve = v.unblind.hops[3]!;
    const d = decodeEncryptedData(fromHex(eve.decrypted_data));
    expect(featureBits(d.values.allowed_features!)).toEqual([113]);
    expect(d.unknown.map((r) => r.type)).toEqual([65535n]);
    expect(toHex(d.values.path_id!)).toBe('deadbeef');
  });

  it('fails decrypting a flipped ciphertext with BAD_ENCRYPTION', () => {
    const u = v.unblind.hops[0]!;
    const bad = fromHex(v.route.hops[0]!.encrypted_data);
    bad[3]! ^= 0x10;
    expect(() => unblindHop(fromHex(u.node_privkey), fromHex(u.path_key), bad)).toThrow(
      expect.objectContaining({ code: 'BAD_ENCRYPTION' }),
    );
    // Carol's key cannot read Bob's data either.
    expect(() =>
      unblindHop(
        fromHex(v.unblind.hops[1]!.node_privkey),
        fromHex(u.path_key),
        fromHex(v.route.hops[0]!.encrypted_data),
      ),
    ).toThrow(expect.objectContaining({ code: 'BAD_ENCRYPTION' }));
  });

  it('fails reading encrypted data with an unknown even type', () => {
    const rho = new Uint8Array(32).fill(7);
    const ct = encryptRecipientData(rho, fromHex('fd0232020000'));
    expect(() => decodeEncryptedData(decryptRecipientData(rho, ct))).toThrow(
      expect.objectContaining({ code: 'TLV_UNKNOWN_EVEN_TYPE' }),
    );
  });

  it('creates paths that every hop unblinds to its own data, for random data and session keys', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0) && b[0]! < 0xf0),
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 3 }),
        (session, ids2) => {
          const hops = ids2.map((pid, i) => ({
            nodeId: ids[i]!,
            data: encodeEncryptedData({ path_id: pid }),
          }));
          const { path } = createBlindedPath({ sessionKey: session, hops });
          let pathKey = path.pathKey;
          path.hops.forEach((h, i) => {
            const u = unblindHop(keys[i]!, pathKey, h.encryptedData);
            expect(toHex(u.data.values.path_id!)).toBe(toHex(ids2[i]!));
            pathKey = u.nextPathKey;
          });
        },
      ),
      { numRuns: 20 },
    );
  });

  it('pads encrypted_data_tlv streams to one length', () => {
    const streams = [
      encodeEncryptedData({ next_node_id: ids[1]! }),
      encodeEncryptedData({ path_id: new Uint8Array(3) }),
      encodeEncryptedData({ padding: new Uint8Array(1), path_id: new Uint8Array(34) }),
      new Uint8Array(0),
    ];
    const padded = padEncryptedData(streams);
    expect(new Set(padded.map((p) => p.length)).size).toBe(1);
    padded.forEach((p, i) => {
      const d = decodeEncryptedData(p);
      expect(d.records.filter((r) => r.type !== 1n)).toEqual(
        decodeEncryptedData(streams[i]!).records.filter((r) => r.type !== 1n),
      );
    });
  });

  it('aggregates the blinded-payment relay parameters as BOLT 4 computes them', () => {
    expect(
      aggregatePayInfo([
        { cltv_expiry_delta: 50, fee_proportional_millionths: 0, fee_base_msat: 10_000n },
        { cltv_expiry_delta: 75, fee_proportional_millionths: 150, fee_base_msat: 100n },
        { cltv_expiry_delta: 25, fee_proportional_millionths: 100, fee_base_msat: 0n },
      ]),
    ).toEqual({ fee_base_msat: 10_100n, fee_proportional_millionths: 251n, cltv_expiry_delta: 150 });
  });
});
