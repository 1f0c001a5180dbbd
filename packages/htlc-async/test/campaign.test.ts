import type { Transcript } from '@asyncpay/ln/node/transcript';
import { COMPARE_MATRIX } from '@asyncpay/ln/scheme';
import { describe, expect, it } from 'vitest';
import { AMOUNT_MSAT, runHtlc } from '../src/run.js';

const ROLES = ['payer', 'payer-lsp', 'recipient-lsp', 'recipient'] as const;
const delta = (t: Transcript, role: string) =>
  BigInt(t.balances.after[role]!) - BigInt(t.balances.before[role]!);

describe('a seeded fault campaign on the onion-message layer', () => {
  // Each seed drops, duplicates and delays (so reorders) onion messages differently.
  const seeds = Array.from({ length: 8 }, (_, i) => `campaign-${i}`);
  const outcomes: string[] = [];

  it.each(seeds)('either settles or refunds, and no money is created or lost (%s)', async (seed) => {
    const base = COMPARE_MATRIX.find((s) => s.id === 'offline-6h')!;
    const t = await runHtlc(
      { ...base, faults: { network: { drop: 0.15, duplicate: 0.2, maxDelay: 5 } } },
      { seed },
    );
    const deltas = ROLES.map((r) => delta(t, r));
    expect(deltas.reduce((a, b) => a + b, 0n)).toBe(0n);
    if (t.outcome.settled) expect(delta(t, 'recipient')).toBe(AMOUNT_MSAT);
    else for (const d of deltas) expect(d).toBe(0n);
    // Nothing is left half-done: once an HTLC went out, the payer learned how it ended.
    const payer = (what: string) =>
      t.events.some((e) => e.kind === 'state' && e.node === 'payer' && e.what === what);
    const sentHtlc = t.events.some(
      (e) => e.kind === 'message' && e.name === 'update_add_htlc' && e.from === 'payer',
    );
    if (t.outcome.settled) expect(payer('reply: payment settled')).toBe(true);
    else if (sentHtlc) expect(payer('payment failed')).toBe(true);
    // And no HTLC is left pending on any channel: every update_add_htlc was fulfilled or failed.
    const count = (name: string) =>
      t.events.filter((e) => e.kind === 'message' && e.name === name && e.fate !== 'dropped').length;
    expect(count('update_fulfill_htlc') + count('update_fail_htlc')).toBe(count('update_add_htlc'));
    outcomes.push(t.outcome.settled ? 'settled' : sentHtlc ? 'refunded' : 'not sent');
  });

  it('sees both endings across the campaign: some payments settle, some are refunded', () => {
    expect(outcomes).toHaveLength(seeds.length);
    expect(outcomes).toContain('settled');
    expect(outcomes.filter((o) => o !== 'settled').length).toBeGreaterThan(0);
  });

  it('exercises every fault at least once across the campaign', async () => {
    const fates = new Set<string>();
    for (const seed of seeds.slice(0, 4)) {
      const base = COMPARE_MATRIX.find((s) => s.id === 'offline-10m')!;
      const t = await runHtlc(
        { ...base, faults: { network: { drop: 0.15, duplicate: 0.2, maxDelay: 5 } } },
        { seed },
      );
      for (const e of t.events) if (e.kind === 'message') fates.add(e.fate);
    }
    expect(fates).toContain('dropped');
    expect(fates).toContain('duplicated');
  });
});
