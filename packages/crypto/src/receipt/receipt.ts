/**
 * Payment receipts for async payments (A. Towns, lightning-dev 2023-01-26; Optech #236).
 *
 * The payer locks a PTLC to the *payment point* `S = R + e·P`, where `P` is the recipient's key,
 * `R` the recipient's nonce bound to the receipt message `m`, and
 * `e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)`. The recipient claims by revealing `s` with
 * `s·G = S`; then `(R, s)` — `bytes(R) ‖ bytes(s)`, 64 bytes — is a plain BIP-340 signature by `P` on
 * `m`: the receipt.
 *
 * Even-y rules (BIP-340 verifies against `lift_x` of the x coordinates, i.e. even-y points):
 * - `P` is `lift_x(bytes(P))`. A recipient whose `d0·G` has odd y signs with `d = n − d0`, so that
 *   `d·G = P`.
 * - `R` is `lift_x(x(b·R1 + R2))`. When `b·R1 + R2` has odd y, the `R` in the equations is its
 *   negation, and the recipient signs with `k = −(b·k1 + k2)`, so that `k·G = R` still holds.
 * - `S` is not a BIP-340 key but a PTLC lock: it keeps whatever parity `R + e·P` has and travels
 *   as 33 compressed bytes.
 * Without these negations `s·G ≠ S` or the receipt fails `schnorr.verify` half of the time.
 *
 * Flow: recipient → LSP: public nonce pairs ({@link issueNoncePairs}). Payer builds `m`; LSP serves
 * one pair; payer computes `S` ({@link receiptPaymentPoint}) and sends `PTLC[amount, S]`. Recipient,
 * online again, recomputes everything from its own seed, marks the nonce used, and reveals `s`
 * ({@link signReceipt}). Payer checks `s·G = S` and holds the receipt ({@link completeReceipt}).
 *
 * @example
 * ```ts
 * const point = receiptPaymentPoint(bobKey, pair, fields);              // payer
 * const { s } = signReceipt({ secretKey, nonceSeed, fields, store, pair }); // recipient
 * const receipt = completeReceipt(point, s);                             // payer
 * verifyReceipt(receipt, fields, bobKey);                                // true, plain BIP-340
 * ```
 * @module
 */
import { abytes, concatBytes, equalBytes } from '../bytes.js';
import { challenge } from '../challenge.js';
import { CryptoError } from '../errors.js';
import { TAGS, taggedHash } from '../hash.js';
import { compressed, evenYKey, liftX, mulG, mulPublic, parseCompressed, xOnly } from '../point.js';
import { Fn, nonzeroScalarFromBytes, scalarFromBytes, scalarToBytes } from '../scalar.js';
import { verify } from '../schnorr.js';
import { decodeReceiptMessage, type ReceiptFields, receiptMessageHash } from './message.js';
import {
  bindNonce,
  boundNonceSecret,
  deriveNonceSecrets,
  type PublicNoncePair,
  publicNoncePair,
} from './nonce.js';
import type { UsedNonceStore } from './store.js';

/** What the payer computes before paying: the lock and everything needed to check the claim. */
export interface ReceiptPaymentPoint {
  /** 33-byte compressed payment point `S = R + e·P` the PTLC is locked to. */
  S: Uint8Array;
  /** 32-byte `bytes(R)`, the first half of the receipt. */
  R: Uint8Array;
  /** 32-byte receipt message `m`. */
  message: Uint8Array;
  /** Nonce coefficient `b`. */
  b: bigint;
  /** Challenge `e`. */
  e: bigint;
  /** True when `b·R1 + R2` had odd y and was negated. */
  nonceNegated: boolean;
}

/**
 * The payment point for a receipt on `fields` by the recipient with x-only key `payeeKey`, using
 * the nonce pair `pair` that the recipient's LSP served (never one the payer made up).
 *
 * ```text
 * m = hash_asyncpay/receipt(fields)          b = hash_asyncpay/receipt/noncecoef(bytes(P) ‖ R1 ‖ R2 ‖ m)
 * R = lift_x(x(b·R1 + R2))                    e = hash_BIP0340/challenge(bytes(R) ‖ bytes(P) ‖ m)
 * S = R + e·P
 * ```
 *
 * @throws CryptoError `INVALID_PUBKEY`, `INVALID_POINT`, `INVALID_RECEIPT_MESSAGE` (including a
 *   `fields.nonceId` that is not `pair.id`).
 */
export function receiptPaymentPoint(
  payeeKey: Uint8Array,
  pair: PublicNoncePair,
  fields: ReceiptFields,
): ReceiptPaymentPoint {
  const P = liftX(payeeKey, 'payeeKey', 'INVALID_PUBKEY');
  checkNonceId(fields, pair);
  const message = receiptMessageHash(fields);
  const bound = bindNonce(payeeKey, pair, message);
  const R = bound.negated ? bound.R.negate() : bound.R; // = lift_x(x(b·R1 + R2))
  const rx = xOnly(R);
  const e = challenge(rx, payeeKey, message);
  const S = R.add(mulPublic(P, e));
  if (S.is0()) throw new CryptoError('INVALID_POINT', 'payment point is infinite', { field: 'S' });
  return { S: compressed(S), R: rx, message, b: bound.b, e, nonceNegated: bound.negated };
}

