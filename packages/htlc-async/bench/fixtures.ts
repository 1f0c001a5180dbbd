/**
 * Realistic records for the LSP-at-scale bench: one real signed static invoice, one real
 * `held_htlc_available` onion message as the recipient's LSP holds it, one real relay peeled from a
 * payment onion — built once with fixed keys, then copied per entry with fresh random bytes where a
 * real store would hold distinct values (onions, payment hashes, shared secrets), so sizes on disk and
 * in memory are those of the real thing.
 *
 * ```ts
 * const f = buildFixtures();
 * f.staticInvoice.length; // bytes of a signed static invoice (LDK profile)
 * f.heldHtlcAvailable.length; // 1403: type, path_key, and a 1366-byte onion packet
 * ```
 */
import { encodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import { buildOffer } from '@asyncpay/codec/bolt12/offer';
import { buildStaticInvoice, signStaticInvoice } from '@asyncpay/codec/bolt12/static-invoice';
import { createBlindedPath, withDummyHops } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import { buildOnionMessage, peelOnionMessage } from '@asyncpay/codec/onion/onion-message';
import { buildPaymentOnion, peelPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodePaymentPayload } from '@asyncpay/codec/onion/payment-payload';
import type { Store, Table } from '@asyncpay/ln/store/sqlite';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { RELEASE_PATH_DUMMY_HOPS } from '../src/payer-lsp.js';
import { encodeBlindedPathHex } from '../src/wire.js';

/** Keys made of repeated bytes, named after who holds them. */
export const KEYS = {
  /** The LSP under test (payer's LSP holding HTLCs, and static invoice server with a mailbox). */
  lsp: new Uint8Array(32).fill(0x4c),
  /** The next hop every held HTLC goes to once released. */
  nextHop: new Uint8Array(32).fill(0x4e),
  /** The recipient whose static invoice is the template. */
  recipient: new Uint8Array(32).fill(0x52),
} as const;

/** The virtual clock's start (2026-01-01) and height, as `VirtualClock` defaults them. */
export const START_TIME = 1_767_225_600;
export const START_HEIGHT = 800_000;
/** What each held HTLC carries: 50,000 sat plus the LSP's fee (1000 msat + 100 ppm). */
export const HELD_AMOUNT_MSAT = 50_006_000n;

/** The value the static invoice server stores per (recipient, slot); mirrors `recipient-lsp.ts`. */
export interface StoredInvoice {
  invoice: string;
  forwardPath: string;
}

/** The built-once templates. */
export interface Fixtures {
  lspId: Uint8Array;
  nextHopId: Uint8Array;
  /** A signed static invoice (LDK profile: one payment path, one `held_htlc_available` path). */
  staticInvoice: Uint8Array;
  /** The stored value of that invoice, with its `invoice_request` forward path. */
  storedInvoice: StoredInvoice;
  /** A whole `onion_message` carrying `held_htlc_available`, as the mailbox holds it for the recipient. */
  heldHtlcAvailable: Uint8Array;
  /** The 1366-byte next onion of a real relay at the LSP. */
  relayOnionLength: number;
}

const pub = (k: Uint8Array) => secp256k1.getPublicKey(k, true);
const seeded = (label: string) => sha256(new TextEncoder().encode(`asyncpay/bench/${label}`));

/** Fresh random bytes (a `Uint8Array`, never a `Buffer`: the store's JSON tags only byte arrays). */
export function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65_536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65_536)));
  return out;
}

/** A random node id shaped like a compressed key (`02…`); the store only sees it as text. */
export function randomNodeId(): string {
  const b = randomBytes(33);
  b[0] = 2;
  return bytesToHex(b);
}

/** A release path as the LSP makes it: to itself, padded with three dummy hops, `path_id` sealed. */
function releasePath(lsp: Uint8Array): BlindedPath {
  const self = pub(lsp);
  const hops = withDummyHops(
    [{ nodeId: self, data: encodeEncryptedData({ path_id: randomBytes(33 + 8 + 16) }) }],
    RELEASE_PATH_DUMMY_HOPS,
    encodeEncryptedData({ next_node_id: self }),
  );
  return createBlindedPath({ sessionKey: seeded('release-path'), hops }).path;
}

