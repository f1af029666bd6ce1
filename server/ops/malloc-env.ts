/**
 * The C allocator setting the server runs with in production (deploy/Dockerfile and the systemd
 * unit set it; `bench/export` runs its server children with it, so its figures are production's).
 *
 * glibc raises its mmap threshold each time a large block is freed, so after the first few
 * hundred-kB buffers (chunk blobs, driver messages, export pieces) later ones come from the
 * process heap, where freed space is kept and fragmented: resident memory then creeps up with
 * the length of an export (measured: a 24-h PostgreSQL export peaked about 10–17 MB higher than
 * with a fixed threshold, and higher than a 6-h one). A fixed 64-kB threshold gives blocks from
 * there up their own mappings, returned to the system when freed. It must be set in the
 * environment before the process starts (glibc reads it at its first allocation).
 */
export const PRODUCTION_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: '65536',
};
