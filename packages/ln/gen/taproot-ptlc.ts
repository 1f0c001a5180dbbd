/**
 * Generator of `vectors/taproot-ptlc.json`: this project's taproot PTLC outputs (see
 * `src/taproot/SCRIPTS.md`) on one deterministic commitment of Alice (the funder, secrets 0x41…) with
 * Bob (0x42…): keys, scripts, the MuSig2-signed commitment, and every PTLC spend — claim-PTLC-success
 * completed from an adaptor pre-signature, PTLC-timeout, PTLC-success, claim-PTLC-timeout — with their
 * sighashes and signatures. Nonces and signature randomness are fixed, so every value is reproducible.
 * Values are keyed by the formula that produced them; invalid cases carry `error: { code }`.
 *
 * @example
 * ```ts
 * import { vectors } from './taproot-ptlc.js';
 * const scenario = vectors[0]!.generate();
 * ```
 * @module
 */
import { adaptorPoint } from '@asyncpay/crypto/adaptor';
import { nonceAgg, nonceGen } from '@asyncpay/crypto/musig2/nonce';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { obscuringFactor } from '../src/bolt3/commitment.js';
import {
  derivePrivkey,
  derivePubkey,
  deriveRevocationPubkey,
  perCommitmentPoint,
  pubkeyOf,
} from '../src/bolt3/keys.js';
import { p2wpkh } from '../src/bolt3/scripts.js';
import { FIRST_SECRET_INDEX, generateFromSeed } from '../src/bolt3/shachain.js';
import { LnError } from '../src/errors.js';
import {
  buildTaprootCommitment,
  type CommitmentPtlc,
  commitmentSighash,
  finalizeTaprootCommitment,
} from '../src/taproot/commitment.js';
import {
  aggregateKeyPath,
  partialSignKeyPath,
  taprootFundingOutput,
  verifyPartialKeyPath,
} from '../src/taproot/musig.js';
import {
  buildClaimPtlcSuccess,
  buildClaimPtlcTimeout,
  buildPtlcSuccess,
  buildPtlcTimeout,
  completePtlcPresig,
  extractPtlcSecret,
  finalizePtlcSpend,
  finalizeSingleSigSpend,
  type PtlcSpend,
  presignPtlc,
  signPtlcSpend,
  verifyPtlcPresig,
} from '../src/taproot/spends.js';
import type { TaprootOutput } from '../src/taproot/taptree.js';

const hex = bytesToHex;
const secret = (byte: number, role: number): Uint8Array => {
  const k = new Uint8Array(32).fill(byte);
  k[31] = role;
  return k;
};
/** Roles: the last byte of each secret (the rest repeats 0x41 for Alice, 0x42 for Bob). */
const ROLES = { funding: 1, payment: 2, ptlc: 3, delayed: 4, revocation: 5, seed: 6 } as const;
const person = (byte: number) =>
  Object.fromEntries(Object.entries(ROLES).map(([role, tag]) => [role, secret(byte, tag)])) as Record<
    keyof typeof ROLES,
    Uint8Array
  >;
/** Fixed 32-byte randomness: BIP-327 `rand'` of each signer, and BIP-340 / adaptor `aux_rand`. */
const RAND = {
  alice: new Uint8Array(32).fill(0x01),
  bob: new Uint8Array(32).fill(0x02),
  aux: new Uint8Array(32),
};

function describeOutput(out: TaprootOutput, names: readonly string[]): Record<string, unknown> {
  return {
    internal_key: hex(out.internalKey),
    leaves: Object.fromEntries(names.map((n, i) => [n, hex(out.leaves[i]!)])),
    leaf_hashes: Object.fromEntries(names.map((n, i) => [n, hex(out.leafHashes[i]!)])),
    tapscript_root: out.merkleRoot === undefined ? null : hex(out.merkleRoot),
    output_key: hex(out.outputKey),
    pkscript: hex(out.scriptPubKey),
    control_blocks: Object.fromEntries(names.map((n, i) => [n, hex(out.controlBlock(i))])),
  };
}

function spendBase(s: PtlcSpend): Record<string, unknown> {
  return { vout: s.prevout.vout, leaf: s.leaf, unsigned_tx: s.tx.toHex(), sighash: hex(s.sighash) };
}

