/**
 * Runs every example the documentation includes, as a reader would (`tsx <file>`), and checks what it
 * prints. An example file without an entry here fails the first test, so none goes unchecked.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** What each example prints, line by line. */
const expected: Record<string, string[]> = {
  'bigsize.ts': ['fd00fd', '253n'],
  'held-htlc-available.ts': ['ldk: 480100', 'spec: 4800'],
  'pay-for-signature.ts': [
    'lock S = 03b66be5966dfb2c1a3bcacddbd4ebfefb4d605760a8dced7e38c9ed003f66441b',
    's·G = S: true',
    "receipt verifies under Bob's key: true",
  ],
};

function run(file: string): string[] {
  const out = execFileSync(process.execPath, ['--conditions=source', '--import', 'tsx', join(root, file)], {
    cwd: root,
    encoding: 'utf8',
  });
  return out.trimEnd().split('\n');
}

describe('docs examples', () => {
  const files = readdirSync(root).filter((f) => f.endsWith('.ts') && f !== 'vitest.config.ts');

  it('every example file has expected output', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [file, lines] of Object.entries(expected)) {
    it(`${file} prints ${JSON.stringify(lines)}`, () => {
      expect(run(file)).toEqual(lines);
    });
  }
});
