/**
 * Runs the `payment_unblock` variant on the embedded default, like `runHtlc` runs the main flow: four
 * in-process nodes on a virtual clock, each with its own SQLite file, the phone's push service on
 * 127.0.0.1 over HTTPS, and every message really encoded, sent, decoded and authenticated. The
 * recipient's LSP is the main flow's `RecipientLsp` (mailbox, LSPS5 wake-ups, relay) and the phone its
 * `Device`; the payer, its LSP and the recipient are this variant's roles.
 *
 * The invoice: the recipient is online when the payer asks for it (`invoice_request` → `invoice` over
 * onion messages, signed by the recipient and verified by the payer); its phone then goes into a
 * pocket and the payment starts a minute later. The variant needs that online moment — unlike the
 * static-invoice flow — because the payment hash is the recipient's.
 *
 * @example
 * ```ts
 * const t = await runUnblock(COMPARE_MATRIX[0]!, { seed: 'demo' });
 * t.outcome.settled; // true
 * t.proof.kind; // 'preimage'
 * ```
 */
import type { VirtualClock } from '@asyncpay/ln/node/clock';
import { LnNode, type NodeOptions, scidOf } from '@asyncpay/ln/node/node';
import type { Recorder, Role, Transcript } from '@asyncpay/ln/node/transcript';
import type { RunOptions, ScenarioSpec } from '@asyncpay/ln/scheme';
import type { SqliteStore } from '@asyncpay/ln/store/sqlite';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { Device } from '../device.js';
import { PAYER_CLTV_BUDGET } from '../payer.js';
import { RecipientLsp } from '../recipient-lsp.js';
import { AMOUNT_MSAT } from '../run.js';
import { balancesOf, channelIdOf, costsOf, Simulation } from '../simulation.js';
import { attachOutsider, forgeUnblock, type Outsider, releaseWithoutPid, replayUnblock } from './outsider.js';
import { UnblockPayer } from './payer.js';
import { UnblockPayerLsp } from './payer-lsp.js';
import { preimageProof } from './proof.js';
import { UnblockRecipient } from './recipient.js';

/** Faults only tests and the demo inject, beyond the comparison's scenarios. */
export interface UnblockFaults {
  /** An outsider sends `payment_unblock_release` with a `pid` of its own while the HTLC is blocked. */
  forgeUnblock?: boolean;
  /** An outsider sends `payment_unblock_release` with no `payment_unblock` record. */
  releaseWithoutPid?: boolean;
  /** An outsider replays the genuine release (same bytes) after it was used. */
  replayUnblock?: boolean;
  /** Kill the payer's LSP this long after the payment is sent, and restart it from its file. */
  restartPayerLspAfterSeconds?: number;
  /**
   * Onion messages lost on the way, by content name (e.g. `payment_unblock_hold`): the router records
   * them `dropped` and delivers nothing.
   */
  lose?: readonly string[];
  /**
   * The recipient's process dies between marking its invoice paid and fulfilling the HTLC, and
   * restarts from its SQLite file a few seconds later.
   */
  crashRecipientMidClaim?: boolean;
}

/** A process dying at a chosen point: typed, so the node under test records it instead of rethrowing. */
class SimulatedCrash extends Error {
  readonly code = 'CRASHED';
}

interface Nodes {
  payer: UnblockPayer;
  payerLsp: UnblockPayerLsp;
  recipientLsp: RecipientLsp;
  recipient: UnblockRecipient;
}

