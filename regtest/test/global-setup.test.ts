import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAlive } from '../src/harness.js';
import { regtestAvailable } from '../src/vitest.js';
import type { RegtestProvided } from '../src/vitest-global-setup.js';

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');

describe.skipIf(!regtestAvailable())('the vitest global setup, as another package uses it', () => {
  it('starts one node per worker, provides them, and leaves no bitcoind after the run', {
    timeout: 120_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncpay-consumer-'));
    const out = join(dir, 'records.jsonl');
    try {
      const config = join(import.meta.dirname, 'fixtures', 'consumer', 'vitest.config.ts');
      const child = spawn(process.execPath, [vitestBin, 'run', '--config', config], {
        cwd: join(import.meta.dirname, 'fixtures', 'consumer'),
        env: { ...process.env, ASYNCPAY_FIXTURE_OUT: out, VITEST_POOL_ID: undefined },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      child.stdout.on('data', (d: Buffer) => {
        log += d.toString();
      });
      child.stderr.on('data', (d: Buffer) => {
        log += d.toString();
      });
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code, log).toBe(0);

      const records = readFileSync(out, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { pool: string; pid: number; provided: RegtestProvided });
      expect(records).toHaveLength(2);
      const { nodes } = records[0]!.provided;
      expect(nodes).toHaveLength(2);
      for (const r of records) expect(r.pid).toBe(nodes[Number(r.pool) - 1]!.pid);
      for (const n of nodes) {
        expect(isAlive(n.pid), `bitcoind ${n.pid} still running`).toBe(false);
        expect(existsSync(n.datadir)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
