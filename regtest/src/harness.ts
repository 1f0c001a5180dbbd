/**
 * A regtest bitcoind per caller: {@link start} spawns one on 127.0.0.1 with random free ports, a fresh
 * temporary datadir, generated RPC credentials and a wallet holding mature coins (101 blocks mined to it);
 * {@link RegtestNode} offers the calls tests need (mine, fund, broadcast, mempool acceptance, wait, look
 * up outputs) and {@link RegtestNode.stop} takes it all down again. {@link connect} attaches to a node
 * another process started (a vitest global setup, `asyncpay regtest up`) from its {@link NodeInfo}.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type LiveNode, track, untrack } from './cleanup.js';
import { RegtestError } from './errors.js';
import { type BitcoindBinary, ensureBitcoind, which } from './install.js';
import { btcToSats, type RawTransaction, RpcClient, type RpcEndpoint, satsToBtc } from './rpc.js';

/** Everything needed to reach and stop a node; plain data (JSON, vitest `provide`, state files). */
export interface NodeInfo {
  /** bitcoind's process id. */
  pid: number;
  /** The node's temporary datadir (removed by `stop()`). */
  datadir: string;
  /** RPC URL and credentials. */
  rpc: RpcEndpoint;
  /** The P2P port, on 127.0.0.1. */
  p2pPort: number;
  /** The funded wallet's name. */
  wallet: string;
  /** The wallet address blocks are mined to by default. */
  miningAddress: string;
  /** The bitcoind executable that runs it. */
  bitcoind: string;
}

/** A transaction output reference. */
export interface Outpoint {
  txid: string;
  vout: number;
}

/** An unspent output as {@link RegtestNode.getUtxo} reports it. */
export interface Utxo {
  /** Amount in satoshis. */
  value: bigint;
  /** The output script, hex. */
  scriptPubKey: string;
  /** The address the script pays to, if it has one. */
  address?: string;
  /** 0 while in the mempool. */
  confirmations: number;
  /** Whether it is a coinbase output. */
  coinbase: boolean;
}

/** What `testmempoolaccept` thinks of one transaction. */
export interface MempoolAcceptance {
  /** Whether bitcoind would accept it into its mempool now. */
  allowed: boolean;
  /** bitcoind's reason when not allowed, e.g. `'non-final'`, `'bad-txns-inputs-missingorspent'`. */
  rejectReason?: string;
  /** The transaction id. */
  txid: string;
  /** Virtual size, when allowed. */
  vsize?: number;
}

/** Options for {@link start}. */
export interface StartOptions {
  /** The bitcoind to run; default: {@link ensureBitcoind} (which may install it). */
  bitcoind?: BitcoindBinary | string;
  /** Whether {@link ensureBitcoind} may install bitcoind when none is found (default true). */
  install?: boolean;
  /** Name of the funded wallet (default `'asyncpay'`). */
  wallet?: string;
  /** Blocks to mine to the wallet after start; 101 makes the first coinbase spendable (default 101). */
  initialBlocks?: number;
  /** How long to wait for RPC to answer (default 30 000 ms). */
  startTimeoutMs?: number;
  /**
   * Run bitcoind detached (in its own process group) so it outlives this process (for `asyncpay regtest
   * up`). A detached node is not cleaned up on exit: whoever holds its {@link NodeInfo} must `stop()` it.
   */
  detached?: boolean;
  /** Parent folder of the datadir (default the OS temp folder). */
  tmpDir?: string;
  /** Extra bitcoind arguments, e.g. `['-acceptnonstdtxn=1']`. */
  extraArgs?: string[];
}

/** Reserves a free TCP port on 127.0.0.1 by binding port 0 and closing again. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether process `pid` is still running. A zombie (exited, not yet reaped — as happens to a detached
 * bitcoind whose parent is gone when PID 1 does not reap) counts as gone.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Datadirs are `<tmp>/asyncpay-regtest-XXXXXX`. */
const DATADIR_PREFIX = 'asyncpay-regtest-';
/** Written into each datadir: the pid of its bitcoind, so a later run can tell a datadir is abandoned. */
const OWNER_FILE = 'asyncpay-harness.json';

/**
 * Removes datadirs that earlier runs abandoned (their process was SIGKILLed, so no clean-up ran): those in
 * `dir` named `asyncpay-regtest-*` whose recorded bitcoind pid is no longer alive. {@link start} calls it.
 * Returns the removed paths.
 */
export function sweepAbandoned(dir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(DATADIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const { pid } = JSON.parse(readFileSync(join(path, OWNER_FILE), 'utf8')) as { pid: unknown };
      if (typeof pid !== 'number' || isAlive(pid)) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // no owner file (still starting, or not ours): leave it
    }
  }
  return removed;
}

