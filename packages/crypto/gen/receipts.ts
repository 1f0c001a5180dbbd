/**
 * Vectors for receipts (vectors/receipts.json): the receipt message serialization, the bound nonce,
 * the payment point `S = R + e·P` and the receipt `(R, s)`, with every intermediate value keyed by
 * its formula; then invalid cases with the error code the implementation raises.
 *
 * Keys are repeated bytes named after people: 0x41… Alice (payer), 0x42… Bob (recipient; his key
 * has odd y, so his secret is negated), 0x43… Carol (recipient with an even-y key). 0x62… is Bob's
 * nonce seed, 0x63… Carol's, 0x6f… the offer id.
 */
import { bytesToHex, hexToBytes } from '../src/bytes.js';
import { CryptoError } from '../src/errors.js';
import { compressed, evenYKey, mulG } from '../src/point.js';
import { decodeReceiptMessage, encodeReceiptMessage, type ReceiptFields } from '../src/receipt/message.js';
import { bindNonce, deriveNonceSecrets, issueNoncePairs, publicNoncePair } from '../src/receipt/nonce.js';
import { receiptPaymentPoint, signReceipt } from '../src/receipt/receipt.js';
import { MemoryUsedNonceStore } from '../src/receipt/store.js';
import { bytesToInt, scalarToBytes } from '../src/scalar.js';
import { getPublicKey } from '../src/schnorr.js';

const rep = (byte: number, length = 32) => new Uint8Array(length).fill(byte);
const hex = bytesToHex;
const pointOf = (sk: Uint8Array) => compressed(mulG(bytesToInt(sk)));

const ALICE = rep(0x41);
const BOB = rep(0x42);
const CAROL = rep(0x43);

/** JSON form of receipt fields (integers are safe JSON numbers here). */
export function fieldsToJson(f: ReceiptFields) {
  return {
    payer_id: hex(f.payerId),
    payee_id: hex(f.payeeId),
    amount_msat: Number(f.amountMsat),
    offer_id: hex(f.offerId),
    timestamp: Number(f.timestamp),
    nonce_id: Number(f.nonceId),
    note: f.note,
  };
}

/** Inverse of {@link fieldsToJson}. */
export function fieldsFromJson(j: ReturnType<typeof fieldsToJson>): ReceiptFields {
  return {
    payerId: hexToBytes(j.payer_id),
    payeeId: hexToBytes(j.payee_id),
    amountMsat: BigInt(j.amount_msat),
    offerId: hexToBytes(j.offer_id),
    timestamp: BigInt(j.timestamp),
    nonceId: BigInt(j.nonce_id),
    note: j.note,
  };
}

function validCase(description: string, secretKey: Uint8Array, nonceSeed: Uint8Array, fields: ReceiptFields) {
  const key = getPublicKey(secretKey);
  const { d, negated: keyNegated } = evenYKey(bytesToInt(secretKey));
  const secret = deriveNonceSecrets(nonceSeed, key, fields.nonceId);
  const pair = publicNoncePair(secret);
  const pp = receiptPaymentPoint(key, pair, fields);
  const bound = bindNonce(key, pair, pp.message);
  const signed = signReceipt({
    secretKey,
    nonceSeed,
    fields,
    store: new MemoryUsedNonceStore(),
    pair,
    lock: pp.S,
  });
  return {
    description,
    secret_key: hex(secretKey),
    nonce_seed: hex(nonceSeed),
    fields: fieldsToJson(fields),
    'bytes(P)': hex(key),
    'd = d0 if has_even_y(d0·G) else n − d0': hex(scalarToBytes(d)),
    key_negated: keyNegated,
    serialization: hex(encodeReceiptMessage(fields)),
    'm = hash_asyncpay/receipt(serialization)': hex(pp.message),
    'k1 = hash_asyncpay/receipt/nonce(seed ‖ bytes(P) ‖ u64(nonce_id) ‖ 01) mod n': hex(
      scalarToBytes(secret.k1),
    ),
    'k2 = hash_asyncpay/receipt/nonce(seed ‖ bytes(P) ‖ u64(nonce_id) ‖ 02) mod n': hex(
      scalarToBytes(secret.k2),
    ),
    'R1 = k1·G': hex(pair.R1),
    'R2 = k2·G': hex(pair.R2),
    'b = hash_asyncpay/receipt/noncecoef(bytes(P) ‖ cbytes(R1) ‖ cbytes(R2) ‖ m) mod n': hex(
      scalarToBytes(pp.b),
    ),
    'b·R1 + R2': hex(compressed(bound.R)),
    nonce_negated: pp.nonceNegated,
    'bytes(R), R = lift_x(x(b·R1 + R2))': hex(pp.R),
    'e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m) mod n': hex(scalarToBytes(pp.e)),
    'S = R + e·P': hex(pp.S),
    's = ±(b·k1 + k2) + e·d': hex(signed.s),
    'receipt = bytes(R) ‖ s': hex(signed.receipt),
  };
}

function errorCode(fn: () => unknown): { code: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError) return { code: e.code };
    throw e;
  }
  throw new Error('expected a CryptoError');
}

