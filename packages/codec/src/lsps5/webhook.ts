/**
 * Signing and authenticating LSPS5 (bLIP-55) webhook calls.
 *
 * The LSP signs, with its node key in the LSPS0 `ln_signature` format (`message-signing.ts`), the UTF-8
 * text
 *
 *     LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At ${timestamp} I notify ${body}
 *
 * where `${timestamp}` is the `x-lsps5-timestamp` header and `${body}` "the exact and complete JSON
 * serialization" sent as the POST body; the zbase32 signature goes in `x-lsps5-signature`.
 *
 * {@link verifyWebhook} runs parse → interpret → authenticate:
 * 1. parse: body JSON (`DecodeError('JSON_INVALID')`), timestamp and signature header formats
 *    (`DecodeError('STRING_FORMAT')`);
 * 2. interpret: the LSPS5 method (`SemanticError`; unknown methods give `notification: null`);
 * 3. authenticate: the signature must recover to the LSP's node id (`SignatureError('BAD_SIGNATURE')` /
 *    `'WRONG_SIGNER'`), then freshness (`SemanticError('STALE')`) and replay (`SemanticError('REPLAYED')`).
 *    Freshness and replay are checked only for authentic calls, so forged calls cannot fill the guard.
 *
 * Timestamps: bLIP-55 writes `YYYY-MM-DDThh:mm:ss.uuuZ`. LDK signs and sends chrono's `to_rfc3339()`,
 * `+00:00` with 0, 3, 6 or 9 fraction digits, and when it verifies it re-formats the header that way. So
 * {@link formatTimestamp} has both styles (sign with `'ldk'` for an LDK client), and verification accepts a
 * signature over the header text as sent or over its LDK re-formatting.
 *
 * Freshness: an earlier bLIP-55 draft (and LDK until 2025-07) required the timestamp within ±10 minutes
 * of the receiver's clock; the current text relies on HTTPS against replays. We keep the ±10 minutes as
 * the default window and remember accepted signatures for as long as they could still pass it.
 *
 * @example
 * ```ts
 * const call = signWebhook({ method: 'lsps5.payment_incoming' }, lspKey, { now: Date.now() });
 * const guard = new ReplayGuard();
 * verifyWebhook(
 *   { body: call.body, timestamp: call.headers['x-lsps5-timestamp'], signature: call.headers['x-lsps5-signature'] },
 *   { lspNodeId, now: Date.now(), replayGuard: guard },
 * ).notification; // { method: 'lsps5.payment_incoming' }
 * ```
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { equalBytes, toHex } from '../bytes.js';
import { DecodeError, SemanticError, SignatureError } from '../errors.js';
import { recoverMessageSigner, signMessage } from './message-signing.js';
import {
  interpretNotification,
  type JsonRpcNotification,
  parseNotificationBody,
  serializeNotification,
  type WebhookNotification,
} from './notification.js';
import { zbase32Decode } from './zbase32.js';

/** The fixed text before the timestamp. */
export const LSPS5_SIGNED_PREFIX = 'LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At ';
/** The timestamp header (lowercase, as bLIP-55 writes it). */
export const TIMESTAMP_HEADER = 'x-lsps5-timestamp';
/** The signature header (zbase32). */
export const SIGNATURE_HEADER = 'x-lsps5-signature';
/** ±10 minutes. */
export const DEFAULT_MAX_SKEW_MS = 10 * 60 * 1000;

/** The text the LSP signs for `timestamp` and `body`. */
export function webhookSignedText(timestamp: string, body: string): string {
  if (typeof timestamp !== 'string' || typeof body !== 'string')
    throw new TypeError('timestamp and body are strings');
  return `${LSPS5_SIGNED_PREFIX}${timestamp} I notify ${body}`;
}

/** A parsed timestamp: milliseconds since the epoch plus the nanoseconds within the second. */
export interface Lsps5Timestamp {
  ms: number;
  /** 0..999_999_999, the full fraction as written (JS dates keep only milliseconds). */
  nanos: number;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an RFC 3339 timestamp (`Z` or an offset); `DecodeError('STRING_FORMAT')` otherwise. */
export function parseTimestamp(text: string, field = TIMESTAMP_HEADER): Lsps5Timestamp {
  const m = typeof text === 'string' ? RFC3339.exec(text) : null;
  const fail = () => new DecodeError('STRING_FORMAT', `${field}: not an RFC 3339 timestamp`, { field });
  if (!m) throw fail();
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const frac = (m[7] ?? '').padEnd(9, '0');
  const nanos = Number(frac);
  const zone = m[8]!;
  const offsetMin =
    zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4)));
  const base = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(base);
  // Date.UTC rolls over out-of-range fields (Feb 30 → Mar 2); refuse those.
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s ||
    Math.abs(offsetMin) >= 24 * 60
  ) {
    throw fail();
  }
  return { ms: base - offsetMin * 60_000 + Math.floor(nanos / 1e6), nanos };
}

