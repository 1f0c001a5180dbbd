/**
 * BOLT 12 benchmarks. The floor is one noble BIP-340 verify, measured in the same run: decoding and
 * verifying a signed invoice cannot be cheaper, so the ratio shows what parsing, the semantic checks and
 * the Merkle tree add on top (goal: at most 1.3×).
 */
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { aliceInvoice, aliceStaticInvoice, asyncOffer } from '../gen/static-invoice-fixtures.js';
import type { BlindedPath } from '../src/blinded-path.js';
import { decodeInvoice, encodeInvoice, verifyInvoice } from '../src/bolt12/invoice.js';
import { merkleRoot } from '../src/bolt12/merkle.js';
import { decodeOffer, encodeOffer } from '../src/bolt12/offer.js';
import { decodeStaticInvoice, verifyStaticInvoice } from '../src/bolt12/static-invoice.js';

/** The 33-byte points a decoder validates in these paths. */
const pathPoints = (paths: readonly BlindedPath[] = []): number =>
  paths.reduce((n, p) => n + ('nodeId' in p.introductionNode ? 1 : 0) + 1 + p.hops.length, 0);

/** Decode + verify of BOLT 12 messages, as ratios to one schnorr verify. */
export async function bolt12Benchmarks(): Promise<void> {
  const invoice = aliceInvoice();
  const invoiceString = encodeInvoice(invoice);
  const staticInvoice = aliceStaticInvoice('ldk');
  const offerString = encodeOffer(asyncOffer());
  const msg = new Uint8Array(32).fill(7);
  const secret = new Uint8Array(32).fill(0x41);
  const sig = schnorr.sign(msg, secret, new Uint8Array(32));
  const pub = schnorr.getPublicKey(secret);

  const f = invoice.fields;
  // Every point is decompressed (one field square root) to check it lies on the curve.
  const points = 3 + pathPoints(f.offerPaths) + pathPoints(f.invreqPaths) + pathPoints(f.invoicePaths); // issuer, payer, node ids
  const rows = await runBenchmarks(`codec: BOLT 12 (invoice ${invoice.bytes.length} bytes)`, {
    floors: {
      'schnorr verify': () => schnorr.verify(sig, msg, pub),
      'point decompress': () => secp256k1.Point.fromBytes(invoice.fields.invoiceNodeId!),
    },
    cases: [
      {
        name: 'decode + verify invoice (bytes)',
        fn: () => verifyInvoice(decodeInvoice(invoice.bytes)),
        floor: 'schnorr verify',
      },
      {
        name: 'decode + verify invoice (lni string)',
        fn: () => verifyInvoice(decodeInvoice(invoiceString)),
        floor: 'schnorr verify',
      },
      {
        name: 'decode + verify static invoice (ldk)',
        fn: () => verifyStaticInvoice(decodeStaticInvoice(staticInvoice.bytes)),
        floor: 'schnorr verify',
      },
      {
        name: 'decode invoice only (no signature check)',
        fn: () => decodeInvoice(invoice.bytes),
        floor: 'schnorr verify',
      },
      {
        name: `decode invoice only, per point (${points} points)`,
        fn: () => decodeInvoice(invoice.bytes),
        floor: 'point decompress',
        floorUnits: points,
      },
      { name: 'merkle root of the invoice', fn: () => merkleRoot(invoice.records), floor: 'schnorr verify' },
      { name: 'decode offer (lno string)', fn: () => decodeOffer(offerString), floor: 'schnorr verify' },
    ],
  });
  const main = rows.find((r) => r.name === 'decode + verify invoice (bytes)')!;
  console.log(`decode + verify invoice: ${main.ratio!.toFixed(2)}× one schnorr verify (goal ≤ 1.30×)`);
  console.log(`the decoder validates ${points} curve points; each costs one square root in noble`);
}
