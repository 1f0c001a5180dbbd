/**
 * Onion benchmarks, as ratios to one noble ECDH (`secp256k1.getSharedSecret`) measured in the same run.
 *
 * Point multiplications each case cannot avoid (its `floorUnits`):
 * - onion-message peel, forwarding hop: 4 — ECDH with the path key (blinding secret), ECDH with the
 *   blinded key and the packet's ephemeral key, the next ephemeral key, the next path key.
 * - onion-message peel, final hop: 2 — the two ECDHs (no next keys).
 * - blinded-path unblind: 2 — ECDH with the path key, the next path key.
 * - payment onion peel, forwarding hop: 2 — ECDH, the next ephemeral key.
 */
import { runBenchmarks } from '@asyncpay/testkit/bench';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { unblindHop } from '../src/onion/blinding.js';
import { buildOnionMessage, peelOnionMessage } from '../src/onion/onion-message.js';
import { constructOnion, peelOnion, publicKeyOf, scalarFromBytes } from '../src/onion/sphinx.js';

/** Runs the onion suite and prints its table. */
export async function benchOnion(): Promise<void> {
  const keys = [0x41, 0x42, 0x43].map((b) => new Uint8Array(32).fill(b));
  const ids = keys.map((k) => publicKeyOf(scalarFromBytes(k, 'k')));
  const msg = buildOnionMessage({
    path: ids,
    content: [{ type: 65n, value: new Uint8Array(100) }],
    sessionKey: new Uint8Array(32).fill(3),
    pathKeySecret: new Uint8Array(32).fill(1),
  });
  const first = peelOnionMessage(keys[0]!, msg.onionMessage);
  if (!('forward' in first)) throw new Error('bench setup: expected a forward');
  const second = peelOnionMessage(keys[1]!, first.forward.onionMessage);
  if (!('forward' in second)) throw new Error('bench setup: expected a forward');
  const finalMsg = second.forward.onionMessage;
  const hop0 = msg.route.hops[0]!;
  const payment = constructOnion({
    sessionKey: new Uint8Array(32).fill(3),
    hops: ids.map((pubkey) => ({ pubkey, payload: new Uint8Array(40).fill(1) })),
    associatedData: new Uint8Array(32),
  }).packet;

  const cases = [
    {
      name: 'onion-message peel, forwarding hop',
      fn: () => peelOnionMessage(keys[0]!, msg.onionMessage),
      floorUnits: 4,
    },
    { name: 'onion-message peel, final hop', fn: () => peelOnionMessage(keys[2]!, finalMsg), floorUnits: 2 },
    {
      name: 'blinded-path unblind (one hop)',
      fn: () => unblindHop(keys[0]!, msg.pathKey, hop0.encryptedData),
      floorUnits: 2,
    },
    {
      name: 'payment onion peel, forwarding hop',
      fn: () => peelOnion(keys[0]!, payment, { associatedData: new Uint8Array(32) }),
      floorUnits: 2,
    },
  ];
  const ecdh = () => secp256k1.getSharedSecret(keys[0]!, ids[1]!);

  await runBenchmarks('codec: BOLT 4 onions (ratio to one ECDH per unavoidable point multiplication)', {
    // A longer run than the default: the ratios are taken between tasks run one after the other.
    timeMs: 1000,
    floors: { ECDH: ecdh },
    cases: cases.map((c) => ({ ...c, floor: 'ECDH' })),
  });
  cpuTimeCheck(ecdh, cases);
}

/**
 * The same ratios from process CPU time, the floor and the cases interleaved, best of 15 rounds: on a
 * loaded machine wall-clock ratios between tasks run one after the other drift, CPU time much less.
 */
function cpuTimeCheck(
  floor: () => unknown,
  cases: { name: string; fn: () => unknown; floorUnits: number }[],
): void {
  const all = [floor, ...cases.map((c) => c.fn)];
  const best = all.map(() => Number.POSITIVE_INFINITY);
  for (let round = 0; round < 15; round++) {
    all.forEach((fn, i) => {
      const t = process.cpuUsage();
      for (let j = 0; j < 10; j++) fn();
      const d = process.cpuUsage(t);
      best[i] = Math.min(best[i]!, (d.user + d.system) / 10);
    });
  }
  const w = Math.max(...cases.map((c) => c.name.length));
  console.log(`\nCPU-time check (interleaved, best of 15): ECDH ${best[0]!.toFixed(0)} µs`);
  cases.forEach((c, i) => {
    const m = best[i + 1]!;
    const ratio = m / (best[0]! * c.floorUnits);
    console.log(
      `${c.name.padEnd(w)}  ${m.toFixed(0).padStart(8)} µs  ${ratio.toFixed(2)}× ECDH per unit (${c.floorUnits} units)`,
    );
  });
}
