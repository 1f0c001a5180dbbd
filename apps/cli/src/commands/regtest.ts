/**
 * `asyncpay regtest up|status|down`: a regtest bitcoind for people, running in the background between
 * commands. `up` starts one (through the same harness the tests use) and writes a state file with its pid,
 * RPC URL and credentials; `status` reads it back and asks the node for its height; `down` stops the node
 * and removes its datadir and the state file.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, isAlive, type NodeInfo, start } from '@asyncpay/regtest/harness';
import { CliError, type Command, type Io, parseFlags } from '../command.js';

/** What the state file holds: the node's {@link NodeInfo} plus when it was started. */
export interface RegtestState extends NodeInfo {
  startedAt: string;
}

/** The state file: `--state`, else `$ASYNCPAY_REGTEST`, else `asyncpay-regtest.json` in the OS temp folder. */
export function statePath(flag: string | true | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof flag === 'string') return flag;
  return env.ASYNCPAY_REGTEST || join(tmpdir(), 'asyncpay-regtest.json');
}

function readState(path: string): RegtestState | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, 'utf8')) as RegtestState;
    if (typeof s.pid !== 'number' || typeof s.rpc?.url !== 'string') throw new Error('missing fields');
    return s;
  } catch (e) {
    throw new CliError(`state file ${path} is not a regtest state file (${(e as Error).message})`, 1);
  }
}

function describe(s: RegtestState, height: number, path: string): string {
  const { url, user, password } = s.rpc;
  const call = `{"jsonrpc":"2.0","id":1,"method":"getblockchaininfo","params":[]}`;
  return [
    `regtest bitcoind running: pid ${s.pid}, height ${height}`,
    `  rpc       ${url}   user ${user}   password ${password}`,
    `  wallet    ${s.wallet} (funded): ${url}/wallet/${s.wallet}`,
    `  p2p       127.0.0.1:${s.p2pPort}`,
    `  datadir   ${s.datadir}`,
    `  state     ${path}`,
    `  try       curl -s --user ${user}:${password} --data-binary '${call}' ${url}/`,
    '  stop      asyncpay regtest down',
    '',
  ].join('\n');
}

async function up(path: string, blocks: number, io: Io): Promise<number> {
  const old = readState(path);
  if (old && isAlive(old.pid)) {
    const height = await connect(old).getBlockCount();
    io.out(`already running\n${describe(old, height, path)}`);
    return 0;
  }
  if (old) {
    // Left over from a node that is gone (reboot, kill -9): clear it before starting afresh.
    rmSync(old.datadir, { recursive: true, force: true });
    rmSync(path, { force: true });
  }
  const node = await start({ detached: true, initialBlocks: blocks });
  const state: RegtestState = { ...node.detach(), startedAt: new Date().toISOString() };
  try {
    writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    await node.stop();
    throw new CliError(`cannot write state file ${path}: ${(e as Error).message}`, 1);
  }
  io.out(describe(state, await node.getBlockCount(), path));
  return 0;
}

async function status(path: string, io: Io, json: boolean): Promise<number> {
  const s = readState(path);
  const alive = s !== undefined && isAlive(s.pid);
  const height = alive ? await connect(s).getBlockCount() : undefined;
  if (json) {
    io.out(`${JSON.stringify({ running: alive, height, state: path, ...(s ?? {}) }, null, 2)}\n`);
  } else if (!s) {
    io.out(`not running (no state file ${path}); start one with: asyncpay regtest up\n`);
  } else if (!alive) {
    io.out(`not running: pid ${s.pid} is gone; 'asyncpay regtest down' removes what it left\n`);
  } else {
    io.out(describe(s, height ?? 0, path));
  }
  return alive ? 0 : 1;
}

async function down(path: string, io: Io): Promise<number> {
  const s = readState(path);
  if (!s) {
    io.out('not running\n');
    return 0;
  }
  const wasAlive = isAlive(s.pid);
  await connect(s).stop();
  if (isAlive(s.pid)) throw new CliError(`bitcoind pid ${s.pid} did not stop`, 1);
  rmSync(path, { force: true });
  io.out(
    `${wasAlive ? `stopped bitcoind pid ${s.pid}` : 'was not running'}; removed ${s.datadir} and ${path}\n`,
  );
  return 0;
}

/** `asyncpay regtest up|status|down`. */
export const regtestCommand: Command = {
  name: 'regtest',
  summary: 'start, inspect or stop a background regtest bitcoind (up | status | down)',
  help: `Usage: asyncpay regtest up [--blocks N] | status [--json] | down   [--state FILE]

A regtest bitcoind in the background, for trying things by hand. It listens on 127.0.0.1 only, on
random free ports, with a fresh datadir in the OS temp folder and a wallet funded by mined blocks.
bitcoind is found through $BITCOIND or PATH, or installed on Debian/Ubuntu (see regtest/README.md).

  up        start the node (or report the one already running) and print how to reach it
  status    whether it runs, and its block height (exit code 0 running, 1 not)
  down      stop it, remove its datadir and the state file

Options:
  --state FILE   where the pid, RPC URL and credentials are kept
                 (default $ASYNCPAY_REGTEST, else asyncpay-regtest.json in the OS temp folder)
  --blocks N     up: blocks mined to the wallet at start (default 101)
  --json         status: print the state as JSON
`,
  async run(args, io) {
    const { flags, positionals } = parseFlags(args, ['json']);
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw new CliError(`unexpected argument '${extra[0]}'`);
    const path = statePath(flags.get('state'));
    switch (action) {
      case 'up': {
        const raw = flags.get('blocks') ?? '101';
        const blocks = Number(raw);
        if (!Number.isInteger(blocks) || blocks < 0)
          throw new CliError(`--blocks must be a whole number: ${raw}`);
        return up(path, blocks, io);
      }
      case 'status':
        return status(path, io, flags.get('json') === true);
      case 'down':
        return down(path, io);
      default:
        throw new CliError(
          action === undefined ? 'say up, status or down' : `unknown action '${action}' (up, status, down)`,
        );
    }
  },
};
