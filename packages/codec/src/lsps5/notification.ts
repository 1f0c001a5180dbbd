/**
 * LSPS5 (bLIP-55) webhook notification bodies: JSON-RPC 2.0 notification objects the LSP POSTs to a
 * registered webhook.
 *
 * Two steps, with their own error kinds:
 *
 * 1. {@link parseNotificationBody} — the text is JSON and a JSON-RPC 2.0 notification object ("`jsonrpc`
 *    ... MUST always be the JSON string "2.0"", a string `method`, "`params` is a required by-name
 *    parameter object", no `id`). Failures: `DecodeError('JSON_INVALID')`.
 * 2. {@link interpretNotification} — the LSPS5 method and its parameters. "Notification delivery services
 *    MUST ignore any notification method it does not recognize" → `null`; "MUST ignore any parameters it
 *    does not recognize" → extra parameters are dropped. A known method with bad parameters (an
 *    `expiry_soon` without an integer `timeout`) fails with `SemanticError`.
 *
 * Authentication (the signature headers) is the third step, in `webhook.ts`.
 *
 * {@link serializeNotification} writes the compact form with the key order `jsonrpc`, `method`,
 * `params` — byte-identical to LDK's serde output, which LDK re-creates when it verifies.
 *
 * @example
 * ```ts
 * serializeNotification({ method: 'lsps5.expiry_soon', timeout: 144 });
 * // '{"jsonrpc":"2.0","method":"lsps5.expiry_soon","params":{"timeout":144}}'
 * interpretNotification(parseNotificationBody(body)); // { method: 'lsps5.expiry_soon', timeout: 144 }
 * ```
 */
import { DecodeError, SemanticError } from '../errors.js';

/** The five notification methods bLIP-55 defines. */
export const LSPS5_METHODS = [
  'lsps5.webhook_registered',
  'lsps5.payment_incoming',
  'lsps5.expiry_soon',
  'lsps5.liquidity_management_request',
  'lsps5.onion_message_incoming',
] as const;

/** One of the bLIP-55 notification methods. */
export type Lsps5NotificationMethod = (typeof LSPS5_METHODS)[number];

/** A bLIP-55 notification, interpreted. Only `expiry_soon` has a parameter. */
export type WebhookNotification =
  | { method: 'lsps5.webhook_registered' }
  | { method: 'lsps5.payment_incoming' }
  /** `timeout`: "The block height at which the LSP would be forced to close the channel". */
  | { method: 'lsps5.expiry_soon'; timeout: number }
  | { method: 'lsps5.liquidity_management_request' }
  | { method: 'lsps5.onion_message_incoming' };

/** A JSON-RPC 2.0 notification object, parsed but not interpreted. */
export interface JsonRpcNotification {
  jsonrpc: '2.0';
  method: string;
  params: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parse a POST body into a JSON-RPC 2.0 notification object; `DecodeError('JSON_INVALID')` otherwise. */
export function parseNotificationBody(body: string): JsonRpcNotification {
  if (typeof body !== 'string') throw new TypeError('body must be a string');
  const fail = (why: string, cause?: unknown) =>
    new DecodeError('JSON_INVALID', `notification body: ${why}`, { field: 'body', cause });
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw fail('not JSON', cause);
  }
  if (!isObject(value)) throw fail('not a JSON object');
  if (value.jsonrpc !== '2.0') throw fail('jsonrpc is not "2.0"');
  if (typeof value.method !== 'string') throw fail('method is not a string');
  if (!isObject(value.params)) throw fail('params is not a by-name parameter object');
  // JSON-RPC 2.0: "A Notification is a Request object without an "id" member."
  if ('id' in value) throw fail('a notification has no id');
  return { jsonrpc: '2.0', method: value.method, params: value.params };
}

/** Interpret a parsed notification: the LSPS5 notification, or `null` for a method to ignore. */
export function interpretNotification(n: JsonRpcNotification): WebhookNotification | null {
  switch (n.method) {
    case 'lsps5.webhook_registered':
    case 'lsps5.payment_incoming':
    case 'lsps5.liquidity_management_request':
    case 'lsps5.onion_message_incoming':
      return { method: n.method };
    case 'lsps5.expiry_soon': {
      const timeout = n.params.timeout;
      if (timeout === undefined) {
        throw new SemanticError('MISSING_FIELD', 'lsps5.expiry_soon: timeout is required', {
          field: 'timeout',
        });
      }
      if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 0 || timeout > 0xffffffff) {
        throw new SemanticError('INVALID_FIELD', 'lsps5.expiry_soon: timeout is not a block height', {
          field: 'timeout',
        });
      }
      return { method: n.method, timeout };
    }
    default:
      return null;
  }
}

/** Check a notification given by a caller (builder side): the same rules as the reader. */
export function checkNotification(n: WebhookNotification): WebhookNotification {
  const method = (n as { method?: unknown })?.method;
  if (typeof method !== 'string' || !(LSPS5_METHODS as readonly string[]).includes(method)) {
    throw new RangeError(`not an LSPS5 notification method: ${String(method)}`);
  }
  const params = n.method === 'lsps5.expiry_soon' ? { timeout: n.timeout } : {};
  const again = interpretNotification({ jsonrpc: '2.0', method: n.method, params });
  return again!;
}

/** The exact body: compact JSON, keys in the order `jsonrpc`, `method`, `params`. */
export function serializeNotification(n: WebhookNotification): string {
  const checked = checkNotification(n);
  const params = checked.method === 'lsps5.expiry_soon' ? { timeout: checked.timeout } : {};
  return JSON.stringify({ jsonrpc: '2.0', method: checked.method, params });
}
