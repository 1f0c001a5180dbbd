import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compressed, mulG } from '../src/point.js';
import type { ReceiptFields } from '../src/receipt/message.js';
import { signReceipt } from '../src/receipt/receipt.js';
import { SqliteUsedNonceStore } from '../src/receipt/sqlite-store.js';

const m1 = new Uint8Array(32).fill(1);
const m2 = new Uint8Array(32).fill(2);
const nonceReused = expect.objectContaining({ name: 'CryptoError', code: 'NONCE_REUSED', field: 'nonceId' });

describe('SQLite used-nonce store', () => {
  let dir: string;
  let path: string;
  const open: SqliteUsedNonceStore[] = [];
  const openStore = () => {
    const s = new SqliteUsedNonceStore(path, { now: () => 1_675_000_000 });
    open.push(s);
    return s;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'asyncpay-nonces-'));
    path = join(dir, 'used-nonces.sqlite');
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a second use of the same nonce id with NONCE_REUSED', () => {
    const store = openStore();
    store.markUsed(12345n, m1);
    expect(() => store.markUsed(12345n, m2)).toThrow(nonceReused);
    expect(() => store.markUsed(12345n, m1)).toThrow(nonceReused);
    expect(store.count()).toBe(1);
  });

  it('remembers used nonces after the file is closed and reopened', () => {
    const first = openStore();
    first.markUsed(7n, m1);
    first.close();
    open.splice(0);
    const again = openStore();
    expect(again.isUsed(7n)).toBe(true);
    expect(again.isUsed(8n)).toBe(false);
    expect(() => again.markUsed(7n, m2)).toThrow(nonceReused);
  });

  it('refuses through a second connection to the same file', () => {
    const a = openStore();
    const b = openStore();
    a.markUsed(1n, m1);
    expect(() => b.markUsed(1n, m2)).toThrow(nonceReused);
    b.markUsed(2n, m2);
    expect(a.isUsed(2n)).toBe(true);
  });

  it('keeps the full u64 range of nonce ids apart', () => {
    const store = openStore();
    store.markUsed((1n << 64n) - 1n, m1);
    store.markUsed(0n, m1);
    store.markUsed(1n << 63n, m1);
    expect(store.isUsed((1n << 63n) - 1n)).toBe(false);
    expect(store.count()).toBe(3);
  });

  it('makes signReceipt refuse the second use of a nonce pair, before any scalar is revealed', () => {
    const store = openStore();
    const bob = new Uint8Array(32).fill(0x42);
    const idOf = (b: number) => compressed(mulG(BigInt(`0x${b.toString(16).repeat(32)}`)));
    const fields: ReceiptFields = {
      payerId: idOf(0x41),
      payeeId: idOf(0x42),
      amountMsat: 1000n,
      offerId: new Uint8Array(32),
      timestamp: 1n,
      nonceId: 77n,
      note: '',
    };
    const args = { secretKey: bob, nonceSeed: new Uint8Array(32).fill(0x62), store };
    signReceipt({ ...args, fields });
    expect(() => signReceipt({ ...args, fields: { ...fields, amountMsat: 2000n } })).toThrow(nonceReused);
  });
});

describe('SQLite used-nonce store across processes', () => {
  it('lets exactly one of two racing processes mark each nonce id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncpay-race-'));
    const path = join(dir, 'used-nonces.sqlite');
    const storeModule = new URL('../src/receipt/sqlite-store.ts', import.meta.url).href;
    const script = `
      const { SqliteUsedNonceStore } = await import(${JSON.stringify(storeModule)});
      const store = new SqliteUsedNonceStore(${JSON.stringify(path)});
      let won = 0;
      for (let id = 0n; id < 200n; id++) {
        try { store.markUsed(id, new Uint8Array(32)); won++; }
        catch (e) { if (e.code !== 'NONCE_REUSED') throw e; }
      }
      store.close();
      console.log(won);`;
    const run = () =>
      new Promise<number>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
          {
            stdio: ['ignore', 'pipe', 'inherit'],
          },
        );
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        child.on('error', reject);
        child.on('exit', (code) =>
          code === 0 ? resolve(Number(out.trim())) : reject(new Error(`exit ${code}`)),
        );
      });
    try {
      new SqliteUsedNonceStore(path).close(); // create the schema before the race
      const [a, b] = await Promise.all([run(), run()]);
      expect(a + b).toBe(200);
      const store = new SqliteUsedNonceStore(path);
      expect(store.count()).toBe(200);
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
