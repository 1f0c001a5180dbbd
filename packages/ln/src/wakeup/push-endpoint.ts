/**
 * The phone's push service, standing in for APNs/FCM: a real HTTPS server on 127.0.0.1 (bLIP-55: the
 * webhook "MUST include the `https` protocol scheme") with a certificate generated at start, which the
 * LSP trusts explicitly ({@link PushEndpoint.ca}). It accepts the LSP's LSPS5 webhook POSTs and hands
 * them to the device when the device is reachable. It does not judge the calls — the device does
 * ({@link PushEndpoint.take} returns them raw for verification).
 */
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookCall } from '@asyncpay/codec/lsps5/webhook';
import selfsigned from 'selfsigned';

/** Bodies larger than this are refused (413): a webhook is a few hundred bytes. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * A local HTTPS push service receiving LSPS5 webhooks and queueing them per device token.
 *
 * @example
 * const endpoint = new PushEndpoint();
 * await endpoint.start();
 * notifier.setWebhook('dave', { app_name: 'wallet', webhook: endpoint.urlFor('dave') });
 * // … the LSP notifies …
 * const calls = endpoint.take('dave'); // verify each with verifyWebhook
 * await endpoint.stop();
 */
export class PushEndpoint {
  private readonly queues = new Map<string, WebhookCall[]>();
  private server: Server | undefined;
  private port = 0;
  private caPem = '';
  private readonly listeners: ((token: string) => void)[] = [];
  /** Calls received, in order (for the transcript). */
  readonly log: { token: string; status: number; size: number }[] = [];

  /** The certificate a client must trust to reach this endpoint (PEM). */
  get ca(): string {
    return this.caPem;
  }

  /** Start listening on a free port of 127.0.0.1, with a fresh self-signed certificate for that address. */
  async start(): Promise<void> {
    const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      curve: 'P-256',
      notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    this.caPem = pems.cert;
    const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
      void this.handle(req).then(
        ({ status, token, size }) => {
          this.log.push({ token, status, size });
          res.writeHead(status).end();
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** The webhook URL a device registers with its LSP. */
  urlFor(token: string): string {
    if (!this.server) throw new Error('push endpoint not started');
    return `https://127.0.0.1:${this.port}/push/${encodeURIComponent(token)}`;
  }

  /** Hear of each accepted call (the device learns there is something to fetch). */
  onReceive(fn: (token: string) => void): void {
    this.listeners.push(fn);
  }

  /** Take every call queued for `token` (the device became reachable). */
  take(token: string): WebhookCall[] {
    const q = this.queues.get(token) ?? [];
    this.queues.delete(token);
    return q;
  }

  /** Stop listening (calls still queued stay takeable). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; token: string; size: number }> {
    const m = /^\/push\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !m) return { status: 404, token: '', size: 0 };
    const token = decodeURIComponent(m[1]!);
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Uint8Array>) {
      size += c.length;
      if (size > MAX_BODY_BYTES) return { status: 413, token, size };
      chunks.push(c);
    }
    const timestamp = req.headers[TIMESTAMP_HEADER];
    const signature = req.headers[SIGNATURE_HEADER];
    if (typeof timestamp !== 'string' || typeof signature !== 'string') return { status: 400, token, size };
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    let body: string;
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { status: 400, token, size }; // a JSON-RPC body is UTF-8 text
    }
    const q = this.queues.get(token) ?? [];
    q.push({ body, timestamp, signature });
    this.queues.set(token, q);
    for (const l of this.listeners) l(token);
    return { status: 200, token, size };
  }
}
