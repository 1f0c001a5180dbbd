/**
 * The whole test run: lint, type-check, every package's tests (unit, upstream vectors, regtest, the
 * docs site in a browser), and the check that our published vectors regenerate unchanged.
 * Ends with one line `N passed, N failed` summed over every package's vitest run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '@asyncpay/testkit/vectors';

const root = repoRoot();
const packageDirs = ['packages', 'apps']
  .flatMap((top) => readdirSync(join(root, top)).map((n) => join(root, top, n)))
  .concat(join(root, 'regtest'), join(root, 'docs', 'examples'))
  .filter((d) => existsSync(join(d, 'package.json')));

function step(title: string, cmd: string, args: string[]): boolean {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  return r.status === 0;
}

for (const d of packageDirs) rmSync(join(d, '.artifacts', 'vitest.json'), { force: true });

const results = [
  step('lint', 'pnpm', ['exec', 'biome', 'ci', '.']),
  step('typecheck and tests', 'pnpm', [
    'exec',
    'turbo',
    'run',
    'typecheck',
    'test',
    '--concurrency=2',
    '--continue',
  ]),
  step('our vectors regenerate unchanged', 'pnpm', ['run', '--silent', 'vectors:check']),
];

let passed = 0;
let failed = 0;
let skipped = 0;
for (const d of packageDirs) {
  const report = join(d, '.artifacts', 'vitest.json');
  if (!existsSync(report)) continue;
  const r = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
}
// In CI nothing may be skipped: a skipped regtest or vector test is a missing check, not a pass.
if (process.env.CI && skipped > 0) {
  console.error(`${skipped} test(s) skipped under CI`);
  results.push(false);
}
const stepsFailed = results.filter((ok) => !ok).length;
console.log(`\n${stepsFailed === 0 ? 'all steps passed' : `${stepsFailed} step(s) failed`}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(stepsFailed === 0 && failed === 0 && passed > 0 ? 0 : 1);
