import type { Transcript } from '@asyncpay/ln/node/transcript';
import { describe, expect, it } from 'vitest';
import type { Io } from '../src/command.js';
import { main } from '../src/main.js';
import { schemes } from '../src/schemes.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    isTty: false,
  };
  return { code: await main(args, io), out, err };
}

describe('the scheme registry', () => {
  it('lists the built schemes with distinct ids and what they let others do', async () => {
    const list = await schemes();
    expect(list.map((s) => s.id)).toEqual(expect.arrayContaining(['htlc', 'unblock']));
    expect(new Set(list.map((s) => s.id)).size).toBe(list.length);
    for (const s of list) {
      expect(s.canSteal.length).toBeGreaterThan(0);
      expect(s.canCensor.length).toBeGreaterThan(0);
    }
  });

  it('runs the HTLC scheme end to end through asyncpay demo', { timeout: 60_000 }, async () => {
    const r = await run(['demo', 'htlc', '--scenario', 'offline-10m', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const t = JSON.parse(r.out) as Transcript;
    expect(t).toMatchObject({ scheme: 'htlc', scenario: 'offline-10m', seed: 'asyncpay' });
    expect(t.outcome.settled).toBe(true);
    expect(t.proof.kind).toBe('none');
    const text = await run(['demo', 'htlc', '--scenario', 'offline-10m']);
    expect(text.out).toContain('held_htlc_available');
    expect(text.out).toContain('outcome: settled after');
  });
});
