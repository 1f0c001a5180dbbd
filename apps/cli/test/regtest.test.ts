import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegtestError } from '@asyncpay/regtest/errors';
import { isAlive } from '@asyncpay/regtest/harness';
import { ensureBitcoind } from '@asyncpay/regtest/install';
import { isCi, skipBanner } from '@asyncpay/regtest/vitest-global-setup';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../src/command.js';
import type { RegtestState } from '../src/commands/regtest.js';
import { main } from '../src/main.js';

/** Locally a missing bitcoind skips these tests with a loud message; in CI it fails them. */
async function bitcoindAvailable(): Promise<boolean> {
  try {
    await ensureBitcoind();
    return true;
  } catch (e) {
    if (isCi() || !(e instanceof RegtestError)) throw e;
    console.warn(skipBanner(`${e.code}: ${e.message}`));
    return false;
  }
}

function capture(): Io & { text: () => string } {
  let out = '';
  return {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      out += t;
    },
    isTty: false,
    text: () => {
      const t = out;
      out = '';
      return t;
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'asyncpay-cli-regtest-'));
const state = join(dir, 'state.json');
const regtest = (io: Io, ...args: string[]) => main(['regtest', ...args, '--state', state], io);

afterAll(async () => {
  // never leave a node behind, even if a step failed
  await main(['regtest', 'down', '--state', state], capture());
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!(await bitcoindAvailable()))('asyncpay regtest', () => {
  it('up starts a background node, status reports it, down stops it and cleans up', {
    timeout: 90_000,
  }, async () => {
    const io = capture();
    expect(await regtest(io, 'status')).toBe(1);
    expect(io.text()).toMatch(/not running/);

    expect(await regtest(io, 'up', '--blocks', '101')).toBe(0);
    expect(io.text()).toMatch(/running: pid \d+, height 101/);
    const s = JSON.parse(readFileSync(state, 'utf8')) as RegtestState;
    expect(statSync(state).mode & 0o077).toBe(0); // credentials: owner only
    expect(new URL(s.rpc.url).hostname).toBe('127.0.0.1');
    expect(isAlive(s.pid)).toBe(true);

    expect(await regtest(io, 'up')).toBe(0);
    expect(io.text()).toMatch(new RegExp(`already running\\n.*pid ${s.pid}`));

    expect(await regtest(io, 'status')).toBe(0);
    expect(io.text()).toMatch(/height 101/);
    expect(await regtest(io, 'status', '--json')).toBe(0);
    expect(JSON.parse(io.text())).toMatchObject({ running: true, height: 101, pid: s.pid });

    expect(await regtest(io, 'down')).toBe(0);
    expect(io.text()).toMatch(new RegExp(`stopped bitcoind pid ${s.pid}`));
    expect(isAlive(s.pid)).toBe(false);
    expect(existsSync(s.datadir)).toBe(false);
    expect(existsSync(state)).toBe(false);

    expect(await regtest(io, 'status')).toBe(1);
    expect(await regtest(io, 'down')).toBe(0);
    expect(io.text()).toMatch(/not running/);
  });

  it('rejects an unknown action with exit code 2', async () => {
    const io = capture();
    expect(await regtest(io, 'sideways')).toBe(2);
    expect(io.text()).toMatch(/unknown action 'sideways'/);
  });
});
