/**
 * Benchmarks of Schnorr adaptor signatures and receipts, as ratios to noble's BIP-340 sign and
 * verify measured in the same run.
 *
 * Floors: presign does one signature's work (one nonce point, one challenge) plus adding T, so its
 * floor is one schnorr sign. Pre-verify, extract and receipt verification each need one
 * `s·G − e·P`-sized multi-scalar step, so their floor is one schnorr verify. Adapt and extractSecret
 * are scalar additions plus parsing `R'` (a square root); they are shown against verify to make
 * their cheapness visible.
 *
 * @example
 * ```ts
 * import { benchAdaptor } from './adaptor.js';
 * await benchAdaptor();
 * ```
 * @module
 */
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { schnorr } from '@noble/curves/secp256k1.js';
import { adapt, adaptorPoint, extractAdaptor, extractSecret, presign, preVerify } from '../src/adaptor.js';
import { compressed, mulG } from '../src/point.js';
import type { ReceiptFields } from '../src/receipt/message.js';
import { issueNoncePairs } from '../src/receipt/nonce.js';
import { receiptPaymentPoint, signReceipt, verifyReceipt } from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { bytesToInt } from '../src/scalar.js';

/** Runs the adaptor and receipt benchmarks and prints their table. */
export async function benchAdaptor(): Promise<void> {
  const rep = (b: number) => new Uint8Array(32).fill(b);
  const sk = rep(0x42);
  const pk = schnorr.getPublicKey(sk);
  const m = rep(0x6d);
  const aux = rep(0x00);
  const t = rep(0x54);
  const T = adaptorPoint(t);
  const pre = presign(sk, m, T, aux);
  const sig = adapt(pre, t);
  const plainSig = schnorr.sign(m, sk, aux);

  const idOf = (k: Uint8Array) => compressed(mulG(bytesToInt(k)));
  const nonceSeed = rep(0x62);
  const fields: ReceiptFields = {
    payerId: idOf(rep(0x41)),
    payeeId: idOf(sk),
    amountMsat: 50_000_000n,
    offerId: rep(0x6f),
    timestamp: 1_675_000_000n,
    nonceId: 1n,
    note: 'Alice paid Bob 50000 sats',
  };
  const [pair] = issueNoncePairs(nonceSeed, sk, 1n, 1);
  const { receipt } = signReceipt({ secretKey: sk, nonceSeed, fields, store: new MemoryUsedNonceStore() });
  let nextId = 1000n;
  const store = new MemoryUsedNonceStore();

  await runBenchmarks('@asyncpay/crypto: Schnorr adaptor signatures and receipts', {
    floors: {
      'schnorr sign': () => schnorr.sign(m, sk, aux),
      'schnorr verify': () => schnorr.verify(plainSig, m, pk),
    },
    cases: [
      { name: 'presign', fn: () => presign(sk, m, T, aux), floor: 'schnorr sign' },
      { name: 'pre-verify', fn: () => preVerify(m, pk, pre, T), floor: 'schnorr verify' },
      { name: 'extract adaptor', fn: () => extractAdaptor(m, pk, pre), floor: 'schnorr verify' },
      { name: 'adapt', fn: () => adapt(pre, t), floor: 'schnorr verify' },
      { name: 'extract secret', fn: () => extractSecret(sig, pre), floor: 'schnorr verify' },
      {
        name: 'extract secret, checked against T',
        fn: () => extractSecret(sig, pre, T),
        floor: 'schnorr verify',
      },
      { name: 'receipt verify', fn: () => verifyReceipt(receipt, fields, pk), floor: 'schnorr verify' },
      {
        name: 'receipt payment point (payer)',
        fn: () => receiptPaymentPoint(pk, pair!, fields),
        floor: 'schnorr verify',
      },
      {
        name: 'receipt sign (recipient, memory store)',
        fn: () => signReceipt({ secretKey: sk, nonceSeed, fields: { ...fields, nonceId: nextId++ }, store }),
        floor: 'schnorr sign',
      },
    ],
  });
}
