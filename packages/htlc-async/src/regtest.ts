/**
 * The HTLC scheme's on-chain fallback, on a real regtest bitcoind: the payer's LSP stops answering while
 * it holds the payer's HTLC, and the payer force-closes and takes its money back through HTLC-timeout.
 *
 * The same four roles as {@link runHtlc} (payer, payer's LSP, recipient's LSP, recipient), on a virtual
 * clock that starts at the chain's height and moves with it (every block mined on regtest is a block of
 * the simulation). The payer ↔ payer's LSP channel runs in on-chain mode (`PeerChannel.enableOnchain`):
 * a real funding output, and `commitment_signed` carrying real BOLT 3 signatures. Then:
 *
 * 1. funding: the payer spends a coin of its own wallet key into the 2-of-2 (bitcoind accepts, mines);
 * 2. the payer pays the never-returning recipient; its LSP holds the HTLC (`hold_htlc`), then dies;
 * 3. the payer force-closes with its latest commitment, signed by the LSP's `commitment_signed`
 *    signature and its own (accepted, mined);
 * 4. HTLC-timeout: refused as `non-final` one block before `cltv_expiry`, accepted at it, mined;
 * 5. the sweep of `to_local` and the HTLC-timeout output to the payer's wallet: refused as
 *    `non-BIP68-final` one block early, accepted after `to_self_delay` confirmations, mined.
 *
 * Every verdict is bitcoind's (`testmempoolaccept`), recorded as `chain` events; `costs.onchainVbytes`
 * is the vsize bitcoind reports for the commitment, the HTLC-timeout and the sweep.
 *
 * ```ts
 * const { transcript, report } = await runHtlcForceClose(regtestNode(), { seed: 'force-close' });
 * transcript.costs.onchainVbytes; // measured
 * ```
 */
import {
  delayedSweep,
  forceClose,
  fundingTransaction,
  htlcTimeoutOutput,
  regtestAddress,
  toLocalOutput,
  walletKey,
  walletScript,
} from '@asyncpay/ln/channel/force-close';
import { channelBasepoints, channelSecrets, mirrorState, stateOf } from '@asyncpay/ln/channel/onchain';
import { BLOCK_INTERVAL_SECONDS, VirtualClock } from '@asyncpay/ln/node/clock';
import { LnNode, type NodeOptions, scidOf } from '@asyncpay/ln/node/node';
import type { Role, Transcript } from '@asyncpay/ln/node/transcript';
import { COMPARE_MATRIX, type RunOptions } from '@asyncpay/ln/scheme';
import { bytesToHex } from '@noble/hashes/utils.js';
import { Device } from './device.js';
import { HtlcAsyncError } from './errors.js';
import { Payer } from './payer.js';
import { PayerLsp } from './payer-lsp.js';
import { Recipient } from './recipient.js';
import { RecipientLsp } from './recipient-lsp.js';
import { AMOUNT_MSAT } from './run.js';
import { channelIdOf, costsOf, Simulation } from './simulation.js';

/**
 * What the runner needs of a chain: a real bitcoind. `RegtestNode` of `@asyncpay/regtest/harness`
 * has this shape (kept structural so this package does not depend on the harness at run time).
 */
export interface RegtestChain {
  getBlockCount(): Promise<number>;
  mine(n?: number): Promise<string[]>;
  fund(address: string, sats: bigint): Promise<{ txid: string; vout: number }>;
  testMempoolAccept(
    txHex: string,
  ): Promise<{ allowed: boolean; rejectReason?: string; txid: string; vsize?: number }>;
  broadcast(txHex: string): Promise<string>;
  waitForTx(txid: string, options?: { confirmations?: number }): Promise<{ confirmations?: number }>;
}

/** The payer ↔ payer's LSP channel capacity: 1,000,000 sat, all the payer's (as in {@link runHtlc}). */
export const FORCE_CLOSE_CAPACITY_SAT = 1_000_000n;
/** The fee the payer's funding transaction pays (its coin is the capacity plus this). */
export const FUNDING_FEE_SAT = 1_000n;
/** How long the payer waits for its silent LSP before going to chain (blocks). */
export const UNRESPONSIVE_BLOCKS = 6;

