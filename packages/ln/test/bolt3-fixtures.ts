/**
 * The BOLT 3 Appendix C parameters (shared by Appendix F), read from the upstream vector file and
 * turned into this package's types.
 */

import { readUpstreamJson } from '@asyncpay/testkit/vectors';
import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { CommitmentHtlc, CommitmentKeys } from '../src/bolt3/commitment.js';

/** The upstream file these fixtures come from. */
export const BOLT3_FILE = 'bolts/extracted/bolt03-test-vectors.json';

/** Hex to bytes, tolerating BOLT 3's `0x` prefix. */
export const hex = (s: string): Uint8Array => hexToBytes(s.startsWith('0x') ? s.slice(2) : s);

interface RawHtlc {
  htlc: number;
  direction: 'remote->local' | 'local->remote';
  amount_msat: string;
  expiry: string;
  payment_preimage: string;
}

/** The shape of bolt03-test-vectors.json (the parts the tests read). */
export interface Bolt3Vectors {
  appendix_b_funding_transaction: { fields: Record<string, string>; comments: string[] };
  appendix_c_commitment_and_htlc_transactions: {
    internal_values_from_html_comment: Record<string, string>;
    common: { fields: Record<string, string>; htlcs: RawHtlc[]; comments: string[] };
    tests: {
      name: string;
      fields: Record<string, string | number>;
      outputs: {
        kind: string;
        htlc?: number;
        amount_sat: number;
        wscript?: string;
        p2wpkh_pubkey?: string;
      }[];
      htlc_txs: {
        output_index: number;
        type: 'htlc-success' | 'htlc-timeout';
        htlc: number;
        remote_htlc_signature: string;
        local_htlc_signature: string;
        tx: string;
      }[];
    }[];
  };
  appendix_d_per_commitment_secrets: {
    generation: { name: string; seed: string; I: string; output: string }[];
    storage: { name: string; seed: string; steps: { I: string; secret: string; output: 'OK' | 'ERROR' }[] }[];
  };
  appendix_e_key_derivation: {
    inputs: Record<string, string>;
    tests: { name: string; result: Record<string, string> }[];
  };
}

/** The parsed vector file. */
export const V = readUpstreamJson<Bolt3Vectors>(BOLT3_FILE);
const C = V.appendix_c_commitment_and_htlc_transactions;
const f = C.common.fields;
const internal = C.internal_values_from_html_comment;

/** Appendix C common parameters. */
export const common = {
  funding: {
    txid: f.funding_tx_id!,
    vout: Number(f.funding_output_index),
    amountSat: BigInt(f.funding_amount_satoshi!),
  },
  commitmentNumber: BigInt(f.commitment_number!),
  toSelfDelay: Number(f.local_delay),
  dustLimitSat: BigInt(f.local_dust_limit_satoshi!),
  localPaymentBasepoint: hex(f.local_payment_basepoint!),
  remotePaymentBasepoint: hex(f.remote_payment_basepoint!),
  localHtlcBasepoint: hex(f.local_htlc_basepoint!),
  remoteHtlcBasepoint: hex(f.remote_htlc_basepoint!),
  localFundingPrivkey: hex(f.local_funding_privkey!),
  remoteFundingPrivkey: hex(internal.remote_funding_privkey!),
  localHtlcPrivkey: hex(f.local_privkey!),
  remoteHtlcPrivkey: hex(internal.remote_privkey!),
  localPerCommitmentSecret: hex(internal.x_local_per_commitment_secret!),
  localPerCommitmentPoint: hex(internal.local_per_commitment_point!),
  remoteRevocationBasepoint: hex(internal.remote_revocation_basepoint!),
  localDelayedPaymentBasepoint: hex(internal.local_delayed_payment_basepoint!),
} as const;

/** The commitment keys Appendix C prints. */
export const keys: CommitmentKeys = {
  localFundingPubkey: hex(f.local_funding_pubkey!),
  remoteFundingPubkey: hex(f.remote_funding_pubkey!),
  revocationPubkey: hex(f.local_revocation_pubkey!),
  localDelayedPubkey: hex(f.local_delayedpubkey!),
  localHtlcPubkey: hex(f.local_htlcpubkey!),
  remoteHtlcPubkey: hex(f.remote_htlcpubkey!),
  // "The remotepubkey is simply the remote node's payment_basepoint."
  remotePaymentPubkey: hex(f.remote_payment_basepoint!),
};

/** The seven test HTLCs, seen from local (the commitment's owner), with their preimages. */
export const htlcs: (CommitmentHtlc & { id: number; preimage: Uint8Array })[] = C.common.htlcs.map((h) => {
  const preimage = hex(h.payment_preimage);
  return {
    id: h.htlc,
    direction: h.direction === 'local->remote' ? 'offered' : 'received',
    amountMsat: BigInt(h.amount_msat),
    paymentHash: sha256(preimage),
    cltvExpiry: Number(h.expiry),
    preimage,
  };
});

/**
 * Which HTLCs a test uses. BOLT 3: "the HTLCs are not used for the first 'simple commitment tx with no
 * HTLCs' test, and HTLCs 5 and 6 are only used in the 'same amount and preimage' test".
 */
export function htlcsFor(name: string): typeof htlcs {
  if (/no HTLCs/.test(name)) return [];
  if (/same amount and preimage/.test(name)) return htlcs.filter((h) => [1, 5, 6].includes(h.id));
  return htlcs.filter((h) => h.id <= 4);
}
