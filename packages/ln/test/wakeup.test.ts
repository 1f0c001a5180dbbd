import { ReplayGuard, verifyWebhook } from '@asyncpay/codec/lsps5/webhook';
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

  it('refuses to register a webhook that is not https, with the bLIP error', () => {
    const n = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey);
    expect(() => n.setWebhook('dave', { app_name: 'w', webhook: 'http://127.0.0.1/x' })).toThrowError(
      expect.objectContaining({ error: 'unsupported_protocol', code: 502 }),
    );
  });
});
