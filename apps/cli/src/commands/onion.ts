/**
 * `asyncpay onion build|peel`: BOLT 4 onion messages by hand. `build` wraps a payload for the last of a
 * list of node ids (a blinded path is created over them); `peel` removes one layer with a node's private
 * key and the path key that came with the message, and says where it goes next.
 */
import { type BlindedPath, decodeBlindedPath } from '@asyncpay/codec/blinded-path';
import { fromHex, toHex } from '@asyncpay/codec/bytes';
import {
  buildOnionMessage,
  decodeOnionMessage,
  type OnionMessage,
  peelOnionMessage,
} from '@asyncpay/codec/onion/onion-message';
import { readTlvRecords, type TlvRecord } from '@asyncpay/codec/tlv';
import { CliError, type Command, type Io, parseFlags } from '../command.js';

const ALICE = '02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619';
const BOB = '0324653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c';
const CAROL = '027f31ebc5462c1fdce1b737ecff52d37d75dea43ce11c74d25aa297165faa2007';

const help = `asyncpay onion — build and peel BOLT 4 onion messages (type 513)

Usage:
  asyncpay onion build --path <nodeid>,<nodeid>,… (--payload <hex> | --message-hex <hex> [--message-type <n>])
                       [--session-key <hex>] [--path-key-secret <hex>] [--reply-path <hex>] [--path-id <hex>]
  asyncpay onion peel  --privkey <hex> (--path-key <hex> --packet <hex> | --onion-message <hex>)

build  Creates a blinded path over the node ids (each hop is told next_node_id; the last gets --path-id if
       given) and wraps the final hop's onionmsg_tlv: --payload is an onionmsg_tlv stream for the final hop
       (e.g. 4203010203 = type 66, 3 bytes); --message-hex puts raw bytes in one record of --message-type
       (default 65, odd, so any recipient may ignore it). --reply-path is an encoded blinded_path.
       --session-key (the Sphinx key) and --path-key-secret (the blinded path's first secret) default to
       random. Prints JSON {firstNodeId, pathKey, packet, onionMessage} (hex). The packet is 1366 bytes, or
       32834 when the payloads do not fit.
peel   Decrypts one layer. Prints JSON {tlvs, encryptedData, action, …}: the decrypted onionmsg_tlv and
       encrypted_data_tlv records as [{type, length, hex}], then either action "forward" with nextNodeId (or
       nextShortChannelId), nextPathKey, packet and onionMessage, or action "deliver" (with pathId if any).

Invalid input exits with status 2 and one line on stderr naming the error code (INVALID_HEX, BAD_HMAC,
BAD_ENCRYPTION, INVALID_ARGUMENT, …).

Example (Alice → Bob → Carol; the keys are 41…41, 42…42 and 43…43):
  asyncpay onion build --path ${ALICE},${BOB},${CAROL} --message-hex 68656c6c6f --session-key ${'03'.repeat(32)} --path-key-secret ${'01'.repeat(32)}
  asyncpay onion peel --privkey ${'41'.repeat(32)} --path-key 031b84c5567b126440995d3ed5aaba0565d71e1834604819ff9c17f5e9d5dd078f --packet <packet from build>
`;

function hexFlag(flags: Map<string, string | true>, name: string, required: true): Uint8Array;
function hexFlag(flags: Map<string, string | true>, name: string, required?: false): Uint8Array | undefined;
function hexFlag(flags: Map<string, string | true>, name: string, required = false): Uint8Array | undefined {
  const v = flags.get(name);
  if (v === undefined) {
    if (required) throw new CliError(`MISSING_ARGUMENT: --${name} is required`);
    return undefined;
  }
  if (v === true) throw new CliError(`MISSING_ARGUMENT: --${name} needs a value`);
  return fromHex(v, `--${name}`);
}

/** TLV records as JSON rows; types beyond 2^53 stay strings. */
function rows(records: readonly TlvRecord[]): { type: number | string; length: number; hex: string }[] {
  return records.map((r) => ({
    type: r.type <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(r.type) : r.type.toString(),
    length: r.value.length,
    hex: toHex(r.value),
  }));
}

