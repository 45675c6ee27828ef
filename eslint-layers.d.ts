// Types for eslint-layers.js (plain JavaScript, as eslint.config.js loads it without a TypeScript step).
import type { Linter } from 'eslint';

export declare const LAYERS: Record<string, readonly string[]>;
export declare const BROWSER_SAFE: readonly string[];
export declare const TEST_SUPPORT: readonly string[];
export declare function forbiddenFolders(folder: string): string[];
export declare function layeringConfigs(): Linter.Config[];
