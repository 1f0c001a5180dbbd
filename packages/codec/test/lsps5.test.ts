import { typedErrors } from '@asyncpay/testkit/expect';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../src/bytes.js';
import { CodecError } from '../src/errors.js';
import {
  messageDigest,
  recoverMessageSigner,
  signMessage,
  signMessageRaw,
  verifyMessage,
} from '../src/lsps5/message-signing.js';
import {
  interpretNotification,
  parseNotificationBody,
  serializeNotification,
  type WebhookNotification,
} from '../src/lsps5/notification.js';
import {
  checkRemoveWebhookParams,
  checkSetWebhookParams,
  LSPS5_ERROR_CODES,
  Lsps5RpcError,
  lsps5Request,
  parseListWebhooksResult,
  parseSetWebhookResult,
} from '../src/lsps5/rpc.js';
import {
  formatTimestamp,
  parseTimestamp,
  ReplayGuard,
  signWebhook,
  verifyWebhook,
  webhookSignedText,
} from '../src/lsps5/webhook.js';
import { ZBASE32_ALPHABET, zbase32Decode, zbase32Encode } from '../src/lsps5/zbase32.js';

const { expectCode } = typedErrors(CodecError);

const utf8 = new TextEncoder();
const LSP_KEY = new Uint8Array(32).fill(0x4c); // "Lucy", the LSP
const LSP_ID = secp256k1.getPublicKey(LSP_KEY);
const MALLORY_KEY = new Uint8Array(32).fill(0x4d);

describe('bLIP-55 worked example', () => {
  // The hex dump in bLIP-55, "Webhook Call", for timestamp 2023-05-04T10:52:58.395Z and the body below.
  const dump = [
    '4c53 5053 353a 2044 4f20 4e4f 5420 5349',
    '474e 2054 4849 5320 4d45 5353 4147 4520',
    '4d41 4e55 414c 4c59 3a20 4c53 503a 2041',
    '7420 3230 3233 2d30 352d 3034 5431 303a',
    '3532 3a35 382e 3339 355a 2049 206e 6f74',
    '6966 7920 7b22 6a73 6f6e 7270 6322 3a22',
    '322e 3022 2c22 6d65 7468 6f64 223a 226c',
    '7370 7335 2e67 6f6f 6462 7965 222c 2270',
    '6172 616d 7322 3a7b 7d7d',
  ]
    .join('')
    .replaceAll(' ', '');
  const body = '{"jsonrpc":"2.0","method":"lsps5.goodbye","params":{}}';
  const timestamp = '2023-05-04T10:52:58.395Z';

  it('builds the signed message byte for byte as the bLIP hex dump', () => {
    expect(toHex(utf8.encode(webhookSignedText(timestamp, body)))).toBe(dump);
    expect(dump.length / 2).toBe(0x8a);
  });

  it('formats the example time exactly as the bLIP header', () => {
    const ms = Date.UTC(2023, 4, 4, 10, 52, 58, 395);
    expect(formatTimestamp(ms)).toBe(timestamp);
    expect(formatTimestamp(ms, 'ldk')).toBe('2023-05-04T10:52:58.395+00:00');
    expect(parseTimestamp(timestamp).ms).toBe(ms);
  });

  it('authenticates the example signed by the LSP and ignores its unknown method', () => {
    const now = Date.UTC(2023, 4, 4, 10, 52, 58, 395);
    const call = signWebhook(body, LSP_KEY, { now });
    expect(call.headers['x-lsps5-timestamp']).toBe(timestamp);
    expect(
      verifyMessage(
        utf8.encode(webhookSignedText(timestamp, body)),
        call.headers['x-lsps5-signature'],
        LSP_ID,
      ),
    ).toBe(true);
    const v = verifyWebhook(
      { body, timestamp, signature: call.headers['x-lsps5-signature'] },
      { lspNodeId: LSP_ID, now: now + 1000 },
    );
    expect(v.notification).toBeNull();
    expect(v.raw.method).toBe('lsps5.goodbye');
  });
});