function build(flags: Map<string, string | true>, io: Io): number {
  const pathFlag = flags.get('path');
  if (typeof pathFlag !== 'string')
    throw new CliError('MISSING_ARGUMENT: --path <nodeid>,<nodeid>,… is required');
  const path = pathFlag.split(',').map((id, i) => fromHex(id.trim(), `--path[${i}]`));
  const payload = hexFlag(flags, 'payload');
  const message = hexFlag(flags, 'message-hex');
  if (payload && message) throw new CliError('INVALID_ARGUMENT: give --payload or --message-hex, not both');
  let content: TlvRecord[] = [];
  if (payload) content = readTlvRecords(payload, '--payload');
  if (message) {
    const t = flags.get('message-type') ?? '65';
    if (t === true || !/^\d+$/.test(t))
      throw new CliError('INVALID_ARGUMENT: --message-type must be a number');
    content = [{ type: BigInt(t), value: message }];
  }
  const replyPathBytes = hexFlag(flags, 'reply-path');
  const replyPath: BlindedPath | undefined = replyPathBytes
    ? decodeBlindedPath(replyPathBytes, '--reply-path')
    : undefined;
  const sessionKey = hexFlag(flags, 'session-key');
  const pathKeySecret = hexFlag(flags, 'path-key-secret');
  const pathId = hexFlag(flags, 'path-id');
  const built = buildOnionMessage({
    path,
    content,
    ...(replyPath ? { replyPath } : {}),
    ...(sessionKey ? { sessionKey } : {}),
    ...(pathKeySecret ? { pathKeySecret } : {}),
    ...(pathId ? { pathId } : {}),
  });
  const out = {
    firstNodeId: toHex(built.firstNodeId),
    pathKey: toHex(built.pathKey),
    packet: toHex(built.packet),
    onionMessage: toHex(built.onionMessage),
  };
  io.out(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

function peel(flags: Map<string, string | true>, io: Io): number {
  const privkey = hexFlag(flags, 'privkey', true);
  const whole = hexFlag(flags, 'onion-message');
  let message: OnionMessage;
  if (whole) message = decodeOnionMessage(whole);
  else message = { pathKey: hexFlag(flags, 'path-key', true), packet: hexFlag(flags, 'packet', true) };
  const step = peelOnionMessage(privkey, message);
  const base = { tlvs: rows(step.payload.records), encryptedData: rows(step.encryptedData.records) };
  let out: Record<string, unknown>;
  if ('forward' in step) {
    const f = step.forward;
    out = {
      ...base,
      action: 'forward',
      ...(f.nextNodeId ? { nextNodeId: toHex(f.nextNodeId) } : {}),
      ...(f.nextShortChannelId
        ? {
            nextShortChannelId: `${f.nextShortChannelId.block}x${f.nextShortChannelId.txIndex}x${f.nextShortChannelId.output}`,
          }
        : {}),
      nextPathKey: toHex(f.nextPathKey),
      packet: toHex(f.packet),
      onionMessage: toHex(f.onionMessage),
    };
  } else {
    out = {
      ...base,
      action: 'deliver',
      ...(step.deliver.pathId ? { pathId: toHex(step.deliver.pathId) } : {}),
    };
  }
  io.out(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}

/** `asyncpay onion`. */
export const onionCommand: Command = {
  name: 'onion',
  summary: 'build and peel BOLT 4 onion messages',
  help,
  async run(args, io) {
    const [sub, ...rest] = args;
    const { flags } = parseFlags(rest);
    try {
      if (sub === 'build') return build(flags, io);
      if (sub === 'peel') return peel(flags, io);
    } catch (e) {
      // Argument checks of the codec (wrong length, out of range) become one line with a code.
      if (e instanceof TypeError || e instanceof RangeError) {
        throw new CliError(`INVALID_ARGUMENT: ${e.message.replace(/\s+/g, ' ')}`);
      }
      throw e;
    }
    throw new CliError(`INVALID_ARGUMENT: unknown sub-command '${sub ?? ''}' (build or peel; see --help)`);
  },
};