/** Run one scenario of the `payment_unblock` variant; the transcript has the shape of `runHtlc`'s. */
export async function runUnblock(
  scenario: ScenarioSpec & { faults?: UnblockFaults },
  opts: RunOptions = {},
): Promise<Transcript> {
  const seed = opts.seed ?? 'asyncpay';
  const profile = opts.profile ?? 'ldk';
  const faults = scenario.faults ?? {};
  const sim = await Simulation.start({
    seed,
    profile,
    storeDir: opts.storeDir,
    folderPrefix: 'asyncpay-unblock-',
    keyLabel: (role) => `unblock/${role}`,
  });
  const { clock, recorder, router, push } = sim;
  const lost = new Set((faults.lose ?? []).map((name) => `onion_message: ${name}`));
  if (lost.size > 0) {
    const send = router.send.bind(router);
    router.send = (from, to, bytes, label) => {
      if (label === undefined || !lost.has(label)) return send(from, to, bytes, label);
      const role = (id: string) => sim.roleOf(id);
      recorder.record({
        kind: 'message',
        from: role(from),
        to: role(to),
        type: 513,
        name: label,
        size: bytes.length,
        hex: bytesToHex(bytes),
        fate: 'dropped',
      });
      return 'dropped';
    };
  }
  const base = (role: Role, store?: SqliteStore): NodeOptions => sim.nodeOptions(role, store);
  try {
    const recipientLsp = new RecipientLsp({
      ...base('recipient-lsp'),
      pushCa: push.ca,
      behaviour: scenario.lsp,
    });
    const payerLsp = new UnblockPayerLsp(base('payer-lsp'));
    const recipient = new UnblockRecipient(base('recipient'));
    const scidBetween = (a: string, b: string) => scidOf(channelIdOf(a, b));
    const payer = new UnblockPayer({ ...base('payer'), scidBetween });
    const nodes: Nodes = { payer, payerLsp, recipientLsp, recipient };
    sim.name(payer, payerLsp, recipientLsp, recipient);
    LnNode.openChannel(payer, payerLsp, 1_000_000_000n, 0n);
    LnNode.openChannel(payerLsp, recipientLsp, 2_000_000_000n, 2_000_000_000n);
    LnNode.openChannel(recipientLsp, recipient, 1_000_000_000n, 0n);
    if (faults.crashRecipientMidClaim) {
      // The recipient's channel with its LSP: the first fulfill is where the process dies.
      recipient.channelWith(recipientLsp.id).fulfillHtlc = () => {
        router.crash(recipient.id);
        recorder.record({ kind: 'state', node: 'recipient', what: 'crashed' });
        clock.after(5, 'recipient restarts', () => {
          nodes.recipient = new UnblockRecipient({
            ...base('recipient', sim.reopen('recipient')),
            restart: true,
          });
          recorder.record({ kind: 'state', node: 'recipient', what: 'restarted from its SQLite file' });
        });
        throw new SimulatedCrash('killed between marking the invoice paid and fulfilling');
      };
    }
    const device = new Device({
      clock,
      router,
      push,
      nodeId: recipient.id,
      role: 'recipient',
      lspNodeId: recipientLsp.nodeId,
      recorder,
    });

    // Setup, everyone online: the webhook, the offer, the hold path, and the invoice.
    recipient.registerWebhook(device.webhookUrl());
    payer.useHoldPath(payerLsp.holdRequestPath(payer.id));
    const offer = recipient.createOffer('asyncpay demo shop');
    await clock.advanceAsync(5);
    const paymentId = payer.requestInvoice(offer, AMOUNT_MSAT, 'thanks!');
    await clock.advanceAsync(55);
    if (payer.payment(paymentId)?.status !== 'invoiced') throw new Error('setup failed: no verified invoice');
    const before = balances(nodes);

    // The recipient's phone goes into a pocket; a minute later the payer pays.
    device.goAway(scenario.recipientOfflineSeconds);
    await clock.advanceAsync(60);
    const start = clock.now();
    let payError: string | undefined;
    try {
      payer.pay(paymentId);
    } catch (e) {
      payError = String((e as { code?: string }).code ?? e);
      recorder.record({
        kind: 'state',
        node: 'payer',
        what: 'refused',
        detail: { what: 'invoice', code: payError },
      });
    }
    await clock.advanceAsync(30);
    if (scenario.payerOffline) router.setOnline(payer.id, false);
    let outsider: Outsider | undefined;
    if (faults.forgeUnblock || faults.releaseWithoutPid || faults.replayUnblock)
      outsider = attachOutsider(sim, payerLsp);
    if (outsider && faults.forgeUnblock) forgeUnblock(outsider, payerLsp);
    if (outsider && faults.releaseWithoutPid) releaseWithoutPid(outsider, payerLsp);

    // Let time pass until the payment resolves (or its CLTV budget would be long gone).
    const limit = start + (PAYER_CLTV_BUDGET + 50) * 600;
    const restartAt = faults.restartPayerLspAfterSeconds;
    let restarted = false;
    let lsp = payerLsp;
    while (payError === undefined && clock.now() < limit) {
      await clock.advanceAsync(restartAt !== undefined && !restarted ? Math.min(3600, restartAt) : 3600);
      if (restartAt !== undefined && !restarted && clock.now() - start >= restartAt) {
        lsp = restartPayerLsp(lsp, sim);
        restarted = true;
      }
      // The payer's LSP resolved the HTLC (settled downstream, or failed back): the payer comes back.
      const resolvedAtLsp = nodes.recipient.received.size > 0 || lsp.blockedHtlcs().length === 0;
      if (scenario.payerOffline && resolvedAtLsp && !router.isOnline(payer.id))
        router.setOnline(payer.id, true);
      const status = payer.payment(paymentId)?.status;
      if (status === 'settled' || status === 'failed' || status === 'refused') break;
    }
    if (outsider && faults.replayUnblock) replayUnblock(outsider, recorder, lsp);
    await clock.advanceAsync(60);
    nodes.payerLsp = lsp;
    return transcript({ scenario, seed, start, recorder, nodes, before, paymentId, payError, clock });
  } finally {
    await sim.close();
  }
}

