/**
 * Streams export entries as one zip (fflate's streaming `Zip`, already a dependency): entries are
 * pulled one at a time, text deflated at level 1 (fast), sample files stored. fflate writes no
 * ZIP64 records, so no entry and no archive may pass 4 GiB: `ZIP_MAX_BYTES` lets callers refuse
 * such an export before it starts, and the writer stops rather than write a corrupt archive.
 */
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { ExportEntry } from './entries.js';

/** The largest archive (and entry) a zip without ZIP64 can describe. */
export const ZIP_MAX_BYTES = 0xffff_ffff;

/** The archive would pass 4 GiB (stable `code`). */
export class ZipTooLargeError extends Error {
  readonly code = 'zip_too_large';
  constructor(message: string) {
    super(message);
    this.name = 'ZipTooLargeError';
  }
}

/** The zip's bytes, produced as the entries' bytes are pulled. */
export async function* zipEntries(
  entries: Iterable<ExportEntry>,
  mtimeMs: number,
): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((err, data) => {
    if (err) failure = err;
    else out.push(data);
  });
  let total = 0;
  const drain = function* (): Generator<Uint8Array> {
    if (failure) throw failure;
    for (const piece of out.splice(0)) {
      total += piece.length;
      if (total > ZIP_MAX_BYTES)
        throw new ZipTooLargeError('the zip would pass 4 GiB; export a shorter range');
      yield piece;
    }
  };
  for (const entry of entries) {
    const file = entry.compress ? new ZipDeflate(entry.name, { level: 1 }) : new ZipPassThrough(entry.name);
    file.mtime = new Date(mtimeMs);
    zip.add(file);
    let size = 0;
    for await (const piece of entry.data()) {
      size += piece.length;
      if (size > ZIP_MAX_BYTES)
        throw new ZipTooLargeError(`${entry.name} would pass 4 GiB; export a shorter range`);
      file.push(piece);
      yield* drain();
    }
    file.push(new Uint8Array(0), true);
    yield* drain();
  }
  zip.end();
  yield* drain();
}
