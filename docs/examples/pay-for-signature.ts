/**
 * Pay-for-signature, the identity the PTLC receipts and Lightning Rod schemes rest on. Knowing Bob's key
 * P and a nonce R he committed to in advance, Alice computes the point S = R + e·P of the signature Bob
 * will make on her receipt message, and locks her payment to S. The scalar s that claims the payment
 * completes (R, s): a BIP-340 signature by Bob on the receipt.
 */
import { bytesToHex, equalBytes, utf8ToBytes } from '@asyncpay/crypto/bytes';
import {
  completeSignature,
  scalarPoint,
  signaturePoint,
  signWithNonce,
} from '@asyncpay/crypto/pay-for-signature';
import { getPublicKey, verify } from '@asyncpay/crypto/schnorr';

const bobKey = new Uint8Array(32).fill(0x42); // Bob's secret key
const bobNonce = new Uint8Array(32).fill(0x52); // a secret nonce Bob committed to before going offline
const P = getPublicKey(bobKey);
const R = getPublicKey(bobNonce); // bytes(k·G): what Bob's LSP hands out for him
const receipt = utf8ToBytes('Alice paid Bob 50000 sat');

// Alice, while Bob is offline: the lock of her payment.
const { S } = signaturePoint(P, R, receipt);
console.log(`lock S = ${bytesToHex(S)}`);

// Bob, back online: claiming the payment reveals s.
const s = signWithNonce(bobKey, bobNonce, receipt).subarray(32);
console.log(`s·G = S: ${equalBytes(scalarPoint(s), S)}`);

// Alice: (R, s) is Bob's signature on her receipt.
const signature = completeSignature(R, s, S);
console.log(`receipt verifies under Bob's key: ${verify(signature, receipt, P)}`);
