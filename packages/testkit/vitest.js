// The vitest configuration every package uses. Plain JavaScript: vitest loads config files before any
// TypeScript condition is in force.
import { defineConfig } from 'vitest/config';
import { VectorReporter } from './reporter.js';

/**
 * @param {string} root the package folder (pass `import.meta.dirname`)
 * @param {import('vitest/config').ViteUserConfig['test']} [test] extra test options
 */
export function packageTestConfig(root, test = {}) {
  return defineConfig({
    resolve: { conditions: ['source', 'module', 'import', 'default'] },
    ssr: { resolve: { conditions: ['source', 'module', 'node', 'import', 'default'] } },
    test: {
      root,
      include: ['test/**/*.test.ts'],
      testTimeout: 20_000,
      reporters: ['default', new VectorReporter(), ['json', { outputFile: '.artifacts/vitest.json' }]],
      ...test,
    },
  });
}