describe('Lightning signed messages (lnd signmessage format)', () => {
  const one = new Uint8Array(32);
  one[31] = 1;

  it('signs "test message" with key 1 as lnd and LDK do', () => {
    expect(signMessage('test message', one)).toBe(
      'd9tibmnic9t5y41hg7hkakdcra94akas9ku3rmmj4ag9mritc8ok4p5qzefs78c9pqfhpuftqqzhydbdwfg7u6w6wdxcqpqn4sj4e73e',
    );
    expect(recoverMessageSigner('test message', signMessage('test message', one))).toEqual(
      secp256k1.getPublicKey(one),
    );
  });

  it.each([
    [
      'is this compatible?',
      'rbgfioj114mh48d8egqx8o9qxqw4fmhe8jbeeabdioxnjk8z3t1ma1hu1fiswpakgucwwzwo6ofycffbsqusqdimugbh41n1g698hr9t',
      '02b80cabdf82638aac86948e4c06e82064f547768dcef977677b9ea931ea75bab5',
    ],
    [
      'hi',
      'rnrphcjswusbacjnmmmrynh9pqip7sy5cx695h6mfu64iac6qmcmsd8xnsyczwmpqp9shqkth3h4jmkgyqu5z47jfn1q7gpxtaqpx4xg',
      '02de60d194e1ca5947b59fe8e2efd6aadeabfb67f2e89e13ae1a799c1e08e4a43b',
    ],
    [
      'hi',
      'ry8bbsopmduhxy3dr5d9ekfeabdpimfx95kagdem7914wtca79jwamtbw4rxh69hg7n6x9ty8cqk33knbxaqftgxsfsaeprxkn1k48p3',
      '022b8ece90ee891cbcdac0c1cc6af46b73c47212d8defbce80265ac81a6b794931',
    ],
  ])('verifies signatures made by lnd users: %s', (msg, sig, key) => {
    expect(verifyMessage(msg, sig, fromHex(key))).toBe(true);
    expect(verifyMessage(`${msg}!`, sig, fromHex(key))).toBe(false);
  });

  it('hashes the prefix and the message twice with SHA256', () => {
    expect(messageDigest('')).toHaveLength(32);
    expect(signMessageRaw('x', one)[0]).toBeGreaterThanOrEqual(31);
  });

  it('fails a signature that is not z-base-32 with STRING_FORMAT and a wrong length with BAD_SIGNATURE', () => {
    expectCode(() => recoverMessageSigner('m', 'not zbase32!'), 'STRING_FORMAT');
    expectCode(() => recoverMessageSigner('m', 'yyyy'.repeat(10)), 'BAD_SIGNATURE');
  });

  it('fails a bad header byte with BAD_SIGNATURE', () => {
    const raw = signMessageRaw('m', one);
    raw[0] = 27;
    expectCode(() => recoverMessageSigner('m', zbase32Encode(raw)), 'BAD_SIGNATURE');
  });
});

describe('z-base-32', () => {
  it.each([
    ['', ''],
    ['yy', '00'],
    ['oy', '80'],
    ['tqrey', '8b8880'],
    ['6n9hq', 'f0bfc7'],
    ['4t7ye', 'd47a04'],
    ['6im5sdy', 'f557bb0c'],
    [ZBASE32_ALPHABET, '00443214c74254b635cf84653a56d7c675be77df'],
  ])('encodes %s', (text, hex) => {
    expect(zbase32Encode(fromHex(hex))).toBe(text);
    expect(toHex(zbase32Decode(text))).toBe(hex);
    expect(toHex(zbase32Decode(text.toUpperCase()))).toBe(hex);
  });

  it('fails non-zero padding bits, impossible lengths and foreign characters with STRING_FORMAT', () => {
    expectCode(() => zbase32Decode('yb'), 'STRING_FORMAT');
    expectCode(() => zbase32Decode('y'), 'STRING_FORMAT');
    expectCode(() => zbase32Decode('yyl'), 'STRING_FORMAT');
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        expect(zbase32Decode(zbase32Encode(b))).toEqual(b);
      }),
    );
  });
});

const NOTIFICATIONS: WebhookNotification[] = [
  { method: 'lsps5.webhook_registered' },
  { method: 'lsps5.payment_incoming' },
  { method: 'lsps5.expiry_soon', timeout: 144 },
  { method: 'lsps5.liquidity_management_request' },
  { method: 'lsps5.onion_message_incoming' },
];

