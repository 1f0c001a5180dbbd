/**
 * The LSP side of LSPS5 (bLIP-55): webhook registrations per client, kept in the LSP's store, and
 * signed notifications POSTed over real HTTP. Per method, a client gets at most one notification per
 * cooldown (the bLIP's rate limit; LDK uses one minute).
 */

import { request } from 'node:https';
import type { WebhookNotification } from '@asyncpay/codec/lsps5/notification';
import { checkSetWebhookParams, Lsps5RpcError, type SetWebhookParams } from '@asyncpay/codec/lsps5/rpc';
import { signWebhook } from '@asyncpay/codec/lsps5/webhook';
import type { Store, Table } from '../store/sqlite.js';

/** One webhook a client registered with `lsps5.set_webhook`. */
export interface Registration {
  appName: string;
  url: string;
}

/** The outcome of one webhook POST: the HTTP status, or 0 when the POST failed before any answer. */
export interface NotifyResult {
  method: string;
  status: number;
  /** Length of the body sent. */
  size: number;
  url: string;
}

/**
 * The LSP's LSPS5 service: keeps each client's webhooks and POSTs signed notifications to them.
 *
 * @example
 * const notifier = new WebhookNotifier(SqliteStore.open(':memory:'), lspKey, endpoint.ca);
 * notifier.setWebhook('dave', { app_name: 'wallet', webhook: endpoint.urlFor('dave') });
 * const [result] = await notifier.notify('dave', { method: 'lsps5.payment_incoming' }, Date.now());
 * result?.status; // 200
 */
export class WebhookNotifier {
  private readonly table: Table<Registration[]>;
  private readonly lastSent = new Map<string, number>();

  constructor(
    store: Store,
    private readonly lspSecretKey: Uint8Array,
    /** Extra CA certificates (PEM) to trust, e.g. a local push endpoint's. */
    private readonly ca?: string,
    readonly maxWebhooks = 4,
    readonly cooldownMs = 60_000,
  ) {
    this.table = store.namespace<Registration[]>('lsps5_webhooks');
  }

  /** `lsps5.set_webhook`: register or replace `app_name` for `client`. Returns the bLIP result. */
  setWebhook(
    client: string,
    params: unknown,
  ): { num_webhooks: number; max_webhooks: number; no_change: boolean } {
    const p: SetWebhookParams = checkSetWebhookParams(params);
    const regs = this.table.get(client) ?? [];
    const existing = regs.find((r) => r.appName === p.app_name);
    const noChange = existing?.url === p.webhook;
    const next = existing
      ? regs.map((r) => (r.appName === p.app_name ? { appName: p.app_name, url: p.webhook } : r))
      : [...regs, { appName: p.app_name, url: p.webhook }];
    if (next.length > this.maxWebhooks) {
      throw new Lsps5RpcError('too_many_webhooks', { max_webhooks: this.maxWebhooks });
    }
    this.table.put(client, next);
    return { num_webhooks: next.length, max_webhooks: this.maxWebhooks, no_change: noChange };
  }

  /** The webhooks `client` registered. */
  webhooks(client: string): Registration[] {
    return this.table.get(client) ?? [];
  }

  /**
   * POST a signed notification to every webhook of `client`, unless the method is within its cooldown
   * (`webhook_registered` is never rate-limited). `nowMs` is the LSP's clock.
   *
   * Each webhook is tried on its own: a transport error is a result with status 0 and the next webhook
   * still gets its POST. The cooldown starts only once a webhook answered 200, so a notification no
   * webhook received does not mute the method.
   */
  async notify(client: string, n: WebhookNotification, nowMs: number): Promise<NotifyResult[]> {
    const key = `${client}/${n.method}`;
    const last = this.lastSent.get(key);
    if (n.method !== 'lsps5.webhook_registered' && last !== undefined && nowMs - last < this.cooldownMs)
      return [];
    const out: NotifyResult[] = [];
    for (const reg of this.webhooks(client)) {
      const signed = signWebhook(n, this.lspSecretKey, { now: nowMs });
      // "The LSP MUST NOT follow redirects"; any status but 200 is a failure the LSP may log.
      let status: number;
      try {
        status = await post(
          reg.url,
          { 'content-type': 'application/json', ...signed.headers },
          signed.body,
          this.ca,
        );
      } catch {
        status = 0;
      }
      out.push({ method: n.method, status, size: signed.body.length, url: reg.url });
    }
    if (out.some((r) => r.status === 200)) this.lastSent.set(key, nowMs);
    return out;
  }

  /** A client reconnected: its cooldowns reset (bLIP-55). */
  resetCooldown(client: string): void {
    for (const k of [...this.lastSent.keys()]) if (k.startsWith(`${client}/`)) this.lastSent.delete(k);
  }
}

/** One HTTPS POST; resolves with the status (redirects are not followed), rejects on transport errors. */
function post(url: string, headers: Record<string, string>, body: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': new TextEncoder().encode(body).length },
        ...(ca ? { ca } : {}),
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('webhook POST timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
