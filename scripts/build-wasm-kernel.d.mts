/** Types of build-wasm-kernel.mjs (imported by the test that checks the committed kernel is current). */

/** Path of the kernel's WebAssembly text source. */
export declare const WAT_PATH: string;
/** Path of the generated TS module holding the compiled bytes. */
export declare const MODULE_PATH: string;
/** The .wasm bytes compiled from WAT_PATH. */
export declare function compileKernel(): Promise<Uint8Array>;
/** Source text of the generated module for these bytes. */
export declare function kernelModuleSource(wasm: Uint8Array): string;
