import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';
import { describe, expect, it } from 'vitest';
import { runHtlc } from '../src/run.js';

const scenario = (id: string) => COMPARE_MATRIX.find((s) => s.id === id)!;

describe('HTLC async payments on the embedded default', () => {
  it('settles when the recipient comes back after 10 minutes', async () => {
    const t = await runHtlc(scenario('offline-10m'), { seed: 't1' });
    for (const e of t.events) if (e.kind !== 'message') console.log(e.t - t.start, JSON.stringify(e));
    expect(t.outcome).toMatchObject({ settled: true });
  }, 60_000);
});