function tail(path: string, lines: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
}

/** A running regtest node, with typed helpers. Get one from {@link start} or {@link connect}. */
export class RegtestNode {
  /** How to reach and stop the node. */
  readonly info: NodeInfo;
  /** Node-level RPC (chain, mempool, raw transactions). */
  readonly rpc: RpcClient;
  /** RPC for the funded wallet (`/wallet/<name>`). */
  readonly walletRpc: RpcClient;
  #live: LiveNode | undefined;
  #exited: Promise<void> | undefined;
  #stopped = false;

  /** Use {@link start} or {@link connect}; this is their common ground. */
  constructor(info: NodeInfo, live?: LiveNode, exited?: Promise<void>) {
    this.info = info;
    this.rpc = new RpcClient(info.rpc);
    this.walletRpc = new RpcClient(info.rpc, { wallet: info.wallet });
    this.#live = live;
    this.#exited = exited;
  }

  #check(): void {
    if (this.#stopped) throw new RegtestError('STOPPED', `node ${this.info.pid} was stopped`);
  }

  /** The current chain height. */
  async getBlockCount(): Promise<number> {
    this.#check();
    return this.rpc.call('getblockcount', []);
  }

  /** A new address of the funded wallet (`type`: `'bech32'` default, `'bech32m'`, `'legacy'` …). */
  async newAddress(type = 'bech32'): Promise<string> {
    this.#check();
    return this.walletRpc.call('getnewaddress', ['', type]);
  }

  /** Mines `n` blocks (to `address`, default the wallet's mining address) and returns their hashes. */
  async mine(n = 1, address: string = this.info.miningAddress): Promise<string[]> {
    this.#check();
    return this.rpc.call('generatetoaddress', [n, address]);
  }

  /**
   * Pays `sats` from the funded wallet to `address` (unconfirmed: mine to confirm) and returns the
   * outpoint of that payment.
   *
   * @example
   * ```ts
   * const { txid, vout } = await node.fund(await node.newAddress(), 50_000n);
   * await node.mine(1);
   * ```
   */
  async fund(address: string, sats: bigint | number): Promise<Outpoint> {
    this.#check();
    const txid = await this.walletRpc.call('sendtoaddress', [address, satsToBtc(sats)]);
    const tx = await this.rpc.call('getrawtransaction', [txid, true]);
    const out = tx.vout.find(
      (o) =>
        o.scriptPubKey.address?.toLowerCase() === address.toLowerCase() &&
        btcToSats(o.value) === BigInt(sats),
    );
    if (!out) throw new RegtestError('RPC_ERROR', `fund: no output of ${sats} sat to ${address} in ${txid}`);
    return { txid, vout: out.n };
  }

  /** Sends a signed transaction (hex) to the mempool and returns its txid. Rejections are `RPC_ERROR`s. */
  async broadcast(txHex: string): Promise<string> {
    this.#check();
    return this.rpc.call('sendrawtransaction', [txHex]);
  }

  /**
   * Asks whether a transaction would enter the mempool now, without sending it.
   *
   * @example
   * ```ts
   * const r = await node.testMempoolAccept(hex); // { allowed: false, rejectReason: 'non-final', … }
   * ```
   */
  async testMempoolAccept(txHex: string): Promise<MempoolAcceptance> {
    this.#check();
    const [r] = await this.rpc.call('testmempoolaccept', [[txHex]]);
    if (!r) throw new RegtestError('RPC_ERROR', 'testmempoolaccept returned no result');
    return {
      allowed: r.allowed,
      txid: r.txid,
      ...(r['reject-reason'] === undefined ? {} : { rejectReason: r['reject-reason'] }),
      ...(r.vsize === undefined ? {} : { vsize: r.vsize }),
    };
  }