/**
 * Format a time. `'blip'`: `YYYY-MM-DDThh:mm:ss.uuuZ` (bLIP-55, LSPS0.datetime). `'ldk'`: chrono's
 * `to_rfc3339()` for UTC — `+00:00`, and the fraction with 0, 3, 6 or 9 digits, the fewest that hold it.
 */
export function formatTimestamp(t: number | Lsps5Timestamp, style: 'blip' | 'ldk' = 'blip'): string {
  const ts = typeof t === 'number' ? { ms: t, nanos: (((t % 1000) + 1000) % 1000) * 1e6 } : t;
  if (!Number.isFinite(ts.ms)) throw new RangeError('timestamp must be finite');
  const iso = new Date(Math.floor(ts.ms / 1000) * 1000).toISOString(); // YYYY-MM-DDThh:mm:ss.000Z
  const seconds = iso.slice(0, 19);
  if (style === 'blip') return `${seconds}.${String(Math.floor(ts.nanos / 1e6)).padStart(3, '0')}Z`;
  const n = ts.nanos;
  const frac =
    n === 0
      ? ''
      : n % 1e6 === 0
        ? `.${String(n / 1e6).padStart(3, '0')}`
        : n % 1e3 === 0
          ? `.${String(n / 1e3).padStart(6, '0')}`
          : `.${String(n).padStart(9, '0')}`;
  return `${seconds}${frac}+00:00`;
}

/** A signed webhook call: the exact POST body and the two headers. */
export interface SignedWebhook {
  body: string;
  headers: { [TIMESTAMP_HEADER]: string; [SIGNATURE_HEADER]: string };
}

/** Options of {@link signWebhook}. */
export interface SignWebhookOptions {
  /** Milliseconds since the epoch. */
  now: number;
  /** Timestamp style; `'ldk'` for a client that verifies as LDK does. Default `'blip'`. */
  timestampStyle?: 'blip' | 'ldk';
}

/**
 * Sign a notification (or an exact body string) as the LSP. Deterministic for a given key, time and body
 * (RFC 6979 nonces).
 */
export function signWebhook(
  notification: WebhookNotification | string,
  lspSecretKey: Uint8Array,
  opts: SignWebhookOptions,
): SignedWebhook {
  const body = typeof notification === 'string' ? notification : serializeNotification(notification);
  const timestamp = formatTimestamp(opts.now, opts.timestampStyle ?? 'blip');
  const signature = signMessage(webhookSignedText(timestamp, body), lspSecretKey);
  return { body, headers: { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: signature } };
}

/**
 * Remembers the signatures of accepted webhook calls until they can no longer pass the freshness check,
 * so the same call is accepted once. Keyed by (r, low-S s) of the signature, so neither letter case nor
 * the ECDSA `s ↔ n−s` malleation nor another recovery byte makes a new key.
 *
 * Memory is bounded by `maxEntries`; when full, the entry closest to expiry is dropped (that call could
 * then be replayed until its timestamp leaves the window — size the guard for the expected call rate).
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  readonly windowMs: number;
  readonly maxEntries: number;

  constructor(opts: { windowMs?: number; maxEntries?: number } = {}) {
    this.windowMs = opts.windowMs ?? DEFAULT_MAX_SKEW_MS;
    this.maxEntries = opts.maxEntries ?? 10_000;
    if (!(this.windowMs > 0) || !(this.maxEntries > 0))
      throw new RangeError('windowMs and maxEntries must be > 0');
  }

  /** Entries currently remembered. */
  get size(): number {
    return this.seen.size;
  }

  /**
   * Fail with `SemanticError('REPLAYED')` if this signature was accepted before; otherwise remember it
   * until `timestampMs + windowMs`.
   */
  check(signature: string | Uint8Array, timestampMs: number, nowMs: number): void {
    this.prune(nowMs);
    const key = replayKey(signature);
    if (this.seen.has(key)) {
      throw new SemanticError('REPLAYED', 'webhook signature already seen', { field: SIGNATURE_HEADER });
    }
    if (this.seen.size >= this.maxEntries) {
      let oldest: [string, number] | undefined;
      for (const e of this.seen) if (!oldest || e[1] < oldest[1]) oldest = e;
      if (oldest) this.seen.delete(oldest[0]);
    }
    this.seen.set(key, Math.max(timestampMs, nowMs) + this.windowMs);
  }

  private prune(nowMs: number): void {
    for (const [k, expiry] of this.seen) if (expiry < nowMs) this.seen.delete(k);
  }
}