/** Build every template once (a few point multiplications and one signature). */
export function buildFixtures(): Fixtures {
  const lspId = pub(KEYS.lsp);
  const nextHopId = pub(KEYS.nextHop);
  const recipientId = pub(KEYS.recipient);
  const pathTo = (label: string, hops: { nodeId: Uint8Array; data: Uint8Array }[]) =>
    createBlindedPath({ sessionKey: seeded(label), hops }).path;
  const sealedId = (n: number) => encodeEncryptedData({ path_id: randomBytes(n + 16) });

  // The offer's path ends at the server (`static_invoice_requested`: recipient id + slot, sealed).
  const offer = buildOffer({
    offerDescription: 'asyncpay demo shop',
    offerIssuerId: recipientId,
    offerPaths: [pathTo('offer-path', [{ nodeId: lspId, data: sealedId(33 + 2) }])],
  });
  const relay = { cltv_expiry_delta: 40, fee_proportional_millionths: 100, fee_base_msat: 1000n };
  const constraints = { max_cltv_expiry: START_HEIGHT + 4032, htlc_minimum_msat: 1n };
  const paymentPath = pathTo('payment-path', [
    {
      nodeId: lspId,
      data: encodeEncryptedData({
        short_channel_id: { block: 800_000, txIndex: 1, output: 0 },
        payment_relay: relay,
        payment_constraints: constraints,
      }),
    },
    {
      nodeId: recipientId,
      data: encodeEncryptedData({ path_id: randomBytes(8 + 16), payment_constraints: constraints }),
    },
  ]);
  const heldPath = pathTo('held-path', [
    { nodeId: lspId, data: encodeEncryptedData({ next_node_id: recipientId }) },
    { nodeId: recipientId, data: sealedId(8) },
  ]);
  const unsigned = buildStaticInvoice(
    offer,
    {
      invoicePaths: [paymentPath],
      invoiceBlindedpay: [
        {
          feeBaseMsat: 1000,
          feeProportionalMillionths: 100,
          cltvExpiryDelta: 40 + 18,
          htlcMinimumMsat: 1n,
          htlcMaximumMsat: 10_000_000_000n,
          features: new Uint8Array(0),
        },
      ],
      invoiceCreatedAt: BigInt(START_TIME),
      invoiceNodeId: recipientId,
      heldHtlcAvailablePaths: [heldPath],
    },
    { profile: 'ldk', now: START_TIME },
  );
  const staticInvoice = signStaticInvoice(unsigned, KEYS.recipient, seeded('aux')).bytes;
  const forwardPath = pathTo('forward-path', [
    { nodeId: lspId, data: encodeEncryptedData({ next_node_id: recipientId }) },
    { nodeId: recipientId, data: sealedId(10) },
  ]);

  // The payer sends held_htlc_available over the invoice's held path, replying over a release path;
  // the server peels its own layer and holds what is left for the offline recipient.
  const sent = buildOnionMessage({
    path: heldPath,
    content: [encodeAsyncMessage({ kind: 'held_htlc_available' }, 'ldk')],
    replyPath: releasePath(KEYS.lsp),
    sessionKey: seeded('held-session'),
  });
  const atServer = peelOnionMessage(KEYS.lsp, sent.onionMessage);
  if (!('forward' in atServer)) throw new Error('bench fixture: expected the server to forward');

  // A relay at the LSP: peel a real two-hop payment onion (LSP, next hop).
  const paymentHash = sha256(seeded('preimage'));
  const onion = buildPaymentOnion({
    sessionKey: seeded('payment-session'),
    paymentHash,
    hops: [
      {
        pubkey: lspId,
        payload: encodePaymentPayload({
          amt_to_forward: HELD_AMOUNT_MSAT - 6_000n,
          outgoing_cltv_value: BigInt(START_HEIGHT + 968),
          short_channel_id: { block: 800_000, txIndex: 1, output: 0 },
        }),
      },
      {
        pubkey: nextHopId,
        payload: encodePaymentPayload({
          amt_to_forward: HELD_AMOUNT_MSAT - 6_000n,
          outgoing_cltv_value: BigInt(START_HEIGHT + 968),
        }),
      },
    ],
  });
  const peeled = peelPaymentOnion({ nodePrivkey: KEYS.lsp, packet: onion.packet, paymentHash });
  if (!peeled.nextPacket) throw new Error('bench fixture: expected a relay');

  return {
    lspId,
    nextHopId,
    staticInvoice,
    storedInvoice: { invoice: bytesToHex(staticInvoice), forwardPath: encodeBlindedPathHex(forwardPath) },
    heldHtlcAvailable: atServer.forward.onionMessage,
    relayOnionLength: peeled.nextPacket.length,
  };
}

/**
 * A {@link Store} that counts outermost transactions — each one is a commit, and with WAL and
 * `synchronous = FULL` each commit is an fsync.
 */
export class CountingStore implements Store {
  commits = 0;
  private depth = 0;
  constructor(readonly inner: Store) {}
  namespace<V>(name: string): Table<V> {
    return this.inner.namespace<V>(name);
  }
  transaction<T>(fn: () => T): T {
    if (this.depth === 0) this.commits++;
    this.depth++;
    try {
      return this.inner.transaction(fn);
    } finally {
      this.depth--;
    }
  }
  close(): void {
    this.inner.close();
  }
}

/** Heap and RSS in bytes, after a full collection when `--expose-gc` is on. */
export function memory(): { heap: number; rss: number; gc: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const m = process.memoryUsage();
  // `external` already counts `arrayBuffers` (the byte arrays' backing stores).
  return { heap: m.heapUsed + m.external, rss: m.rss, gc: gc !== undefined };
}

/** Wall-clock and CPU time (this process, user + system) of one operation, in microseconds. */
export interface Timing {
  wall: number;
  cpu: number;
}

/** Run `fn` once, timed: on a loaded machine the CPU time is the steadier figure. */
export function timed<T>(fn: () => T): { value: T; time: Timing } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = (performance.now() - t0) * 1000;
  const c = process.cpuUsage(c0);
  return { value, time: { wall, cpu: c.user + c.system } };
}
