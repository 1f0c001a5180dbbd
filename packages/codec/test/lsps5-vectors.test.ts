import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import { messageDigest, signMessageRaw } from '../src/lsps5/message-signing.js';
import { signWebhook, verifyWebhook, webhookSignedText } from '../src/lsps5/webhook.js';
import { zbase32Encode } from '../src/lsps5/zbase32.js';

const FILE = 'lsps5-notifications.json';

interface Case {
  description: string;
  valid: boolean;
  timestamp_style?: 'blip' | 'ldk';
  now: string;
  body: string;
  headers: { 'x-lsps5-timestamp': string; 'x-lsps5-signature': string };
  message?: string;
  message_hex?: string;
  'sha256(sha256("Lightning Signed Message:" || message))'?: string;
  signature_raw?: string;
  error?: { code: string };
}
const v = readOurJson<{ lsp: { secret: string; node_id: string }; cases: Case[] }>(FILE);
const lspNodeId = fromHex(v.lsp.node_id);

describe(vectorSuite('ours', FILE, v.cases.length), () => {
  it.each(v.cases)('$description', (c) => {
    const now = Date.parse(c.now);
    const call = {
      body: c.body,
      timestamp: c.headers['x-lsps5-timestamp'],
      signature: c.headers['x-lsps5-signature'],
    };
    if (!c.valid) {
      try {
        verifyWebhook(call, { lspNodeId, now });
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(CodecError);
        expect((e as CodecError).code).toBe(c.error!.code);
      }
      return;
    }
    const message = webhookSignedText(call.timestamp, c.body);
    expect(message).toBe(c.message);
    expect(toHex(new TextEncoder().encode(message))).toBe(c.message_hex);
    expect(toHex(messageDigest(message))).toBe(c['sha256(sha256("Lightning Signed Message:" || message))']);
    const raw = signMessageRaw(message, fromHex(v.lsp.secret));
    expect(toHex(raw)).toBe(c.signature_raw);
    expect(zbase32Encode(raw)).toBe(call.signature);
    expect(
      signWebhook(c.body, fromHex(v.lsp.secret), { now, timestampStyle: c.timestamp_style! }).headers,
    ).toEqual(c.headers);
    const verified = verifyWebhook(call, { lspNodeId, now });
    expect(verified.raw.method).toBe(JSON.parse(c.body).method);
  });
});
