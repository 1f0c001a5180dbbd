import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlindedPath } from '../src/blinded-path.js';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import { createBlindedPath, withDummyHops } from '../src/onion/blinding.js';
import { encodeEncryptedData } from '../src/onion/encrypted-data.js';
import {
  buildOnionMessage,
  decodeOnionMessage,
  encodeOnionMessage,
  peelOnionMessage,
  receiveOnionMessage,
} from '../src/onion/onion-message.js';
import {
  blindingFactor,
  constructOnion,
  generateKey,
  multiplyPrivateKey,
  publicKeyOf,
  scalarFromBytes,
  scalarToBytes,
} from '../src/onion/sphinx.js';
import { encodeTlvRecords } from '../src/tlv.js';
import { encodeEncryptedDataJson } from './onion-fixtures.js';

const FILE = 'bolts/bolt04/blinded-onion-message-onion-test.json';

interface GenHop {
  alias: string;
  path_key_secret: string;
  tlvs: Record<string, unknown>;
  encrypted_data_tlv: string;
  ss: string;
  "HMAC256('blinded_node_id', ss)": string;
  blinded_node_id: string;
  E: string;
  'H(E || ss)': string;
  next_e: string;
  rho: string;
  encrypted_recipient_data: string;
}
interface MessageTest {
  generate: { session_key: string; hops: GenHop[] };
  route: {
    first_node_id: string;
    first_path_key: string;
    hops: { blinded_node_id: string; encrypted_recipient_data: string }[];
  };
  onionmessage: { unknown_tag_1: string; onion_message_packet: string };
  decrypt: {
    hops: {
      alias: string;
      privkey: string;
      onion_message: string;
      next_node_id?: string;
      tlvs?: Record<string, string>;
    }[];
  };
}

const v = readUpstreamJson<MessageTest>(FILE);
const gen = v.generate.hops;
const hello = fromHex(v.onionmessage.unknown_tag_1);

// Dave's blinded path Bob→Carol→Dave starts at Bob's path_key_secret; the sender prepends Alice.
const daves = createBlindedPath({
  sessionKey: fromHex(gen[1]!.path_key_secret),
  hops: gen.slice(1).map((h) => ({ nodeId: fromHex(nodeIdOf(h)), data: fromHex(h.encrypted_data_tlv) })),
});
function nodeIdOf(h: GenHop): string {
  // The node a hop is for: the previous hop's next_node_id (Alice's from the decrypt section).
  const i = gen.indexOf(h);
  return i === 0
    ? toHex(publicKeyOf(scalarFromBytes(fromHex(v.decrypt.hops[0]!.privkey), 'k')))
    : (gen[i - 1]!.tlvs.next_node_id as string);
}
const built = buildOnionMessage({
  path: daves.path,
  via: [fromHex(nodeIdOf(gen[0]!))],
  content: [{ type: 1n, value: hello }],
  sessionKey: fromHex(v.generate.session_key),
  pathKeySecret: fromHex(gen[0]!.path_key_secret),
});
const alicePart = createBlindedPath({
  sessionKey: fromHex(gen[0]!.path_key_secret),
  hops: [{ nodeId: fromHex(nodeIdOf(gen[0]!)), data: fromHex(gen[0]!.encrypted_data_tlv) }],
});
const secrets = [...alicePart.hops, ...daves.hops];

