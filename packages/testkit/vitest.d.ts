import type { UserConfig, ViteUserConfig } from 'vitest/config';
/** The vitest configuration every package uses; `root` is the package folder. */
export declare function packageTestConfig(root: string, test?: ViteUserConfig['test']): UserConfig;