function balances(n: Nodes): Record<Role, string> {
  return balancesOf(n.payer, n.payerLsp, n.recipientLsp, n.recipient);
}

function restartPayerLsp(old: UnblockPayerLsp, sim: Simulation): UnblockPayerLsp {
  old.kill();
  sim.recorder.record({
    kind: 'state',
    node: 'payer-lsp',
    what: 'crashed',
    detail: { held: old.blockedHtlcs().length },
  });
  const lsp = new UnblockPayerLsp({
    ...sim.nodeOptions('payer-lsp', sim.reopen('payer-lsp')),
    restart: true,
  });
  sim.recorder.record({
    kind: 'state',
    node: 'payer-lsp',
    what: 'restarted from its SQLite file',
    detail: { held: lsp.blockedHtlcs().length },
  });
  return lsp;
}

function transcript(a: {
  scenario: ScenarioSpec;
  seed: string;
  start: number;
  recorder: Recorder;
  nodes: Nodes;
  before: Record<Role, string>;
  paymentId: string;
  payError: string | undefined;
  clock: VirtualClock;
}): Transcript {
  const { nodes, recorder } = a;
  const p = nodes.payer.payment(a.paymentId);
  const claimed = recorder.events.find(
    (e) => e.kind === 'state' && e.node === 'recipient' && e.what === 'claimed payment',
  );
  const settled = p?.status === 'settled';
  return {
    scheme: 'unblock',
    scenario: a.scenario.id,
    seed: a.seed,
    start: a.start,
    events: recorder.events,
    balances: { before: a.before, after: balances(nodes) },
    outcome: {
      settled,
      ...(settled ? {} : { code: a.payError ?? p?.failure ?? p?.status ?? 'unresolved' }),
      seconds: (claimed?.t ?? p?.doneAt ?? a.clock.now()) - a.start,
    },
    proof:
      settled && p.preimage && p.invoice
        ? preimageProof(hexToBytes(p.preimage), hexToBytes(p.invoice))
        : {
            kind: 'none',
            summary: 'The payment did not settle: the payer holds no preimage.',
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
