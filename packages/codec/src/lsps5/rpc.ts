/**
 * LSPS5 (bLIP-55) webhook registration over LSPS0 JSON-RPC: the three methods' parameters and results,
 * their error codes, and the checks an LSP applies to `lsps5.set_webhook`.
 *
 * | method                 | params                      | result                                      |
 * |------------------------|-----------------------------|---------------------------------------------|
 * | `lsps5.set_webhook`    | `{ app_name, webhook }`     | `{ num_webhooks, max_webhooks, no_change }` |
 * | `lsps5.list_webhooks`  | `{}`                        | `{ app_names, max_webhooks }`               |
 * | `lsps5.remove_webhook` | `{ app_name }`              | `{}`                                        |
 *
 * Errors (bLIP-55): `too_long` 500, `url_parse_error` 501, `unsupported_protocol` 502,
 * `too_many_webhooks` 503 (`data.max_webhooks`), `app_name_not_found` 1010. LDK adds `unknown` 1000,
 * `serialization` 1001, `slow_down` 1002 and `no_prior_activity` 1003; params of the wrong shape get
 * JSON-RPC's `invalid_params` -32602.
 *
 * @example
 * ```ts
 * const params = checkSetWebhookParams({ app_name: 'My Wallet', webhook: 'https://example.org/push?l=1' });
 * const error = new Lsps5RpcError('too_many_webhooks', { max_webhooks: 4 }).toJsonRpc();
 * ```
 */
import { DecodeError } from '../errors.js';

/** JSON-RPC error codes of LSPS5 (bLIP-55) and LDK's additions. */
// prettier-ignore
// biome-ignore format: aligned table
export const LSPS5_ERROR_CODES = {
  too_long:             500,
  url_parse_error:      501,
  unsupported_protocol: 502,
  too_many_webhooks:    503,
  app_name_not_found:   1010,
  /** LDK only. */
  unknown:              1000,
  /** LDK only. */
  serialization:        1001,
  /** LDK only: a notification of the same method is inside the cooldown. */
  slow_down:            1002,
  /** LDK only: set_webhook without a channel or prior LSPS1/LSPS2 activity. */
  no_prior_activity:    1003,
  /** JSON-RPC 2.0's own code for params of the wrong shape (a missing or non-string field). */
  invalid_params:       -32602,
} as const;

/** The name of an LSPS5 error. */
export type Lsps5ErrorName = keyof typeof LSPS5_ERROR_CODES;

/** The registration methods. */
export type Lsps5RpcMethod = 'lsps5.set_webhook' | 'lsps5.list_webhooks' | 'lsps5.remove_webhook';

/** "The `app_name` can be up to 64 bytes in UTF-8 format". */
export const MAX_APP_NAME_BYTES = 64;
/** "The `webhook` can be up to 1024 ASCII characters". */
export const MAX_WEBHOOK_LENGTH = 1024;

