/**
 * What every runner of this package sets up around its nodes: the virtual clock, the transcript
 * recorder, a router that names nodes by role, the phone's push service on 127.0.0.1, one SQLite file
 * per node in a folder (temporary unless `storeDir` is given), and the teardown of all of it.
 *
 * ```ts
 * const sim = await Simulation.start({ seed: 'demo', folderPrefix: 'asyncpay-htlc-' });
 * try {
 *   const payer = new Payer({ ...sim.nodeOptions('payer'), scidBetween });
 *   sim.name(payer);
 * } finally {
 *   await sim.close();
 * }
 * ```
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WireProfile } from '@asyncpay/codec/profile';
import { VirtualClock } from '@asyncpay/ln/node/clock';
import type { LnNode, NodeOptions } from '@asyncpay/ln/node/node';
import { deriveSecret } from '@asyncpay/ln/node/rng';
import { type Faults, Router } from '@asyncpay/ln/node/router';
import { type Costs, Recorder, type Role, type TranscriptEvent } from '@asyncpay/ln/node/transcript';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { PushEndpoint } from '@asyncpay/ln/wakeup/push-endpoint';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes } from '@noble/hashes/utils.js';

export interface SimulationOptions {
  seed?: string | undefined;
  profile?: WireProfile | undefined;
  /** Where the nodes' SQLite files go; a temporary folder (removed by `close`) by default. */
  storeDir?: string | undefined;
  /** Name prefix of the temporary folder. */
  folderPrefix: string;
  /** The label a role's key is derived from (default: the role). */
  keyLabel?: (role: Role) => string;
  /** The clock (default: a fresh one at the default start). */
  clock?: VirtualClock;
  /** Faults the router injects on onion messages; the object may be filled in later. */
  faults?: Faults;
}

/** A running simulation's shared parts (see the module comment). */
export class Simulation {
  readonly recorder: Recorder;
  readonly roles = new Map<string, Role>();
  readonly router: Router;
  private readonly stores = new Map<string, SqliteStore>();

  private constructor(
    readonly seed: string,
    readonly profile: WireProfile,
    readonly clock: VirtualClock,
    readonly push: PushEndpoint,
    readonly dir: string,
    private readonly ownsDir: boolean,
    private readonly keyLabel: (role: Role) => string,
    faults: Faults,
  ) {
    this.recorder = new Recorder(() => clock.precise());
    this.router = new Router(clock, {
      seed,
      recorder: this.recorder,
      faults,
      roleOf: (id) => this.roleOf(id),
    });
  }

  /** Set up the clock, recorder, router, folder, and start the push service. */
  static async start(o: SimulationOptions): Promise<Simulation> {
    const push = new PushEndpoint();
    await push.start();
    const dir = o.storeDir ?? mkdtempSync(join(tmpdir(), o.folderPrefix));
    return new Simulation(
      o.seed ?? 'asyncpay',
      o.profile ?? 'ldk',
      o.clock ?? new VirtualClock(),
      push,
      dir,
      o.storeDir === undefined,
      o.keyLabel ?? ((role) => role),
      o.faults ?? {},
    );
  }

  /** The role a node id plays (its first bytes for an unnamed node). */
  roleOf(id: string): Role {
    return this.roles.get(id) ?? id.slice(0, 8);
  }

  /** Name nodes in the transcript by their roles. */
  name(...nodes: LnNode[]): void {
    for (const n of nodes) this.roles.set(n.id, n.role);
  }

  /** The SQLite file of `name` in the simulation's folder (opened once, closed by `close`). */
  open(name: string): SqliteStore {
    const s = SqliteStore.open(join(this.dir, `${name}.sqlite`));
    this.stores.set(name, s);
    return s;
  }

  /** Close `name`'s file and open it again: what a restarted process finds. */
  reopen(name: string): SqliteStore {
    this.stores.get(name)?.close();
    return this.open(name);
  }

  /** A node's options: its key derived from the seed, the shared parts, and its own SQLite file. */
  nodeOptions(role: Role, store: SqliteStore = this.open(role)): NodeOptions {
    return {
      role,
      privkey: deriveSecret(this.seed, this.keyLabel(role)),
      clock: this.clock,
      router: this.router,
      store,
      recorder: this.recorder,
      profile: this.profile,
    };
  }

  /** Stop the push service, close every file, remove a temporary folder. */
  async close(): Promise<void> {
    await this.push.stop();
    for (const s of this.stores.values()) {
      try {
        s.close();
      } catch {
        // already closed by a simulated crash
      }
    }
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The channel id `LnNode.openChannel` gives two nodes: SHA-256 of their ids in order. */
export function channelIdOf(a: string, b: string): string {
  const [x, y] = [a, b].sort();
  return bytesToHex(sha256(concatBytes(hexToBytes(x!), hexToBytes(y!))));
}

/** Each node's balance by its role (msat, as decimal strings), for a transcript. */
export function balancesOf(...nodes: LnNode[]): Record<Role, string> {
  return Object.fromEntries(nodes.map((n) => [n.role, n.balanceMsat().toString()])) as Record<Role, string>;
}

/**
 * The cost figures `asyncpay compare` tabulates, computed the same way for every runner so the schemes
 * compare fairly: messages and bytes sent since `start`, round trips (the `reply:` notes: a node got
 * the answer it waited for), and the liquidity each hop's channel locked, msat × blocks, keyed
 * `payer→payer-lsp` by the two roles (read on the first node's side).
 */
export function costsOf(
  events: readonly TranscriptEvent[],
  start: number,
  hops: readonly (readonly [LnNode, LnNode])[],
  height: number,
): Costs {
  const sent = events.filter((e) => e.kind === 'message' && e.t >= start);
  return {
    messages: sent.length,
    bytes: sent.reduce((n, e) => n + (e.kind === 'message' ? e.size : 0), 0),
    roundTrips: events.filter((e) => e.kind === 'state' && e.t >= start && e.what.startsWith('reply:'))
      .length,
    liquidityMsatBlocks: Object.fromEntries(
      hops.map(([x, y]) => [
        `${x.role}→${y.role}`,
        x.channelWith(y.id).ledger.lockedMsatBlocks(height).toString(),
      ]),
    ),
  };
}
