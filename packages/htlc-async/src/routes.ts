/**
 * The two routes every HTLC flow here builds: the recipient's blinded payment path through its LSP
 * (with its `blinded_payinfo`), and the payer's onion from its own LSP into such a path.
 *
 * ```ts
 * const { path, payinfo } = paymentPathThroughLsp(recipient, lspId, pathId); // in the invoice
 * const route = routeThroughLsp({ payer, lsp, path, payinfo, amountMsat, paymentHash, scidBetween });
 * channel.offerHtlc({ amountMsat: route.lspAmountMsat, cltvExpiry: route.cltvExpiry, onion: route.onion.packet, … });
 * ```
 */
import type { BlindedPath } from '@asyncpay/codec/blinded-path';
import type { BlindedPayInfo } from '@asyncpay/codec/bolt12/invoice';
import type { ShortChannelId } from '@asyncpay/codec/fundamental';
import { createBlindedPath } from '@asyncpay/codec/onion/blinding';
import { encodeEncryptedData } from '@asyncpay/codec/onion/encrypted-data';
import { blindedPaymentHops, buildPaymentOnion } from '@asyncpay/codec/onion/payment';
import { encodePaymentPayload } from '@asyncpay/codec/onion/payment-payload';
import type { ConstructedOnion } from '@asyncpay/codec/onion/sphinx';
import type { TlvRecord } from '@asyncpay/codec/tlv';
import { DEFAULT_RELAY_POLICY, relayFee } from '@asyncpay/ln/node/forwarding';
import type { LnNode } from '@asyncpay/ln/node/node';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** BOLT 2's minimum final CLTV delta recipients ask payers for. */
export const MIN_FINAL_CLTV_EXPIRY_DELTA = 18;

/**
 * The CLTV budget of a payment, in blocks above the current height. It bounds how long an LSP can
 * hold: LDK's default `max_total_cltv_expiry_delta` is 1008 (one week).
 */
export const PAYER_CLTV_BUDGET = 1008;

/**
 * A blinded payment path from the recipient's LSP `lsp` to `recipient`, whose final hop carries
 * `pathId` (a context the recipient sealed), and the `blinded_payinfo` a payer needs: the LSP's relay
 * fees and CLTV delta plus the recipient's minimum final delta.
 */
export function paymentPathThroughLsp(
  recipient: LnNode,
  lsp: string,
  pathId: Uint8Array,
): { path: BlindedPath; payinfo: BlindedPayInfo } {
  const relay = DEFAULT_RELAY_POLICY;
  const constraints = { max_cltv_expiry: recipient.height() + 4032, htlc_minimum_msat: 1n };
  const path = createBlindedPath({
    sessionKey: recipient.freshSecret('payment-path'),
    hops: [
      {
        nodeId: hexToBytes(lsp),
        data: encodeEncryptedData({
          short_channel_id: recipient.scidWith(lsp),
          payment_relay: {
            cltv_expiry_delta: relay.cltvExpiryDelta,
            fee_proportional_millionths: relay.feeProportionalMillionths,
            fee_base_msat: BigInt(relay.feeBaseMsat),
          },
          payment_constraints: constraints,
        }),
      },
      {
        nodeId: recipient.nodeId,
        data: encodeEncryptedData({ path_id: pathId, payment_constraints: constraints }),
      },
    ],
  }).path;
  const payinfo: BlindedPayInfo = {
    feeBaseMsat: relay.feeBaseMsat,
    feeProportionalMillionths: relay.feeProportionalMillionths,
    cltvExpiryDelta: relay.cltvExpiryDelta + MIN_FINAL_CLTV_EXPIRY_DELTA,
    htlcMinimumMsat: 1n,
    htlcMaximumMsat: 10_000_000_000n,
    features: new Uint8Array(0),
  };
  return { path, payinfo };
}

/** A payment onion from the payer's LSP into a blinded path, with what to offer the LSP. */
export interface Route {
  /** The amount offered to the payer's LSP: the payment plus both relays' fees. */
  lspAmountMsat: bigint;
  /** The HTLC's expiry at the payer's LSP: now + {@link PAYER_CLTV_BUDGET}. */
  cltvExpiry: number;
  onion: ConstructedOnion;
}

/**
 * Route `amountMsat` through the payer's LSP `lsp` into `path` (BOLT 4 route blinding: the LSP is told
 * the introduction node's channel; the blinded hops get their `encrypted_recipient_data`, the final one
 * `extra` records). The intro node's fee follows the path's `payinfo` (BOLT 12 rounding up).
 */
export function routeThroughLsp(a: {
  payer: LnNode;
  lsp: string;
  path: BlindedPath;
  payinfo: BlindedPayInfo;
  amountMsat: bigint;
  paymentHash: Uint8Array;
  extra?: TlvRecord[];
  scidBetween: (a: string, b: string) => ShortChannelId;
}): Route {
  const lspPolicy = DEFAULT_RELAY_POLICY;
  const cltvExpiry = a.payer.height() + PAYER_CLTV_BUDGET;
  const introCltv = cltvExpiry - lspPolicy.cltvExpiryDelta;
  const finalCltv = introCltv - a.payinfo.cltvExpiryDelta;
  const A = a.amountMsat;
  const introAmount =
    A + BigInt(a.payinfo.feeBaseMsat) + ceilDiv(A * BigInt(a.payinfo.feeProportionalMillionths), 1_000_000n);
  const intro = (a.path.introductionNode as { nodeId: Uint8Array }).nodeId;
  const hops = [
    {
      pubkey: hexToBytes(a.lsp),
      payload: encodePaymentPayload({
        amt_to_forward: introAmount,
        outgoing_cltv_value: BigInt(introCltv),
        short_channel_id: a.scidBetween(a.lsp, bytesToHex(intro)),
      }),
    },
    ...blindedPaymentHops(a.path, {
      amt_to_forward: A,
      outgoing_cltv_value: BigInt(finalCltv),
      total_amount_msat: A,
      ...(a.extra ? { extra: a.extra } : {}),
    }),
  ];
  const onion = buildPaymentOnion({
    sessionKey: a.payer.freshSecret('onion-session'),
    paymentHash: a.paymentHash,
    hops,
  });
  return { lspAmountMsat: introAmount + relayFee(lspPolicy, introAmount), cltvExpiry, onion };
}

function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}