describe(vectorSuite('upstream', FILE, gen.length + 2 + v.decrypt.hops.length), () => {
  gen.forEach((h, i) => {
    it(`creates ${h.alias}'s hop: TLVs, ss, blinding HMAC, blinded id, E, H(E || ss), next e, rho, ciphertext`, () => {
      expect(toHex(encodeEncryptedDataJson(h.tlvs))).toBe(h.encrypted_data_tlv);
      const s = secrets[i]!;
      expect(toHex(s.pathPrivkey)).toBe(h.path_key_secret);
      expect(toHex(s.sharedSecret)).toBe(h.ss);
      expect(toHex(generateKey('blinded_node_id', s.sharedSecret))).toBe(h["HMAC256('blinded_node_id', ss)"]);
      expect(toHex(s.blindedNodeId)).toBe(h.blinded_node_id);
      expect(toHex(s.pathKey)).toBe(h.E);
      const factor = blindingFactor(s.pathKey, s.sharedSecret);
      expect(toHex(factor)).toBe(h['H(E || ss)']);
      // next_e is printed as 32 bytes followed by a 01 byte; the scalar is the 32 bytes.
      expect(h.next_e).toHaveLength(66);
      expect(toHex(scalarToBytes(multiplyPrivateKey(s.pathPrivkey, factor)))).toBe(h.next_e.slice(0, 64));
      expect(toHex(s.rho)).toBe(h.rho);
      expect(toHex(s.encryptedData)).toBe(h.encrypted_recipient_data);
    });
  });

  it("prepends Alice to Dave's blinded path, with next_path_key_override pointing at Bob's path key", () => {
    const r = built.route;
    expect(toHex(built.firstNodeId)).toBe(v.route.first_node_id);
    expect(toHex(r.pathKey)).toBe(v.route.first_path_key);
    expect(
      r.hops.map((h) => ({
        blinded_node_id: toHex(h.blindedNodeId),
        encrypted_recipient_data: toHex(h.encryptedData),
      })),
    ).toEqual(v.route.hops);
  });

  it('constructs the 1366-byte onion_message_packet and the onion_message byte for byte', () => {
    expect(toHex(built.packet)).toBe(v.onionmessage.onion_message_packet);
    expect(toHex(built.onionMessage)).toBe(v.decrypt.hops[0]!.onion_message);
  });

  v.decrypt.hops.forEach((d, i) => {
    const next = v.decrypt.hops[i + 1];
    it(`${d.alias} peels the onion message and ${next ? `forwards it to ${next.alias}` : 'receives "hello"'}`, () => {
      const step = peelOnionMessage(fromHex(d.privkey), fromHex(d.onion_message));
      if (next) {
        if (!('forward' in step)) throw new Error('expected forward');
        expect(toHex(step.forward.nextNodeId!)).toBe(d.next_node_id);
        expect(toHex(step.forward.onionMessage)).toBe(next.onion_message);
      } else {
        if (!('deliver' in step)) throw new Error('expected deliver');
        expect(step.deliver.content).toEqual([{ type: 1n, value: hello }]);
        expect(toHex(step.payload.values.encrypted_recipient_data!)).toBe(d.tlvs!.encrypted_recipient_data);
        expect(toHex(step.deliver.pathId!)).toBe(gen[3]!.tlvs.path_id);
        expect(step.encryptedData.unknown.map((r) => r.type)).toEqual([65535n]);
      }
    });
  });
});

