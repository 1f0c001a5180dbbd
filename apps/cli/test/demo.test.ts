import type { Transcript } from '@asyncpay/ln/node/transcript';
import type { Scheme } from '@asyncpay/ln/scheme';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../src/command.js';
import { main } from '../src/main.js';
import { fakeTestScheme, RECEIPT_PROOF } from './render-fixtures.js';

// The registry is replaced by test-only fake schemes until the real ones are built.
const registry = vi.hoisted(() => ({ list: [] as Scheme[] }));
vi.mock('../src/schemes.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/schemes.js')>()),
  schemes: async () => registry.list,
}));

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escape codes
const ANSI = /\x1b\[/;

async function run(args: string[], isTty = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTty,
  };
  const code = await main(['demo', ...args], io);
  return { code, out, err };
}

let htlc: ReturnType<typeof fakeTestScheme>;
let receipt: ReturnType<typeof fakeTestScheme>;
beforeEach(() => {
  htlc = fakeTestScheme('fake-htlc');
  receipt = fakeTestScheme('fake-receipt', { proof: RECEIPT_PROOF });
  registry.list = [htlc, receipt];
  vi.stubEnv('NO_COLOR', '');
  vi.stubEnv('FORCE_COLOR', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('asyncpay demo', () => {
  it('runs one scheme through the six-hour scenario and prints its timeline, plain when piped', async () => {
    const r = await run(['fake-htlc']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).not.toMatch(ANSI);
    expect(r.out).toMatch(/^fake-htlc — Fake scheme fake-htlc \(test only\)\n/);
    expect(r.out).toContain('scenario offline-6h: Recipient offline 6 hours · seed asyncpay');
    expect(r.out).toContain('held_htlc_available (513)  312 B  held');
    expect(r.out).toContain('proof held by the payer: none');
    expect(htlc.calls).toEqual([{ scenario: 'offline-6h', seed: 'asyncpay', regtest: undefined }]);
    expect(receipt.calls).toEqual([]);
  });

  it('runs every scheme with all, and with no scheme named', async () => {
    for (const args of [['all'], []]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('fake-htlc — ');
      expect(r.out).toContain('fake-receipt — ');
      expect(r.out).toContain('proof held by the payer: receipt, 96 bytes, binds payer, amount, text');
    }
  });

  it('passes --seed and --scenario to the scheme', async () => {
    const r = await run(['fake-htlc', '--seed', '7', '--scenario', 'never-back']);
    expect(r.code).toBe(0);
    expect(htlc.calls).toEqual([{ scenario: 'never-back', seed: '7', regtest: undefined }]);
    expect(r.out).toContain('outcome: not settled (HOLD_EXPIRED)');
  });

  it('prints the same output for the same seed', async () => {
    expect((await run(['all', '--seed', 'x'])).out).toBe((await run(['all', '--seed', 'x'])).out);
  });

  it('prints one transcript as JSON for a scheme, and an array for all', async () => {
    const one = await run(['fake-htlc', '--json']);
    expect(one.code).toBe(0);
    const t = JSON.parse(one.out) as Transcript;
    expect(t.scheme).toBe('fake-htlc');
    expect(t.balances.before.payer).toBe('1000000000');
    const all = JSON.parse((await run(['all', '--json'])).out) as Transcript[];
    expect(all.map((x) => x.scheme)).toEqual(['fake-htlc', 'fake-receipt']);
  });

  it('is coloured on a terminal, and not with NO_COLOR or FORCE_COLOR=0', async () => {
    expect((await run(['fake-htlc'], true)).out).toMatch(ANSI);
    vi.stubEnv('NO_COLOR', '1');
    expect((await run(['fake-htlc'], true)).out).not.toMatch(ANSI);
    vi.stubEnv('NO_COLOR', '');
    vi.stubEnv('FORCE_COLOR', '0');
    expect((await run(['fake-htlc'], true)).out).not.toMatch(ANSI);
  });

  it('fails an unknown scheme with exit 2 and one line naming the known ones', async () => {
    const r = await run(['nope']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe("asyncpay demo: unknown scheme 'nope' (known: fake-htlc, fake-receipt, all)\n");
  });

  it('fails an unknown scenario with exit 2', async () => {
    const r = await run(['fake-htlc', '--scenario', 'moon']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^asyncpay demo: unknown scenario 'moon' \(known: offline-10m, .*thieving-lsp\)\n$/,
    );
  });

  it('fails an unknown option and a second scheme with exit 2', async () => {
    expect(await run(['--colour'])).toMatchObject({
      code: 2,
      err: 'asyncpay demo: unknown option --colour (see --help)\n',
    });
    expect((await run(['a', 'b'])).err).toBe("asyncpay demo: expected one scheme or 'all', got 2 words\n");
  });

  it('refuses --regtest with exit 2 when no scheme runs on regtest', async () => {
    const r = await run(['fake-htlc', '--regtest']);
    expect(r.code).toBe(2);
    expect(r.err).toBe('asyncpay demo: --regtest: no scheme runs its on-chain steps on regtest yet\n');
    expect(htlc.calls).toEqual([]);
  });

  it('passes --regtest to a scheme that supports it and names the ones that can when refusing', async () => {
    const chain = fakeTestScheme('fake-chain', { supportsRegtest: true, onchainVbytes: 166 });
    registry.list = [htlc, chain];
    expect((await run(['fake-chain', '--regtest'])).code).toBe(0);
    expect(chain.calls).toEqual([{ scenario: 'offline-6h', seed: 'asyncpay', regtest: true }]);
    const r = await run(['all', '--regtest']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'asyncpay demo: --regtest: fake-htlc cannot run on regtest yet (schemes that can: fake-chain)\n',
    );
  });

  it('says so with exit 2 when no scheme is built yet', async () => {
    registry.list = [];
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.err).toBe('asyncpay demo: no schemes are built yet: nothing to demo\n');
  });

  it('reports a scheme that throws in one line with exit 1', async () => {
    registry.list = [
      fakeTestScheme('fake-broken', {
        run: async () => {
          throw Object.assign(new Error('channel closed'), { code: 'PEER_GONE' });
        },
      }),
    ];
    const r = await run(['fake-broken']);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'asyncpay demo: fake-broken failed in scenario offline-6h: PEER_GONE: channel closed\n',
    );
  });

  it('has --help with examples', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Usage: asyncpay demo /);
    expect(r.out).toContain('Examples:\n  asyncpay demo ');
  });
});
