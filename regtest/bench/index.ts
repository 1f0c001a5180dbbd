/**
 * Regtest costs: one-off timings of a node's life (start to RPC ready with a wallet, 101 blocks, stop),
 * then per-call costs as ratios to the floor every call pays, one `getblockcount` RPC round trip.
 * Run: `pnpm --filter @asyncpay/regtest bench`.
 */
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { start } from '../src/harness.js';
import { ensureBitcoind } from '../src/install.js';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, performance.now() - t];
}

const [bitcoind, findMs] = await timed(() => ensureBitcoind());
console.log(`bitcoind (${bitcoind.source}) ${bitcoind.path}: found in ${findMs.toFixed(0)} ms`);

const lives: string[] = [];
for (let i = 0; i < 3; i++) {
  const [node, startMs] = await timed(() => start({ bitcoind, initialBlocks: 0 }));
  const [, mineMs] = await timed(() => node.mine(101));
  const [, stopMs] = await timed(() => node.stop());
  lives.push(
    `start ${startMs.toFixed(0)} ms, 101 blocks ${mineMs.toFixed(0)} ms, stop ${stopMs.toFixed(0)} ms`,
  );
}
console.log(`\nnode life (3 runs)\n${lives.join('\n')}`);

const node = await start({ bitcoind });
try {
  // let the transaction index catch up with the 101 blocks first, so it does not run under the floor
  for (;;) {
    const info = (await node.rpc.callRaw('getindexinfo')) as { txindex?: { synced: boolean } };
    if (info.txindex?.synced !== false) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const address = await node.newAddress();
  const [coin] = await node.walletRpc.call('listunspent', [100]);
  if (!coin) throw new Error('no mature coin');
  const spend = [{ [address]: (coin.amount - 0.001).toFixed(8) }];
  const unsigned = await node.rpc.call('createrawtransaction', [
    [{ txid: coin.txid, vout: coin.vout }],
    spend,
  ]);
  const { hex } = await node.walletRpc.call('signrawtransactionwithwallet', [unsigned]);
  await runBenchmarks('regtest', {
    floors: { 'getblockcount RPC': () => node.getBlockCount() },
    cases: [
      { name: 'mine 1 block', fn: () => node.mine(1), floor: 'getblockcount RPC' },
      {
        name: 'fund (sendtoaddress + lookup)',
        fn: () => node.fund(address, 10_000n),
        floor: 'getblockcount RPC',
      },
      {
        name: 'testMempoolAccept (1-in 1-out)',
        fn: () => node.testMempoolAccept(hex),
        floor: 'getblockcount RPC',
      },
    ],
  });
} finally {
  await node.stop();
}
