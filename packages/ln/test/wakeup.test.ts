import { request } from 'node:https';
import {
  ReplayGuard,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '@asyncpay/codec/lsps5/webhook';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';
import { WebhookNotifier } from '../src/wakeup/notifier.js';
import { PushEndpoint } from '../src/wakeup/push-endpoint.js';

const lspKey = new Uint8Array(32).fill(0x43);
const lspId = secp256k1.getPublicKey(lspKey, true);
const endpoint = new PushEndpoint();
beforeAll(() => endpoint.start());
afterAll(() => endpoint.stop());

/** An https URL nothing listens on (port 1), so a POST to it fails before any answer. */
const UNREACHABLE = 'https://127.0.0.1:1/push/dead';

/** POST `body` with well-formed LSPS5 headers to the endpoint; resolves with the status. */
function rawPost(url: string, body: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        ca: endpoint.ca,
        headers: {
          [TIMESTAMP_HEADER]: '2026-01-06T00:00:00.000Z',
          [SIGNATURE_HEADER]: 'x',
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function notifier() {
  const n = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey, endpoint.ca);
  n.setWebhook('dave', { app_name: 'wallet', webhook: endpoint.urlFor('dave') });
  return n;
}

describe('LSPS5 wake-ups over HTTPS on 127.0.0.1', () => {
  it('delivers a signed notification that the device verifies once and refuses when replayed', async () => {
    const n = notifier();
    const now = Date.UTC(2026, 0, 1);
    const sent = await n.notify('dave', { method: 'lsps5.onion_message_incoming' }, now);
    expect(sent.map((s) => s.status)).toEqual([200]);
    const [call] = endpoint.take('dave');
    const guard = new ReplayGuard();
    const ok = verifyWebhook(call!, { lspNodeId: lspId, now: now + 1000, replayGuard: guard });
    expect(ok.notification).toEqual({ method: 'lsps5.onion_message_incoming' });
    expect(() =>
      verifyWebhook(call!, { lspNodeId: lspId, now: now + 2000, replayGuard: guard }),
    ).toThrowError(expect.objectContaining({ code: 'REPLAYED' }));
  });

  it('refuses a notification signed by another key, and one that is stale', async () => {
    const n = notifier();
    const now = Date.UTC(2026, 0, 2);
    await n.notify('dave', { method: 'lsps5.payment_incoming' }, now);
    const [call] = endpoint.take('dave');
    const other = secp256k1.getPublicKey(new Uint8Array(32).fill(0x66), true);
    expect(() => verifyWebhook(call!, { lspNodeId: other, now })).toThrowError(
      expect.objectContaining({ layer: 'signature' }),
    );
    expect(() => verifyWebhook(call!, { lspNodeId: lspId, now: now + 3 * 24 * 3600 * 1000 })).toThrowError(
      expect.objectContaining({ code: 'STALE' }),
    );
  });

  it('rate-limits a method per client until the cooldown passes', async () => {
    const n = notifier();
    const t = Date.UTC(2026, 0, 3);
    expect(await n.notify('dave', { method: 'lsps5.onion_message_incoming' }, t)).toHaveLength(1);
    expect(await n.notify('dave', { method: 'lsps5.onion_message_incoming' }, t + 30_000)).toHaveLength(0);
    expect(await n.notify('dave', { method: 'lsps5.onion_message_incoming' }, t + 61_000)).toHaveLength(1);
    endpoint.take('dave');
  });

  it('still POSTs to the second webhook when the first fails, and reports the failure as status 0', async () => {
    const n = notifier();
    n.setWebhook('dave', { app_name: 'a-dead-phone', webhook: UNREACHABLE });
    const t = Date.UTC(2026, 0, 4);
    const sent = await n.notify('dave', { method: 'lsps5.payment_incoming' }, t);
    expect(sent.map((s) => [s.url, s.status])).toEqual([
      [endpoint.urlFor('dave'), 200],
      [UNREACHABLE, 0],
    ]);
    const dead = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey, endpoint.ca);
    dead.setWebhook('dave', { app_name: 'a-dead-phone', webhook: UNREACHABLE });
    dead.setWebhook('dave', { app_name: 'wallet', webhook: endpoint.urlFor('dave') });
    const again = await dead.notify('dave', { method: 'lsps5.payment_incoming' }, t);
    expect(again.map((s) => [s.url, s.status])).toEqual([
      [UNREACHABLE, 0],
      [endpoint.urlFor('dave'), 200],
    ]);
    expect(endpoint.take('dave')).toHaveLength(2);
  });

  it('does not mute a method after a notification no webhook received', async () => {
    const n = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey, endpoint.ca);
    n.setWebhook('erin', { app_name: 'a-dead-phone', webhook: UNREACHABLE });
    const t = Date.UTC(2026, 0, 5);
    const first = await n.notify('erin', { method: 'lsps5.payment_incoming' }, t);
    expect(first.map((s) => s.status)).toEqual([0]);
    const second = await n.notify('erin', { method: 'lsps5.payment_incoming' }, t + 1000);
    expect(second.map((s) => s.status)).toEqual([0]);
  });

  it('answers 400 to a webhook body that is not UTF-8, and queues nothing', async () => {
    const status = await rawPost(endpoint.urlFor('frank'), Uint8Array.of(0x7b, 0xff, 0x7d));
    expect(status).toBe(400);
    expect(endpoint.take('frank')).toEqual([]);
    expect(endpoint.log.at(-1)).toEqual({ token: 'frank', status: 400, size: 3 });
    // the same headers with a UTF-8 body are accepted: the 400 was for the bytes
    expect(await rawPost(endpoint.urlFor('frank'), Uint8Array.of(0x7b, 0x7d))).toBe(200);
    expect(endpoint.take('frank').map((c) => c.body)).toEqual(['{}']);
  });

  it('refuses to register a webhook that is not https, with the bLIP error', () => {
    const n = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey);
    expect(() => n.setWebhook('dave', { app_name: 'w', webhook: 'http://127.0.0.1/x' })).toThrowError(
      expect.objectContaining({ error: 'unsupported_protocol', code: 502 }),
    );
  });
});
