/**
 * The recipient's phone. Its network comes and goes on a schedule (`unreachableUntil`); while it has
 * network but the wallet app is asleep, the recipient node is offline until a push wakes it. A push
 * arrives from the push service (a real HTTPS server on 127.0.0.1) and is **verified by the device**
 * before it wakes anything: the LSP's signature, the timestamp's freshness (bLIP-55: ten minutes) and
 * replay. A woken app stays online for a while, then sleeps again.
 */
import { ReplayGuard, verifyWebhook } from '@asyncpay/codec/lsps5/webhook';
import type { VirtualClock } from '@asyncpay/ln/node/clock';
import type { Router } from '@asyncpay/ln/node/router';
import type { Recorder, Role } from '@asyncpay/ln/node/transcript';
import type { PushEndpoint } from '@asyncpay/ln/wakeup/push-endpoint';

/** What the phone needs: the clock, router and push service, its node, and the LSP it trusts. */
export interface DeviceOptions {
  clock: VirtualClock;
  router: Router;
  push: PushEndpoint;
  /** The recipient node this phone runs. */
  nodeId: string;
  role: Role;
  /** The LSP whose notifications it trusts. */
  lspNodeId: Uint8Array;
  recorder?: Recorder;
  /** How long a woken app stays online (seconds). */
  awakeSeconds?: number;
}

/** The recipient's phone (see the module comment). */
export class Device {
  readonly token: string;
  private unreachableUntil = 0;
  private neverBack = false;
  private readonly guard = new ReplayGuard();
  private sleepTimer: { cancel(): void } | undefined;

  constructor(private readonly o: DeviceOptions) {
    this.token = o.nodeId.slice(0, 16);
    o.push.onReceive((token) => {
      if (token === this.token) o.clock.after(1, 'push delivery', () => this.deliver());
    });
  }

  /** The URL the wallet registers with its LSP. */
  webhookUrl(): string {
    return this.o.push.urlFor(this.token);
  }

  /** The phone loses network for `seconds` (`null`: never comes back); the app goes to sleep now. */
  goAway(seconds: number | null): void {
    this.setOnline(false);
    if (seconds === null) {
      this.neverBack = true;
      return;
    }
    this.unreachableUntil = this.o.clock.now() + seconds;
    this.o.clock.at(this.unreachableUntil, 'phone back on the network', () => this.deliver());
  }

  /** Push messages reach the phone: verify each, and wake the app on a valid one. */
  private deliver(): void {
    if (this.neverBack || this.o.clock.now() < this.unreachableUntil) return;
    for (const call of this.o.push.take(this.token)) {
      try {
        const v = verifyWebhook(call, {
          lspNodeId: this.o.lspNodeId,
          now: this.o.clock.now() * 1000,
          replayGuard: this.guard,
        });
        this.note('push verified', { method: v.notification?.method ?? v.raw.method });
        if (v.notification && v.notification.method !== 'lsps5.webhook_registered') this.wake();
      } catch (e) {
        this.note('push refused', { code: String((e as { code?: unknown }).code ?? 'ERROR') });
      }
    }
  }

  private wake(): void {
    if (!this.o.router.isOnline(this.o.nodeId)) this.setOnline(true);
    this.sleepTimer?.cancel();
    this.sleepTimer = this.o.clock.after(this.o.awakeSeconds ?? 600, 'app sleeps', () =>
      this.setOnline(false),
    );
  }

  private setOnline(online: boolean): void {
    this.o.router.setOnline(this.o.nodeId, online);
  }

  private note(what: string, detail: Record<string, string>): void {
    this.o.recorder?.record({ kind: 'state', node: this.o.role, what, detail });
  }
}