describe('BOLT 4 onion messages', () => {
  const keys = [0x61, 0x62, 0x63, 0x64].map((b) => new Uint8Array(32).fill(b));
  const ids = keys.map((k) => publicKeyOf(scalarFromBytes(k, 'k')));

  function walk(privs: Uint8Array[], message: Uint8Array) {
    let m = message;
    for (let i = 0; i < privs.length; i++) {
      const step = peelOnionMessage(privs[i]!, m);
      if ('deliver' in step) return { step, hops: i + 1 };
      m = step.forward.onionMessage;
    }
    throw new Error('never delivered');
  }

  it('builds along node ids and delivers the content to the last one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.uint8Array({ maxLength: 600 }), (n, body) => {
        const built = buildOnionMessage({
          path: ids.slice(0, n),
          content: [{ type: 66n, value: body }],
          pathId: fromHex('abcd'),
        });
        expect(built.packet.length).toBe(1366);
        const { step, hops } = walk(keys, built.onionMessage);
        expect(hops).toBe(n);
        expect(step.deliver.content).toEqual([{ type: 66n, value: body }]);
        expect(toHex(step.deliver.pathId!)).toBe('abcd');
      }),
      { numRuns: 8 },
    );
  });

  it('switches to a 32834-byte packet when the content does not fit in 1366', () => {
    const built = buildOnionMessage({
      path: ids.slice(0, 2),
      content: [{ type: 64n, value: new Uint8Array(2000) }],
    });
    expect(built.packet.length).toBe(32834);
    expect(walk(keys, built.onionMessage).step.deliver.content[0]!.value).toHaveLength(2000);
    expect(() =>
      buildOnionMessage({ path: ids.slice(0, 1), content: [{ type: 64n, value: new Uint8Array(33000) }] }),
    ).toThrow(RangeError);
  });

  it('carries a reply path to the recipient', () => {
    const reply: BlindedPath = createBlindedPath({
      sessionKey: new Uint8Array(32).fill(9),
      hops: [{ nodeId: ids[0]!, data: encodeEncryptedData({ path_id: fromHex('77') }) }],
    }).path;
    const built = buildOnionMessage({ path: ids.slice(1, 3), replyPath: reply });
    const { step } = walk(keys.slice(1), built.onionMessage);
    expect(step.deliver.replyPath).toEqual(reply);
  });

  it('lets the recipient peel its own dummy hops', () => {
    const hops = withDummyHops(
      [
        { nodeId: ids[0]!, data: encodeEncryptedData({ next_node_id: ids[1]! }) },
        { nodeId: ids[1]!, data: encodeEncryptedData({ path_id: fromHex('99') }) },
      ],
      2,
      encodeEncryptedData({ next_node_id: ids[1]! }),
    );
    const { path } = createBlindedPath({ sessionKey: new Uint8Array(32).fill(5), hops });
    expect(path.hops).toHaveLength(4);
    const built = buildOnionMessage({ path, content: [{ type: 65n, value: hello }] });
    const first = peelOnionMessage(keys[0]!, built.onionMessage);
    if (!('forward' in first)) throw new Error('expected forward');
    const step = receiveOnionMessage(keys[1]!, first.forward.onionMessage);
    if (!('deliver' in step)) throw new Error('expected deliver');
    expect(toHex(step.deliver.pathId!)).toBe('99');
  });

  it('round-trips the onion_message wire message', () => {
    const m = decodeOnionMessage(fromHex(v.decrypt.hops[1]!.onion_message));
    expect(toHex(encodeOnionMessage(m))).toBe(v.decrypt.hops[1]!.onion_message);
    expect(() => decodeOnionMessage(fromHex(`0202${v.decrypt.hops[1]!.onion_message.slice(4)}`))).toThrow(
      expect.objectContaining({ code: 'MESSAGE_UNKNOWN_TYPE' }),
    );
  });

  it('fails with BAD_HMAC when a bit of the packet is flipped', () => {
    const m = fromHex(v.decrypt.hops[0]!.onion_message);
    m[100]! ^= 4;
    expect(() => peelOnionMessage(fromHex(v.decrypt.hops[0]!.privkey), m)).toThrow(
      expect.objectContaining({ code: 'BAD_HMAC' }),
    );
  });

  function twoHops(first: Uint8Array) {
    return createBlindedPath({
      sessionKey: new Uint8Array(32).fill(6),
      hops: [
        { nodeId: ids[0]!, data: first },
        { nodeId: ids[1]!, data: encodeEncryptedData({}) },
      ],
    }).path;
  }

  it('fails with FORBIDDEN_FIELD when a non-final payload carries content', () => {
    const route = twoHops(encodeEncryptedData({ next_node_id: ids[1]! }));
    const payloads = [
      encodeTlvRecords([
        { type: 4n, value: route.hops[0]!.encryptedData },
        { type: 65n, value: hello },
      ]),
      encodeTlvRecords([{ type: 4n, value: route.hops[1]!.encryptedData }]),
    ];
    const { packet } = constructOnion({
      sessionKey: new Uint8Array(32).fill(8),
      hops: route.hops.map((h, i) => ({ pubkey: h.blindedNodeId, payload: payloads[i]! })),
    });
    expect(() => peelOnionMessage(keys[0]!, { pathKey: route.pathKey, packet })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_FIELD', tlvType: 65n }),
    );
  });

  it('fails with FORBIDDEN_FIELD when a non-final hop finds a path_id', () => {
    const route = twoHops(encodeEncryptedData({ next_node_id: ids[1]!, path_id: fromHex('01') }));
    expect(() => peelOnionMessage(keys[0]!, buildOnionMessage({ path: route }).onionMessage)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_FIELD', field: 'path_id' }),
    );
  });

  it('fails with MISSING_FIELD when a non-final hop is told no next node', () => {
    const route = twoHops(encodeEncryptedData({ padding: new Uint8Array(3) }));
    expect(() => peelOnionMessage(keys[0]!, buildOnionMessage({ path: route }).onionMessage)).toThrow(
      expect.objectContaining({ code: 'MISSING_FIELD' }),
    );
  });

  it('gives only typed codec errors for mutated onion messages', () => {
    const base = fromHex(v.decrypt.hops[0]!.onion_message);
    const priv = fromHex(v.decrypt.hops[0]!.privkey);
    fc.assert(
      fc.property(fc.nat({ max: base.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const m = base.slice();
        m[at]! ^= x;
        try {
          peelOnionMessage(priv, m);
          return false;
        } catch (e) {
          return e instanceof CodecError;
        }
      }),
      { numRuns: 60 },
    );
  });
});
