import type { Linter } from 'eslint';

/** The import-boundary blocks of the flat config (see eslint.boundaries.js). */
export declare const boundaries: Linter.Config[];

/** Inside main/: the folders of ours each folder may import (`typeOnly`: with `import type` only). */
export declare const MAIN_LAYERS: Record<string, { may: string[]; typeOnly?: string[] }>;
