import { readOurJson, vectorSuite } from '@asyncpay/testkit/vectors';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  errorCode,
  recordFromHex,
  recordHex,
  revokeAndAckJson,
  updateAddHtlcJson,
} from '../gen/async-messages.js';
import { describeAsyncMessage } from '../src/async/describe.js';
import { encodeAsyncMessage } from '../src/async/message.js';
import {
  checkUnblock,
  decodePaymentUnblockAvailable,
  decodePaymentUnblockHold,
  decodePaymentUnblockRelease,
  encodePaymentUnblockAvailable,
  encodePaymentUnblockHold,
  encodePaymentUnblockRelease,
  paymentUnblockEncryptedDataTlvs,
} from '../src/async/payment-unblock.js';
import { fromHex, toHex } from '../src/bytes.js';
import type { WireProfile } from '../src/profile.js';
import { decodeTlvStream, encodeTlvStream } from '../src/tlv.js';
import { paymentOnionExtras } from '../src/wire/payment-onion-extras.js';
import {
  decodeRevokeAndAck,
  encodeReleasePathsRecord,
  encodeRevokeAndAck,
} from '../src/wire/revoke-and-ack.js';
import { decodeUpdateAddHtlc, encodeUpdateAddHtlc, holdHtlcType } from '../src/wire/update-add-htlc.js';

const FILE = 'async-payment-messages.json';

interface Case {
  description: string;
  valid: boolean;
  profile: WireProfile;
  hex: string;
  error?: { code: string };
  [k: string]: unknown;
}
interface File {
  onion_messages: (Case & { message: string; type: string; inner: string; fields: unknown[] })[];
  update_add_htlc: (Case & { hold_htlc_record: string | null; fields: Record<string, unknown> })[];
  revoke_and_ack: (Case & { release_paths_record: string | null; fields: Record<string, unknown> })[];
  payment_onion_extras: {
    profile: WireProfile;
    invoice_request_type: string;
    invoice_request: string;
    sender_provided_payment_preimage: string;
    'sha256(sender_provided_payment_preimage)': string;
    hex: string;
  }[];
  payment_unblock: {
    pid: string;
    'sha256(pid)': string;
    cases: { description: string; message: string; valid: boolean; hex: string; error?: { code: string } }[];
    release_checks: {
      description: string;
      pid: string;
      unblock_hash: string;
      valid: boolean;
      error?: { code: string };
    }[];
  };
}

const v = readOurJson<File>(FILE);
/** Compare as JSON (bigints as decimal strings), the way the generator writes. */
const json = (x: unknown) =>
  JSON.parse(JSON.stringify(x, (_k, y) => (typeof y === 'bigint' ? y.toString() : y)));

describe(vectorSuite('ours', `${FILE} onion_messages`, v.onion_messages.length), () => {
  it.each(v.onion_messages)('$description', (c) => {
    const record = recordFromHex(c.hex);
    if (!c.valid) {
      expect(errorCode(() => describeAsyncMessage(record, c.profile))).toBe(c.error!.code);
      return;
    }
    const view = describeAsyncMessage(record, c.profile)!;
    expect(view.kind).toBe(c.message);
    expect(view.type).toBe(c.type);
    expect(view.inner).toBe(c.inner);
    expect(json(view.fields)).toEqual(c.fields);
    expect(recordHex(encodeAsyncMessage(view.message, c.profile))).toBe(c.hex);
  });
});

describe(vectorSuite('ours', `${FILE} update_add_htlc`, v.update_add_htlc.length), () => {
  it.each(v.update_add_htlc)('$description', (c) => {
    if (!c.valid) {
      expect(errorCode(() => decodeUpdateAddHtlc(fromHex(c.hex), c.profile))).toBe(c.error!.code);
      return;
    }
    const m = decodeUpdateAddHtlc(fromHex(c.hex), c.profile);
    expect(json(updateAddHtlcJson(m))).toEqual(c.fields);
    expect(toHex(encodeUpdateAddHtlc(m, c.profile))).toBe(c.hex);
    if (c.hold_htlc_record) {
      expect(c.hold_htlc_record).toBe(c.profile === 'ldk' ? 'fe0001271100' : '0200');
      expect(c.hex.endsWith(c.hold_htlc_record)).toBe(true);
      expect(holdHtlcType(c.profile)).toBe(c.profile === 'ldk' ? 75537n : 2n);
    }
  });
});

