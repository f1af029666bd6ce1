import type { Linter } from 'eslint';

/** The import-boundary blocks of the flat config (see eslint.boundaries.js). */
export declare const boundaries: Linter.Config[];
