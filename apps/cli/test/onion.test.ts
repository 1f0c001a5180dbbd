import { describe, expect, it } from 'vitest';
import { onionCommand } from '../src/commands/onion.js';
import { run } from './io.js';

const priv = ['41', '42', '43'].map((b) => b.repeat(32));
const ids = [
  '02eec7245d6b7d2ccb30380bfbe2a3648cd7a942653f5aa340edcea1f283686619',
  '0324653eac434488002cc06bbfb7f10fe18991e35f9fe4302dbea6d2353dc0ab1c',
  '027f31ebc5462c1fdce1b737ecff52d37d75dea43ce11c74d25aa297165faa2007',
];
// onionmsg_tlv for the final hop: type 65 "hello" and type 67 with three bytes.
const payload = '410568656c6c6f4303010203';

describe('asyncpay onion', () => {
  it('builds across three hops with fixed keys and peels hop by hop back to the payload', async () => {
    const built = await run([
      'onion',
      'build',
      '--path',
      ids.join(','),
      '--payload',
      payload,
      '--session-key',
      '03'.repeat(32),
      '--path-key-secret',
      '01'.repeat(32),
    ]);
    expect(built.err).toBe('');
    expect(built.code).toBe(0);
    const b = JSON.parse(built.out) as {
      firstNodeId: string;
      pathKey: string;
      packet: string;
      onionMessage: string;
    };
    expect(b.firstNodeId).toBe(ids[0]);
    expect(b.packet).toHaveLength(1366 * 2);
    expect(b.onionMessage.startsWith(`0201${b.pathKey}0556`)).toBe(true);

    let pathKey = b.pathKey;
    let packet = b.packet;
    for (let i = 0; i < 3; i++) {
      const r = await run([
        'onion',
        'peel',
        '--privkey',
        priv[i]!,
        '--path-key',
        pathKey,
        '--packet',
        packet,
      ]);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const p = JSON.parse(r.out) as {
        tlvs: { type: number; length: number; hex: string }[];
        encryptedData: { type: number; hex: string }[];
        action: string;
        nextNodeId?: string;
        nextPathKey?: string;
        packet?: string;
        pathId?: string;
      };
      expect(p.tlvs[0]!.type).toBe(4);
      if (i < 2) {
        expect(p.action).toBe('forward');
        expect(p.nextNodeId).toBe(ids[i + 1]);
        expect(p.encryptedData).toEqual([{ type: 4, length: 33, hex: ids[i + 1] }]);
        pathKey = p.nextPathKey!;
        packet = p.packet!;
      } else {
        expect(p.action).toBe('deliver');
        expect(p.tlvs.slice(1)).toEqual([
          { type: 65, length: 5, hex: '68656c6c6f' },
          { type: 67, length: 3, hex: '010203' },
        ]);
      }
    }
  });

  it('runs the example of its --help', async () => {
    const help = await run(['onion', '--help']);
    expect(help.code).toBe(0);
    const line = (start: string) =>
      help.out
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith(start))
        .pop()!
        .split(/\s+/)
        .slice(1);
    const built = await run(line('asyncpay onion build --path'));
    expect(built.code).toBe(0);
    const { packet } = JSON.parse(built.out) as { packet: string };
    const peelArgs = line('asyncpay onion peel').join(' ').replace('<packet from build>', packet).split(' ');
    const peeled = await run(peelArgs);
    expect(peeled.err).toBe('');
    expect(JSON.parse(peeled.out)).toMatchObject({ action: 'forward', nextNodeId: ids[1] });
  });

  it('peels a whole onion_message given with --onion-message', async () => {
    const built = JSON.parse(
      (await run(['onion', 'build', '--path', ids[0]!, '--message-hex', '00ff'])).out,
    ) as {
      onionMessage: string;
    };
    const r = await run(['onion', 'peel', '--privkey', priv[0]!, '--onion-message', built.onionMessage]);
    expect(JSON.parse(r.out)).toMatchObject({
      action: 'deliver',
      tlvs: [{ type: 4 }, { type: 65, hex: '00ff' }],
    });
  });

  it.each([
    ['a node id that is not hex', ['onion', 'build', '--path', 'zz'], 'INVALID_HEX'],
    ['a 32-byte node id', ['onion', 'build', '--path', ids[0]!.slice(2)], 'INVALID_ARGUMENT'],
    ['no --path', ['onion', 'build', '--payload', '0102'], 'MISSING_ARGUMENT'],
    [
      'a truncated payload',
      ['onion', 'build', '--path', ids[0]!, '--payload', '0405aa'],
      'TLV_LENGTH_OVERFLOW',
    ],
    [
      'a packet with a wrong HMAC',
      [
        'onion',
        'peel',
        '--privkey',
        priv[0]!,
        '--path-key',
        ids[1]!,
        '--packet',
        `00${ids[0]}${'00'.repeat(1332)}`,
      ],
      'BAD_HMAC',
    ],
    [
      'a one-byte packet',
      ['onion', 'peel', '--privkey', priv[0]!, '--path-key', ids[1]!, '--packet', '01'],
      'ONION_BAD_LENGTH',
    ],
    [
      'a zero private key',
      ['onion', 'peel', '--privkey', '00'.repeat(32), '--path-key', ids[1]!, '--packet', '00'],
      'INVALID_ARGUMENT',
    ],
    ['an unknown sub-command', ['onion', 'frobnicate'], 'INVALID_ARGUMENT'],
  ])('exits 2 with one stderr line naming the code for %s', async (_label, args, code) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.err).toContain(code);
  });

  it('documents both sub-commands in its help', () => {
    expect(onionCommand.help).toContain('asyncpay onion build');
    expect(onionCommand.help).toContain('asyncpay onion peel');
  });
});