/** Blocks mined per `generatetoaddress` call. */
const MINE_STEP = 24;

/** One transaction as bitcoind judged it. */
export interface ChainStep {
  txid: string;
  vbytes: number;
  /** The reject reason of the attempt made one block too early, if one was made. */
  earlyReason?: string;
  /** Fee paid, from the transaction's own inputs and outputs. */
  feeSat: bigint;
  /** Sum of its outputs. */
  outputSat: bigint;
}

/** The on-chain side of the run, with exact amounts. */
export interface ForceCloseReport {
  funding: ChainStep & { vout: number };
  commitment: ChainStep & { toLocalSat: bigint; htlcSat: bigint; commitmentNumber: number };
  htlcTimeout: ChainStep & { cltvExpiry: number };
  sweep: ChainStep & { scriptPubKey: string };
  /** What the payer's wallet holds again: the sweep's output. */
  recoveredSat: bigint;
}

interface Tx {
  toHex(): string;
  getId(): string;
  virtualSize(): number;
  outs: { value: bigint }[];
}

const sumOuts = (tx: Tx) => tx.outs.reduce((s, o) => s + o.value, 0n);

/**
 * Run the never-returning-recipient payment with the payer's LSP dying while it holds the HTLC, and
 * the payer's force-close on `chain`. Throws `CHAIN_REJECTED` if bitcoind refuses a transaction the
 * payer needs, `CHAIN_ACCEPTED_EARLY` if it accepts one before its lock.
 */