  /**
   * Waits until a transaction is in the mempool (`confirmations` 0, the default) or has at least
   * `confirmations` confirmations, and returns it decoded. Throws `WAIT_TIMEOUT` after `timeoutMs`.
   */
  async waitForTx(
    txid: string,
    options: { confirmations?: number; timeoutMs?: number; intervalMs?: number } = {},
  ): Promise<RawTransaction> {
    const want = options.confirmations ?? 0;
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      this.#check();
      try {
        const tx = await this.rpc.call('getrawtransaction', [txid, true]);
        if ((tx.confirmations ?? 0) >= want) return tx;
      } catch (e) {
        // -5: RPC_INVALID_ADDRESS_OR_KEY, "No such mempool or blockchain transaction"
        if (!(e instanceof RegtestError && e.rpcCode === -5)) throw e;
      }
      if (Date.now() > deadline) {
        throw new RegtestError('WAIT_TIMEOUT', `waitForTx: ${txid} not seen with ${want} confirmation(s)`);
      }
      await sleep(options.intervalMs ?? 50);
    }
  }

  /** The unspent output `txid:vout` (mempool included), or `undefined` if it is spent or never existed. */
  async getUtxo(txid: string, vout: number): Promise<Utxo | undefined> {
    this.#check();
    const r = await this.rpc.call('gettxout', [txid, vout, true]);
    if (!r) return undefined;
    return {
      value: btcToSats(r.value),
      scriptPubKey: r.scriptPubKey.hex,
      ...(r.scriptPubKey.address === undefined ? {} : { address: r.scriptPubKey.address }),
      confirmations: r.confirmations,
      coinbase: r.coinbase,
    };
  }

  /**
   * Hands the node over: it is no longer cleaned up when this process exits, and someone holding
   * {@link RegtestNode.info} must stop it (`connect(info).stop()`). Returns the info.
   */
  detach(): NodeInfo {
    if (this.#live) untrack(this.#live);
    this.#live = undefined;
    return this.info;
  }

  /**
   * Stops bitcoind (RPC `stop`, then SIGKILL after `timeoutMs`), waits until the process is gone and
   * removes the datadir. Safe to call twice; never throws for a node that is already gone.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const { pid, datadir } = this.info;
    try {
      if (isAlive(pid)) {
        await this.rpc.call('stop', []).catch(() => {
          if (isAlive(pid)) process.kill(pid, 'SIGTERM');
        });
        if (!(await this.#waitExit(timeoutMs))) {
          process.kill(pid, 'SIGKILL');
          await this.#waitExit(5_000);
        }
      }
    } catch {
      // the process went away between the checks
    } finally {
      if (this.#live) untrack(this.#live);
      this.#live = undefined;
      rmSync(datadir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    }
  }

  async #waitExit(ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    if (this.#exited) {
      const cancel = new AbortController();
      const timer = sleep(ms, false, { signal: cancel.signal, ref: false }).catch(() => false);
      const exited = this.#exited.then(() => true);
      const done = await Promise.race([exited, timer]);
      cancel.abort();
      return done;
    }
    while (Date.now() < deadline) {
      if (!isAlive(this.info.pid)) return true;
      await sleep(50);
    }
    return !isAlive(this.info.pid);
  }
}

/**
 * Attaches to a node started elsewhere (a vitest global setup, `asyncpay regtest up`). The node is not
 * tracked for clean-up by this process; `stop()` still stops it and removes its datadir.
 */
export function connect(info: NodeInfo): RegtestNode {
  return new RegtestNode(info);
}

function rpcAuth(user: string, password: string): string {
  // share/rpcauth/rpcauth.py: rpcauth=<user>:<salt>$<hex(HMAC-SHA256(key=salt, msg=password))>
  const salt = randomBytes(16).toString('hex');
  return `${user}:${salt}$${createHmac('sha256', salt).update(password).digest('hex')}`;
}

/** Spawns bitcoind and waits for RPC; `'port-clash'` when a port was taken in between (try again). */
async function spawnOnce(
  bitcoind: string,
  options: StartOptions,
  wallet: string,
): Promise<RegtestNode | 'port-clash'> {
  const datadir = mkdtempSync(join(options.tmpDir ?? tmpdir(), DATADIR_PREFIX));
  const [rpcPort, p2pPort] = [await freePort(), await freePort()];
  const user = 'asyncpay';
  const password = randomBytes(24).toString('hex');
  const args = [
    // regtest only, in its own datadir, in the foreground (so the pid is bitcoind's)
    ...['-regtest', `-datadir=${datadir}`, '-daemon=0', '-printtoconsole=0'],
    // RPC on 127.0.0.1 only, with credentials made for this node (rpcauth: no plain password on disk)
    ...['-server=1', `-rpcbind=127.0.0.1:${rpcPort}`, `-rpcport=${rpcPort}`, '-rpcallowip=127.0.0.1'],
    ...[`-rpcauth=${rpcAuth(user, password)}`, '-rpcthreads=8', '-rpcworkqueue=64'],
    // P2P on 127.0.0.1 only, and no reaching out: no DNS seeds, fixed seeds, Tor, NAT-PMP, address discovery
    ...['-listen=1', `-bind=127.0.0.1:${p2pPort}`, `-port=${p2pPort}`],
    ...['-discover=0', '-dnsseed=0', '-fixedseeds=0', '-listenonion=0', '-natpmp=0'],
    // wallet fees without estimates; txindex so waitForTx finds confirmed transactions of any wallet;
    // a small key lookahead (createwallet derives 8 descriptors × keypool keys: ~2 s at the default 1000)
    ...['-fallbackfee=0.0002', '-txindex=1', '-keypool=16'],
    ...(options.extraArgs ?? []),
  ];
  const stderrPath = join(datadir, 'stderr.log');
  const stderr = openSync(stderrPath, 'w');
  // Linux: have the kernel SIGKILL bitcoind if this process dies without running any clean-up (SIGKILL,
  // OOM killer). setpriv (util-linux) sets the parent-death signal and execs bitcoind in the same pid.
  const setpriv = options.detached || process.platform !== 'linux' ? undefined : which('setpriv');
  const [file, argv] = setpriv
    ? [setpriv, ['--pdeathsig', 'KILL', '--', bitcoind, ...args]]
    : [bitcoind, args];
  const child = spawn(file, argv, {
    stdio: ['ignore', 'ignore', stderr],
    detached: options.detached === true,
  });
  closeSync(stderr);
  let exitCode: number | null | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.on('exit', (code) => {
      exitCode = code;
      resolve();
    });
    child.on('error', (e) => {
      spawnError = e;
      resolve();
    });
  });
  const pid = child.pid;
  if (pid === undefined) {
    await exited;
    rmSync(datadir, { recursive: true, force: true });
    throw new RegtestError('START_FAILED', `cannot run ${bitcoind}: ${spawnError?.message}`, {
      cause: spawnError,
    });
  }
  writeFileSync(join(datadir, OWNER_FILE), `${JSON.stringify({ pid })}\n`);
  const live: LiveNode = { pid, datadir };
  track(live);
  if (options.detached) child.unref();

  const info: NodeInfo = {
    pid,
    datadir,
    rpc: { url: `http://127.0.0.1:${rpcPort}`, user, password },
    p2pPort,
    wallet,
    miningAddress: '',
    bitcoind,
  };
  const node = new RegtestNode(info, live, exited);
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (exitCode !== undefined) {
      const why = `${tail(stderrPath, 5)}\n${tail(join(datadir, 'regtest', 'debug.log'), 5)}`.trim();
      untrack(live);
      rmSync(datadir, { recursive: true, force: true });
      if (/unable to bind|address already in use/i.test(why)) return 'port-clash';
      throw new RegtestError('START_FAILED', `bitcoind exited with code ${exitCode} while starting: ${why}`);
    }
    try {
      await node.rpc.call('getblockchaininfo', []);
      break;
    } catch (e) {
      // -28: RPC_IN_WARMUP; transport errors: not listening yet
      if (!(e instanceof RegtestError) || (e.code === 'RPC_ERROR' && e.rpcCode !== -28)) {
        await node.stop();
        throw e;
      }
    }
    if (Date.now() > deadline) {
      const why = tail(join(datadir, 'regtest', 'debug.log'), 5);
      await node.stop();
      throw new RegtestError('START_TIMEOUT', `bitcoind did not answer RPC in time: ${why}`);
    }
    await sleep(25);
  }
  return node;
}