describe('notification bodies', () => {
  it('serializes every method compactly, keys jsonrpc, method, params (as LDK)', () => {
    expect(NOTIFICATIONS.map(serializeNotification)).toEqual([
      '{"jsonrpc":"2.0","method":"lsps5.webhook_registered","params":{}}',
      '{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":{}}',
      '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":144}}',
      '{"jsonrpc":"2.0","method":"lsps5.liquidity_management_request","params":{}}',
      '{"jsonrpc":"2.0","method":"lsps5.onion_message_incoming","params":{}}',
    ]);
    for (const n of NOTIFICATIONS)
      expect(interpretNotification(parseNotificationBody(serializeNotification(n)))).toEqual(n);
  });

  it('ignores parameters it does not recognise and methods it does not know', () => {
    const body = '{"params":{"timeout":7,"extra":true},"method":"lsps5.expiry_soon","jsonrpc":"2.0"}';
    expect(interpretNotification(parseNotificationBody(body))).toEqual({
      method: 'lsps5.expiry_soon',
      timeout: 7,
    });
    expect(
      interpretNotification(parseNotificationBody('{"jsonrpc":"2.0","method":"other.x","params":{}}')),
    ).toBeNull();
  });

  it.each([
    ['not json', '{'],
    ['an array', '[]'],
    ['a wrong jsonrpc', '{"jsonrpc":"1.0","method":"lsps5.payment_incoming","params":{}}'],
    ['no params', '{"jsonrpc":"2.0","method":"lsps5.payment_incoming"}'],
    ['positional params', '{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":[]}'],
    [
      'an id (a request, not a notification)',
      '{"jsonrpc":"2.0","method":"lsps5.payment_incoming","params":{},"id":"1"}',
    ],
  ])('fails a body with %s with JSON_INVALID', (_why, body) => {
    expectCode(() => parseNotificationBody(body), 'JSON_INVALID');
  });

  it('fails expiry_soon without timeout with MISSING_FIELD and with a non-integer one with INVALID_FIELD', () => {
    expectCode(
      () =>
        interpretNotification(
          parseNotificationBody('{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{}}'),
        ),
      'MISSING_FIELD',
    );
    expectCode(
      () =>
        interpretNotification(
          parseNotificationBody('{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":"144"}}'),
        ),
      'INVALID_FIELD',
    );
    expectCode(
      () => serializeNotification({ method: 'lsps5.expiry_soon', timeout: -1 }),
      'INVALID_FIELD',
      'timeout',
    );
  });
});

