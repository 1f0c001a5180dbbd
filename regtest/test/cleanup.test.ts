import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive, type NodeInfo, sweepAbandoned } from '../src/harness.js';
import { regtestAvailable } from '../src/vitest.js';

/** Runs test/fixtures/abandon.ts in a child process; returns the node it started and how it ended. */
async function abandon(mode: 'throw' | 'exit' | 'wait', signal?: NodeJS.Signals) {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(import.meta.dirname, 'fixtures', 'abandon.ts'), mode],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const info = await new Promise<NodeInfo>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as NodeInfo);
    });
    child.on('exit', () => reject(new Error(`fixture exited before starting a node: ${err}`)));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, sig) => resolve({ code, signal: sig })),
  );
  if (signal) {
    expect(isAlive(info.pid)).toBe(true);
    child.kill(signal);
  }
  const end = await exited;
  return { info, end, stderr: err };
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  return !isAlive(pid);
}

// Each case starts a node in a child process: slow on a busy machine.
describe.skipIf(!regtestAvailable())('no bitcoind outlives its process', { timeout: 60_000 }, () => {
  it('cleans up on an uncaught error, and the error still ends the process', async () => {
    const { info, end, stderr } = await abandon('throw');
    expect(end.code).toBe(1);
    expect(stderr).toContain('deliberate uncaught error');
    expect(await gone(info.pid)).toBe(true);
    expect(existsSync(info.datadir)).toBe(false);
  });

  it('cleans up on process.exit() without stop()', async () => {
    const { info, end } = await abandon('exit');
    expect(end.code).toBe(3);
    expect(await gone(info.pid)).toBe(true);
    expect(existsSync(info.datadir)).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'on SIGKILL, where no handler runs, the kernel ends bitcoind and the next start sweeps the datadir',
    async () => {
      const { info, end } = await abandon('wait', 'SIGKILL');
      expect(end.signal).toBe('SIGKILL');
      expect(await gone(info.pid)).toBe(true); // parent-death signal (setpriv --pdeathsig KILL)
      expect(existsSync(info.datadir)).toBe(true);
      expect(sweepAbandoned(dirname(info.datadir))).toContain(info.datadir);
      expect(existsSync(info.datadir)).toBe(false);
    },
  );

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`cleans up on ${signal}, and the signal still ends the process`, async () => {
      const { info, end } = await abandon('wait', signal);
      expect(end.signal).toBe(signal);
      expect(await gone(info.pid)).toBe(true);
      expect(existsSync(info.datadir)).toBe(false);
    });
  }
});
