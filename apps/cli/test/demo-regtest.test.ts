import type { Transcript } from '@asyncpay/ln/node/transcript';
import { findBitcoind } from '@asyncpay/regtest/install';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { capture } from './io.js';

// The scheme starts its own bitcoind. In CI it must be there (setup installs it), so the test runs and
// fails without it; elsewhere it is skipped, loudly, when there is none.
const available = findBitcoind() !== undefined;
if (!available && !process.env.CI)
  console.warn(
    '!! asyncpay demo --regtest test skipped: no bitcoind (set BITCOIND or run scripts/setup.sh --test)',
  );

describe.skipIf(!available && !process.env.CI)('asyncpay demo htlc --regtest', () => {
  it('runs the on-chain fallback on a regtest bitcoind: bitcoind refuses the early spends and accepts the rest', async () => {
    const io = capture();
    expect(await main(['demo', 'htlc', '--regtest', '--json'], io)).toBe(0);
    const t = JSON.parse(io.stdout()) as Transcript;
    const chain = t.events.flatMap((e) => (e.kind === 'chain' ? [e] : []));
    expect(chain.map((e) => [e.what, e.accepted])).toEqual([
      ['funding', true],
      ['commitment (force-close)', true],
      ['HTLC-timeout before cltv_expiry', false],
      ['HTLC-timeout', true],
      ['sweep before to_self_delay', false],
      ['sweep to the payer’s wallet', true],
    ]);
    expect(chain.filter((e) => !e.accepted).map((e) => e.reason)).toEqual(['non-final', 'non-BIP68-final']);
    const accepted = chain
      .filter((e) => e.accepted && e.what !== 'funding')
      .reduce((n, e) => n + (e.vbytes ?? 0), 0);
    expect(t.costs.onchainVbytes).toBe(accepted);
  }, 180_000);
});
