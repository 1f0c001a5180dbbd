import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { liveCount } from '../src/cleanup.js';
import { RegtestError } from '../src/errors.js';
import { isAlive, start } from '../src/harness.js';
import { regtestAvailable, regtestNode } from '../src/vitest.js';

/** Builds and signs, with the node's own wallet RPCs, a transaction spending one mature wallet coin. */
async function walletSpend(locktime?: number): Promise<{ hex: string; txid: string }> {
  const node = regtestNode();
  const coins = await node.walletRpc.call('listunspent', [100]);
  const coin = coins.find((c) => c.spendable && c.amount >= 1);
  if (!coin) throw new Error('no mature wallet coin');
  const to = await node.newAddress();
  const amount = (coin.amount - 0.0001).toFixed(8);
  const inputs = [{ txid: coin.txid, vout: coin.vout }];
  const outputs = [{ [to]: amount }];
  const unsigned = await node.rpc.call(
    'createrawtransaction',
    locktime === undefined ? [inputs, outputs] : [inputs, outputs, locktime],
  );
  const signed = await node.walletRpc.call('signrawtransactionwithwallet', [unsigned]);
  expect(signed.complete).toBe(true);
  const { txid } = await node.testMempoolAccept(signed.hex);
  return { hex: signed.hex, txid };
}

describe.skipIf(!regtestAvailable())('regtest node from the global setup', () => {
  it('listens on 127.0.0.1 only and has a wallet with mature coins', async () => {
    const node = regtestNode();
    expect(new URL(node.info.rpc.url).hostname).toBe('127.0.0.1');
    expect(await node.getBlockCount()).toBeGreaterThanOrEqual(101);
    expect(await node.walletRpc.call('getbalance', [])).toBeGreaterThan(0);
    const chain = await node.rpc.call('getblockchaininfo', []);
    expect(chain.chain).toBe('regtest');
  });

  it('mines blocks on top of the current tip', async () => {
    const node = regtestNode();
    const before = await node.getBlockCount();
    const hashes = await node.mine(3);
    expect(hashes).toHaveLength(3);
    expect(await node.getBlockCount()).toBe(before + 3);
  });

  it('funds an address and reports the exact outpoint and amount', async () => {
    const node = regtestNode();
    const address = await node.newAddress('bech32m');
    const { txid, vout } = await node.fund(address, 123_456n);
    const unconfirmed = await node.getUtxo(txid, vout);
    expect(unconfirmed).toMatchObject({ value: 123_456n, address, confirmations: 0, coinbase: false });
    await node.mine(1);
    expect((await node.getUtxo(txid, vout))?.confirmations).toBe(1);
    expect(await node.getUtxo(txid, vout + 7)).toBeUndefined();
  });

  it('accepts a wallet-signed raw transaction, broadcasts it and confirms it', async () => {
    const node = regtestNode();
    const { hex, txid } = await walletSpend();
    expect(await node.testMempoolAccept(hex)).toMatchObject({ allowed: true, txid });
    expect(await node.broadcast(hex)).toBe(txid);
    expect((await node.waitForTx(txid)).txid).toBe(txid);
    expect(await node.rpc.call('getrawmempool', [])).toContain(txid);
    await node.mine(1);
    const confirmed = await node.waitForTx(txid, { confirmations: 1 });
    expect(confirmed.confirmations).toBe(1);
    // spent now: a second broadcast of a conflicting spend would fail; the same tx is simply known
    expect((await node.testMempoolAccept(hex)).allowed).toBe(false);
  });

  it('rejects a transaction locked to a future height as non-final until that height is mined', async () => {
    const node = regtestNode();
    const tip = await node.getBlockCount();
    const locktime = tip + 5;
    const { hex } = await walletSpend(locktime);
    // BIP-113/consensus: final when nLockTime < height of the block that would include it (tip + 1)
    expect(await node.testMempoolAccept(hex)).toMatchObject({ allowed: false, rejectReason: 'non-final' });
    await node.mine(locktime - tip - 1);
    expect(await node.testMempoolAccept(hex)).toMatchObject({ allowed: false, rejectReason: 'non-final' });
    await node.mine(1);
    expect(await node.testMempoolAccept(hex)).toMatchObject({ allowed: true });
    await expect(node.broadcast(hex)).resolves.toMatch(/^[0-9a-f]{64}$/);
  });

  it('surfaces bitcoind RPC errors as RegtestError with bitcoind’s code and message', async () => {
    const node = regtestNode();
    const error = await node.rpc.call('getblockhash', [10_000_000]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegtestError);
    expect(error).toMatchObject({ code: 'RPC_ERROR', rpcCode: -8, method: 'getblockhash' });
    expect((error as RegtestError).rpcMessage).toMatch(/out of range/i);
    // -32601: RPC_METHOD_NOT_FOUND
    await expect(node.rpc.callRaw('nosuchmethod')).rejects.toMatchObject({
      code: 'RPC_ERROR',
      rpcCode: -32601,
    });
    // -22: RPC_DESERIALIZATION_ERROR
    await expect(node.broadcast('00')).rejects.toMatchObject({ code: 'RPC_ERROR', rpcCode: -22 });
  });

  it('reports wrong credentials and an unreachable node as RPC_TRANSPORT', async () => {
    const { RpcClient } = await import('../src/rpc.js');
    const node = regtestNode();
    const wrong = new RpcClient({ ...node.info.rpc, password: 'not-the-password' });
    await expect(wrong.call('getblockcount', [])).rejects.toMatchObject({ code: 'RPC_TRANSPORT' });
    const gone = new RpcClient({ url: 'http://127.0.0.1:9', user: 'u', password: 'p' });
    await expect(gone.call('getblockcount', [])).rejects.toMatchObject({ code: 'RPC_TRANSPORT' });
  });
});