function firstIdWithNonceParity(
  secretKey: Uint8Array,
  seed: Uint8Array,
  base: ReceiptFields,
  negated: boolean,
): bigint {
  const key = getPublicKey(secretKey);
  for (let id = base.nonceId; ; id++) {
    const [pair] = issueNoncePairs(seed, secretKey, id, 1);
    if (receiptPaymentPoint(key, pair!, { ...base, nonceId: id }).nonceNegated === negated) return id;
  }
}

function generate() {
  const base: ReceiptFields = {
    payerId: pointOf(ALICE),
    payeeId: pointOf(BOB),
    amountMsat: 50_000_000n,
    offerId: rep(0x6f),
    timestamp: 1_675_000_000n,
    nonceId: 12345n,
    note: 'Alice paid Bob 50000 sats',
  };
  const bobSeed = rep(0x62);
  const carolSeed = rep(0x63);
  const carolBase = { ...base, payeeId: pointOf(CAROL), note: 'Alice paid Carol 50000 sats' };
  const bobEven = firstIdWithNonceParity(BOB, bobSeed, base, false);
  const bobOdd = firstIdWithNonceParity(BOB, bobSeed, base, true);
  const carolEven = firstIdWithNonceParity(CAROL, carolSeed, carolBase, false);
  const carolOdd = firstIdWithNonceParity(CAROL, carolSeed, carolBase, true);

  const goodSerialization = encodeReceiptMessage(base);
  const trailing = new Uint8Array(goodSerialization.length + 1);
  trailing.set(goodSerialization);
  const badUtf8 = goodSerialization.slice();
  badUtf8[badUtf8.length - 1] = 0xff;
  const badPayer = goodSerialization.slice();
  badPayer.fill(0xff, 1, 33);

  const store = new MemoryUsedNonceStore();
  signReceipt({ secretKey: BOB, nonceSeed: bobSeed, fields: base, store });
  const [notBobs] = issueNoncePairs(rep(0x41), BOB, base.nonceId, 1);

  return {
    comment:
      'Receipts (Towns 2023): m = hash_asyncpay/receipt(serialization); R = lift_x(x(b·R1 + R2)); S = R + e·P; ' +
      'receipt = bytes(R) ‖ s, a BIP-340 signature by P on m. Serialization: payer_id(33) ‖ payee_id(33) ‖ ' +
      'u64 amount_msat ‖ offer_id(32) ‖ u64 timestamp ‖ u64 nonce_id ‖ u16 note_len ‖ note (UTF-8), big-endian.',
    tags: {
      receipt: 'asyncpay/receipt',
      nonce_coefficient: 'asyncpay/receipt/noncecoef',
      nonce_derivation: 'asyncpay/receipt/nonce',
      challenge: 'BIP0340/challenge',
    },
    valid: [
      validCase('Bob (odd-y key, negated) with an even-y bound nonce', BOB, bobSeed, {
        ...base,
        nonceId: bobEven,
      }),
      validCase('Bob (odd-y key, negated) with an odd-y bound nonce (negated)', BOB, bobSeed, {
        ...base,
        nonceId: bobOdd,
      }),
      validCase('Carol (even-y key) with an even-y bound nonce', CAROL, carolSeed, {
        ...carolBase,
        nonceId: carolEven,
      }),
      validCase('Carol (even-y key) with an odd-y bound nonce (negated), empty note', CAROL, carolSeed, {
        ...carolBase,
        nonceId: carolOdd,
        note: '',
      }),
      validCase('Bob, a note with non-ASCII UTF-8', BOB, bobSeed, {
        ...base,
        nonceId: 7n,
        note: 'Alice → Bob: 5 € 🧾',
      }),
    ],
    invalid: [
      {
        description: 'serialization with a trailing byte',
        serialization: hex(trailing),
        error: errorCode(() => decodeReceiptMessage(trailing)),
      },
      {
        description: 'note that is not well-formed UTF-8',
        serialization: hex(badUtf8),
        error: errorCode(() => decodeReceiptMessage(badUtf8)),
      },
      {
        description: 'payer_id that is not a curve point',
        serialization: hex(badPayer),
        error: errorCode(() => decodeReceiptMessage(badPayer)),
      },
    ],
    refusals: [
      {
        description: 'Bob signs a second receipt with nonce id 12345 (already used)',
        secret_key: hex(BOB),
        nonce_seed: hex(bobSeed),
        used_nonce_ids: [Number(base.nonceId)],
        fields: fieldsToJson({ ...base, amountMsat: 1n }),
        error: errorCode(() =>
          signReceipt({ secretKey: BOB, nonceSeed: bobSeed, fields: { ...base, amountMsat: 1n }, store }),
        ),
      },
      {
        description: "the LSP serves a nonce pair that is not Bob's (derived from Alice's seed)",
        secret_key: hex(BOB),
        nonce_seed: hex(bobSeed),
        used_nonce_ids: [],
        fields: fieldsToJson(base),
        served_pair: { id: Number(notBobs!.id), R1: hex(notBobs!.R1), R2: hex(notBobs!.R2) },
        error: errorCode(() =>
          signReceipt({
            secretKey: BOB,
            nonceSeed: bobSeed,
            fields: base,
            store: new MemoryUsedNonceStore(),
            pair: notBobs!,
          }),
        ),
      },
    ],
  };
}

/** The receipt vector files. */
export const vectors: { file: string; generate(): unknown }[] = [{ file: 'receipts.json', generate }];
