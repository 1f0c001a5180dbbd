import type { TestModule } from 'vitest/node';
/** Lists, after a run, the vector files exercised and their case counts. */
export declare class VectorReporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void;
}