export async function runHtlcForceClose(
  chain: RegtestChain,
  opts: Omit<RunOptions, 'regtest'> = {},
): Promise<{ transcript: Transcript; report: ForceCloseReport }> {
  const seed = opts.seed ?? 'asyncpay';
  const profile = opts.profile ?? 'ldk';
  const scenario = COMPARE_MATRIX.find((s) => s.id === 'never-back')!;
  // The simulation starts at the chain's height: CLTV expiries it computes are real heights.
  const sim = await Simulation.start({
    seed,
    profile,
    storeDir: opts.storeDir,
    folderPrefix: 'asyncpay-htlc-regtest-',
    clock: new VirtualClock({ height: await chain.getBlockCount() }),
  });
  const { clock, recorder, router, push } = sim;
  const base = (role: Role): NodeOptions => sim.nodeOptions(role);

  /** Mine `n` blocks and move the simulation by as many block intervals (in steps: RPCs stay short). */
  const mine = async (n: number) => {
    for (let left = n; left > 0; left -= MINE_STEP) {
      const k = Math.min(MINE_STEP, left);
      await chain.mine(k);
      await clock.advanceAsync(k * BLOCK_INTERVAL_SECONDS);
    }
  };
  /** Bring the chain up to the simulation's height (time passed off-chain). */
  const catchUp = async () => {
    const behind = clock.height() - (await chain.getBlockCount());
    if (behind > 0) await chain.mine(behind);
  };
  const mineTo = async (height: number) => {
    await catchUp();
    await mine(height - (await chain.getBlockCount()));
  };
  /** Ask bitcoind; record its verdict; if accepted, broadcast and mine one block. */
  const submit = async (what: string, tx: Tx, want: 'accept' | 'reject') => {
    const hex = tx.toHex();
    const v = await chain.testMempoolAccept(hex);
    const vbytes = v.vsize ?? tx.virtualSize();
    recorder.record({
      kind: 'chain',
      what,
      txid: v.txid,
      vbytes,
      accepted: v.allowed,
      ...(v.rejectReason === undefined ? {} : { reason: v.rejectReason }),
    });
    if (want === 'reject') {
      if (v.allowed) throw new HtlcAsyncError('CHAIN_ACCEPTED_EARLY', `bitcoind accepted the ${what}`, what);
      return { txid: v.txid, vbytes, reason: v.rejectReason ?? '' };
    }
    if (!v.allowed) {
      throw new HtlcAsyncError('CHAIN_REJECTED', `bitcoind refused the ${what}: ${v.rejectReason}`, what);
    }
    await chain.broadcast(hex);
    await mine(1);
    await chain.waitForTx(v.txid, { confirmations: 1 });
    return { txid: v.txid, vbytes };
  };

  try {
    const recipientLsp = new RecipientLsp({ ...base('recipient-lsp'), pushCa: push.ca, behaviour: 'honest' });
    const payerLsp = new PayerLsp(base('payer-lsp'));
    const recipient = new Recipient(base('recipient'));
    const payer = new Payer({ ...base('payer'), scidBetween: (a, b) => scidOf(channelIdOf(a, b)) });
    sim.name(payer, payerLsp, recipientLsp, recipient);
    LnNode.openChannel(payer, payerLsp, FORCE_CLOSE_CAPACITY_SAT * 1000n, 0n);
    LnNode.openChannel(payerLsp, recipientLsp, 2_000_000_000n, 2_000_000_000n);
    LnNode.openChannel(recipientLsp, recipient, 1_000_000_000n, 0n);

    // ——— The payer ↔ payer's LSP channel goes on chain ———
    const payerSide = payer.channelWith(payerLsp.id);
    const lspSide = payerLsp.channelWith(payer.id);
    const payerKeys = channelBasepoints(channelSecrets(payer.privkey, payerSide.channelId));
    const lspKeys = channelBasepoints(channelSecrets(payerLsp.privkey, lspSide.channelId));
    const wallet = walletKey(payer.privkey);
    const coinSat = FORCE_CLOSE_CAPACITY_SAT + FUNDING_FEE_SAT;
    const coin = await chain.fund(regtestAddress(walletScript(wallet)), coinSat);
    await mine(1);
    const funded = fundingTransaction({
      coin: { ...coin, amountSat: coinSat },
      walletPrivkey: wallet,
      fundingSat: FORCE_CLOSE_CAPACITY_SAT,
      local: payerKeys,
      remote: lspKeys,
    });
    const payerChain = payerSide.enableOnchain({
      funding: funded.funding,
      localIsFunder: true,
      remote: lspKeys,
    });
    const lspChain = lspSide.enableOnchain({
      funding: funded.funding,
      localIsFunder: false,
      remote: payerKeys,
    });
    // BOLT 2 funding_created / funding_signed: each side signs the other's commitment 0 before the
    // funding transaction is broadcast (exchanged directly here; rounds 1… cross the wire).
    const s0 = stateOf(payerSide.ledger);
    const forLsp = payerChain.signPeerCommitment(0, s0);
    lspChain.acceptSignatures(0, mirrorState(s0), forLsp.signature, forLsp.htlcSignatures);
    const forPayer = lspChain.signPeerCommitment(0, mirrorState(s0));
    payerChain.acceptSignatures(0, s0, forPayer.signature, forPayer.htlcSignatures);
    payerSide.persist();
    lspSide.persist();
    const fundingStep = await submit('funding', funded.tx, 'accept');

    // ——— The payment, held by the payer's LSP ———
    const device = new Device({
      clock,
      router,
      push,
      nodeId: recipient.id,
      role: 'recipient',
      lspNodeId: recipientLsp.nodeId,
      recorder,
    });
    recipient.registerWebhook(device.webhookUrl());
    recipient.requestOfferPaths(recipientLsp.offerPathsRequestPath(recipient.id));
    await clock.advanceAsync(60);
    const offer = recipient.readyOffer();
    if (!offer) throw new Error('setup failed: the static invoice was not persisted');
    const before = balances(payer, payerLsp, recipientLsp, recipient);
    device.goAway(scenario.recipientOfflineSeconds);
    await clock.advanceAsync(60);
    const start = clock.now();
    const paymentId = payer.pay(offer, AMOUNT_MSAT, 'thanks!');
    for (let i = 0; i < 10 && !(payerLsp.heldHtlcs().length === 1 && payerChain.latest?.n === 1); i++) {
      await clock.advanceAsync(60);
    }
    if (payerChain.latest?.state.htlcs.length !== 1) {
      throw new Error('the HTLC was not locked in on the payer’s commitment');
    }

    // ——— The payer's LSP stops answering, for good ———
    payerLsp.kill();
    recorder.record({
      kind: 'state',
      node: 'payer-lsp',
      what: 'stopped answering',
      detail: { held: payerLsp.heldHtlcs().length },
    });
    await catchUp();
    await mine(UNRESPONSIVE_BLOCKS);

    // ——— The payer goes to chain ———
    const close = forceClose(payerChain);
    const timeout = close.htlcTimeouts[0];
    if (!timeout) throw new Error('no offered HTLC output on the payer’s commitment');
    const cltvExpiry = timeout.htlcTx.htlc.cltvExpiry;
    recorder.record({
      kind: 'state',
      node: 'payer',
      what: 'force-closing: LSP unresponsive while holding our HTLC',
      detail: { commitment: close.n, cltvExpiry },
    });
    const commitStep = await submit('commitment (force-close)', close.tx, 'accept');

    await mineTo(cltvExpiry - 1);
    const early = await submit('HTLC-timeout before cltv_expiry', timeout.tx, 'reject');
    await mine(1);
    const timeoutStep = await submit('HTLC-timeout', timeout.tx, 'accept');

    const outputs = [toLocalOutput(close), htlcTimeoutOutput(timeout)].flatMap((o) => (o ? [o] : []));
    const destination = walletScript(wallet);
    const sweep = delayedSweep(
      outputs,
      destination,
      payerChain.feeratePerKw,
      close.toSelfDelay,
      close.delayedPrivkey,
    );
    // The HTLC-timeout transaction has one confirmation; BIP 68 lets the sweep into the block after
    // the one that gives it `to_self_delay`.
    await mine(close.toSelfDelay - 2);
    const earlySweep = await submit('sweep before to_self_delay', sweep.tx, 'reject');
    await mine(1);
    const sweepStep = await submit('sweep to the payer’s wallet', sweep.tx, 'accept');
    recorder.record({
      kind: 'state',
      node: 'payer',
      what: 'recovered on chain',
      detail: { sat: sweep.tx.outs[0]!.value.toString() },
    });

    const htlcOut = close.commitment.outputs.find((o) => o.kind === 'htlc_offered')!;
    const report: ForceCloseReport = {
      funding: {
        txid: fundingStep.txid,
        vbytes: fundingStep.vbytes,
        vout: funded.funding.vout,
        feeSat: coinSat - sumOuts(funded.tx),
        outputSat: sumOuts(funded.tx),
      },
      commitment: {
        ...commitStep,
        feeSat: close.commitment.feeSat,
        outputSat: sumOuts(close.tx),
        toLocalSat: toLocalOutput(close)?.amountSat ?? 0n,
        htlcSat: htlcOut.amountSat,
        commitmentNumber: close.n,
      },
      htlcTimeout: {
        ...timeoutStep,
        earlyReason: early.reason,
        feeSat: htlcOut.amountSat - sumOuts(timeout.tx),
        outputSat: sumOuts(timeout.tx),
        cltvExpiry,
      },
      sweep: {
        ...sweepStep,
        earlyReason: earlySweep.reason,
        feeSat: sweep.feeSat,
        outputSat: sumOuts(sweep.tx),
        scriptPubKey: bytesToHex(destination),
      },
      recoveredSat: sumOuts(sweep.tx),
    };
    const payment = payer.payment(paymentId);
    const transcript: Transcript = {
      scheme: 'htlc',
      scenario: 'lsp-dies-while-holding',
      seed,
      start,
      events: recorder.events,
      balances: { before, after: balances(payer, payerLsp, recipientLsp, recipient) },
      outcome: {
        settled: false,
        code: `force-closed (${payment?.status ?? 'unknown'})`,
        seconds: clock.now() - start,
      },
      proof: {
        kind: 'none',
        summary: 'The payment never completed; the payer took its HTLC back on chain through HTLC-timeout.',
        size: 0,
        binds: { payer: false, amount: false, text: false },
      },
      costs: {
        ...costsOf(recorder.events, start, [[payer, payerLsp]], clock.height()),
        onchainVbytes: commitStep.vbytes + timeoutStep.vbytes + sweepStep.vbytes,
      },
    };
    return { transcript, report };
  } finally {
    await sim.close();
  }
}

function balances(...nodes: LnNode[]): Record<Role, string> {
  return Object.fromEntries(nodes.map((n) => [n.role, n.balanceMsat().toString()])) as Record<Role, string>;
}