describe.skipIf(!regtestAvailable())('start() and stop()', () => {
  it('stop() ends the bitcoind process and removes the datadir', { timeout: 60_000 }, async () => {
    const node = await start({ initialBlocks: 1 });
    const { pid, datadir } = node.info;
    expect(isAlive(pid)).toBe(true);
    expect(existsSync(datadir)).toBe(true);
    expect(await node.getBlockCount()).toBe(1);
    await node.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(datadir)).toBe(false);
    await node.stop(); // twice is fine
    await expect(node.getBlockCount()).rejects.toMatchObject({ code: 'STOPPED' });
  });

  it('fails with START_FAILED, leaving nothing behind, when bitcoind rejects its options', {
    timeout: 60_000,
  }, async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('asyncpay-regtest-'));
    const error = await start({ extraArgs: ['-nosuchoption=1'] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'START_FAILED' });
    expect((error as Error).message).toMatch(/nosuchoption/);
    const after = readdirSync(tmpdir()).filter(
      (n) => n.startsWith('asyncpay-regtest-') && !before.includes(n),
    );
    expect(after).toEqual([]);
    await expect(start({ bitcoind: '/nonexistent/bitcoind' })).rejects.toMatchObject({
      code: 'START_FAILED',
    });
  });

  it('fails with START_TIMEOUT and stops bitcoind when RPC does not answer in time', {
    timeout: 60_000,
  }, async () => {
    await expect(start({ startTimeoutMs: 0, initialBlocks: 0 })).rejects.toMatchObject({
      code: 'START_TIMEOUT',
    });
    expect(liveCount()).toBe(0);
  });

  it('gives two nodes different ports and datadirs', { timeout: 60_000 }, async () => {
    const [a, b] = await Promise.all([start({ initialBlocks: 0 }), start({ initialBlocks: 0 })]);
    try {
      expect(a!.info.rpc.url).not.toBe(b!.info.rpc.url);
      expect(a!.info.p2pPort).not.toBe(b!.info.p2pPort);
      expect(a!.info.datadir).not.toBe(b!.info.datadir);
    } finally {
      await Promise.all([a!.stop(), b!.stop()]);
    }
  });
});