const Fn = secp256k1.Point.Fn;
const HALF_ORDER = Fn.ORDER >> 1n;

/** `r ‖ low-s` of a signature, so `(r, s)` and its malleated `(r, n - s)` are one replay entry. */
function replayKey(signature: string | Uint8Array): string {
  const raw = typeof signature === 'string' ? zbase32Decode(signature, SIGNATURE_HEADER) : signature;
  if (raw.length !== 65) throw new RangeError('a webhook signature is 65 bytes');
  const r = raw.subarray(1, 33);
  let s = Fn.create(bytesToNumberBE(raw.subarray(33)));
  if (s > HALF_ORDER) s = Fn.neg(s);
  return `${toHex(r)}${toHex(Fn.toBytes(s))}`;
}

/** A webhook call as received. */
export interface WebhookCall {
  /** The POST body, exactly as received. */
  body: string;
  /** The `x-lsps5-timestamp` header. */
  timestamp: string;
  /** The `x-lsps5-signature` header. */
  signature: string;
}

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /** The LSP's node id (33-byte compressed key), e.g. taken from the webhook URL's token. */
  lspNodeId: Uint8Array;
  /** The receiver's clock, milliseconds since the epoch. */
  now: number;
  /** Allowed clock difference either way (default 10 minutes). */
  maxSkewMs?: number;
  /** Replay protection; without it the same call is accepted again. */
  replayGuard?: ReplayGuard;
}

/** An authenticated webhook call. */
export interface VerifiedWebhook {
  /** The interpreted notification, or `null` for a method this receiver must ignore. */
  notification: WebhookNotification | null;
  /** The parsed JSON-RPC object. */
  raw: JsonRpcNotification;
  /** The time the LSP stated. */
  timestamp: Lsps5Timestamp;
}

/** Parse, interpret and authenticate a webhook call (see the module comment for the error of each step). */
export function verifyWebhook(call: WebhookCall, opts: VerifyWebhookOptions): VerifiedWebhook {
  if (!(opts.lspNodeId instanceof Uint8Array) || opts.lspNodeId.length !== 33) {
    throw new RangeError('lspNodeId must be a 33-byte compressed key');
  }
  if (!Number.isFinite(opts.now)) throw new RangeError('now must be milliseconds since the epoch');
  // 1. parse
  const raw = parseNotificationBody(call.body);
  const timestamp = parseTimestamp(call.timestamp);
  const sigBytes = zbase32Decode(call.signature, SIGNATURE_HEADER);
  // 2. interpret
  const notification = interpretNotification(raw);
  // 3. authenticate: the header text as sent, then LDK's re-formatting of it.
  const texts = [call.timestamp];
  const ldk = formatTimestamp(timestamp, 'ldk');
  if (ldk !== call.timestamp) texts.push(ldk);
  let authentic = false;
  let recovered = false;
  let failure: unknown;
  for (const t of texts) {
    try {
      const signer = recoverMessageSigner(webhookSignedText(t, call.body), call.signature);
      recovered = true;
      if (equalBytes(signer, opts.lspNodeId)) {
        authentic = true;
        break;
      }
    } catch (e) {
      failure = e;
    }
  }
  if (!authentic) {
    if (!recovered && failure) throw failure;
    throw new SignatureError('WRONG_SIGNER', 'webhook not signed by the LSP node id', {
      field: SIGNATURE_HEADER,
    });
  }
  const skew = opts.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Math.abs(opts.now - timestamp.ms) > skew) {
    throw new SemanticError('STALE', `webhook timestamp more than ${skew} ms from now`, {
      field: TIMESTAMP_HEADER,
    });
  }
  opts.replayGuard?.check(sigBytes, timestamp.ms, opts.now);
  return { notification, raw, timestamp };
}
