/** Public surface of the signal pipeline (pure code: no I/O, no clock). */
export * from './filters-design.js';
export * from './filters.js';
export * from './filters-ecg.js';
export * from './leads.js';
export * from './resample.js';
export * from './qrs-feature.js';
export * from './qrs-refine.js';
export * from './qrs-detector.js';
export * from './qrs.js';
export * from './quality.js';
export * from './quality-electrodes.js';
export * from './pipeline.js';
