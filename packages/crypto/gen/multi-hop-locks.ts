/**
 * Vectors for multi-hop locks (vectors/multi-hop-locks.json): the payer's locks for a route,
 * the secrets revealed right to left, and the payment secret the payer recovers.
 *
 * The payment secret is 0x5a… (`z`); the tweak seed is 0x41… (Alice, the payer). Hops: Alice (0),
 * Carol (1), Dave (2), recipient Bob.
 */
import { bytesToHex } from '../src/bytes.js';
import {
  deriveHopTweaks,
  openLeftLock,
  recipientLockSecret,
  recoverPaymentSecret,
  setupMultiHopLocks,
} from '../src/multi-hop-locks.js';
import { compressed, mulG } from '../src/point.js';
import { bytesToInt } from '../src/scalar.js';

const rep = (byte: number) => new Uint8Array(32).fill(byte);
const hex = bytesToHex;

function routeCase(description: string, z: Uint8Array, seed: Uint8Array, hops: number) {
  const Z = compressed(mulG(bytesToInt(z)));
  const setup = setupMultiHopLocks(Z, deriveHopTweaks(seed, hops));
  const revealed: string[] = [];
  let secret = recipientLockSecret(z, setup.recipientTweak);
  const recipientSecret = hex(secret);
  for (let i = hops - 1; i >= 1; i--) {
    revealed.unshift(hex(secret));
    secret = openLeftLock(secret, setup.hops[i]!.tweak, setup.hops[i]!.left);
  }
  revealed.unshift(hex(secret));
  return {
    description,
    z: hex(z),
    tweak_seed: hex(seed),
    'Z = z·G': hex(Z),
    hops: setup.hops.map((h, i) => ({
      [`y_${i} = hash_asyncpay/multi-hop-lock/tweak(seed ‖ u32(${i})) mod n`]: hex(h.tweak),
      [`L_${i}`]: hex(h.left),
      [`R_${i} = L_${i} + y_${i}·G`]: hex(h.right),
      [`r_${i}, secret of R_${i} revealed by hop ${i + 1}`]: revealed[i]!,
    })),
    'Σ y_i (sent to the recipient)': hex(setup.recipientTweak),
    'L_n = Z + (Σ y_i)·G': hex(setup.recipientLock),
    'z + Σ y_i (recipient opens L_n)': recipientSecret,
    'z = r_0 − y_0 (payer)': hex(recoverPaymentSecret(secret, setup)),
  };
}

function generate() {
  return {
    comment:
      'Scriptless-scripts multi-hop locks: L_0 = Z, R_i = L_i + y_i·G, L_{i+1} = R_i; the PTLC from hop i ' +
      'to hop i+1 is locked to R_i; hop i opens L_i with r_i − y_i; the payer recovers z = r_0 − y_0.',
    routes: [
      routeCase('direct payment (one PTLC)', rep(0x5a), rep(0x41), 1),
      routeCase('Alice → Carol → Dave → Bob (three PTLCs)', rep(0x5a), rep(0x41), 3),
    ],
  };
}

/** The multi-hop lock vector files. */
export const vectors: { file: string; generate(): unknown }[] = [{ file: 'multi-hop-locks.json', generate }];
