import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LspAtScale } from '../bench/lsp-file.js';

/** The LSP-at-scale bench's populate and restart code at 1,000 entries, so it cannot rot unnoticed. */
describe('bench: an LSP holding HTLCs, mailbox entries and static invoices in SQLite', () => {
  it('reads back after a restart exactly what it wrote, then releases two and fails back one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'asyncpay-bench-smoke-'));
    const lsp = LspAtScale.create({ dir, entries: 1000, batch: 250 });
    try {
      const pop = lsp.populate();
      expect(pop.channels).toBe(3);
      expect(pop.tables.map((t) => [t.name, t.entries])).toEqual([
        ['held_htlcs + channels', 1000],
        ['mailbox', 1000],
        ['static_invoices', 1000],
      ]);
      for (const t of pop.tables) expect(t.bytes).toBeGreaterThan(1000 * 1400);
      const r = lsp.restart();
      expect(r.counts).toEqual({
        held: 1000,
        heldInLedgers: 1000,
        channels: 3,
        mailbox: 1000,
        invoices: 1000,
        heldAfterRelease: 998,
        heldAfterFailBack: 997,
      });
    } finally {
      lsp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
