// Prints, after a run, every vector file the tests exercised and how many of its cases passed.
// A suite opts in by its name: `upstream <file> [N cases]` or `ours <file> [N cases]` (see src/vectors.ts).

const SUITE = /^(upstream|ours) (\S+) \[(\d+) cases?\]$/;

export class VectorReporter {
  /** @param {ReadonlyArray<import('vitest/node').TestModule>} modules */
  onTestRunEnd(modules) {
    /** @type {string[]} */
    const lines = [];
    for (const mod of modules) {
      for (const suite of mod.children.allSuites()) {
        const m = SUITE.exec(suite.name);
        if (!m) continue;
        let passed = 0;
        let failed = 0;
        for (const t of suite.children.allTests()) {
          const state = t.result().state;
          if (state === 'passed') passed++;
          else if (state === 'failed') failed++;
        }
        const mark = failed === 0 && passed > 0 ? 'ok  ' : 'FAIL';
        lines.push(
          `  ${mark} ${(m[1] ?? '').padEnd(8)} ${m[2]}: ${m[3]} cases, ${passed} tests passed, ${failed} failed`,
        );
      }
    }
    if (lines.length > 0) {
      lines.sort();
      process.stdout.write(`\nVector files exercised:\n${lines.join('\n')}\n`);
    }
  }
}