/** `lsps5.set_webhook` params. */
export interface SetWebhookParams {
  app_name: string;
  webhook: string;
}
/** `lsps5.set_webhook` result. */
export interface SetWebhookResult {
  num_webhooks: number;
  max_webhooks: number;
  no_change: boolean;
}
/** `lsps5.list_webhooks` result. */
export interface ListWebhooksResult {
  app_names: string[];
  max_webhooks: number;
}
/** `lsps5.remove_webhook` params. */
export interface RemoveWebhookParams {
  app_name: string;
}
/** A JSON-RPC 2.0 error object. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/** An LSPS5 protocol error, as the LSP answers it. */
export class Lsps5RpcError extends Error {
  override readonly name = 'Lsps5RpcError';
  readonly code: number;
  constructor(
    readonly error: Lsps5ErrorName,
    readonly data?: Record<string, unknown>,
    message: string = error,
  ) {
    super(message);
    this.code = LSPS5_ERROR_CODES[error];
  }
  /** The JSON-RPC `error` member. */
  toJsonRpc(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

const utf8 = new TextEncoder();

function checkAppName(name: unknown): string {
  if (typeof name !== 'string')
    throw new Lsps5RpcError('invalid_params', undefined, 'app_name must be a string');
  // bLIP-55 counts backslash escapes as written in the JSON text; we see the decoded string, so an
  // escaped name may be a few bytes shorter here than there. LDK measures the decoded string too.
  if (utf8.encode(name).length > MAX_APP_NAME_BYTES) {
    throw new Lsps5RpcError('too_long', undefined, `app_name is longer than ${MAX_APP_NAME_BYTES} bytes`);
  }
  return name;
}

/**
 * The LSP's checks of `lsps5.set_webhook` params, in bLIP-55's order: lengths (500), "MUST be a URL"
 * (501; also any non-ASCII character, since an IRI must be mapped to a URI first), "MUST include the
 * `https` protocol scheme" (502). Throws {@link Lsps5RpcError}.
 */
export function checkSetWebhookParams(params: unknown): SetWebhookParams {
  const p = (params ?? {}) as Record<string, unknown>;
  const app_name = checkAppName(p.app_name);
  const webhook = p.webhook;
  if (typeof webhook !== 'string')
    throw new Lsps5RpcError('invalid_params', undefined, 'webhook must be a string');
  if (webhook.length > MAX_WEBHOOK_LENGTH) {
    throw new Lsps5RpcError('too_long', undefined, `webhook is longer than ${MAX_WEBHOOK_LENGTH} characters`);
  }
  let url: URL;
  try {
    if (!/^[\x21-\x7e]+$/.test(webhook)) throw new Error('not printable ASCII');
    url = new URL(webhook);
  } catch {
    throw new Lsps5RpcError('url_parse_error', undefined, 'webhook is not a URL');
  }
  if (url.protocol !== 'https:')
    throw new Lsps5RpcError('unsupported_protocol', undefined, 'webhook must be https');
  return { app_name, webhook };
}

/** The LSP's check of `lsps5.remove_webhook` params. */
export function checkRemoveWebhookParams(params: unknown): RemoveWebhookParams {
  return { app_name: checkAppName(((params ?? {}) as Record<string, unknown>).app_name) };
}

const isUint = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function resultError(method: string, why: string): DecodeError {
  return new DecodeError('JSON_INVALID', `${method} result: ${why}`, { field: method });
}

/** Client side: check a `lsps5.set_webhook` result. */
export function parseSetWebhookResult(result: unknown): SetWebhookResult {
  const r = result as Partial<SetWebhookResult> | null;
  if (typeof r !== 'object' || r === null) throw resultError('lsps5.set_webhook', 'not an object');
  if (!isUint(r.num_webhooks) || !isUint(r.max_webhooks) || typeof r.no_change !== 'boolean') {
    throw resultError('lsps5.set_webhook', 'num_webhooks, max_webhooks and no_change are required');
  }
  return { num_webhooks: r.num_webhooks, max_webhooks: r.max_webhooks, no_change: r.no_change };
}

/** Client side: check a `lsps5.list_webhooks` result. */
export function parseListWebhooksResult(result: unknown): ListWebhooksResult {
  const r = result as Partial<ListWebhooksResult> | null;
  if (typeof r !== 'object' || r === null) throw resultError('lsps5.list_webhooks', 'not an object');
  if (
    !Array.isArray(r.app_names) ||
    !r.app_names.every((n) => typeof n === 'string') ||
    !isUint(r.max_webhooks)
  ) {
    throw resultError('lsps5.list_webhooks', 'app_names and max_webhooks are required');
  }
  return { app_names: [...r.app_names], max_webhooks: r.max_webhooks };
}

/**
 * A JSON-RPC 2.0 `lsps5.set_webhook` request (LSPS0 uses string ids).
 *
 * @example
 * lsps5Request('lsps5.set_webhook', { app_name: 'wallet', webhook: 'https://push.example/dave' }, '1');
 */
export function lsps5Request(
  method: 'lsps5.set_webhook',
  params: SetWebhookParams,
  id: string,
): { jsonrpc: '2.0'; method: Lsps5RpcMethod; params: object; id: string };
/** A JSON-RPC 2.0 `lsps5.list_webhooks` request: `lsps5Request('lsps5.list_webhooks', {}, '2')`. */
export function lsps5Request(
  method: 'lsps5.list_webhooks',
  params: Record<string, never>,
  id: string,
): { jsonrpc: '2.0'; method: Lsps5RpcMethod; params: object; id: string };
/** A JSON-RPC 2.0 `lsps5.remove_webhook` request: `lsps5Request('lsps5.remove_webhook', { app_name: 'wallet' }, '3')`. */
export function lsps5Request(
  method: 'lsps5.remove_webhook',
  params: RemoveWebhookParams,
  id: string,
): { jsonrpc: '2.0'; method: Lsps5RpcMethod; params: object; id: string };
/** A JSON-RPC 2.0 request for one of the registration methods; `TypeError` unless `id` is a string. */
export function lsps5Request(method: Lsps5RpcMethod, params: object, id: string) {
  if (typeof id !== 'string') throw new TypeError('id must be a string');
  return { jsonrpc: '2.0' as const, method, params, id };
}