/** Builds the scenario; every value is recomputed from the fixed inputs. */
export function taprootPtlcScenario(): Record<string, unknown> {
  const alice = person(0x41);
  const bob = person(0x42);
  const pub = (k: Uint8Array) => pubkeyOf(k);
  // Alice's commitment number 0
  const pcs = generateFromSeed(alice.seed, FIRST_SECRET_INDEX);
  const pcp = perCommitmentPoint(pcs);
  const keys = {
    revocationPubkey: deriveRevocationPubkey(pub(bob.revocation), pcp),
    localDelayedPubkey: derivePubkey(pub(alice.delayed), pcp),
    remotePaymentPubkey: pub(bob.payment),
    localPtlcPubkey: derivePubkey(pub(alice.ptlc), pcp),
    remotePtlcPubkey: derivePubkey(pub(bob.ptlc), pcp),
  };
  const alicePtlcSk = derivePrivkey(alice.ptlc, pcp);
  const bobPtlcSk = derivePrivkey(bob.ptlc, pcp);
  const fundingKey = taprootFundingOutput(pub(alice.funding), pub(bob.funding));
  const funding = {
    txid: hex(sha256(utf8ToBytes('asyncpay taproot-ptlc funding transaction'))),
    vout: 0,
    amountSat: 1_000_000n,
    key: fundingKey,
  };
  const t1 = secret(0x71, 0x01);
  const t2 = secret(0x72, 0x02);
  const offered: CommitmentPtlc = {
    direction: 'offered',
    amountMsat: 50_000_000n,
    paymentPoint: adaptorPoint(t1),
    cltvExpiry: 500,
    id: 0,
  };
  const received: CommitmentPtlc = {
    direction: 'received',
    amountMsat: 40_000_000n,
    paymentPoint: adaptorPoint(t2),
    cltvExpiry: 600,
    id: 1,
  };
  const spec = {
    funding,
    commitmentNumber: 0n,
    obscuringFactor: obscuringFactor(pub(alice.payment), pub(bob.payment)),
    toSelfDelay: 144,
    dustLimitSat: 330n,
    feeratePerKw: 2_500n,
    toLocalMsat: 600_000_000n,
    toRemoteMsat: 310_000_000n,
    localIsFunder: true,
    ptlcs: [offered, received],
    keys,
  };
  const c = buildTaprootCommitment(spec);

  // MuSig2 on the commitment (KeySort order)
  const msg = commitmentSighash(c);
  const signers = fundingKey.pubkeys.map((pk) =>
    hex(pk) === hex(pub(alice.funding))
      ? { name: 'alice', sk: alice.funding, rand: RAND.alice }
      : { name: 'bob', sk: bob.funding, rand: RAND.bob },
  );
  const nonces = signers.map((s, i) =>
    nonceGen({
      pk: fundingKey.pubkeys[i]!,
      sk: s.sk,
      aggpk: fundingKey.output.outputKey.subarray(1),
      msg,
      rand: s.rand,
    }),
  );
  const pubnonces = nonces.map((n) => n.pubnonce);
  const aggnonce = nonceAgg(pubnonces);
  const psigs = signers.map((s, i) =>
    partialSignKeyPath(fundingKey, msg, aggnonce, Uint8Array.from(nonces[i]!.secnonce), s.sk),
  );
  const signature = aggregateKeyPath(fundingKey, msg, aggnonce, psigs);
  const signed = finalizeTaprootCommitment(c, signature);
  const vout = (kind: string) => c.outputs.findIndex((o) => o.kind === kind);

  // claim-PTLC-success: Alice's adaptor pre-signature, completed by Bob with t1
  const claim = buildClaimPtlcSuccess(c, vout('ptlc_offered'), p2wpkh(pub(bob.payment)));
  const claimPre = presignPtlc(claim, alicePtlcSk, RAND.aux);
  const claimBob = signPtlcSpend(claim, bobPtlcSk, RAND.aux);
  const claimAdapted = completePtlcPresig(claimPre, t1);
  const claimTx = finalizePtlcSpend(claim, claimAdapted, claimBob);
  // PTLC-timeout: Bob's pre-signed signature, Alice's signature
  const timeout = buildPtlcTimeout(c, vout('ptlc_offered'));
  const timeoutBob = signPtlcSpend(timeout, bobPtlcSk, RAND.aux);
  const timeoutAlice = signPtlcSpend(timeout, alicePtlcSk, RAND.aux);
  // PTLC-success (received): Bob's adaptor pre-signature, completed by Alice with t2
  const success = buildPtlcSuccess(c, vout('ptlc_received'));
  const successPre = presignPtlc(success, bobPtlcSk, RAND.aux);
  const successAlice = signPtlcSpend(success, alicePtlcSk, RAND.aux);
  const successAdapted = completePtlcPresig(successPre, t2);
  const successTx = finalizePtlcSpend(success, successAdapted, successAlice);
  // claim-PTLC-timeout (received): Bob alone after cltv_expiry
  const claimTimeout = buildClaimPtlcTimeout(c, vout('ptlc_received'), p2wpkh(pub(bob.payment)));
  const claimTimeoutBob = signPtlcSpend(claimTimeout, bobPtlcSk, RAND.aux);

  const errorOf = (f: () => void): { code: string } => {
    try {
      f();
    } catch (e) {
      if (e instanceof LnError) return { code: e.code };
      throw e;
    }
    throw new Error('expected a refusal');
  };
  const po = c.outputs[vout('ptlc_offered')]!;
  const pr = c.outputs[vout('ptlc_received')]!;
  return {
    description: "Alice's taproot commitment 0 with one offered and one received PTLC, and every PTLC spend",
    inputs: {
      secrets: 'role secret = 32 bytes of 0x41 (Alice) or 0x42 (Bob) with the last byte set to the role tag',
      role_tags: ROLES,
      funding: { txid: funding.txid, vout: funding.vout, amount_sat: funding.amountSat },
      to_self_delay: spec.toSelfDelay,
      dust_limit_sat: spec.dustLimitSat,
      feerate_per_kw: spec.feeratePerKw,
      to_local_msat: spec.toLocalMsat,
      to_remote_msat: spec.toRemoteMsat,
      ptlcs: [offered, received].map((p, i) => ({
        direction: p.direction,
        amount_msat: p.amountMsat,
        cltv_expiry: p.cltvExpiry,
        payment_secret: hex(i === 0 ? t1 : t2),
        'payment_point = t·G': hex(p.paymentPoint),
      })),
      "rand' (BIP-327)": { alice: hex(RAND.alice), bob: hex(RAND.bob) },
      aux_rand: hex(RAND.aux),
    },
    keys: {
      'per_commitment_secret = generate_from_seed(alice_seed, 2^48 - 1)': hex(pcs),
      per_commitment_point: hex(pcp),
      'revocationpubkey (bob revocation basepoint)': hex(keys.revocationPubkey),
      local_delayedpubkey: hex(keys.localDelayedPubkey),
      'remotepubkey (bob payment basepoint)': hex(keys.remotePaymentPubkey),
      local_ptlcpubkey: hex(keys.localPtlcPubkey),
      remote_ptlcpubkey: hex(keys.remotePtlcPubkey),
      'funding keys (KeySort order)': fundingKey.pubkeys.map(hex),
      'funding internal key = KeyAgg(...)': hex(fundingKey.internalKey),
      funding_pkscript: hex(fundingKey.scriptPubKey),
    },
    scripts: {
      'offered_ptlc (internal key = KeyAgg(revocationpubkey, remote_ptlcpubkey))': describeOutput(
        po.taproot,
        ['timeout', 'success'],
      ),
      'received_ptlc (internal key = KeyAgg(revocationpubkey, remote_ptlcpubkey))': describeOutput(
        pr.taproot,
        ['success', 'timeout'],
      ),
      second_level: describeOutput(timeout.secondLevel!, ['settle']),
    },
    commitment: {
      unsigned_tx: c.tx.toHex(),
      fee_sat: c.feeSat,
      outputs: c.outputs.map((o) => o.kind),
      'sighash (key path, SIGHASH_DEFAULT)': hex(msg),
      'pubnonces (KeySort order)': pubnonces.map(hex),
      aggnonce: hex(aggnonce),
      'psigs (KeySort order)': psigs.map(hex),
      signature: hex(signature),
      signed_tx: signed.toHex(),
    },
    claim_ptlc_success: {
      ...spendBase(claim),
      'alice presig = presign(alice_ptlc_sk, sighash, T1, aux_rand)': hex(claimPre),
      bob_sig: hex(claimBob),
      'adapted = adapt(presig, t1)': hex(claimAdapted),
      signed_tx: claimTx.toHex(),
      'extracted = extract(adapted, presig)': hex(extractPtlcSecret(claim, claimPre, claimTx, 1)),
    },
    ptlc_timeout: {
      ...spendBase(timeout),
      locktime: timeout.tx.locktime,
      bob_sig: hex(timeoutBob),
      alice_sig: hex(timeoutAlice),
      signed_tx: finalizePtlcSpend(timeout, timeoutBob, timeoutAlice).toHex(),
    },
    ptlc_success: {
      ...spendBase(success),
      'bob presig = presign(bob_ptlc_sk, sighash, T2, aux_rand)': hex(successPre),
      alice_sig: hex(successAlice),
      'adapted = adapt(presig, t2)': hex(successAdapted),
      signed_tx: successTx.toHex(),
      'extracted = extract(adapted, presig)': hex(extractPtlcSecret(success, successPre, successTx, 1)),
    },
    claim_ptlc_timeout: {
      ...spendBase(claimTimeout),
      locktime: claimTimeout.tx.locktime,
      bob_sig: hex(claimTimeoutBob),
      signed_tx: finalizeSingleSigSpend(claimTimeout, claimTimeoutBob).toHex(),
    },
    invalid: [
      {
        description: 'claim-PTLC-success pre-signature made for the other payment point',
        error: errorOf(() =>
          verifyPtlcPresig(claim, presignPtlc(success, alicePtlcSk, RAND.aux), keys.localPtlcPubkey),
        ),
      },
      {
        description: "Alice's commitment partial signature checked as Bob's",
        error: errorOf(() =>
          verifyPartialKeyPath(
            fundingKey,
            msg,
            pubnonces,
            psigs[signers.findIndex((s) => s.name === 'alice')]!,
            pub(bob.funding),
          ),
        ),
      },
    ],
  };
}

/** The vector files this module writes (see `scripts/vectors.ts`). */
export const vectors = [
  {
    file: 'taproot-ptlc.json',
    generate: () => ({
      comment:
        'asyncpay taproot PTLC outputs (packages/ln/src/taproot/SCRIPTS.md): one commitment and every PTLC spend. Not a BOLT: PTLCs have no specification yet.',
      scenarios: [taprootPtlcScenario()],
    }),
  },
];