describe('webhook authentication', () => {
  const now = Date.UTC(2026, 10, 21, 12, 0, 0, 123);
  const signed = (n: WebhookNotification, style: 'blip' | 'ldk' = 'blip', at = now) => {
    const c = signWebhook(n, LSP_KEY, { now: at, timestampStyle: style });
    return {
      body: c.body,
      timestamp: c.headers['x-lsps5-timestamp'],
      signature: c.headers['x-lsps5-signature'],
    };
  };

  it('accepts every notification signed by the LSP, in both timestamp styles', () => {
    for (const n of NOTIFICATIONS) {
      for (const style of ['blip', 'ldk'] as const) {
        expect(verifyWebhook(signed(n, style), { lspNodeId: LSP_ID, now }).notification).toEqual(n);
      }
    }
  });

  it('accepts a call signed over the LDK form of a Z timestamp, as LDK re-formats before verifying', () => {
    const body = serializeNotification(NOTIFICATIONS[1]!);
    const sig = signMessage(webhookSignedText(formatTimestamp(now, 'ldk'), body), LSP_KEY);
    const v = verifyWebhook(
      { body, timestamp: formatTimestamp(now), signature: sig },
      { lspNodeId: LSP_ID, now },
    );
    expect(v.notification).toEqual(NOTIFICATIONS[1]);
  });

  it('is deterministic (RFC 6979)', () => {
    expect(signed(NOTIFICATIONS[2]!)).toEqual(signed(NOTIFICATIONS[2]!));
  });

  it('fails a call signed by another key with WRONG_SIGNER', () => {
    const c = signWebhook(NOTIFICATIONS[1]!, MALLORY_KEY, { now });
    const call = {
      body: c.body,
      timestamp: c.headers['x-lsps5-timestamp'],
      signature: c.headers['x-lsps5-signature'],
    };
    expectCode(() => verifyWebhook(call, { lspNodeId: LSP_ID, now }), 'WRONG_SIGNER');
  });

  it('fails a changed body or timestamp with WRONG_SIGNER', () => {
    const call = signed(NOTIFICATIONS[2]!);
    expectCode(
      () => verifyWebhook({ ...call, body: call.body.replace('144', '145') }, { lspNodeId: LSP_ID, now }),
      'WRONG_SIGNER',
    );
    expectCode(
      () => verifyWebhook({ ...call, timestamp: formatTimestamp(now + 1) }, { lspNodeId: LSP_ID, now }),
      'WRONG_SIGNER',
    );
  });

  it('fails a timestamp more than 10 minutes away with STALE, and accepts one just inside', () => {
    const old = signed(NOTIFICATIONS[1]!, 'blip', now - 10 * 60_000 - 1);
    expectCode(() => verifyWebhook(old, { lspNodeId: LSP_ID, now }), 'STALE');
    const future = signed(NOTIFICATIONS[1]!, 'blip', now + 10 * 60_000 + 1);
    expectCode(() => verifyWebhook(future, { lspNodeId: LSP_ID, now }), 'STALE');
    const edge = now - 10 * 60_000;
    const inside = verifyWebhook(signed(NOTIFICATIONS[1]!, 'blip', edge), { lspNodeId: LSP_ID, now });
    expect(inside).toBeTruthy();
    expect(inside.notification).toEqual(NOTIFICATIONS[1]);
    expect(inside.timestamp).toEqual({ ms: edge, nanos: (edge % 1000) * 1e6 });
  });

  it('fails the same call twice with REPLAYED, also in upper case or with the malleated s', () => {
    const guard = new ReplayGuard();
    const call = signed(NOTIFICATIONS[1]!);
    verifyWebhook(call, { lspNodeId: LSP_ID, now, replayGuard: guard });
    expectCode(
      () => verifyWebhook(call, { lspNodeId: LSP_ID, now: now + 5, replayGuard: guard }),
      'REPLAYED',
    );
    const upper = { ...call, signature: call.signature.toUpperCase() };
    expectCode(
      () => verifyWebhook(upper, { lspNodeId: LSP_ID, now: now + 5, replayGuard: guard }),
      'REPLAYED',
    );
    const raw = zbase32Decode(call.signature);
    const n = secp256k1.Point.Fn.ORDER;
    const s = BigInt(`0x${toHex(raw.subarray(33))}`);
    const flipped = raw.slice();
    flipped.set(fromHex((n - s).toString(16).padStart(64, '0')), 33);
    flipped[0] = raw[0]! === 31 ? 32 : 31;
    const malleated = { ...call, signature: zbase32Encode(flipped) };
    expect(verifyMessage(webhookSignedText(call.timestamp, call.body), malleated.signature, LSP_ID)).toBe(
      true,
    );
    expectCode(
      () => verifyWebhook(malleated, { lspNodeId: LSP_ID, now: now + 5, replayGuard: guard }),
      'REPLAYED',
    );
    expect(guard.size).toBe(1);
  });

  it('forgets signatures once they are too old to pass the freshness check', () => {
    const guard = new ReplayGuard();
    const call = signed(NOTIFICATIONS[1]!);
    verifyWebhook(call, { lspNodeId: LSP_ID, now, replayGuard: guard });
    guard.check(signed(NOTIFICATIONS[0]!).signature, now, now + 11 * 60_000);
    expect(guard.size).toBe(1);
  });

  it('does not remember forged calls', () => {
    const guard = new ReplayGuard();
    const c = signWebhook(NOTIFICATIONS[1]!, MALLORY_KEY, { now });
    const call = {
      body: c.body,
      timestamp: c.headers['x-lsps5-timestamp'],
      signature: c.headers['x-lsps5-signature'],
    };
    expectCode(() => verifyWebhook(call, { lspNodeId: LSP_ID, now, replayGuard: guard }), 'WRONG_SIGNER');
    expect(guard.size).toBe(0);
  });

  it('fails malformed headers with STRING_FORMAT before checking any signature', () => {
    const call = signed(NOTIFICATIONS[1]!);
    expectCode(
      () => verifyWebhook({ ...call, timestamp: '2023-05-04 10:52:58Z' }, { lspNodeId: LSP_ID, now }),
      'STRING_FORMAT',
    );
    expectCode(
      () => verifyWebhook({ ...call, timestamp: '2023-02-30T10:52:58.000Z' }, { lspNodeId: LSP_ID, now }),
      'STRING_FORMAT',
    );
    expectCode(
      () => verifyWebhook({ ...call, signature: `${call.signature}!` }, { lspNodeId: LSP_ID, now }),
      'STRING_FORMAT',
    );
  });

  it('parses offsets and long fractions, and formats chrono-style fractions', () => {
    expect(parseTimestamp('2023-05-04T12:52:58.395+02:00').ms).toBe(Date.UTC(2023, 4, 4, 10, 52, 58, 395));
    const t = parseTimestamp('2023-05-04T10:52:58.395123Z');
    expect(t.nanos).toBe(395_123_000);
    expect(formatTimestamp(t, 'ldk')).toBe('2023-05-04T10:52:58.395123+00:00');
    expect(formatTimestamp(parseTimestamp('2023-05-04T10:52:58Z'), 'ldk')).toBe('2023-05-04T10:52:58+00:00');
    expect(formatTimestamp(parseTimestamp('2023-05-04T10:52:58.000000001Z'), 'ldk')).toBe(
      '2023-05-04T10:52:58.000000001+00:00',
    );
  });

  it('accepts any notification signed at any time within the window, and no altered body', () => {
    const arbNotification = fc.oneof(
      fc.constantFrom(...NOTIFICATIONS.filter((n) => n.method !== 'lsps5.expiry_soon')),
      fc
        .integer({ min: 0, max: 0xffffffff })
        .map((timeout) => ({ method: 'lsps5.expiry_soon' as const, timeout })),
    );
    fc.assert(
      fc.property(
        arbNotification,
        fc.integer({ min: 0, max: 4_102_444_800_000 }),
        fc.integer({ min: -600_000, max: 600_000 }),
        fc.constantFrom('blip' as const, 'ldk' as const),
        (n, at, skew, style) => {
          const call = signed(n, style, at);
          expect(verifyWebhook(call, { lspNodeId: LSP_ID, now: at + skew }).notification).toEqual(n);
          const altered = { ...call, body: call.body.replace('"jsonrpc":', '"jsonrpc": ') };
          expectCode(() => verifyWebhook(altered, { lspNodeId: LSP_ID, now: at }), 'WRONG_SIGNER');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('turns random headers and bodies into typed errors only', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (body, timestamp, signature) => {
        try {
          verifyWebhook({ body, timestamp, signature }, { lspNodeId: LSP_ID, now });
        } catch (e) {
          expect(e).toBeInstanceOf(CodecError);
        }
      }),
    );
  });
});

describe('webhook registration (lsps5.set_webhook, list_webhooks, remove_webhook)', () => {
  it('accepts the bLIP example registration', () => {
    const params = {
      app_name: 'My LSPS-Compliant Lightning Client',
      webhook: 'https://www.example.org/push?l=1234567890abcdefghijklmnopqrstuv&c=best',
    };
    expect(checkSetWebhookParams(params)).toEqual(params);
    expect(lsps5Request('lsps5.set_webhook', params, 'a1')).toEqual({
      jsonrpc: '2.0',
      method: 'lsps5.set_webhook',
      params,
      id: 'a1',
    });
  });

  it.each([
    ['an app_name over 64 bytes', { app_name: 'é'.repeat(33), webhook: 'https://a.example' }, 500],
    [
      'a webhook over 1024 characters',
      { app_name: 'a', webhook: `https://a.example/${'x'.repeat(1010)}` },
      500,
    ],
    ['a webhook that is not a URL', { app_name: 'a', webhook: 'not a url' }, 501],
    ['a webhook with non-ASCII', { app_name: 'a', webhook: 'https://bücher.example/' }, 501],
    ['an http webhook', { app_name: 'a', webhook: 'http://a.example/' }, 502],
    ['a missing webhook', { app_name: 'a' }, -32602],
    ['a numeric app_name', { app_name: 7, webhook: 'https://a.example/' }, -32602],
  ])('refuses %s with its bLIP error code', (_why, params, code) => {
    try {
      checkSetWebhookParams(params);
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(Lsps5RpcError);
      expect((e as Lsps5RpcError).code).toBe(code);
    }
  });

  it('carries max_webhooks in the too_many_webhooks error data', () => {
    expect(new Lsps5RpcError('too_many_webhooks', { max_webhooks: 4 }).toJsonRpc()).toEqual({
      code: 503,
      message: 'too_many_webhooks',
      data: { max_webhooks: 4 },
    });
    expect(LSPS5_ERROR_CODES.app_name_not_found).toBe(1010);
    expect(checkRemoveWebhookParams({ app_name: 'x' })).toEqual({ app_name: 'x' });
  });

  it('reads the bLIP example results and refuses malformed ones with JSON_INVALID', () => {
    expect(parseSetWebhookResult({ num_webhooks: 2, max_webhooks: 4, no_change: false })).toEqual({
      num_webhooks: 2,
      max_webhooks: 4,
      no_change: false,
    });
    expect(
      parseListWebhooksResult({
        app_names: ['My LSPS-Compliant Lightning Wallet', 'Another Wallet With The Same Signing Device'],
        max_webhooks: 42,
      }).max_webhooks,
    ).toBe(42);
    expectCode(() => parseSetWebhookResult({ num_webhooks: 2 }), 'JSON_INVALID');
    expectCode(() => parseListWebhooksResult({ app_names: [1], max_webhooks: 1 }), 'JSON_INVALID');
  });
});
