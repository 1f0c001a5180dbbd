import { readUpstreamJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import { encodeBigSize } from '../src/bigsize.js';
import type { BlindedPath } from '../src/blinded-path.js';
import { concatBytes, fromHex, toHex } from '../src/bytes.js';
import {
  aggregatePayInfo,
  blindedPrivateKey,
  concatBlindedPaths,
  createBlindedPath,
  nextPathKey,
} from '../src/onion/blinding.js';
import { decodeEncryptedData, encodeEncryptedData } from '../src/onion/encrypted-data.js';
import { blindedPaymentHops, buildPaymentOnion, peelPaymentOnion } from '../src/onion/payment.js';
import { encodePaymentPayload } from '../src/onion/payment-payload.js';
import { publicKeyOf, scalarFromBytes } from '../src/onion/sphinx.js';
import { encodeEncryptedDataJson, encodePaymentPayloadJson } from './onion-fixtures.js';

const FILE = 'bolts/bolt04/blinded-payment-onion-test.json';
const ROUTE_FILE = 'bolts/bolt04/route-blinding-test.json';

type Json = Record<string, unknown>;
interface FullHop {
  alias: string;
  pubkey: string;
  payload: string;
  tlvs: Json & { encrypted_recipient_data?: Json };
}
interface PaymentTest {
  generate: {
    session_key: string;
    associated_data: string;
    final_amount_msat: number;
    final_cltv: number;
    blinded_payinfo: {
      fee_base_msat: number;
      fee_proportional_millionths: number;
      cltv_expiry_delta: number;
    };
    blinded_route: {
      first_node_id: string;
      first_path_key: string;
      hops: { alias: string; blinded_node_id: string; encrypted_data: string }[];
    };
    full_route: { hops: FullHop[] };
    onion: string;
  };
  decrypt: { hops: { alias: string; onion: string; node_privkey: string; next_path_key?: string }[] };
}

const v = readUpstreamJson<PaymentTest>(FILE);
const g = v.generate;
const full = g.full_route.hops;
const blindedFull = full.slice(1);
const paymentHash = fromHex(g.associated_data);
// The recipient's route reuses the route-blinding vector's session keys and node ids (Bob→Carol made with
// 0202…, Dave→Eve with 0101…): only the TLVs differ.
const routeGen = readUpstreamJson<{ generate: { hops: { session_key?: string; node_id: string }[] } }>(
  ROUTE_FILE,
).generate.hops;

function recipientRoute(): BlindedPath {
  const segs: { session: string; hops: { nodeId: Uint8Array; data: Uint8Array }[] }[] = [];
  routeGen.forEach((r, i) => {
    const hop = {
      nodeId: fromHex(r.node_id),
      data: encodeEncryptedDataJson(blindedFull[i]!.tlvs.encrypted_recipient_data!),
    };
    if (r.session_key) segs.push({ session: r.session_key, hops: [hop] });
    else segs[segs.length - 1]!.hops.push(hop);
  });
  return segs
    .map((s) => createBlindedPath({ sessionKey: fromHex(s.session), hops: s.hops }).path)
    .reduce((a, b) => concatBlindedPaths(a, b));
}

// The vector's payloads carry their BigSize length prefix, as they sit in hop_payloads.
const prefixed = (payload: Uint8Array) => concatBytes(encodeBigSize(payload.length), payload);

const cases = blindedFull.length + 1 + full.length + 1 + v.decrypt.hops.length;

describe(vectorSuite('upstream', FILE, cases), () => {
  const route = recipientRoute();

  blindedFull.forEach((h, i) => {
    it(`the recipient encrypts ${h.alias}'s encrypted_recipient_data byte for byte`, () => {
      expect(toHex(route.hops[i]!.blindedNodeId)).toBe(g.blinded_route.hops[i]!.blinded_node_id);
      expect(toHex(route.hops[i]!.encryptedData)).toBe(g.blinded_route.hops[i]!.encrypted_data);
    });
  });

  it("aggregates the blinded_payinfo from the hops' payment_relay", () => {
    const relays = blindedFull
      .map(
        (h) =>
          decodeEncryptedData(encodeEncryptedDataJson(h.tlvs.encrypted_recipient_data!)).values.payment_relay,
      )
      .filter((r) => r !== undefined);
    expect(aggregatePayInfo(relays)).toEqual({
      fee_base_msat: BigInt(g.blinded_payinfo.fee_base_msat),
      fee_proportional_millionths: BigInt(g.blinded_payinfo.fee_proportional_millionths),
      cltv_expiry_delta: g.blinded_payinfo.cltv_expiry_delta,
    });
  });

  const hops = [
    { pubkey: fromHex(full[0]!.pubkey), payload: encodePaymentPayloadJson(full[0]!.tlvs) },
    ...blindedPaymentHops(route, {
      amt_to_forward: BigInt(g.final_amount_msat),
      outgoing_cltv_value: BigInt(g.final_cltv),
      total_amount_msat: BigInt(full[full.length - 1]!.tlvs.total_amount_msat as number),
    }),
  ];

  full.forEach((h, i) => {
    it(`encodes ${h.alias}'s onion payload and addresses it to ${i <= 1 ? 'the real' : 'the blinded'} node id`, () => {
      expect(toHex(hops[i]!.pubkey)).toBe(h.pubkey);
      expect(toHex(prefixed(hops[i]!.payload))).toBe(h.payload);
    });
  });

  it('constructs the payment onion byte for byte', () => {
    const { packet } = buildPaymentOnion({ sessionKey: fromHex(g.session_key), paymentHash, hops });
    expect(toHex(packet)).toBe(g.onion);
  });

  // Alice peels normally, Bob as introduction node (current_path_key in his payload), the others with the
  // path_key handed over in update_add_htlc.
  let pathKey: Uint8Array | undefined;
  v.decrypt.hops.forEach((d, i) => {
    it(`${d.alias} peels the onion${d.next_path_key ? ', decrypts its data and derives the next path key' : ''}`, () => {
      const step = peelPaymentOnion({
        nodePrivkey: fromHex(d.node_privkey),
        packet: fromHex(d.onion),
        paymentHash,
        ...(pathKey ? { pathKey } : {}),
      });
      expect(toHex(prefixed(encodePaymentPayload(step.payload.values)))).toBe(full[i]!.payload);
      const next = v.decrypt.hops[i + 1];
      if (next) expect(toHex(step.nextPacket!)).toBe(next.onion);
      else expect(step.nextPacket).toBeUndefined();
      if (d.next_path_key) {
        const blinding = step.blinded!;
        expect(toHex(blinding.plaintext)).toBe(
          toHex(encodeEncryptedDataJson(full[i]!.tlvs.encrypted_recipient_data!)),
        );
        // The final hop forwards nothing; its chained key is checked from the same secret.
        const nk = blinding.nextPathKey ?? nextPathKey(pathKey!, blindedSecretOf(d.node_privkey, pathKey!));
        expect(toHex(nk)).toBe(d.next_path_key);
        pathKey = blinding.nextPathKey;
      } else expect(step.blinded).toBeUndefined();
    });
  });
});

function blindedSecretOf(privkey: string, pathKey: Uint8Array): Uint8Array {
  return blindedPrivateKey(fromHex(privkey), pathKey).sharedSecret;
}

describe('BOLT 4 blinded payment onions', () => {
  const carol = v.decrypt.hops[2]!;
  const carolPathKey = fromHex(v.decrypt.hops[1]!.next_path_key!);

  it('fails when a blinded hop gets no path key (the onion is not encrypted to its real id)', () => {
    expect(() =>
      peelPaymentOnion({
        nodePrivkey: fromHex(carol.node_privkey),
        packet: fromHex(carol.onion),
        paymentHash,
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_HMAC' }));
  });

  it('fails with FORBIDDEN_FIELD when a hop given a path key also finds current_path_key', () => {
    const k = new Uint8Array(32).fill(0x51);
    const id = publicKeyOf(scalarFromBytes(k, 'k'));
    const { path } = createBlindedPath({
      sessionKey: new Uint8Array(32).fill(2),
      hops: [{ nodeId: id, data: encodeEncryptedData({ path_id: fromHex('01') }) }],
    });
    const payload = encodePaymentPayload({
      encrypted_recipient_data: path.hops[0]!.encryptedData,
      current_path_key: path.pathKey,
      amt_to_forward: 1n,
      outgoing_cltv_value: 1n,
      total_amount_msat: 1n,
    });
    const { packet } = buildPaymentOnion({
      sessionKey: new Uint8Array(32).fill(3),
      paymentHash,
      hops: [{ pubkey: path.hops[0]!.blindedNodeId, payload }],
    });
    expect(() => peelPaymentOnion({ nodePrivkey: k, packet, paymentHash, pathKey: path.pathKey })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN_FIELD' }),
    );
  });

  it('fails with INVALID_FIELD when the encrypted data names both a channel and a node', () => {
    const k = new Uint8Array(32).fill(0x53);
    const id = publicKeyOf(scalarFromBytes(k, 'k'));
    const data = encodeEncryptedData({
      short_channel_id: { block: 1, txIndex: 2, output: 3 },
      next_node_id: id,
    });
    const { path } = createBlindedPath({
      sessionKey: new Uint8Array(32).fill(4),
      hops: [{ nodeId: id, data }],
    });
    const payload = encodePaymentPayload({
      encrypted_recipient_data: path.hops[0]!.encryptedData,
      current_path_key: path.pathKey,
    });
    const { packet } = buildPaymentOnion({
      sessionKey: new Uint8Array(32).fill(3),
      paymentHash,
      hops: [{ pubkey: id, payload }],
    });
    expect(() => peelPaymentOnion({ nodePrivkey: k, packet, paymentHash })).toThrow(
      expect.objectContaining({ code: 'INVALID_FIELD' }),
    );
  });

  it('fails with MISSING_FIELD when encrypted_recipient_data comes without any path key', () => {
    const k = new Uint8Array(32).fill(0x52);
    const payload = encodePaymentPayload({ encrypted_recipient_data: new Uint8Array(20) });
    const { packet } = buildPaymentOnion({
      sessionKey: new Uint8Array(32).fill(3),
      paymentHash,
      hops: [{ pubkey: publicKeyOf(scalarFromBytes(k, 'k')), payload }],
    });
    expect(() => peelPaymentOnion({ nodePrivkey: k, packet, paymentHash })).toThrow(
      expect.objectContaining({ code: 'MISSING_FIELD' }),
    );
  });

  it('fails with BAD_HMAC for another payment hash', () => {
    expect(() =>
      peelPaymentOnion({
        nodePrivkey: fromHex(carol.node_privkey),
        packet: fromHex(carol.onion),
        paymentHash: new Uint8Array(32),
        pathKey: carolPathKey,
      }),
    ).toThrow(expect.objectContaining({ code: 'BAD_HMAC' }));
  });
});