/**
 * Starts a fresh regtest node: finds (or installs) bitcoind, spawns it on 127.0.0.1 with random free
 * ports and a new datadir under the OS temp folder, creates a wallet and mines `initialBlocks` (101) to it.
 * The node is cleaned up when this process exits, even without `stop()` (unless `detached`).
 *
 * @example
 * ```ts
 * const node = await start();
 * try {
 *   const outpoint = await node.fund(await node.newAddress(), 100_000n);
 *   await node.mine(1);
 * } finally {
 *   await node.stop();
 * }
 * ```
 */
export async function start(options: StartOptions = {}): Promise<RegtestNode> {
  const bitcoind =
    typeof options.bitcoind === 'string'
      ? options.bitcoind
      : (options.bitcoind ?? (await ensureBitcoind({ install: options.install ?? true }))).path;
  const wallet = options.wallet ?? 'asyncpay';
  sweepAbandoned(options.tmpDir ?? tmpdir());
  for (let attempt = 1; ; attempt++) {
    const node = await spawnOnce(bitcoind, options, wallet);
    if (node !== 'port-clash') {
      try {
        await node.rpc.call('createwallet', [wallet]);
        const address = await node.newAddress();
        (node.info as { miningAddress: string }).miningAddress = address;
        const blocks = options.initialBlocks ?? 101;
        if (blocks > 0) await node.mine(blocks);
      } catch (e) {
        await node.stop();
        throw e;
      }
      return node;
    }
    if (attempt >= 3) throw new RegtestError('START_FAILED', 'could not find free ports for bitcoind');
  }
}