/** Inputs of {@link signReceipt}. */
export interface SignReceiptArgs {
  /** The recipient's 32-byte secret key. */
  secretKey: Uint8Array;
  /** The recipient's 32-byte nonce seed (see `nonce.ts`). */
  nonceSeed: Uint8Array;
  /** The receipt fields the payer proposed; the recipient has checked amount, payer, offer. */
  fields: ReceiptFields;
  /** The used-nonce store; the nonce is marked used before `s` is returned. */
  store: UsedNonceStore;
  /** The pair the LSP says it served; refused unless it is the recipient's own pair `fields.nonceId`. */
  pair?: PublicNoncePair;
  /** The 33-byte point the incoming PTLC is locked to; refused unless it is the computed `S`. */
  lock?: Uint8Array;
}

/** The recipient's answer: the scalar that claims the PTLC, and the receipt it completes. */
export interface SignedReceipt {
  /** 32-byte `s` with `s·G = S`. */
  s: Uint8Array;
  /** 64-byte receipt `bytes(R) ‖ bytes(s)`, a BIP-340 signature on `m`. */
  receipt: Uint8Array;
  /** 33-byte payment point `S`. */
  S: Uint8Array;
}

/**
 * The recipient's side: recompute the nonce from its own seed, check it against what the LSP served
 * and the lock against `S`, mark the nonce used (atomically, durably), and only then compute
 * `s = k + e·d`.
 *
 * @throws CryptoError `INVALID_SECRET_KEY`, `NONCE_UNKNOWN` (served pair is not ours),
 *   `LOCK_MISMATCH` (PTLC not locked to S), `NONCE_REUSED` (the store refused),
 *   `INVALID_RECEIPT_MESSAGE`.
 */
export function signReceipt(args: SignReceiptArgs): SignedReceipt {
  const d0 = nonzeroScalarFromBytes(args.secretKey, 'secretKey', 'INVALID_SECRET_KEY');
  const { d, P } = evenYKey(d0); // d·G = P = lift_x(bytes(P))
  const px = xOnly(P);
  const secret = deriveNonceSecrets(args.nonceSeed, px, args.fields.nonceId);
  const pair = publicNoncePair(secret);
  if (args.pair !== undefined) {
    checkNonceId(args.fields, args.pair);
    if (!equalBytes(args.pair.R1, pair.R1) || !equalBytes(args.pair.R2, pair.R2)) {
      throw new CryptoError('NONCE_UNKNOWN', `served nonce pair ${args.pair.id} is not ours`, {
        field: 'pair',
      });
    }
  }
  const point = receiptPaymentPoint(px, pair, args.fields);
  if (args.lock !== undefined) {
    parseCompressed(args.lock, 'lock', 'INVALID_LOCK');
    if (!equalBytes(args.lock, point.S)) {
      throw new CryptoError('LOCK_MISMATCH', 'the PTLC is not locked to this receipt', { field: 'lock' });
    }
  }
  // Towns: "Bob checks that nonce #12345 was never used" — and records it before revealing s.
  args.store.markUsed(args.fields.nonceId, point.message);
  const k = boundNonceSecret(secret, { b: point.b, negated: point.nonceNegated });
  const s = scalarToBytes(Fn.add(k, Fn.mul(point.e, d)));
  return { s, receipt: concatBytes(point.R, s), S: point.S };
}

/**
 * The payer's side after the claim: check `s·G = S` and return the 64-byte receipt `bytes(R) ‖ s`.
 *
 * @throws CryptoError `INVALID_SCALAR` (s ≥ n), `LOCK_MISMATCH` (s does not open S).
 */
export function completeReceipt(point: ReceiptPaymentPoint, s: Uint8Array): Uint8Array {
  const k = scalarFromBytes(s, 's');
  const S = parseCompressed(point.S, 'S', 'INVALID_LOCK');
  if (k === 0n || !mulG(k).equals(S)) {
    throw new CryptoError('LOCK_MISMATCH', 's does not open the payment point', { field: 's' });
  }
  return concatBytes(abytes(point.R, 32, 'R'), s);
}

/**
 * Verifies a receipt: plain BIP-340 `Verify(payeeKey, m, receipt)` with `m` the receipt message
 * hash of `fields`.
 *
 * @throws TypeError / RangeError for inputs of the wrong shape; CryptoError
 *   `INVALID_RECEIPT_MESSAGE` for fields that do not serialize.
 */
export function verifyReceipt(receipt: Uint8Array, fields: ReceiptFields, payeeKey: Uint8Array): boolean {
  return verify(receipt, receiptMessageHash(fields), payeeKey);
}

/**
 * Verifies a receipt given the serialized receipt message (as a verifier receives it on the wire):
 * the bytes must decode strictly (`decodeReceiptMessage`), then `m = hash_asyncpay/receipt(bytes)`
 * and plain BIP-340 verification. Returns the decoded fields with the verdict, so the caller can
 * check payer, amount and offer.
 *
 * @throws CryptoError `INVALID_RECEIPT_MESSAGE` when the serialization is malformed.
 */
export function verifyReceiptSerialized(
  receipt: Uint8Array,
  serialization: Uint8Array,
  payeeKey: Uint8Array,
): { valid: boolean; fields: ReceiptFields } {
  const fields = decodeReceiptMessage(serialization);
  return { valid: verify(receipt, taggedHash(TAGS.receipt, serialization), payeeKey), fields };
}

function checkNonceId(fields: ReceiptFields, pair: PublicNoncePair): void {
  if (fields.nonceId !== pair.id) {
    throw new CryptoError('INVALID_RECEIPT_MESSAGE', 'nonceId does not name the served nonce pair', {
      field: 'nonceId',
    });
  }
}
