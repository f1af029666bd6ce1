/**
 * The runtime settings the server runs with in production: deploy/Dockerfile and the systemd
 * unit set them, and the benchmarks that start server processes (`bench/export`) start them with
 * these, so their figures are production's. Both bound resident memory during long streamed
 * exports (24-h PostgreSQL export peaks: 197–208 MB with glibc's and V8's defaults, 180–186 MB with
 * these, at the same speed):
 *
 * - `MALLOC_MMAP_THRESHOLD_`: glibc raises its mmap threshold each time a large block is freed,
 *   so after the first few hundred-kB buffers (chunk blobs, driver messages, export pieces) later
 *   ones come from the process heap, where freed space is kept and fragmented and resident memory
 *   creeps up with the export's length. A fixed 64-kB threshold gives blocks from there up their
 *   own mappings, returned to the system when freed. glibc reads it at its first allocation, so it
 *   must be in the environment before the process starts.
 * - `NODE_OPTIONS=--max-semi-space-size=8`: V8's young generation at 8 MB per semi-space instead
 *   of 16: an export's short-lived pieces are collected sooner rather than held in 32 MB of young
 *   space.
 */
export const PRODUCTION_RUNTIME_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '65536',
  NODE_OPTIONS: '--max-semi-space-size=8',
};

/**
 * `base` (a process environment) with the production runtime settings added, keeping any
 * `NODE_OPTIONS` already there (a loader such as tsx's) ahead of ours.
 */
export function withProductionRuntime(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const nodeOptions = [base.NODE_OPTIONS, PRODUCTION_RUNTIME_ENV.NODE_OPTIONS].filter(Boolean).join(' ');
  return { ...base, ...PRODUCTION_RUNTIME_ENV, NODE_OPTIONS: nodeOptions };
}
