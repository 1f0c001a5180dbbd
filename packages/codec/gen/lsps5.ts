/**
 * Generates `vectors/lsps5-notifications.json`: LSPS5 (bLIP-55) webhook notifications signed by a fixed
 * LSP key, in both timestamp styles (bLIP `…Z` and LDK's `+00:00`), with the signed text, its digest and
 * the signature; plus calls a notification delivery service must refuse, each with its error code
 * (checked against the verifier when generating).
 *
 * The LSP is Carol (`43…`, Alice's LSP in the other vectors); the forger is Dave (`44…`). ECDSA
 * signatures use RFC 6979 nonces, so the file is deterministic.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import { messageDigest, signMessage, signMessageRaw } from '../src/lsps5/message-signing.js';
import { serializeNotification, type WebhookNotification } from '../src/lsps5/notification.js';
import { formatTimestamp, signWebhook, verifyWebhook, webhookSignedText } from '../src/lsps5/webhook.js';
import { zbase32Decode, zbase32Encode } from '../src/lsps5/zbase32.js';

const LSP_SECRET = new Uint8Array(32).fill(0x43);
const LSP_ID = secp256k1.getPublicKey(LSP_SECRET);
const FORGER_SECRET = new Uint8Array(32).fill(0x44);
/** 2023-05-04T10:52:58.395Z, the bLIP-55 example's time. */
const NOW = Date.UTC(2023, 4, 4, 10, 52, 58, 395);
const utf8 = new TextEncoder();

const NOTIFICATIONS: WebhookNotification[] = [
  { method: 'lsps5.webhook_registered' },
  { method: 'lsps5.payment_incoming' },
  { method: 'lsps5.expiry_soon', timeout: 144 },
  { method: 'lsps5.liquidity_management_request' },
  { method: 'lsps5.onion_message_incoming' },
];

function signedCase(description: string, body: string, style: 'blip' | 'ldk') {
  const call = signWebhook(body, LSP_SECRET, { now: NOW, timestampStyle: style });
  const timestamp = call.headers['x-lsps5-timestamp'];
  const message = webhookSignedText(timestamp, body);
  return {
    description,
    valid: true,
    timestamp_style: style,
    now: new Date(NOW).toISOString(),
    body,
    headers: call.headers,
    message,
    message_hex: toHex(utf8.encode(message)),
    'sha256(sha256("Lightning Signed Message:" || message))': toHex(messageDigest(message)),
    signature_raw: toHex(signMessageRaw(message, LSP_SECRET)),
  };
}

function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CodecError) return e.code;
    throw e;
  }
  throw new Error('expected a codec error, nothing thrown');
}

function invalidCase(description: string, body: string, timestamp: string, signature: string, now = NOW) {
  const code = errorCode(() => verifyWebhook({ body, timestamp, signature }, { lspNodeId: LSP_ID, now }));
  return {
    description,
    valid: false,
    now: new Date(now).toISOString(),
    body,
    headers: { 'x-lsps5-timestamp': timestamp, 'x-lsps5-signature': signature },
    error: { code },
  };
}

function cases(): unknown[] {
  const out: unknown[] = [];
  for (const n of NOTIFICATIONS) {
    for (const style of ['blip', 'ldk'] as const) {
      out.push(signedCase(`${n.method}, ${style} timestamp`, serializeNotification(n), style));
    }
  }
  const goodbye = '{"jsonrpc":"2.0","method":"lsps5.goodbye","params":{}}';
  out.push(
    signedCase('the bLIP-55 example body (an unknown method: authentic, then ignored)', goodbye, 'blip'),
  );

  const body = serializeNotification({ method: 'lsps5.payment_incoming' });
  const ts = formatTimestamp(NOW);
  const good = signMessage(webhookSignedText(ts, body), LSP_SECRET);
  const forged = signMessage(webhookSignedText(ts, body), FORGER_SECRET);
  const expiry = serializeNotification({ method: 'lsps5.expiry_soon', timeout: 144 });
  const expirySig = signMessage(webhookSignedText(ts, expiry), LSP_SECRET);
  out.push(
    invalidCase('signed by Dave, not the LSP', body, ts, forged),
    invalidCase(
      'body changed after signing (timeout 144 → 145)',
      expiry.replace('144', '145'),
      ts,
      expirySig,
    ),
    invalidCase('timestamp changed after signing', body, formatTimestamp(NOW + 1), good),
    invalidCase('timestamp 10 minutes and 1 ms old', body, ts, good, NOW + 600_001),
    invalidCase('timestamp without a zone', body, ts.slice(0, -1), good),
    invalidCase('signature not z-base-32', body, ts, `${good.slice(0, -1)}0`),
    invalidCase('signature of 64 bytes', body, ts, zbase32Encode(zbase32Decode(good).subarray(0, 64))),
    invalidCase(
      'body is a request (has an id), not a notification',
      body.replace('}}', '},"id":"1"}'),
      ts,
      good,
    ),
    (() => {
      const b = '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{}}';
      return invalidCase(
        'expiry_soon without timeout',
        b,
        ts,
        signMessage(webhookSignedText(ts, b), LSP_SECRET),
      );
    })(),
  );
  return out;
}

/** The vector files this module writes. */
export const vectors: { file: string; generate(): unknown }[] = [
  {
    file: 'lsps5-notifications.json',
    generate: () => ({
      comment:
        'LSPS5 (bLIP-55) webhook notifications signed by the LSP Carol (secret 43…) in the LSPS0 ln_signature (lnd signmessage) format. message = "LSPS5: DO NOT SIGN THIS MESSAGE MANUALLY: LSP: At " ‖ timestamp ‖ " I notify " ‖ body. Verify each case at `now`, with a ±10 minute window.',
      lsp: { secret: toHex(LSP_SECRET), node_id: toHex(LSP_ID) },
      cases: cases(),
    }),
  },
];