describe(vectorSuite('ours', `${FILE} revoke_and_ack`, v.revoke_and_ack.length), () => {
  it.each(v.revoke_and_ack)('$description', (c) => {
    if (!c.valid) {
      expect(errorCode(() => decodeRevokeAndAck(fromHex(c.hex), c.profile))).toBe(c.error!.code);
      return;
    }
    const m = decodeRevokeAndAck(fromHex(c.hex), c.profile);
    expect(json(revokeAndAckJson(m))).toEqual(c.fields);
    expect(toHex(encodeRevokeAndAck(m, c.profile))).toBe(c.hex);
    if (c.release_paths_record) {
      expect(recordHex(encodeReleasePathsRecord(m.releasePaths!, c.profile))).toBe(c.release_paths_record);
      expect(c.hex.endsWith(c.release_paths_record)).toBe(true);
    }
  });
});

describe(vectorSuite('ours', `${FILE} payment_onion_extras`, v.payment_onion_extras.length), () => {
  it.each(v.payment_onion_extras)('$profile: invoice_request and sender-provided preimage', (c) => {
    const table = paymentOnionExtras(c.profile);
    expect(table.invoice_request.type.toString()).toBe(c.invoice_request_type);
    const { values } = decodeTlvStream(fromHex(c.hex), table);
    expect(toHex(values.invoice_request!)).toBe(c.invoice_request);
    expect(toHex(values.sender_provided_payment_preimage!)).toBe(c.sender_provided_payment_preimage);
    expect(toHex(sha256(values.sender_provided_payment_preimage!))).toBe(
      c['sha256(sender_provided_payment_preimage)'],
    );
    expect(toHex(encodeTlvStream(table, values))).toBe(c.hex);
  });
});

describe(vectorSuite('ours', `${FILE} payment_unblock`, v.payment_unblock.cases.length), () => {
  const u = v.payment_unblock;
  it('derives the unblock hash as sha256(pid)', () => {
    expect(toHex(sha256(fromHex(u.pid)))).toBe(u['sha256(pid)']);
  });

  it.each(u.cases)('$description', (c) => {
    const decoders = {
      payment_unblock_hold: (hex: string) =>
        encodePaymentUnblockHold(decodePaymentUnblockHold(recordFromHex(hex))),
      payment_unblock_available: (hex: string) =>
        encodePaymentUnblockAvailable(decodePaymentUnblockAvailable(recordFromHex(hex))),
      payment_unblock_release: (hex: string) =>
        encodePaymentUnblockRelease(decodePaymentUnblockRelease(recordFromHex(hex))),
    } as const;
    if (c.message === 'encrypted_data_tlv') {
      const { values } = decodeTlvStream(fromHex(c.hex), paymentUnblockEncryptedDataTlvs);
      expect(toHex(values.payment_unblock!)).toBe(u.pid);
      expect(toHex(encodeTlvStream(paymentUnblockEncryptedDataTlvs, values))).toBe(c.hex);
      return;
    }
    const roundTrip = decoders[c.message as keyof typeof decoders];
    if (!c.valid) {
      expect(errorCode(() => roundTrip(c.hex))).toBe(c.error!.code);
      return;
    }
    expect(recordHex(roundTrip(c.hex))).toBe(c.hex);
  });

  it.each(u.release_checks)('release check: $description', (c) => {
    const check = () => checkUnblock(fromHex(c.pid), fromHex(c.unblock_hash));
    if (c.valid) expect(check).not.toThrow();
    else expect(errorCode(check)).toBe(c.error!.code);
  });
});
