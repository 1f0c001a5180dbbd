/**
 * Runs the HTLC scheme on the embedded default: four in-process nodes on a virtual clock, each with
 * its own SQLite file, the phone's push service on 127.0.0.1, and every message really encoded, sent,
 * decoded and authenticated. Returns the transcript.
 *
 * ```ts
 * const t = await runHtlc(COMPARE_MATRIX[0]!, { seed: 'demo' });
 * t.outcome.settled; // true
 * ```
 */
import { encodeAsyncMessage } from '@asyncpay/codec/async/message';
import type { VirtualClock } from '@asyncpay/ln/node/clock';
import { LnNode, scidOf } from '@asyncpay/ln/node/node';
import type { Faults } from '@asyncpay/ln/node/router';
import type { Recorder, Role, Transcript } from '@asyncpay/ln/node/transcript';
import type { RunOptions, ScenarioSpec } from '@asyncpay/ln/scheme';
import { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { hexToBytes } from '@noble/hashes/utils.js';
import { Device } from './device.js';
import { PAYER_CLTV_BUDGET, Payer } from './payer.js';
import { PayerLsp } from './payer-lsp.js';
import { Recipient } from './recipient.js';
import { RecipientLsp } from './recipient-lsp.js';
import { balancesOf, channelIdOf, costsOf, Simulation } from './simulation.js';

/** What the payer pays in every scenario: 50,000 sat. */
export const AMOUNT_MSAT = 50_000_000n;

/** Faults only tests and the demo inject, beyond the comparison's scenarios. */
export interface HtlcFaults {
  /** Kill the payer's LSP this long after the payment is sent, and restart it from its file. */
  restartPayerLspAfterSeconds?: number;
  /** An outsider sends `release_held_htlc` over a path it made itself. */
  forgeRelease?: boolean;
  /** An outsider replays the genuine `release_held_htlc` after it was used. */
  replayRelease?: boolean;
  /** The payer tries to pay this long after the offer was made (seconds). */
  payAfterSeconds?: number;
  /** The server's offer paths (and so the offer) expire this soon (seconds). */
  offerLifetimeSeconds?: number;
  /** The recipient stays online when the payer pays (its server then forwards the invoice request). */
  recipientOnline?: boolean;
  /** The recipient's LSP answers invoice requests this many seconds late. */
  staticInvoiceDelaySeconds?: number;
  /** The payer's fee budget, in msat (default: 1% + 10 sat). */
  payerMaxFeeMsat?: bigint;
  /** How many payments to make at once to the same offer (default 1); the transcript follows the first. */
  payments?: number;
  /** Seeded faults on onion messages once the payment starts: drop, duplicate, delay (reorder). */
  network?: Faults;
}

class Outsider extends LnNode {}

interface Nodes {
  payer: Payer;
  payerLsp: PayerLsp;
  recipientLsp: RecipientLsp;
  recipient: Recipient;
}

/** Run one scenario of the HTLC scheme. */
export async function runHtlc(
  scenario: ScenarioSpec & { faults?: HtlcFaults },
  opts: RunOptions = {},
): Promise<Transcript> {
  const faults: Faults = {};
  const sim = await Simulation.start({
    seed: opts.seed,
    profile: opts.profile,
    storeDir: opts.storeDir,
    folderPrefix: 'asyncpay-htlc-',
    faults,
  });
  const { seed, profile, clock, recorder, router, push } = sim;
  const base = (role: Role) => sim.nodeOptions(role);
  try {
    const recipientLsp = new RecipientLsp({
      ...base('recipient-lsp'),
      pushCa: push.ca,
      behaviour: scenario.lsp,
      ...(scenario.faults?.staticInvoiceDelaySeconds
        ? { staticInvoiceDelaySeconds: scenario.faults.staticInvoiceDelaySeconds }
        : {}),
      ...(scenario.faults?.offerLifetimeSeconds
        ? { offerPathsLifetimeSeconds: scenario.faults.offerLifetimeSeconds }
        : {}),
    });
    const payerLsp = new PayerLsp(base('payer-lsp'));
    const recipient = new Recipient(base('recipient'));
    const scidBetween = (a: string, b: string) => scidOf(channelIdOf(a, b));
    const maxFee = scenario.faults?.payerMaxFeeMsat;
    const payer = new Payer({
      ...base('payer'),
      scidBetween,
      ...(maxFee !== undefined ? { maxFeeMsat: () => maxFee } : {}),
    });
    const nodes: Nodes = { payer, payerLsp, recipientLsp, recipient };
    sim.name(payer, payerLsp, recipientLsp, recipient);
    LnNode.openChannel(payer, payerLsp, 1_000_000_000n, 0n);
    LnNode.openChannel(payerLsp, recipientLsp, 2_000_000_000n, 2_000_000_000n);
    LnNode.openChannel(recipientLsp, recipient, 1_000_000_000n, 0n);
    const device = new Device({
      clock,
      router,
      push,
      nodeId: recipient.id,
      role: 'recipient',
      lspNodeId: recipientLsp.nodeId,
      recorder,
    });

    // Setup, recipient online: webhook, then the static invoice served by its LSP.
    recipient.registerWebhook(device.webhookUrl());
    recipient.requestOfferPaths(recipientLsp.offerPathsRequestPath(recipient.id));
    await clock.advanceAsync(60);
    const offer = recipient.readyOffer();
    if (!offer) throw new Error('setup failed: the static invoice was not persisted');
    const before = balances(nodes);

    // The phone goes into a pocket; later someone pays.
    if (!scenario.faults?.recipientOnline) device.goAway(scenario.recipientOfflineSeconds);
    await clock.advanceAsync(scenario.faults?.payAfterSeconds ?? 60);
    const start = clock.now();
    Object.assign(faults, scenario.faults?.network ?? {});
    const paymentIds: string[] = [];
    let payError: string | undefined;
    try {
      for (let i = 0; i < (scenario.faults?.payments ?? 1); i++)
        paymentIds.push(payer.pay(offer, AMOUNT_MSAT, 'thanks!'));
    } catch (e) {
      payError = String((e as { code?: string }).code ?? e);
      recorder.record({
        kind: 'state',
        node: 'payer',
        what: 'refused',
        detail: { what: 'offer', code: payError },
      });
    }
    await clock.advanceAsync(30);
    if (scenario.payerOffline) router.setOnline(payer.id, false);
    const outsider =
      scenario.faults?.forgeRelease || scenario.faults?.replayRelease
        ? attachOutsider(sim, payerLsp)
        : undefined;
    if (outsider && scenario.faults?.forgeRelease) forgeRelease(outsider, payerLsp, profile);

    // Let time pass until the payment resolves (or its CLTV budget would be long gone).
    const limit = start + (PAYER_CLTV_BUDGET + 50) * 600;
    let restarted = false;
    let lsp: PayerLsp = payerLsp;
    const restartAt = scenario.faults?.restartPayerLspAfterSeconds;
    const done = (id: string) => ['settled', 'failed', 'refused'].includes(payer.payment(id)?.status ?? '');
    while (paymentIds.length > 0 && clock.now() < limit) {
      await clock.advanceAsync(restartAt !== undefined && !restarted ? Math.min(3600, restartAt) : 3600);
      if (restartAt !== undefined && !restarted && clock.now() - start >= restartAt) {
        lsp = restartPayerLsp(lsp, sim);
        restarted = true;
      }
      const resolvedAtLsp =
        recipient.received.size > 0 || (lsp.heldCount() === 0 && clock.now() - start > 7200);
      if (scenario.payerOffline && resolvedAtLsp && !router.isOnline(payer.id))
        router.setOnline(payer.id, true);
      if (paymentIds.every(done)) break;
    }
    if (outsider && scenario.faults?.replayRelease) replayRelease(outsider, recorder, lsp);
    await clock.advanceAsync(60);
    nodes.payerLsp = lsp;
    return transcript({
      scenario,
      seed,
      start,
      recorder,
      nodes,
      before,
      paymentId: paymentIds[0],
      payError,
      clock,
    });
  } finally {
    await sim.close();
  }
}

function balances(n: Nodes): Record<Role, string> {
  return balancesOf(n.payer, n.payerLsp, n.recipientLsp, n.recipient);
}

function restartPayerLsp(old: PayerLsp, sim: Simulation): PayerLsp {
  old.kill();
  sim.recorder.record({
    kind: 'state',
    node: 'payer-lsp',
    what: 'crashed',
    detail: { held: old.heldCount() },
  });
  const lsp = new PayerLsp({ ...sim.nodeOptions('payer-lsp', sim.reopen('payer-lsp')), restart: true });
  sim.recorder.record({
    kind: 'state',
    node: 'payer-lsp',
    what: 'restarted from its SQLite file',
    detail: { held: lsp.heldCount() },
  });
  return lsp;
}

function attachOutsider(sim: Simulation, lsp: PayerLsp): Outsider {
  const o = new Outsider(sim.nodeOptions('outsider', SqliteStore.open(':memory:')));
  sim.name(o);
  sim.router.link(o.id, lsp.id);
  return o;
}

/** An outsider makes its own path to the payer's LSP and asks it to release. */
function forgeRelease(o: Outsider, lsp: PayerLsp, profile: 'ldk' | 'spec'): void {
  o.sendOnionMessage(
    {
      path: [lsp.nodeId],
      pathId: new Uint8Array(48).fill(7),
      content: [encodeAsyncMessage({ kind: 'release_held_htlc' }, profile)],
    },
    'release_held_htlc (forged)',
  );
}

/** An outsider who recorded the genuine release message sends the same bytes again. */
function replayRelease(o: Outsider, recorder: Recorder, lsp: PayerLsp): void {
  // The bytes the payer's LSP received just before it released: the recipient's message, as relayed.
  const released = recorder.events.findIndex(
    (e) => e.kind === 'state' && e.node === 'payer-lsp' && e.what === 'reply: release_held_htlc',
  );
  const genuine = recorder.events
    .slice(0, Math.max(0, released))
    .reverse()
    .find((e) => e.kind === 'message' && e.to === 'payer-lsp' && e.type === 513);
  if (genuine?.kind !== 'message') return;
  o.router.send(o.id, lsp.id, hexToBytes(genuine.hex), 'onion_message: release_held_htlc (replayed)');
}

function transcript(a: {
  scenario: ScenarioSpec;
  seed: string;
  start: number;
  recorder: Recorder;
  nodes: Nodes;
  before: Record<Role, string>;
  paymentId: string | undefined;
  payError: string | undefined;
  clock: VirtualClock;
}): Transcript {
  const { nodes, recorder } = a;
  const p = a.paymentId ? nodes.payer.payment(a.paymentId) : undefined;
  const claimed = recorder.events.find(
    (e) => e.kind === 'state' && e.node === 'recipient' && e.what === 'claimed payment',
  );
  return {
    scheme: 'htlc',
    scenario: a.scenario.id,
    seed: a.seed,
    start: a.start,
    events: recorder.events,
    balances: { before: a.before, after: balances(nodes) },
    outcome: {
      settled: p?.status === 'settled',
      ...(p?.status === 'settled' ? {} : { code: a.payError ?? p?.failure ?? p?.status ?? 'unresolved' }),
      seconds: (claimed?.t ?? p?.doneAt ?? a.clock.now()) - a.start,
    },
    proof:
      p?.status === 'settled' && p.invoice && p.proofPreimage
        ? {
            kind: 'preimage',
            summary:
              "The recipient was online and its fresh invoice came first: the recipient's own preimage and its signed invoice prove the payment.",
            hex: p.proofPreimage + p.invoice,
            size: (p.proofPreimage.length + p.invoice.length) / 2,
            binds: { payer: false, amount: true, text: true },
          }
        : {
            kind: 'none',
            summary: 'The payer chose the preimage itself: holding it proves nothing about the recipient.',
            size: 0,
            binds: { payer: false, amount: false, text: false },
          },
    costs: costsOf(
      recorder.events,
      a.start,
      [
        [nodes.payer, nodes.payerLsp],
        [nodes.payerLsp, nodes.recipientLsp],
        [nodes.recipientLsp, nodes.recipient],
      ],
      a.clock.height(),
    ),
  };
}
