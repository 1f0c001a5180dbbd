/**
 * BOLT 3 "Fees": expected weights, HTLC transaction fees, the commitment base fee and trimming.
 *
 * Amounts are `bigint` satoshis (or millisatoshis where the name says so); `feeratePerKw` is satoshis
 * per 1000 weight units.
 *
 * @example
 * ```ts
 * htlcTimeoutFee(5000n, false); // 3315n: "Multiply feerate_per_kw by 663 and divide by 1000"
 * ```
 * @module
 */

/** BOLT 3 expected weights ("details of the computation in Appendix A"). */
// prettier-ignore
export const WEIGHTS = {
  /** "Commitment weight (no option_anchors): 724 + 172 * num-untrimmed-htlc-outputs" */
  commitment: 724n,
  /** "Commitment weight (option_anchors): 1124 + 172 * num-untrimmed-htlc-outputs" */
  commitmentAnchors: 1124n,
  /** per untrimmed HTLC output */
  htlcOutput: 172n,
  /** "HTLC-timeout weight (no option_anchors): 663" */
  htlcTimeout: 663n,
  /** "HTLC-success weight (no option_anchors): 703" */
  htlcSuccess: 703n,
} as const;

/** BOLT 3: "The amount of the output is fixed at 330 sats" (each anchor). */
export const ANCHOR_OUTPUT_SAT = 330n;

function checkFeerate(feeratePerKw: bigint): bigint {
  if (typeof feeratePerKw !== 'bigint') throw new TypeError('feeratePerKw must be a bigint');
  if (feeratePerKw < 0n) throw new RangeError('feeratePerKw must be non-negative');
  return feeratePerKw;
}

/**
 * HTLC-timeout fee. BOLT 3: "If option_anchors applies: MUST be 0. Otherwise … Multiply feerate_per_kw
 * by 663 and divide by 1000 (rounding down)."
 */
export function htlcTimeoutFee(feeratePerKw: bigint, anchors: boolean): bigint {
  checkFeerate(feeratePerKw);
  return anchors ? 0n : (feeratePerKw * WEIGHTS.htlcTimeout) / 1000n;
}

/** HTLC-success fee: 0 with `option_anchors`, else `feerate_per_kw * 703 / 1000` rounded down. */
export function htlcSuccessFee(feeratePerKw: bigint, anchors: boolean): bigint {
  checkFeerate(feeratePerKw);
  return anchors ? 0n : (feeratePerKw * WEIGHTS.htlcSuccess) / 1000n;
}

/**
 * The base fee of a commitment transaction: "Start with weight = 724 (1124 if option_anchors applies).
 * For each committed HTLC, if that output is not trimmed …, add 172 to weight. Multiply feerate_per_kw by
 * weight, divide by 1000 (rounding down)."
 */
export function commitmentBaseFee(feeratePerKw: bigint, untrimmedHtlcs: number, anchors: boolean): bigint {
  checkFeerate(feeratePerKw);
  const base = anchors ? WEIGHTS.commitmentAnchors : WEIGHTS.commitment;
  return (feeratePerKw * (base + WEIGHTS.htlcOutput * BigInt(untrimmedHtlcs))) / 1000n;
}

/** Whether an HTLC is offered or received, seen from the commitment's owner. */
export type HtlcDirection = 'offered' | 'received';

/**
 * BOLT 3 "Trimmed Outputs": an offered HTLC is trimmed "if the HTLC amount minus the HTLC-timeout fee
 * would be less than dust_limit_satoshis"; a received one likewise with the HTLC-success fee. Amounts
 * "MUST be rounded down to whole satoshis".
 */
export function isHtlcTrimmed(
  direction: HtlcDirection,
  amountMsat: bigint,
  dustLimitSat: bigint,
  feeratePerKw: bigint,
  anchors: boolean,
): boolean {
  const amountSat = amountMsat / 1000n;
  const fee =
    direction === 'offered' ? htlcTimeoutFee(feeratePerKw, anchors) : htlcSuccessFee(feeratePerKw, anchors);
  return amountSat - fee < dustLimitSat;
}
